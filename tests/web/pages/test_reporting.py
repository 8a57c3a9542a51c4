"""Reporting periods and strategic objectives are kept by the Head or an administrator."""
import pytest

from services import period_service
from workflow.errors import Forbidden, Invalid, StateConflict
from workflow.users import User

HEAD = User("h", frozenset({"head"}))
STAFF = User("s", frozenset({"staff"}))


def test_periods_are_added_once_by_the_head_and_listed_in_order(store):
    period_service.add_period(store, HEAD, "2007-08 Q3")
    period_service.add_period(store, HEAD, "2007-08 Q1")
    assert [p["code"] for p in period_service.list_periods(store)] == ["2007-08 Q1", "2007-08 Q3"]
    assert period_service.list_periods(store)[1]["starts"] == "2007-10-01"
    with pytest.raises(StateConflict):
        period_service.add_period(store, HEAD, "2007-08 Q3")
    with pytest.raises(Invalid):
        period_service.add_period(store, HEAD, "Q3 2007")
    with pytest.raises(Forbidden):
        period_service.add_period(store, STAFF, "2008-09")


def test_strategic_objectives_are_seeded_once_and_retitled_with_a_version(store):
    period_service.seed_strategic(store)
    period_service.seed_strategic(store)
    listed = period_service.list_strategic(store)
    assert [s["number"] for s in listed] == list(range(1, 10))
    period_service.retitle_strategic(store, HEAD, 7, "Women's safety", listed[6]["version"])
    with pytest.raises(StateConflict):
        period_service.retitle_strategic(store, HEAD, 7, "Stale", listed[6]["version"])
    with pytest.raises(Forbidden):
        period_service.add_strategic(store, STAFF, 10, "New")
