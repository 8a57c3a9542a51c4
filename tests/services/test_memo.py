"""Results kept until the store changes, and never more than a bounded number of items."""
from services.memo import UntilChanged
from services.storage import open_app_store
from store import Put


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value
    return compute, calls


def test_a_result_is_worked_out_once_until_any_commit(tmp_path):
    store = open_app_store(str(tmp_path / "db"))
    memo = UntilChanged(store)
    compute, calls = counting([1, 2, 3])
    assert memo.get("list", compute) == [1, 2, 3] and memo.get("list", compute) == [1, 2, 3]
    assert len(calls) == 1
    store.commit([Put("documents", None, {"title": "a change"})])
    memo.get("list", compute)
    assert len(calls) == 2


def test_the_items_kept_are_bounded_and_the_oldest_go_first(tmp_path):
    memo = UntilChanged(open_app_store(str(tmp_path / "db")), items=10)
    first, first_calls = counting(list(range(6)))
    second, _ = counting(list(range(4)))
    memo.get("first", first)
    memo.get("second", second)  # 6 + 4 items: both kept
    memo.get("first", first)
    assert len(first_calls) == 1
    third, _ = counting(["x"])  # the 11th item: the least recently used goes
    memo.get("third", third)
    memo.get("first", first)
    assert len(first_calls) == 1  # "first" was used after "second", so "second" went
    huge, huge_calls = counting(list(range(11)))
    assert memo.get("huge", huge) == list(range(11))  # answered, never kept
    memo.get("huge", huge)
    assert len(huge_calls) == 2


def test_a_weight_can_be_given_for_values_whose_length_does_not_say(tmp_path):
    memo = UntilChanged(open_app_store(str(tmp_path / "db")), items=10)
    sections, calls = counting(({"items": list(range(20))},))
    memo.get("my work", sections, weight=lambda value: 20)
    memo.get("my work", sections, weight=lambda value: 20)
    assert len(calls) == 2  # heavier than the whole allowance: not kept


def test_a_result_of_the_documents_alone_outlives_other_changes(tmp_path):
    store = open_app_store(str(tmp_path / "db"))
    memo = UntilChanged(store, collections=("documents",))
    compute, calls = counting(["a list"])
    memo.get("list", compute)
    store.commit([Put("sessions", "s1", {"user": "jo"})])  # someone signs in
    memo.get("list", compute)
    assert len(calls) == 1
    store.commit([Put("documents", None, {"title": "a change"})])
    memo.get("list", compute)
    assert len(calls) == 2
