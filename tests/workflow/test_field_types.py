"""Every field of every kind, given a JSON value of the wrong type (anywhere in it), is
refused with a field error; validation never raises (a 500 on the API and the pages)."""
import pytest

from tests.conftest import complete_eqia
from workflow import kinds, strands
from workflow.kinds import eqia

# One of each JSON type, and containers holding each: whatever a client can send.
SCALARS = [None, True, False, 0, -1, 10 ** 30, 1.5, "", "x", "²", "9999-00"]
WRONG = SCALARS + [[], {}, [None], [[]], [{}], {"a": None}, {"a": []}, {"a": {}}, [{"period": []}],
                   [{"period": "2007-08", "status": []}], [{"strand": {}, "action": []}], {"race": []},
                   {"race": {"impact": []}}, {"race": {"impact": {}, "differential": []}}]


def field_names(kind):
    spec = kind._spec(strands.SETS[strands.DEFAULT].strands) if kind is eqia else kind.SPEC
    return sorted(spec)


CASES = [(name, field) for name, kind in kinds.KINDS.items() for field in field_names(kind)]


@pytest.mark.parametrize("kind_name, field", CASES)
def test_a_value_of_any_type_in_any_field_is_a_field_error_not_a_crash(kind_name, field):
    kind = kinds.KINDS[kind_name]
    current = complete_eqia() if kind is eqia else {}
    for value in WRONG:
        for errors in (kind.validate({field: value}), kind.validate({field: value}, current)):
            assert isinstance(errors, dict)


@pytest.mark.parametrize("value", [["ea2010"], {"name": "ea2010"}, 1, True, 1.5, "nonsense"])
def test_a_strand_set_that_is_no_name_is_refused(value):
    assert strands.FIELD in eqia.validate({**complete_eqia(), strands.FIELD: value})
    assert strands.FIELD in eqia.validate({strands.FIELD: value}, complete_eqia())
    assert strands.strand_set({strands.FIELD: value}) is strands.SETS[strands.DEFAULT]
