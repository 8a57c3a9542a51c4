"""Nobody signs off a revision they wrote or changed: not only its creator, but whoever
edited it (API, pages, progress) or started it as a revision, nor its submitter."""
import pytest

from services.account_service import find_user
from services.document_service import DOCS
from store import Put
from tests.web.api.test_meetings_api import meeting, on_agenda
from tests.conftest import HR, complete_eqia
from workflow import machine
from workflow.errors import Invalid
from workflow.machine import WROTE_REVISION
from workflow.users import User

# lead_head leads Human Resources and is a trained Head: the person the rule is about.
WRITER = "lead_head"


def create(api, who="hr_staff", kind="eqia", fields=None):
    response = api.as_(who).post("/documents", {"kind": kind, "title": "Recruitment policy", "team": HR,
                                               "fields": complete_eqia() if fields is None else fields})
    assert response.status_code == 201, response.json
    return response.json


def fire(api, who, doc, *names):
    for name in names:
        response = api.as_(who).fire(doc, name)
        assert response.status_code == 200, response.json
        doc = response.json
    return doc


def edit(api, who, doc, **fields):
    response = api.as_(who).patch(f"/documents/{doc['id']}", {"version": doc["version"], "fields": fields})
    assert response.status_code == 200, response.json
    return response.json


def assert_refused_as_writer(api, doc, who=WRITER):
    response = api.as_(who).fire(doc, "approve")
    assert response.status_code == 422, response.json
    assert WROTE_REVISION in response.json["details"]["unmet"]
    assert "approve" not in api.as_(who).get(f"/documents/{doc['id']}").json["actions"]


def test_a_head_who_edited_a_draft_cannot_approve_it(api):
    doc = edit(api, WRITER, create(api), subject="Recruitment, rewritten by the Head")
    doc = fire(api, "hr_lead", doc, "screen", "assess")
    assert_refused_as_writer(api, doc)
    assert fire(api, "head", doc, "approve")["state"] == "approved"  # a Head who changed nothing may


def test_the_team_leader_who_starts_a_revision_cannot_approve_it(api):
    doc = fire(api, "head", fire(api, "hr_lead", create(api), "screen", "assess"), "approve")
    doc = fire(api, WRITER, doc, "revise")
    doc = edit(api, "hr_staff", doc, subject="Second revision")
    doc = fire(api, "hr_lead", doc, "screen", "assess")
    assert_refused_as_writer(api, doc)


def test_each_revision_has_its_own_writers(api):
    """Having written revision 1 does not bar signing off revision 2, which one did not touch."""
    doc = edit(api, WRITER, create(api), subject="First revision, edited by the Head")
    doc = fire(api, "head", fire(api, "hr_lead", doc, "screen", "assess"), "approve")
    doc = fire(api, "hr_lead", doc, "revise")
    doc = fire(api, "hr_lead", edit(api, "hr_staff", doc, subject="Second revision"), "screen")
    doc = fire(api, "hr_lead2", doc, "assess")
    assert fire(api, WRITER, doc, "approve")["revision"] == 2


def test_writing_progress_bars_signing_it_off(api):
    """Recording progress (the progress PUT) changes the revision's content like any edit."""
    doc = create(api, "hr_lead", "objective", {"heading": "The MPA as an Exemplary Employer", "theme": "Corporate Commitment",
                                              "action": "Monitor recruitment", "deadline": "Ongoing",
                                              "strands": ["race"], "leads": [HR], "outcomes": "Annual report"})
    assert api.as_("head").post("/periods", {"code": "2007-08"}).status_code == 201  # progress is of an opened period
    response = api.as_(WRITER).put(f"/documents/{doc['id']}/progress/2007-08",
                                   {"version": doc["version"], "status": "amber", "evidence": "the Head's words"})
    assert response.status_code == 200, response.json
    doc = fire(api, "hr_lead", response.json, "screen", "assess")
    assert_refused_as_writer(api, doc)


def test_saving_without_changes_does_not_count_as_writing(api):
    doc = create(api)
    doc = api.as_(WRITER).patch(f"/documents/{doc['id']}", {"version": doc["version"], "fields": {}}).json
    doc = fire(api, "hr_lead", doc, "screen", "assess")
    assert fire(api, WRITER, doc, "approve")["state"] == "approved"


def test_a_writer_cannot_be_assigned_as_approver(app, api, store):
    doc = fire(api, "hr_lead", edit(api, WRITER, create(api), subject="Edited by the Head"), "screen", "assess")
    service, lead = app.extensions["documents"], find_user(store, "hr_lead")
    with pytest.raises(Invalid) as refused:
        service.assign(doc["id"], lead, doc["version"], WRITER)
    assert WROTE_REVISION in refused.value.details["assignee"]
    assert service.assign(doc["id"], lead, doc["version"], "head")["assignee"]["name"] == "head"


def test_documents_stored_without_the_list_take_it_from_their_history(api, store):
    """A document saved before writers were recorded: the history's create and edit
    entries of the current revision name them."""
    doc = fire(api, "hr_lead", edit(api, WRITER, create(api), subject="Edited by the Head"), "screen", "assess")
    stored = store.get(DOCS, doc["id"])
    legacy = {key: value for key, value in stored.items() if key not in ("contributors", "id", "version")}
    [doc] = store.commit([Put(DOCS, doc["id"], legacy, expected_version=stored["version"])])
    assert_refused_as_writer(api, doc)
    assert fire(api, "head", doc, "approve")["state"] == "approved"


def test_recording_the_boards_referral_is_not_writing_the_revision(api):
    """The Head minuting the Board's referral starts the revision by the Board's decision, not as its writer."""
    doc = fire(api, "head", fire(api, "hr_lead", create(api), "screen", "assess"), "approve")
    held = meeting(api)
    on_agenda(api, held["id"], doc)
    referred = api.as_(WRITER).post(f"/meetings/{held['id']}/decisions",
                                    {"document": doc["id"], "decision": "referred_back", "note": "Consult."})
    assert referred.status_code == 200, referred.json
    doc = api.as_("hr_lead").get(f"/documents/{doc['id']}").json
    doc = fire(api, "hr_lead", edit(api, "hr_staff", doc, subject="As the Board asked"), "screen", "assess")
    assert fire(api, WRITER, doc, "approve")["revision"] == 2


def test_the_machine_itself_refuses_a_writer_whatever_the_caller_checked():
    """The backstop behind the policy: machine.fire does not approve for a writer of the revision."""
    head = User("helen", frozenset({"head"}), frozenset({HR}), "2006-01-01")
    doc = {"kind": "eqia", "state": "assessed", "author": "sam", "submitter": "lee", "team": HR,
           "fields": complete_eqia(), "contributors": ["sam", "helen"]}
    assert machine.fire(doc, "approve", head) is None
    assert machine.fire({**doc, "contributors": ["sam"]}, "approve", head) == "approved"
