"""A document the lone Head wrote before the app kept who of the Heads wrote it (machine.HEAD_WROTE)
is still the Chief Executive's to sign off, as its history shows, without sending it back."""
from store import Put
from tests.conftest import HR, Api
from tests.web.browsing import sign_in
from tests.web.test_parity_documents import OBJECTIVE
from services.document_service import DOCS
from workflow import machine


def stored_without_head_wrote(store, doc_id):
    record = store.get(DOCS, doc_id)
    older = {key: value for key, value in record.items() if key != machine.HEAD_WROTE}
    return store.commit([Put(DOCS, doc_id, older, expected_version=record["version"])])[0]["version"]


def heads_report(client, make_user, store):
    tokens = {"head": make_user("head", "head", "team_leader", teams=(HR,), trained="2006-01-01"),
              "hr_lead": make_user("hr_lead", "team_leader", teams=(HR,), trained="2006-05-10"),
              "chief": make_user("chief", "chief_executive", trained="2006-04-01")}
    api = Api(client, tokens)
    doc = api.as_("head").post("/documents", {"kind": "objective", "title": "The Head's report", "team": HR,
                                              "fields": OBJECTIVE}).json
    for name in ("screen", "assess"):
        doc = api.as_("hr_lead").fire(doc, name).json
    return api, {**doc, "version": stored_without_head_wrote(store, doc["id"])}


def test_the_chief_executive_signs_off_what_the_lone_head_wrote_before_it_was_recorded(client, make_user, store):
    api, doc = heads_report(client, make_user, store)
    assert machine.HEAD_WROTE not in store.get(DOCS, doc["id"])
    seen = api.as_("chief").get(f"/documents/{doc['id']}")
    assert seen.status_code == 200 and seen.json["actions"] == ["approve"]
    assert api.as_("head").fire(doc, "approve").status_code == 422  # not the author's to sign off
    signed = api.as_("chief").fire(doc, "approve")
    assert signed.status_code == 200 and signed.json["state"] == "approved"


def test_the_chief_executives_my_work_offers_it(client, make_user, store):
    heads_report(client, make_user, store)
    sign_in(client, "chief")
    page = client.get("/").text
    assert "The Head&#39;s report" in page or "The Head's report" in page
