"""The Chief Executive signs off what a Head wrote or changed, under the approver's rules
(DESIGN.md roles), and nothing else."""
import pytest

from tests.conftest import HR, RDU, complete_eqia
from workflow import documents, machine, policy
from workflow.errors import Forbidden, Invalid, Unmet
from workflow.users import User
from workflow.notices import Directory, after_change
from workflow.worklist import work

HEAD = User("head", frozenset({"head", "staff"}), frozenset({RDU}), trained="2006-01-01")
RDU_STAFF = User("rdu_staff", frozenset({"staff"}), frozenset({RDU}))
RDU_LEAD = User("rdu_lead", frozenset({"team_leader"}), frozenset({RDU, HR}))
HR_STAFF = User("hr_staff", frozenset({"staff"}), frozenset({HR}))
CHIEF = User("chief", frozenset({"chief_executive"}), trained="2006-02-01")
UNTRAINED_CHIEF = User("chief", frozenset({"chief_executive"}))


def submitted(author, team, editor=None):
    """A document `author` wrote (and `editor` changed), submitted by a team leader."""
    doc, _ = documents.create(author, "eqia", "Progress report", team, complete_eqia())
    doc.update(id="1", version=1)
    if editor is not None:
        doc, _ = documents.edit(doc, editor, title="Progress report, changed")
    doc.update(state="assessed", submitter=RDU_LEAD.name)
    return doc


def test_the_chief_executive_signs_off_what_the_head_wrote_and_the_head_cannot():
    doc = submitted(HEAD, RDU)
    with pytest.raises(Unmet):
        documents.transition(doc, HEAD, "approve")
    updated, _ = documents.transition(doc, CHIEF, "approve")
    assert updated["state"] == "approved" and updated["published"]["approved_by"] == "chief"


def test_a_document_the_head_changed_is_the_chief_executives_to_sign_off():
    doc = submitted(RDU_STAFF, RDU, editor=HEAD)
    assert policy.actions(doc, CHIEF) == ["approve"]
    assert "approve" not in policy.actions(doc, HEAD)


def test_the_chief_executive_signs_off_nothing_the_head_did_not_write():
    doc = submitted(HR_STAFF, HR)
    assert policy.view(doc, CHIEF) is None  # not theirs to see while it is a working copy
    with pytest.raises(Forbidden):
        documents.transition({**doc}, User("chief", frozenset({"chief_executive", "staff"}), frozenset({HR}),
                                           trained="2006-02-01"), "approve")


@pytest.mark.parametrize("chief, changes", [
    (UNTRAINED_CHIEF, {}),
    (CHIEF, {"submitter": "chief"}),
    (CHIEF, {"author": "chief"}),
    (CHIEF, {machine.CONTRIBUTORS: ["head", "chief"]}),
])
def test_the_chief_executive_is_held_to_the_approvers_rules(chief, changes):
    doc = {**submitted(HEAD, RDU), **changes}
    with pytest.raises(Unmet):
        documents.transition(doc, chief, "approve")


def next_revision(doc):
    approved, _ = documents.transition(doc, CHIEF, "approve")
    revised, _ = documents.transition(approved, RDU_LEAD, "revise")
    revised.update(state="assessed", submitter="someone")
    return revised


def test_a_new_revision_of_what_the_head_only_changed_goes_back_to_the_head():
    revised = next_revision(submitted(RDU_STAFF, RDU, editor=HEAD))
    assert "approve" not in policy.actions(revised, CHIEF)
    assert "approve" in policy.actions(revised, HEAD)


def test_every_revision_of_what_the_head_authored_is_the_chief_executives():
    revised = next_revision(submitted(HEAD, RDU))
    assert "approve" in policy.actions(revised, CHIEF)
    assert "approve" not in policy.actions(revised, HEAD)


def test_a_document_the_head_wrote_may_be_assigned_to_the_chief_executive_only():
    updated, _ = documents.assign(submitted(HEAD, RDU), RDU_LEAD, CHIEF, "2008-02-01")
    assert updated["assignee"]["name"] == "chief"
    with pytest.raises(Invalid):
        documents.assign(submitted(HEAD, RDU), RDU_LEAD, HEAD)  # the Head wrote it
    with pytest.raises(Invalid):
        documents.assign(submitted(HR_STAFF, HR), RDU_LEAD, CHIEF)  # no Head wrote it


def test_my_work_lists_what_awaits_the_chief_executives_sign_off():
    mine, others = submitted(HEAD, RDU), {**submitted(HR_STAFF, HR), "id": "2"}
    listed = {s.key: [item.doc["id"] for item in s.items] for s in work([mine, others], CHIEF).sections}
    assert listed["to_sign_off"] == ["1"]


@pytest.mark.parametrize("author, team, told", [(HEAD, RDU, ["chief"]), (RDU_STAFF, RDU, ["head"])])
def test_submission_tells_whoever_may_sign_it_off(author, team, told):
    doc, _ = documents.create(author, "eqia", "Progress report", team, complete_eqia())
    screened, _ = documents.transition({**doc, "id": "1", "version": 1}, author, "screen")
    submitted_doc, entry = documents.transition(screened, RDU_LEAD, "assess")
    notices = after_change(screened, submitted_doc, entry, Directory([HEAD, CHIEF, RDU_LEAD, RDU_STAFF]))
    assert sorted(notice.user for notice in notices) == told
