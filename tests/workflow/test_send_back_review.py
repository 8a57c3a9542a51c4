"""Reviewing a resubmission: a send-back keeps what was sent back, who may see it and
for how long, and the history of edits said in words (DESIGN: history is never rewritten)."""
from functools import partial

import pytest

from tests.conftest import HR, RDU, complete_eqia
from workflow import compare, documents, policy, strands
from workflow.kinds import eqia, objective, report, standard_cell, team_plan
from workflow.users import User

AUTHOR = User("hr_staff", frozenset({"staff"}), frozenset({HR}))
LEAD = User("hr_lead", frozenset({"team_leader"}), frozenset({HR}), trained="2006-01-01")
HEAD = User("head", frozenset({"head"}), frozenset({RDU}), trained="2006-01-01")
BOARD = User("board", frozenset({"eodb"}), frozenset(), trained="2006-01-01")
OTHER_TEAM = User("pp_lead", frozenset({"team_leader"}), frozenset({"Planning & Performance"}))


def step(doc, user, name, comment=None):
    updated, _ = documents.transition(doc, user, name, comment)
    return {**updated, "id": "1", "version": doc.get("version", 1) + 1}


def drafted():
    doc, _ = documents.create(AUTHOR, "eqia", "Recruitment", HR, complete_eqia())
    return {**doc, "id": "1", "version": 1}


def submitted():
    return step(step(drafted(), AUTHOR, "screen"), LEAD, "assess")


def test_a_send_back_keeps_the_comment_and_exactly_what_was_sent_back():
    doc = submitted()
    returned = step(doc, HEAD, "send_back", "  The evidence is thin  ")
    kept = returned["sent_back"]
    assert (kept["by"], kept["comment"], kept["revision"]) == ("head", "The evidence is thin", 1)
    assert (kept["title"], kept["fields"]) == (doc["title"], doc["fields"])
    # A copy, not the working fields: correcting them leaves the snapshot as it was sent back.
    edited, _ = documents.edit(returned, AUTHOR, changes={"full_assessment": {
        **returned["fields"]["full_assessment"], "evidence": "Monitoring data for 2007"}})
    assert edited["sent_back"]["fields"]["full_assessment"]["evidence"] == "data"


def test_what_was_sent_back_stays_through_the_resubmission_for_the_head_to_compare():
    returned = step(submitted(), HEAD, "send_back", "Thin")
    resubmitted = step(step(returned, AUTHOR, "screen"), LEAD, "assess")
    assert resubmitted["returned"] is None  # the author's My work no longer lists it as sent back
    for user in (HEAD, LEAD, AUTHOR):
        assert policy.sent_back_of(resubmitted, user)["comment"] == "Thin"


def test_only_those_who_see_the_working_copy_see_what_was_sent_back():
    returned = step(submitted(), HEAD, "send_back", "Thin")
    assert policy.sent_back_of(returned, OTHER_TEAM) is None
    assert policy.sent_back_of(returned, BOARD) is None
    assert policy.sent_back_of(returned, None) is None


def test_once_signed_off_or_in_a_new_revision_the_send_back_is_no_longer_shown():
    returned = step(submitted(), HEAD, "send_back", "Thin")
    approved = step(step(step(returned, AUTHOR, "screen"), LEAD, "assess"), HEAD, "approve")
    # Approved, the document is every signed-in reader's: the draft sent back never was.
    assert all(policy.sent_back_of(approved, user) is None for user in (HEAD, LEAD, BOARD))
    revising = step(approved, LEAD, "revise")
    assert policy.sent_back_of(revising, LEAD) is None  # revision 2 was never sent back
    # A reader of the approved revision, while revision 2 is under way, is told nothing of it.
    assert "sent_back" in revising and "sent_back" not in policy.as_seen(revising, BOARD)


def test_an_edit_records_which_parts_of_a_field_changed():
    doc = drafted()
    assessment = {**doc["fields"]["full_assessment"], "evidence": "more", "mitigations": []}
    _, entry = documents.edit(doc, AUTHOR, "Recruitment 2008", {"full_assessment": assessment,
                                                                "review_date": "2009-01-01"})
    assert entry["changed"] == ["title", "full_assessment.evidence", "full_assessment.mitigations", "review_date"]
    assert compare.edit_words(entry) == ("Changed the title; the full assessment: evidence, mitigating actions; "
                                         "the review date")
    assert entry["comment"] == "changed title, full_assessment, review_date"  # as before, for API readers


@pytest.mark.parametrize("comment, words", [
    ("changed full_assessment", "Changed the full assessment"),
    ("changed title, screening, review_date", "Changed the title; the screening; the review date"),
    ("saved without changes", "Saved without changes"),
])
def test_edits_recorded_before_the_parts_were_kept_are_said_in_words(comment, words):
    assert compare.edit_words({"action": "edit", "comment": comment}) == words


def _field_names(spec):
    """Every field name a kind's validators accept, records' fields included."""
    names = set()
    for name, check in spec.items():
        names.add(name)
        if isinstance(check, partial) and isinstance(check.keywords.get("spec"), dict):
            names |= _field_names(check.keywords["spec"])
    return names


SPECS = {"eqia": eqia._spec(strands.ALL), "objective": {**objective.SPEC, **objective.PROGRESS_SPEC},
         "team_plan": team_plan.SPEC, "report": report.SPEC, "standard_cell": standard_cell.SPEC}


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_field_of_every_kind_is_named_in_words(kind):
    """A comparison or the history never shows a person a field's code."""
    for name in _field_names(SPECS[kind]):
        if name not in strands.LABELS:
            assert name in compare.WORDS, f"{kind}: say {name!r} in words in workflow.compare.WORDS"
        words = compare.field_words(f"{name}.0.{name}")
        assert "_" not in words and "." not in words and "0" not in words, words


def test_a_draft_sent_back_before_the_snapshot_was_kept_still_says_why():
    returned = step(submitted(), HEAD, "send_back", "Thin")
    del returned["sent_back"]  # as stored before send-backs kept what was sent back
    assert policy.sent_back_of(returned, AUTHOR) == {"by": "head", "at": returned["returned"]["at"], "comment": "Thin"}
    assert policy.sent_back_of(returned, BOARD) is None
    assert policy.sent_back_of(step(returned, AUTHOR, "screen"), AUTHOR) is None  # nothing kept to say by then
