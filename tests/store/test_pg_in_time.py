"""The estimate of the PostgreSQL server's clock that bounds a commit sent whole (store/pg_in_time.py)."""
import time

from store import pg_in_time
from store.pg_in_time import ServerClock


def test_no_deadline_before_the_server_clock_is_measured_or_once_the_measure_is_old(monkeypatch):
    clock = ServerClock()
    assert clock.deadline(2) is None
    clock.measured(time.time() + 100)
    assert clock.deadline(2) is not None
    monkeypatch.setattr(pg_in_time, "FRESH", 0.0)
    time.sleep(0.01)
    assert clock.deadline(2) is None


def test_the_deadline_is_on_the_server_clock_and_never_later_than_the_client_gives_up():
    clock = ServerClock()
    before = time.time()
    clock.measured(before + 100)  # read on the server before this host's time after it: a low estimate
    deadline = clock.deadline(2)
    assert before + 100 + 2 - 1 < deadline <= time.time() + 100 + 2


def test_a_forgotten_estimate_gives_no_deadline():
    clock = ServerClock()
    clock.measured(time.time())
    clock.forget()
    assert clock.deadline(2) is None
