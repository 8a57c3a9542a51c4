"""Every message a person may be shown about a document's fields or steps is a sentence in
plain words: no field path ("full_assessment.evidence"), no code ("send_back", "amber_green"),
no state code ("a document in state approved"), no "invalid fields"."""
import itertools
import re

import pytest

from tests.conftest import HR, PP, RDU
from workflow import documents, machine, policy
from workflow.errors import WorkflowError
from workflow.kinds import KINDS
from workflow.users import User

PATH = re.compile(r"\b[a-z]+\.[a-z0-9_]+\b")  # screening.age, fields.review_date
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # snake_case: review_date, send_back, amber_green
SYSTEM_WORDS = re.compile(r"\bin state\b|invalid fields|\bmust be (text|an object|a list|true)\b"
                          r"|YYYY|\bis not possible from\b|\bmay be fired\b")


def assert_plain(message, sentence=True):
    """`sentence`: it begins as a sentence does (a capital, a figure or a quotation); the rules'
    conditions listed as unmet ("the approver is not the author") are clauses, not sentences."""
    assert isinstance(message, str) and (not sentence or re.match(r"[A-Z0-9“]", message)), message
    assert not PATH.search(message), message
    assert not CODE.search(message), message
    assert not SYSTEM_WORDS.search(message), message


# Values of the wrong type or out of range for every field and sub-field of every kind.
BAD = (12345, True, "", "x" * 20_001, "not a choice ☃", [], [12], [{"unknown": 1}], {"unknown": 1}, "line\nbreak")
NESTED = {
    "eqia": [{"screening": {"age": {"impact": "awful", "differential": "yes", "intended": 3, "evidence": 4}}},
             {"screening": {"wealth": {}}}, {"screening": []},
             {"full_assessment": {"mitigations": [{"strand": "wealth", "action": 1, "owner": "o" * 201,
                                                   "deadline": "soon", "done": "no", "colour": 1}],
                                  "outcome": "maybe", "evidence": 1}}],
    "objective": [{"progress": [{"status": "purple", "period": "1066"}, {"status": "green"}]},
                  {"progress": [{"period": "2007-08", "status": "red"}, {"period": "2007-08", "status": "red"}]},
                  {"progress": [{"period": "2007-08", "status": "red"}, {"period": "2008-09", "status": "green"}]},
                  {"source": {"plan": 1, "ref": "r" * 101}}],
    "team_plan": [{"targets": [{"objectives": ["x"], "deadline": "soon", "strands": ["wealth"], "owner": 1}]}],
    "report": [{"sections": [{"strategic": 0, "status": "purple", "rolled_up_from": -1}],
                "eqia_appendix": [{"id": "x", "approved_at": "soon", "strand_set": "x"}],
                "training": {"staff": -1, "as_of": "soon"}}],
    "standard_cell": [{"evidence": [{"document": "x", "link": "ftp://x", "file": "../x"}],
                       "verification": {"status": "x", "date": "soon"}}],
    "plan_review": [{"assessments": [{"factor": 1, "rating": "mostly", "evidence": 2, "extra": 3}], "due": "soon"}],
    "plan_succession": [{"first_year": "2009-10", "last_year": "2007-08"}, {"carried": ["x", 1]},
                        {"factors": [1, ""], "first_year": "2007-08 Q1"}],
    "monitoring": [{"rows": [{"measure": 1, "period": "1066", "strand": "wealth", "group": "a\nb", "count": -1,
                              "extra": 1}, {"count": 2.5}, {"measure": "Applicants"}]}],
}


def field_messages(kind):
    for key, value in itertools.product(kind.SPEC if hasattr(kind, "SPEC") else kind._spec(("age",)), BAD):
        yield from kind.validate({key: value}).values()
    for fields in NESTED[kind.NAME]:
        yield from kind.validate(fields).values()


@pytest.mark.parametrize("name", KINDS)
def test_every_field_message_of_every_kind_is_a_plain_sentence(name):
    messages = list(field_messages(KINDS[name]))
    assert len(messages) > 20
    for message in messages:
        assert_plain(message)


# Fields that leave every gap open: blank, or (EqIA) a negative impact, intended, with nothing else.
GAPPY = {"eqia": {"screening": {"age": {"impact": "negative"}, "race": {"impact": "negative", "intended": True}}},
         "standard_cell": {"self_assessed": "met", "evidence": [{"description": "d"}],
                           "verification": {"status": "verified"}},
         "team_plan": {"targets": [{"target": "t"}]},
         "plan_review": {"assessments": [{"factor": "f"}]}}


@pytest.mark.parametrize("name", KINDS)
def test_every_gap_of_every_kind_is_a_plain_sentence_naming_its_field(name):
    kind, fields = KINDS[name], GAPPY.get(name, {})
    gaps = kind.screening_gaps({}) + kind.screening_gaps(fields) + kind.submission_gaps(fields)
    assert gaps
    for gap in gaps:
        assert_plain(gap.words)
        assert gap.field is None or kind.validate({gap.field.split(".")[0]: None}) == {}  # a field of the kind


LEAD = User("lead", frozenset({"team_leader"}), frozenset({HR}))
PEOPLE = (LEAD, User("staff", frozenset({"staff"}), frozenset({HR})),
          User("head", frozenset({"head", "team_leader"}), frozenset({RDU}), trained="2006-01-01"),
          User("other", frozenset({"team_leader"}), frozenset({PP})), User("board", frozenset({"eodb"})))


@pytest.mark.parametrize("state", machine.STATES)
def test_every_refusal_of_a_step_or_an_edit_is_in_plain_words(state):
    doc, _ = documents.create(LEAD, "eqia", "Recruitment", HR, {})
    doc.update(id="1", version=1, state=state, submitter="lead", author="lead")
    if state in machine.PUBLISHED_STATES:
        doc["published"] = {"revision": 1, "state": state, "title": doc["title"], "fields": doc["fields"]}
    said = []
    for person, name in itertools.product(PEOPLE, machine.BY_NAME):
        for call, args in ((policy.check_transition, (doc, person, name, None)),
                           (policy.check_edit, (doc, person, ["screening"]))):
            try:
                call(*args)
            except WorkflowError as refused:
                said.append(refused.reason)
                said.extend(refused.details.get("unmet", []))
    assert said
    for message in said:
        assert_plain(message, sentence=message not in RULE_WORDS)


RULE_WORDS = {rule.words for t in machine.TRANSITIONS for rule in (*t.who, *t.guards)}
