"""Reports to the Board and the Equality Standard's cells are kept by the Race & Diversity
Unit: one rule (policy.check_create) for the pages and the API alike."""
import pytest

from tests.conftest import HR, PP, RDU
from tests.web.browsing import sign_in
from workflow.kinds import KINDS

KEPT = ("report", "standard_cell")
CELL = {"level": 1, "area": "leadership", "self_assessed": "not_started"}


def body(kind, team):
    return {"kind": kind, "title": "Ours now", "team": team, "fields": CELL if kind == "standard_cell" else {}}


@pytest.mark.parametrize("kind", KEPT)
@pytest.mark.parametrize("who, team", [("hr_lead", HR), ("pp_lead", PP), ("lead_head", HR)])
def test_the_api_refuses_them_to_another_team_as_the_pages_do(api, client, kind, who, team):
    refused = api.as_(who).post("/documents", body(kind, team))
    assert refused.status_code == 403, refused.json
    assert refused.json["details"] == {"team": f"Select the {RDU}, which keeps every {KINDS[kind].LABEL}, not {team}"}
    sign_in(client, who)
    page = "/reports/generate" if kind == "report" else "/standard/set-up"
    assert client.open(page, method="GET" if kind == "report" else "POST").status_code == 403
    assert api.as_("head").get("/documents", kind=kind).json["total"] == 0


@pytest.mark.parametrize("kind", KEPT)
def test_the_unit_creates_them_through_the_api_as_on_the_pages(api, kind):
    made = api.as_("head").post("/documents", body(kind, RDU))
    assert made.status_code == 201, made.json
    assert made.json["team"] == RDU
