"""Bulk changes through API v1: many objectives' links set at once, signed off by one approval."""
from tests.web.api.test_progress_api import approved_objective


def test_a_team_leaders_bulk_change_reaches_the_board_only_when_one_approval_signs_it_all_off(api):
    first, second = approved_objective(api), approved_objective(api)
    made = api.as_("hr_lead").post("/bulk-changes", {"ids": [first["id"], second["id"]],
                                                     "change": {"strategic": 5}})
    assert made.status_code == 201, made.json
    assert {d["id"] for d in made.json["documents"]} == {first["id"], second["id"]}
    assert "strategic objective set to 5" in made.json["change"]
    # The Board reads the approved revisions until the change is signed off.
    assert "strategic" not in api.as_("board").get(f"/documents/{first['id']}").json["fields"]
    assert api.as_("head").get("/bulk-changes").json["items"][0]["id"] == made.json["id"]
    # The team leader who submitted it cannot sign it off, and nothing is signed off.
    refused = api.as_("hr_lead").post(f"/bulk-changes/{made.json['id']}/approve", {})
    assert refused.status_code == 403 and refused.json["details"]
    approved = api.as_("head").post(f"/bulk-changes/{made.json['id']}/approve", {"comment": "Agreed"})
    assert approved.status_code == 200 and approved.json["approved"] == 2
    for doc in (first, second):
        assert api.as_("board").get(f"/documents/{doc['id']}").json["fields"]["strategic"] == 5
        last = api.as_("head").get(f"/documents/{doc['id']}/history").json["items"][-1]
        assert last["action"] == "approve" and "one bulk sign-off of 2 objectives" in last["comment"]
    assert api.as_("head").get(f"/bulk-changes/{made.json['id']}").status_code == 404


def test_another_teams_leader_cannot_change_the_objectives_in_bulk(api):
    doc = approved_objective(api)
    refused = api.as_("pp_lead").post("/bulk-changes", {"ids": [doc["id"]], "change": {"strategic": 5}})
    assert refused.status_code == 403 and refused.json["error"]
    assert api.as_("head").get(f"/documents/{doc['id']}").json["revision"] == 1
    assert api.as_("hr_lead").post("/bulk-changes", {"ids": [doc["id"]], "change": {"strategic": 5}}).status_code == 201


def test_bad_bulk_changes_are_refused_in_words(api):
    doc = approved_objective(api)
    for body in ({"ids": [doc["id"]]}, {"ids": doc["id"], "change": {"strategic": 5}},
                 {"ids": [doc["id"]], "change": {"strategic": 500}}, {"ids": [], "change": {"strategic": 5}},
                 {"ids": [doc["id"]], "change": {}}, {"ids": [doc["id"]], "change": "strategic"}):
        answer = api.as_("hr_lead").post("/bulk-changes", body)
        assert answer.status_code == 422 and answer.json["error"], (body, answer.json)
    assert api.as_("head").get(f"/documents/{doc['id']}").json["revision"] == 1
    assert api.as_("head").post("/bulk-changes/nope/approve", {}).status_code == 404
