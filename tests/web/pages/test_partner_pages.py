"""Partners and contractors through the pages: the owner team and the Head keep them and record
their equality checks (audited, version-checked); a check due shows on the owner team's My work;
the generated progress report counts the checks."""
import datetime as dt

import pytest

from services import audit_service
from tests.conftest import HR, PP
from tests.web.browsing import sign_in
from tests.web.pages.test_reports import generated, rdu_lead  # noqa: F401 (a fixture)
from tests.web.api.test_reports_api import nine_objectives

ACME = {"name": "Acme Cleaning Ltd", "provides": "Office cleaning at 10 Dean Farrar Street", "team": HR,
        "contract_start": "2007-04-01", "contract_end": "2010-03-31"}


def day(offset):
    return (dt.date.today() + dt.timedelta(days=offset)).isoformat()


def added(client, who="hr_staff", **changes):
    sign_in(client, who)
    response = client.post("/partners/new", data={**ACME, **changes})
    assert response.status_code == 302, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def test_the_owner_team_adds_a_partner_and_records_a_check_and_everyone_signed_in_reads_them(app, client, store,
                                                                                              cast):
    partner_id = added(client)
    check = {"date": day(-1), "outcome": "actions_agreed", "note": "Agreed to publish its equality policy.",
             "next_due": day(90), "version": "1"}
    assert client.post(f"/partners/{partner_id}/checks", data=check).status_code == 302
    stored = store.get("partners", partner_id)
    assert [(c["outcome"], c["recorded_by"]) for c in stored["checks"]] == [("actions_agreed", "hr_staff")]
    assert [e["action"] for e in audit_service.entries(store) if e["kind"] == "partner"] == ["checked", "added"]
    for name in ("board", "pp_staff", "smt"):
        reader = app.test_client()
        sign_in(reader, name)
        page = reader.get(f"/partners/{partner_id}").text
        assert "Acme Cleaning Ltd" in page and "Actions agreed" in page and "Agreed to publish" in page
        assert "Record a check" not in page and "/edit" not in page
        assert "Acme Cleaning Ltd" in reader.get("/partners").text
    assert app.test_client().get("/partners").status_code == 302  # signed in only


@pytest.mark.parametrize("name", ["pp_staff", "pp_lead", "board", "smt", "admin"])
def test_no_one_outside_the_owner_team_but_the_head_changes_a_partner_or_records_a_check(client, store, cast, name):
    partner_id = added(client, "head")
    before = store.get("partners", partner_id)
    sign_in(client, name)
    assert client.post(f"/partners/{partner_id}/checks", data={"date": day(-1), "outcome": "compliant",
                                                               "version": "1"}).status_code == 403
    changed = {**ACME, "name": "Changed", "version": "1"}
    assert client.post(f"/partners/{partner_id}/edit", data=changed).status_code == 403
    assert client.post("/partners/new", data=ACME).status_code == 403
    assert store.get("partners", partner_id) == before and len(store.scan("partners")) == 1


def test_a_team_cannot_move_a_partner_to_a_team_it_is_not_in(client, store, cast):
    partner_id = added(client, "hr_lead")
    refused = client.post(f"/partners/{partner_id}/edit", data={**ACME, "team": PP, "version": "1"})
    assert refused.status_code == 403 and store.get("partners", partner_id)["team"] == HR


@pytest.mark.parametrize("bad, field", [({"name": ""}, "name"), ({"team": "No such team"}, "team"),
                                        ({"contract_end": "2007-03-31"}, "contract_end"),
                                        ({"contract_start": "April 2007"}, "contract_start")])
def test_a_bad_partner_is_refused_by_its_input_and_nothing_is_stored(client, store, cast, bad, field):
    sign_in(client, "head")
    response = client.post("/partners/new", data={**ACME, **bad})
    assert response.status_code == 422 and f'id="{field}-error"' in response.text
    assert "There is a problem" in response.text
    assert store.scan("partners") == []


def test_a_bad_or_stale_check_is_refused_and_changes_nothing(client, store, cast):
    partner_id = added(client)
    bad = client.post(f"/partners/{partner_id}/checks", data={"date": day(1), "outcome": "fine", "version": "1"})
    assert bad.status_code == 422 and 'id="date-error"' in bad.text and 'id="outcome-error"' in bad.text
    good = {"date": day(-1), "outcome": "compliant", "version": "1"}
    assert client.post(f"/partners/{partner_id}/checks", data=good).status_code == 302
    stale = client.post(f"/partners/{partner_id}/checks", data={**good, "outcome": "not_compliant"})
    assert stale.status_code == 409
    assert [c["outcome"] for c in store.get("partners", partner_id)["checks"]] == ["compliant"]
    assert client.get("/partners/999").status_code == 404


def test_a_check_due_within_30_days_or_overdue_is_on_the_owner_teams_my_work(client, store, cast):
    partner_id = added(client, contract_start=day(-400), contract_end=day(400))
    sign_in(client, "hr_staff")
    client.post(f"/partners/{partner_id}/checks", data={"date": day(-300), "outcome": "compliant",
                                                        "next_due": day(-3), "version": "1"})
    later = added(client, name="Later Ltd", contract_start=day(31), contract_end=day(800))
    for who in ("hr_staff", "hr_lead", "head"):
        sign_in(client, who)
        page = client.get("/").text
        assert "Equality checks of partners and contractors, due" in page and "Acme Cleaning Ltd" in page
        assert f"/partners/{partner_id}#record-check" in page and "(overdue)" in page
        assert f"/partners/{later}" not in page
    for who in ("pp_lead", "board"):
        sign_in(client, who)
        assert "Acme Cleaning Ltd" not in client.get("/").text
    # A check recorded takes it off My work.
    sign_in(client, "hr_lead")
    client.post(f"/partners/{partner_id}/checks", data={"date": day(0), "outcome": "compliant",
                                                        "next_due": day(365), "version": "2"})
    assert "Acme Cleaning Ltd" not in client.get("/").text


def test_the_generated_progress_report_counts_the_checks_of_its_period(client, api, store, rdu_lead):
    nine_objectives(api)
    partner_id = added(client, contract_start="2007-04-01")
    for version, (date, outcome, due) in enumerate([("2007-05-01", "not_compliant", "2007-08-01"),
                                                    ("2007-09-01", "actions_agreed", "2008-01-01")], start=1):
        assert client.post(f"/partners/{partner_id}/checks", data={"date": date, "outcome": outcome, "next_due": due,
                                                                   "version": str(version)}).status_code == 302
    url = generated(client)
    text = client.get(url + ".md").text
    assert "Contract compliance: equality checks of partners and contractors" in text
    assert "| Not compliant | 1 |" in text and "| Actions agreed | 1 |" in text and "| All checks | 2 |" in text
    assert "Checks overdue on 31 March 2008: 1." in text  # the January check was not done
