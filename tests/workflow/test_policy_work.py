"""How often the policy works out who sees a document's working copy while answering one
question: a transition asks check_transition, then the API's answer asks actions, each on
the document a request holds. The answers themselves are the other tests' (authorization
matrix, approved revision); here, that asking them does not repeat the same rule.
"""
import pytest

from tests.workflow.test_approved_revision import APPROVED_READERS, STAGES, WORKING_COPY_READERS, revised, user
from workflow import machine, policy


@pytest.fixture
def asked(monkeypatch):
    """How many times sees_working_copy is asked, counted as the policy calls it."""
    calls = []
    rule = policy.sees_working_copy
    monkeypatch.setattr(policy, "sees_working_copy", lambda doc, who: calls.append(doc) or rule(doc, who))
    return calls


@pytest.mark.parametrize("name", WORKING_COPY_READERS + APPROVED_READERS)
@pytest.mark.parametrize("stage", STAGES)
def test_actions_ask_who_sees_the_working_copy_once(asked, stage, name):
    doc = revised(stage)
    policy.actions(doc, user(name))
    assert len(asked) == (0 if user(name) is None else 1)


@pytest.mark.parametrize("name", WORKING_COPY_READERS + APPROVED_READERS)
@pytest.mark.parametrize("stage", STAGES)
def test_checking_a_step_asks_who_sees_the_working_copy_once(asked, stage, name):
    """Once for the document itself; a reader of the approved revision once more, as policy.as_seen
    gives them that revision, which they see whole and are answered from without asking again."""
    doc = revised(stage)
    expected = 2 if name in APPROVED_READERS and user(name) is not None else 1  # the public is refused first
    for step in machine.FROM_STATE[doc["state"]]:
        asked.clear()
        try:
            policy.check_transition(doc, user(name), step.name, "why")
        except policy.WorkflowError:
            pass
        assert len(asked) == expected, step.name


@pytest.mark.parametrize("name", WORKING_COPY_READERS + APPROVED_READERS)
def test_a_view_of_a_document_never_approved_asks_who_sees_the_working_copy_once(asked, name):
    """The view asks again only whether to name the approved revision, which this has none of."""
    doc = {**revised("sent back"), "revision": 1, "published": None}
    policy.view(doc, user(name))
    assert len(asked) == 1


@pytest.mark.parametrize("name", WORKING_COPY_READERS + APPROVED_READERS)
@pytest.mark.parametrize("stage", STAGES)
def test_actions_build_no_refusal_they_do_not_show(monkeypatch, stage, name):
    """Steps `user` may not take are left out of actions and pending: no refusal is worded for them."""
    worded = []
    only = policy._only
    monkeypatch.setattr(policy, "_only", lambda t: worded.append(t.name) or only(t))
    policy.actions(revised(stage), user(name))
    policy.pending(revised(stage), user(name))
    assert worded == []
