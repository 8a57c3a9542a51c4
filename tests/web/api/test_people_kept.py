"""Who a bearer token stands for, and everyone a change's notices are worked out against,
are kept until tokens, people or the authority's settings change: a change to a document
works none of it out again, and a change to a person or a setting is seen at the next request."""
import pytest

from services import (
    account_service,
    audit_service,
    notice_service,
    settings_service,
    token_service,
)
from tests.conftest import HR, complete_eqia


@pytest.fixture
def counted(monkeypatch):
    """How many times each of token_service.lookup and notice_service.people has been worked out."""
    calls = {"lookup": 0, "people": 0}

    def counting(name, real):
        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(token_service, "lookup", counting("lookup", token_service.lookup))
    monkeypatch.setattr(notice_service, "people", counting("people", notice_service.people))
    return calls


def test_document_changes_look_up_neither_the_token_nor_everyone_again(api, counted):
    assert api.as_("hr_lead").get("/me").status_code == 200  # its first use today is written: tokens change
    doc = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "t", "team": HR,
                                                 "fields": complete_eqia()}).json
    assert counted == {"lookup": 2, "people": 1}
    for name in ("screen", "send_back", "screen", "send_back"):
        answer = api.as_("hr_lead").fire(doc, name, comment="Please add the evidence.")
        assert answer.status_code == 200, answer.json
        doc = answer.json
    assert counted == {"lookup": 2, "people": 1}


def test_a_change_to_a_person_is_seen_at_the_next_request(api, store, counted):
    assert api.as_("hr_staff").get("/me").json["roles"] == ["staff"]
    record = account_service.account_record(store, "hr_staff")
    account_service.update_account(store, audit_service.Actor("admin"), "hr_staff", record["version"], ["staff", "team_leader"], [HR], None)
    assert api.as_("hr_staff").get("/me").json["roles"] == ["staff", "team_leader"]
    account_service.set_active(store, audit_service.Actor("admin"), "hr_staff", False)
    assert api.as_("hr_staff").get("/me").status_code == 401


def test_switching_the_training_rule_is_seen_by_a_tokens_person_at_the_next_request(api, store):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "t", "team": HR,
                                                  "fields": complete_eqia()}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    assert api.as_("untrained_head").get("/me").status_code == 200  # its first use today is written
    assert api.as_("untrained_head").fire(doc, "approve").status_code == 422  # who they are is now kept
    settings_service.set_training_rule(store, False, by=audit_service.Actor("admin"))
    assert api.as_("untrained_head").fire(doc, "approve").json["state"] == "approved"


def test_a_team_leader_added_after_changes_is_told_of_the_next_screening(api, store, make_user, counted):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "t", "team": HR,
                                                  "fields": complete_eqia()}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "send_back", comment="Not yet.").json
    make_user("new_lead", "team_leader", teams=(HR,))
    api.as_("hr_staff").fire(doc, "screen")
    told = [n for n in store.scan(notice_service.NOTICES, {"user": "new_lead"}) if n["event"] == "screened"]
    assert len(told) == 1 and counted["people"] == 2
