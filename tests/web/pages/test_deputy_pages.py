"""The Deputy approvers page: a Head names a trained deputy for a range of dates, the deputy
signs off as deputy (and the document's history says so), and a Head ends the naming; each
step is in the audit log."""
import datetime as dt

from services import audit_service, deputy_service
from tests.conftest import HR, complete_eqia
from tests.web.browsing import sign_in
from workflow import deputies


def day(offset=0):
    return (deputies.today() + dt.timedelta(days=offset)).isoformat()  # now, not at import: a run may cross midnight


def submitted(api):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Recruitment EqIA", "team": HR,
                                                  "fields": complete_eqia()}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    return api.as_("hr_lead").fire(doc, "assess").json


def name_deputy(client, person="dee", start=0, end=13):
    sign_in(client, "head")
    return client.post("/deputies", data={"person": person, "from": day(start), "to": day(end)})


def logged(store, action):
    return [item for item in audit_service.entries(store) if item["kind"] == "deputy" and item["action"] == action]


def test_a_named_deputy_signs_off_and_the_history_says_as_whose_deputy(client, api, make_user, store):
    make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    doc = submitted(api)
    sign_in(client, "head")
    assert 'value="dee"' in client.get("/deputies").text  # offered
    named = name_deputy(client)
    assert named.status_code == 302, named.text
    assert "In effect" in client.get("/deputies").text
    assert [item["subject"] for item in logged(store, "named")] == ["dee"]
    sign_in(client, "dee")
    signed = client.post(f"/documents/{doc['id']}/transitions/approve", data={"version": doc["version"]})
    assert signed.status_code == 302, signed.text
    page = client.get(f"/documents/{doc['id']}").text
    assert (f"signed it off as deputy for the Head of Race and Diversity (named by head, "
            f"{deputies.span(day(0), day(13))})") in page


def test_an_ended_naming_signs_off_nothing_more(client, api, make_user, store):
    make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    doc = submitted(api)
    name_deputy(client)
    key = store.scan(deputies.DEPUTIES)[0]["id"]
    ended = client.post(f"/deputies/{key}/end")
    assert ended.status_code == 302
    assert "Ended by head" in client.get("/deputies").text
    assert [item["subject"] for item in logged(store, "ended")] == ["dee"]
    sign_in(client, "dee")
    refused = client.post(f"/documents/{doc['id']}/transitions/approve", data={"version": doc["version"]})
    assert refused.status_code == 404  # no longer theirs to see


def test_a_head_cannot_name_themself_nor_an_untrained_person_and_nothing_is_stored(client, api, store):
    for person in ("head", "hr_staff", "board", "nobody"):
        refused = name_deputy(client, person)
        assert refused.status_code == 422 and 'id="person-error"' in refused.text
    refused = name_deputy(client, "hr_lead", start=5, end=1)
    assert refused.status_code == 422 and 'id="to-error"' in refused.text
    assert store.scan(deputies.DEPUTIES) == [] and logged(store, "named") == []


def test_only_a_head_names_a_deputy(client, api, store):
    sign_in(client, "hr_lead")
    assert client.get("/deputies").status_code == 403
    refused = client.post("/deputies", data={"person": "pp_lead", "from": day(), "to": day(3)})
    assert refused.status_code == 403 and store.scan(deputies.DEPUTIES) == []
    sign_in(client, "admin")
    page = client.get("/deputies")
    assert page.status_code == 200 and "Name the deputy" not in page.text


def test_the_candidates_offered_are_those_a_head_may_name(api, store):
    head = deputy_service.account_service.find_user(store, "head")
    # Trained, neither a Head nor a Board member, not the Head themself.
    assert deputy_service.candidates(store, head) == ["hr_lead"]


def test_a_deputys_sign_off_through_the_api_is_recorded_alike(client, api, make_user):
    api.tokens["dee"] = make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    doc = submitted(api)
    name_deputy(client)
    signed = api.as_("dee").fire(doc, "approve")
    assert signed.status_code == 200 and signed.json["state"] == "approved"
    last = api.as_("dee").get(f"/documents/{doc['id']}/history").json["items"][-1]
    assert last["action"] == "approve" and last["as_deputy"] == {
        "for": deputies.ACTING_FOR, "named_by": "head", "from": day(0), "to": day(13)}


def test_a_deputy_is_told_of_and_finds_on_my_work_what_awaits_sign_off(client, api, make_user, store):
    make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    name_deputy(client)
    doc = submitted(api)  # submitted while the naming is in effect
    sign_in(client, "dee")
    mine = client.get("/").text
    assert "Waiting for sign-off, no approver assigned" in mine and f"/documents/{doc['id']}" in mine
    assert any(notice["document"] == doc["id"] and notice["event"] == "submitted"
               for notice in store.scan("notices", {"user": "dee"}))


def test_a_named_deputy_is_offered_as_an_approver_to_assign(client, api, make_user):
    make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    doc = submitted(api)
    sign_in(client, "head")
    assert '<option value="dee"' not in client.get(f"/documents/{doc['id']}").text
    name_deputy(client)
    assert '<option value="dee"' in client.get(f"/documents/{doc['id']}").text
    assigned = client.post(f"/documents/{doc['id']}/assign", data={"version": doc["version"], "assignee": "dee"})
    assert assigned.status_code == 302


# Who a session or a bearer token stands for is kept between requests (account_service.KeptPeople):
# a naming made, ended or taking effect must reach a person already signed in, through every door.
# A token's first use of a day is recorded (a commit to the tokens): each test uses it twice first.

def test_a_token_kept_while_its_person_was_deputy_signs_off_nothing_once_the_naming_ends(client, api, make_user,
                                                                                         store):
    api.tokens["dee"] = make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    doc = submitted(api)
    name_deputy(client)
    for _ in range(2):
        assert api.as_("dee").get(f"/documents/{doc['id']}").status_code == 200  # as deputy, kept so
    ended = client.post(f"/deputies/{store.scan(deputies.DEPUTIES)[0]['id']}/end")
    assert ended.status_code == 302
    assert api.as_("dee").fire(doc, "approve").status_code == 404
    assert api.as_("head").get(f"/documents/{doc['id']}").json["state"] == doc["state"]


def test_a_session_kept_while_its_person_was_deputy_signs_off_nothing_once_the_naming_ends(app, client, api,
                                                                                           make_user, store):
    make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    doc = submitted(api)
    name_deputy(client)
    dee = app.test_client()
    sign_in(dee, "dee")
    assert dee.get(f"/documents/{doc['id']}").status_code == 200  # as deputy, kept so
    assert client.post(f"/deputies/{store.scan(deputies.DEPUTIES)[0]['id']}/end").status_code == 302
    refused = dee.post(f"/documents/{doc['id']}/transitions/approve", data={"version": doc["version"]})
    assert refused.status_code == 404
    assert api.as_("head").get(f"/documents/{doc['id']}").json["state"] == doc["state"]


def test_a_token_kept_before_its_person_was_named_signs_off_once_named(client, api, make_user):
    api.tokens["dee"] = make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    doc = submitted(api)
    for _ in range(2):
        assert api.as_("dee").get(f"/documents/{doc['id']}").status_code == 404  # not theirs, kept so
    name_deputy(client)
    signed = api.as_("dee").fire(doc, "approve")
    assert signed.status_code == 200 and signed.json["state"] == "approved"


def test_a_naming_from_tomorrow_takes_effect_tomorrow_for_a_session_kept_today(app, client, api, make_user,
                                                                               monkeypatch):
    make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    doc = submitted(api)
    assert name_deputy(client, start=1, end=3).status_code == 302
    dee = app.test_client()
    sign_in(dee, "dee")
    assert dee.get(f"/documents/{doc['id']}").status_code == 404  # not yet: kept so today
    tomorrow = deputies.today() + dt.timedelta(days=1)
    monkeypatch.setattr(deputies, "today", lambda: tomorrow)  # no commit tells of a new day
    signed = dee.post(f"/documents/{doc['id']}/transitions/approve", data={"version": doc["version"]})
    assert signed.status_code == 302, signed.text
    assert api.as_("head").get(f"/documents/{doc['id']}").json["state"] == "approved"


def test_a_deputy_named_after_notices_were_worked_out_is_told_of_the_next_submission(client, api, make_user, store):
    make_user("dee", "staff", teams=("Planning & Performance",), trained="2006-02-01")
    submitted(api)  # each change's notices worked out against everyone, who are kept
    name_deputy(client)
    doc = submitted(api)
    assert any(notice["document"] == doc["id"] and notice["event"] == "submitted"
               for notice in store.scan("notices", {"user": "dee"}))
