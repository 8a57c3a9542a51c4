"""GET /plans and /plans/{key}: the plans, their signed-off reviews and their cycle, the same for every reader."""
import pytest

from tests.web.browsing import sign_in
from tests.web.pages.test_plan_pages import OLD, SUCCESSOR, posted, review_form, signed_off, signers  # noqa: F401


@pytest.fixture
def app_config():
    """The review and the succession are written on their pages, posted without CSRF tokens as page tests do."""
    return {"WTF_CSRF_ENABLED": False}


def test_the_plans_are_listed_with_their_factors_and_the_2004_plan_is_the_first(api):
    answer = api.as_("board").get("/plans")
    assert answer.status_code == 200
    [plan] = answer.json["items"]
    assert (plan["key"], plan["title"], plan["period"], plan["adopted_on"], plan["successor"]) == (
        OLD.key, "Corporate Equality Plan 2004", "2004 – 2007", "2004-05-01", None)
    assert plan["factors"] == list(OLD.factors)


def test_a_plan_answers_its_reviews_and_cycle_and_its_successor_once_signed_off(client, api, signers):
    sign_in(client, "head")
    review = posted(client, f"/plans/{OLD.key}/review", review_form())
    assert api.as_("board").get(f"/plans/{OLD.key}").json["reviews"] == []  # a draft is not the Board's
    signed_off(api, review)
    signed_off(api, posted(client, f"/plans/{OLD.key}/supersede", SUCCESSOR))
    plan = api.as_("board").get(f"/plans/{OLD.key}").json
    assert [(r["due"], r["assessments"][0]["rating"]) for r in plan["reviews"]] == [("2005-05-01", "partly_met")]
    assert plan["ended_on"] == "2007-06-01" and plan["successor"].startswith("plan-")
    assert {item["status"] for item in plan["cycle"]} <= {"done", "closed"}
    assert [p["title"] for p in api.as_("smt").get("/plans").json["items"]] == [
        "Corporate Equality Plan 2004", "Generic Equalities Scheme 2007"]


def test_an_unknown_plan_is_not_found_and_a_caller_without_a_token_is_refused(api):
    missing = api.as_("head").get("/plans/plan-999")
    assert missing.status_code == 404 and set(missing.json) == {"error", "details"}
    assert api.get("/plans").status_code == 401 and api.get(f"/plans/{OLD.key}").status_code == 401


def test_a_plans_review_or_successor_is_not_written_through_the_documents_api(client, api, signers):
    fields = {"plan": OLD.key, "due": "2008-05-01", "assessments": [{"factor": "Made up", "rating": "met"}]}
    for kind in ("plan_review", "plan_succession"):
        refused = api.as_("head").post("/documents", {"kind": kind, "title": "Sideways", "team": "Race & Diversity Unit",
                                                      "fields": {} if kind == "plan_succession" else fields})
        assert refused.status_code == 422 and "on the plan's page" in refused.json["error"]
    sign_in(client, "head")
    review = posted(client, f"/plans/{OLD.key}/review", review_form())
    version = api.as_("head").get(f"/documents/{review}").json["version"]
    changed = api.as_("head").patch(f"/documents/{review}", {"version": version, "fields": {"due": "2008-05-01"}})
    assert changed.status_code == 422
    assert api.as_("head").get(f"/documents/{review}").json["fields"]["due"] == "2005-05-01"
    assert api.as_("hr_staff").patch(f"/documents/{review}", {"version": version, "fields": {}}).status_code == 404
