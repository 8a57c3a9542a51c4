"""The complaints and compliments log through the API: the same service as the pages, so the
same rules: the person's details only for the team concerned and the Head, recorded and changed
by those who keep the entry, a stale change refused, bad answers named; the Board gets nothing."""
import pytest

from tests.conftest import HR

PERSON = {"name": "Ada Quirkworth", "contact": "ada@example.org", "reference": "REF-QX-77"}


def entry(**change):
    return {"kind": "complaint", "received": "2007-06-04", "channel": "telephone", "team": HR,
            "strands": ["race"], "summary": "Kept waiting at reception.", **PERSON, **change}


@pytest.fixture
def recorded(api):
    answer = api.as_("hr_staff").post("/complaints", entry())
    assert answer.status_code == 201, answer.json
    return answer.json


def test_the_team_concerned_and_the_head_read_the_persons_details_others_do_not(api, recorded):
    for who in ("hr_staff", "hr_lead", "head"):
        assert api.as_(who).get(f"/complaints/{recorded['id']}").json["person"] == PERSON
        assert api.as_(who).get("/complaints").json["items"][0]["person"] == PERSON
    for who in ("pp_staff", "pp_lead", "smt"):
        for answer in (api.as_(who).get(f"/complaints/{recorded['id']}"), api.as_(who).get("/complaints"),
                       api.as_(who).get("/complaints", team=HR)):
            assert answer.status_code == 200 and not any(v in answer.text for v in PERSON.values()), who
    for who in ("board", "admin", None):
        assert api.as_(who).get("/complaints").status_code in (401, 404)
        assert api.as_(who).get(f"/complaints/{recorded['id']}").status_code in (401, 404)


def test_a_change_names_only_what_changes_and_a_stale_one_is_refused(api, recorded):
    changed = api.as_("hr_lead").patch(f"/complaints/{recorded['id']}", {
        "version": recorded["version"], "outcome": "resolved_informally", "closed": "2007-06-05"})
    assert changed.status_code == 200, changed.json
    assert (changed.json["outcome"], changed.json["summary"], changed.json["person"]) == (
        "resolved_informally", "Kept waiting at reception.", PERSON)
    stale = api.as_("hr_staff").patch(f"/complaints/{recorded['id']}", {"version": recorded["version"],
                                                                        "outcome": "upheld"})
    assert stale.status_code == 409
    assert api.as_("head").get(f"/complaints/{recorded['id']}").json["outcome"] == "resolved_informally"


def test_others_cannot_record_or_change_and_bad_answers_are_named(api, recorded):
    assert api.as_("pp_staff").post("/complaints", entry()).status_code == 403
    assert api.as_("pp_lead").patch(f"/complaints/{recorded['id']}", {"version": recorded["version"],
                                                                      "outcome": "upheld"}).status_code == 403
    assert api.as_("board").post("/complaints", entry()).status_code == 404
    bad = api.as_("hr_staff").post("/complaints", entry(closed="2007-06-01", outcome="upheld", channel="fax",
                                                       strands="race", colour="blue"))
    assert bad.status_code == 422 and set(bad.json["details"]) == {"colour"}
    bad = api.as_("hr_staff").post("/complaints", entry(closed="2007-06-01", outcome="passed_on", channel="fax",
                                                       strands="race"))
    assert bad.status_code == 422 and set(bad.json["details"]) == {"closed", "outcome", "channel", "strands"}
    bad = api.as_("hr_staff").post("/complaints", entry(kind={"a": 1}, outcome=["upheld"], team=[HR], received=7,
                                                       summary={"x": 1}, name=["x"]))
    assert bad.status_code == 422 and set(bad.json["details"]) == {"kind", "team", "received", "summary", "name"}
    assert [item["id"] for item in api.as_("head").get("/complaints").json["items"]] == [recorded["id"]]
