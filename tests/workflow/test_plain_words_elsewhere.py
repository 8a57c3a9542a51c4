"""Every refusal outside the document kinds is in plain words as well: accounts, uploads, the
Equality Standard's target, training, strategic objectives, Board meetings, contact details and
progress. Each is provoked here, and its reason and every message by a field must read as a
sentence: no field path, no snake_case code, no "must be one of" a list of codes, no "YYYY"."""
import datetime as dt

import pytest

from tests.conftest import HR
from tests.workflow.test_plain_words import assert_plain
from workflow import accounts, actions, bodies, contact, documents, evidence_files, meetings, progress, standard
from workflow import strategy
from workflow import training
from workflow.errors import WorkflowError
from workflow.users import User

HEAD = User("head", frozenset({"head"}), frozenset({"Race and Diversity Unit"}), trained="2006-01-01")
UNTRAINED_HEAD = User("hd2", frozenset({"head"}))
LEAD = User("lead", frozenset({"team_leader"}), frozenset({HR}))
TODAY = dt.date(2007, 3, 1)
EMAIL = "name@example.org"  # the example an address is asked for in: an address, not a path


# Details that are data for API clients, not words: the state a document is in, the meeting's date;
# a stale version is told on a page by its own sentence with a reload link (templates/account/_form.html).
DATA = {"state", "date", "successor", "proposal", "version"}


def said(refusal):
    """The words a refusal shows a person: its reason and each message by a field (or listed)."""
    messages = [refusal.reason]
    for key, message in refusal.details.items():
        if key == "unmet":  # the rules' conditions, listed under the reason: clauses, not sentences
            messages.extend(Clause(condition) for condition in message)
        elif key not in DATA:
            messages.extend(message if isinstance(message, list) else [message])
    return messages


class Clause(str):
    """A condition of a rule listed as unmet ("the approver is not the author")."""


def assert_all_plain(messages):
    assert messages
    for message in messages:
        assert_plain(str(message).replace(EMAIL, "an address"), sentence=not isinstance(message, Clause))


def refusals(*calls):
    """The words of each call's refusal; a call that is not refused fails the test."""
    words = []
    for call in calls:
        with pytest.raises(WorkflowError) as refused:
            call()
        words.extend(said(refused.value))
    return words


def approved(doc_id, kind="eqia", state="approved", progress_entries=None):
    fields = {"progress": progress_entries} if progress_entries else {}
    doc, _ = documents.create(LEAD, kind, "Recruitment", HR, fields)
    doc.update(id=doc_id, version=1, state=state, revision=1)
    if state in ("approved", "reviewed"):
        doc["published"] = {"revision": 1, "state": state, "title": doc["title"], "fields": doc["fields"]}
    return doc


def test_every_refusal_of_an_account_is_in_plain_words():
    errors = [accounts.account_errors("bad name!", [], ["Team\nA"], "2099-13-01"),
              accounts.account_errors("ok", ["wizard"], [], "31/03/2007"),
              accounts.account_errors("ok", ["staff"], [], "2999-01-01"),
              accounts.email_errors("not an address"), accounts.password_errors("short"),
              accounts.password_errors("x" * 2000), accounts.coordinator_errors("a\tb")]
    messages = [message for found in errors for message in found.values()]
    assert len(messages) == 11
    assert_all_plain(messages + refusals(lambda: accounts.check_account("", [], [], None),
                                         lambda: accounts.refuse_own_account("ann", "ann", "change the roles of",
                                                                             "role")))


@pytest.mark.parametrize("name, data", [("big.pdf", b"%PDF-" + b"0" * evidence_files.MAX_BYTES), ("a.pdf", b""),
                                        ("page.html", b"<html>"), ("fake.pdf", b"not a pdf")])
def test_every_refusal_of_an_upload_is_in_plain_words(name, data):
    assert_all_plain(refusals(lambda: evidence_files.check(name, data)))


def test_the_standard_target_and_a_strategic_objective_are_refused_in_plain_words():
    errors = standard.check_settings({"target_level": 9, "target_date": "31/03/2008", "cost_per_level": -1})
    assert len(errors) == 3
    assert_all_plain(list(errors.values()) + refusals(lambda: strategy.check_strategic(0, "two\nlines")))


def test_every_refusal_of_a_training_entry_or_file_is_in_plain_words():
    entry = {"name": "", "group": "visitor", "course": "", "date": "May 2006", "team": "t" * 101}
    words = refusals(lambda: training.check(entry),
                     lambda: training.check({**entry, "name": "Jo", "date": "2007-03-02"}, today=TODAY),
                     lambda: training.check({"name": "Jo", "group": "staff", "course": "eqia", "date": "2006-01-01"},
                                            entered_by="jo"))
    text = ("name,group,course,date\n,visitor,,2006-02-30\nJo,staff,eqia,2006-01-01,extra,cells\n")
    for bad_file in (text, "", "name,date\nJo,2006-01-01\n"):
        words.extend(training.parse(bad_file)[1])
    assert len(words) > 12
    assert_all_plain(words)


def test_every_refusal_of_a_meeting_or_a_board_decision_is_in_plain_words():
    meeting = {"id": "1", "title": "Board", "date": "2007-03-01", "venue": None, "decisions": [],
               "items": [{"document": "7", "number": 1, "revision": 1, "title": "Recruitment", "kind": "eqia"}]}
    later = {**meeting, "date": "2007-04-01"}
    objective = approved("7", "objective", progress_entries=[{"period": "2006-07", "status": "green"}])
    words = refusals(
        lambda: meetings.new_meeting(LEAD, "Board", "2007-03-01"),
        lambda: meetings.new_meeting(HEAD, "", "1/3/2007", venue="a\nb"),
        lambda: meetings.add_item(meeting, approved("8"), LEAD),
        lambda: meetings.add_item(meeting, approved("8", state="draft"), HEAD),
        lambda: meetings.add_item(meeting, approved("7"), HEAD),
        lambda: meetings.check_recorder(LEAD),
        lambda: meetings.check_recorder(UNTRAINED_HEAD),
        lambda: meetings.decide(meeting, approved("7"), HEAD, "maybe", note=5, today=TODAY),
        lambda: meetings.decide(meeting, approved("7"), HEAD, "referred_back", today=TODAY),
        lambda: meetings.decide(later, approved("7"), HEAD, "noted", today=TODAY),
        lambda: meetings.decide(meeting, approved("8"), HEAD, "noted", today=TODAY),
        lambda: meetings.decide({**meeting, "decisions": [{"document": "7"}]}, approved("7"), HEAD, "noted",
                                today=TODAY),
        lambda: meetings.new_meeting(HEAD, "Board", "2007-03-01", body="the pub"),
        lambda: meetings.add_item(meeting, approved("8"), HEAD, number=1),
        lambda: meetings.add_item(meeting, approved("8"), HEAD, number="thirteen"),
        lambda: meetings.decide(meeting, approved("7"), HEAD, "noted", today=TODAY, agreed={"status": "red"}),
        lambda: meetings.decide(meeting, objective, HEAD, "noted", today=TODAY,
                                agreed={"period": "1999-00", "status": "purple", "reason": " "}))
    assert len(words) > 25
    assert_all_plain(words)


def test_every_refusal_of_an_action_or_a_body_is_in_plain_words():
    action = {"what": "Train", "team": HR, "due": "2008-03-31", "done": None, "history": []}
    words = refusals(
        lambda: actions.checked([{"what": " ", "team": "Nobody", "due": "31/3/2008"}], (HR,)),
        lambda: actions.checked("train everyone", (HR,)),
        lambda: actions.complete(action, User("other", frozenset({"team_leader"}), frozenset({"Other"})), "Done"),
        lambda: actions.complete(action, HEAD, " "),
        lambda: actions.complete({**action, "done": {"note": "x", "by": "head", "at": "2008-01-01"}}, HEAD, "Done"),
        lambda: bodies.renamed(bodies.DEFAULT, {bodies.EODB: ""}, "Full Authority\n"),
        lambda: bodies.renamed(bodies.DEFAULT, {bodies.SMT: "full authority"}))
    assert len(words) > 8
    assert_all_plain(words)


def test_every_refusal_of_contact_details_is_in_plain_words():
    assert_all_plain(refusals(lambda: contact.checked("", "", "not an address", "call me"),
                              lambda: contact.checked("u" * 201, "a\tb", "", "")))


def test_every_refusal_of_a_progress_entry_or_a_carry_forward_is_in_plain_words():
    objective = approved("7", "objective")
    assert_all_plain(refusals(lambda: progress.check_entry({"period": "2031-32 Q1"}, ["2007-08"]),
                              lambda: progress.check_entry({"period": "soon"}, ["2007-08"]),
                              lambda: progress.carried_forward(objective, HEAD, []),
                              lambda: progress.carried_forward(approved("7", "objective", "draft"), LEAD, []),
                              lambda: progress.carried_forward(objective, LEAD, [{"id": "9", "title": "Next"}])))
