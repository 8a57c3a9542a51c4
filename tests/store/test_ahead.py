"""store/ahead.py: an iterator fetched ahead by a thread gives what it gives, in order, raises
what it raises where it would have, and stops (its thread ended, nothing read after) when the
caller stops early."""
import threading
import time

import pytest

from store.ahead import ahead


def test_the_items_come_in_order_each_fetched_while_the_caller_works_on_the_one_before():
    fetching = []

    def slow():
        for n in range(6):
            fetching.append(threading.current_thread().name)
            time.sleep(0.05)
            yield n

    began = time.monotonic()
    got = []
    for n in ahead(slow()):
        time.sleep(0.05)  # the caller's work, overlapping the next fetch
        got.append(n)
    assert got == list(range(6))
    assert set(fetching) == {"store-ahead"}
    assert time.monotonic() - began < 0.55  # 0.6 s one after the other


def test_what_fetching_raises_is_raised_to_the_caller_after_what_came_before():
    def failing():
        yield 1
        raise ValueError("the server went away")

    got = []
    with pytest.raises(ValueError, match="went away"):
        for n in ahead(failing()):
            got.append(n)
    assert got == [1]


def test_a_caller_stopping_early_stops_the_fetching():
    fetched = []

    def endless():
        n = 0
        while True:
            fetched.append(n)
            yield n
            n += 1

    for n in ahead(endless(), most=2):
        if n == 3:
            break
    time.sleep(0.1)
    count = len(fetched)
    time.sleep(0.1)
    assert len(fetched) == count <= 3 + 2 + 2  # what was asked, the room ahead, and one in hand
    assert not any(t.name == "store-ahead" for t in threading.enumerate())
