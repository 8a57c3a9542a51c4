"""Whether a negative impact is intended is a question to be answered, never taken for No:
an EqIA whose answer is missing is not screened until it is given (the full assessment
asks for a justification only when the answer is Yes)."""
import pytest

from tests.conftest import HR, complete_eqia
from workflow import documents
from workflow.errors import Unmet
from workflow.kinds import eqia
from workflow.users import User

AUTHOR = User("author", frozenset({"staff"}), frozenset({HR}))


def _draft(fields):
    doc, _ = documents.create(AUTHOR, "eqia", "Recruitment", HR, fields)
    doc.update(id="1", version=1)
    return doc


def test_a_negative_impact_without_intended_answered_is_not_screened():
    fields = complete_eqia(negative=("age",))
    del fields["screening"]["age"]["intended"]
    doc = _draft(fields)
    gaps = [str(gap) for gap in eqia.screening_gaps(doc["fields"])]
    assert len(gaps) == 1 and "intended" in gaps[0] and "age" in gaps[0]
    with pytest.raises(Unmet):
        documents.transition(doc, AUTHOR, "screen")


@pytest.mark.parametrize("intended", [True, False])
def test_either_answer_lets_the_screening_be_done(intended):
    fields = complete_eqia(negative=("age",))
    fields["screening"]["age"]["intended"] = intended
    assert eqia.screening_gaps(_draft(fields)["fields"]) == []


def test_a_strand_without_a_negative_impact_needs_no_answer_on_intended():
    fields = complete_eqia(negative=())
    for answer in fields["screening"].values():
        del answer["intended"]
    assert eqia.screening_gaps(_draft(fields)["fields"]) == []
