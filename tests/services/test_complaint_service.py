"""services.complaint_service on both backends: entries recorded and changed by those who keep
them, each change audited in its commit, a stale save refused, and a team's log counted into a
draft monitoring dataset that follows the ordinary sign-off."""
import datetime as dt

import pytest

from services import audit_service, complaint_service
from services.document_service import Documents
from services.storage import open_app_store
from workflow import policy
from workflow.errors import Forbidden, Invalid, NotFound, StateConflict
from workflow.users import User

HR, PP = "Human Resources", "Planning & Performance"
TODAY = dt.date(2008, 5, 1)
HR_STAFF = User("hr_staff", frozenset({"staff"}), frozenset({HR}))
HR_LEAD = User("hr_lead", frozenset({"team_leader"}), frozenset({HR}))
PP_STAFF = User("pp_staff", frozenset({"staff"}), frozenset({PP}))
PP_LEAD = User("pp_lead", frozenset({"team_leader"}), frozenset({PP}))
HEAD = User("head", frozenset({"head"}))
BOARD = User("board", frozenset({"eodb"}), frozenset({HR}))
ACTOR = audit_service.Actor("hr_staff")


def given(**change):
    return {"kind": "complaint", "received": "2007-06-04", "channel": "letter", "team": HR,
            "strands": ["race"], "summary": "Not served at the front desk.", "outcome": None, "closed": None,
            "name": "A. Person", "contact": "01234 567890", "reference": "C/123", **change}


@pytest.fixture(params=["tinydb", "postgresql"])
def store(request, tmp_path):
    url = request.getfixturevalue("pg_server").new_database() if request.param == "postgresql" \
        else str(tmp_path / "data")
    opened = open_app_store(url)
    yield opened
    opened.close()


def test_an_entry_and_its_audit_entry_are_committed_together_without_the_persons_details(store):
    stored = complaint_service.add(store, HR_STAFF, ACTOR, given(), TODAY)
    [logged] = audit_service.entries(store)
    assert (logged["kind"], logged["action"], logged["details"]["team"]) == ("complaint", "recorded", HR)
    assert "A. Person" not in str(logged) and "01234" not in str(logged) and "C/123" not in str(logged)
    assert stored["person"]["name"] == "A. Person" and stored["recorded_by"] == "hr_staff"


def test_a_change_is_audited_by_what_changed_and_a_stale_one_is_refused(store):
    stored = complaint_service.add(store, HR_STAFF, ACTOR, given(), TODAY)
    changed = complaint_service.edit(store, HR_LEAD, ACTOR, stored["id"], str(stored["version"]),
                                     given(outcome="upheld", closed="2007-07-01", name="B. Person"), TODAY)
    assert changed["outcome"] == "upheld" and changed["version"] == stored["version"] + 1
    last = audit_service.entries(store)[0]
    assert last["action"] == "changed" and last["details"]["changed"] == ["outcome", "closed", "person"]
    assert "B. Person" not in str(last)
    with pytest.raises(StateConflict):
        complaint_service.edit(store, HR_STAFF, ACTOR, stored["id"], str(stored["version"]), given(), TODAY)
    assert complaint_service.entry(store, stored["id"], HEAD)["outcome"] == "upheld"
    assert len(audit_service.entries(store)) == 2


@pytest.mark.parametrize("who", [PP_STAFF, PP_LEAD, User("smt", frozenset({"smt"}))])
def test_only_the_team_concerned_and_the_head_record_or_change_its_entries(store, who):
    with pytest.raises(Forbidden):
        complaint_service.add(store, who, ACTOR, given(), TODAY)
    stored = complaint_service.add(store, HEAD, ACTOR, given(), TODAY)
    with pytest.raises(Forbidden):
        complaint_service.edit(store, who, ACTOR, stored["id"], str(stored["version"]), given(outcome="upheld",
                                                                                            closed="2007-07-01"), TODAY)
    with pytest.raises(Forbidden):  # nor move an entry of their own team to one they do not keep
        mine = complaint_service.add(store, HR_STAFF, ACTOR, given(), TODAY)
        complaint_service.edit(store, HR_STAFF, ACTOR, mine["id"], str(mine["version"]), given(team=PP), TODAY)
    assert [entry["team"] for entry in complaint_service.log(store, HEAD)] == [HR, HR]


def test_readers_outside_the_team_never_get_the_persons_details_and_the_board_not_the_log(store):
    stored = complaint_service.add(store, HR_STAFF, ACTOR, given(), TODAY)
    for reader in (PP_STAFF, PP_LEAD, User("smt", frozenset({"smt"})), User("ce", frozenset({"chief_executive"}))):
        assert "person" not in complaint_service.entry(store, stored["id"], reader)
        assert all("person" not in entry for entry in complaint_service.log(store, reader))
    for keeper in (HR_STAFF, HR_LEAD, HEAD):
        assert complaint_service.entry(store, stored["id"], keeper)["person"]["name"] == "A. Person"
    for outsider in (BOARD, User("admin", frozenset({"admin"})), None):
        with pytest.raises(NotFound):
            complaint_service.log(store, outsider)
        with pytest.raises(NotFound):
            complaint_service.entry(store, stored["id"], outsider)


def test_the_teams_log_becomes_a_draft_monitoring_dataset_counted_by_hand(store):
    for change in (dict(strands=["race", "disability"], outcome="upheld", closed="2007-07-01"),
                   dict(received="2007-09-01", outcome="upheld", closed="2007-09-02"),
                   dict(received="2007-10-01", strands=["disability"]),
                   dict(kind="compliment", received="2008-01-05", strands=["age"], outcome="passed_on",
                        closed="2008-01-06"),
                   dict(received="2008-04-02")):  # the next year: not counted
        complaint_service.add(store, HR_STAFF, ACTOR, given(**change), TODAY)
    complaint_service.add(store, PP_STAFF, ACTOR, given(team=PP), TODAY)  # another team's: not counted
    docs = Documents(store)
    doc = complaint_service.make_dataset(store, docs, HR_LEAD, HR, "2007-08")
    assert (doc["kind"], doc["state"], doc["team"], doc["author"]) == ("monitoring", "draft", HR, "hr_lead")
    assert doc["title"] == "Complaints and compliments, Human Resources, 2007/08"
    assert [(r["measure"], r["strand"], r["group"], r["count"]) for r in doc["fields"]["rows"]] == [
        ("Complaints received", "disability", "Not yet closed", 1),
        ("Complaints received", "disability", "Upheld", 1),
        ("Complaints received", "race", "Upheld", 2),
        ("Compliments received", "age", "Passed on", 1)]
    assert {r["period"] for r in doc["fields"]["rows"]} == {"2007-08"}
    assert "screen" in policy.actions(docs.load(doc["id"]), HR_LEAD)  # the ordinary workflow from here


@pytest.mark.parametrize("who, team, period, refusal", [
    (HR_STAFF, HR, "2007-08", Forbidden), (PP_LEAD, HR, "2007-08", Forbidden), (BOARD, HR, "2007-08", NotFound),
    (HR_LEAD, HR, "2007/08", Invalid), (HR_LEAD, HR, "2005-06", Invalid)])
def test_only_the_teams_leader_or_the_head_count_a_period_that_has_entries(store, who, team, period, refusal):
    complaint_service.add(store, HR_STAFF, ACTOR, given(), TODAY)
    with pytest.raises(refusal):
        complaint_service.make_dataset(store, Documents(store), who, team, period)
    assert store.scan("documents") == []


def test_the_head_counts_any_teams_log_though_not_of_the_team(store):
    complaint_service.add(store, HR_STAFF, ACTOR, given(), TODAY)
    head = User("head", frozenset({"head"}), frozenset({"Race & Diversity Unit"}))
    doc = complaint_service.make_dataset(store, Documents(store), head, HR, "2007-08 Q1")
    assert (doc["team"], doc["author"], doc["state"]) == (HR, "head", "draft")
    assert [(r["period"], r["strand"], r["group"], r["count"]) for r in doc["fields"]["rows"]] == [
        ("2007-08 Q1", "race", "Not yet closed", 1)]
