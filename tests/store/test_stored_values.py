"""What one process commits, another reads back as the same values, down to an int's type, and
what JSON cannot hold is refused before anything is written: on PostgreSQL the writer encodes
jsonb's parameters, the reader decodes jsonb's text (store/pg_json.py)."""
import contextlib
import datetime as dt
import enum
import json

import psycopg
import pytest

from store import Append, Put, pg_json

NUMBERS = {"past_64_bits": 2 ** 64, "below_64_bits": -2 ** 63 - 1, "thirty_digits": 10 ** 30,
           "largest_64_bits": 2 ** 64 - 1, "small": 1e-300, "half": 1.5, "negative": -7,
           "digits_in_text": "12345678901234567890", "text": "Café “policy” \u2028 end"}


def _as_written(value):
    """Each value with its type: 2 ** 64 and 2.0 ** 64 compare equal, and must not pass for each other."""
    return {name: (type(v), v) for name, v in value.items()}


@contextlib.contextmanager
def _request(store):
    """As web/hooks.py serves one: the look sent as it arrives, one state pinned for its reads."""
    store.read_ahead()
    try:
        with store.pinned():
            yield
    finally:
        store.read_done()


def test_numbers_another_process_committed_come_back_exact(make_store):
    reader, writer = make_store(), make_store()
    writer.commit([Put("notices", None, {"n": 0}), Put("documents", None, {"title": "t"}), Append("history", "1", {})])
    for n in range(2):  # others commit: the next request's look brings what they wrote
        with _request(reader):
            reader.get("notices", "1"), reader.get("documents", "1"), reader.log_last("history", "1")
        writer.commit([Append("history", "1", {"n": n})])
    writer.commit([Put("notices", "1", dict(NUMBERS), expected_version=1), Append("history", "1", dict(NUMBERS)),
                   Put("documents", "1", {"title": "t", "n": dict(NUMBERS)}, expected_version=1)])
    with _request(reader):
        notice = reader.get("notices", "1")
        assert _as_written({name: notice[name] for name in NUMBERS}) == _as_written(NUMBERS)
        assert _as_written(reader.get("documents", "1")["n"]) == _as_written(NUMBERS)
        assert _as_written(reader.log_last("history", "1")) == _as_written(NUMBERS)
    assert _as_written(reader.scan("notices")[0]) == _as_written(notice)
    assert [_as_written(entry) for entry in reader.log("history", "1")[3:]] == [_as_written(NUMBERS)]


# Numbers as a client, an import or psql may write them: jsonb keeps each exactly and gives it
# back in plain digits (1e400 as 401 of them).
WRITTEN = ["1e400", "-1e400", "1e-400", "18446744073709551616", "-9223372036854775809", "1.5e300", "0.1",
           "[9223372036854775807, -9223372036854775808, 18446744073709551615]", '{"b": 1E+2, "a": [2.50, -0]}',
           '"Café “policy” \\u2028 \\ud83d\\ude00"', '{"id": "12345678901234567890123"}']


def test_jsonb_text_is_decoded_to_what_json_loads_gives(pg_server):
    with psycopg.connect(pg_server.new_database()) as conn:
        texts = [conn.execute("SELECT %s::jsonb::text", (written,)).fetchone()[0] for written in WRITTEN]
    assert "1" + "0" * 400 in texts
    for text in texts:
        assert repr(pg_json.loads(text)) == repr(pg_json.loads(text.encode())) == repr(json.loads(text))


class Colour(enum.Enum):
    RED = "red"


@pytest.mark.parametrize("value", [float("nan"), -float("inf"), Colour.RED, dt.date(2008, 3, 31), {1, 2}],
                         ids=["nan", "minus infinity", "an enum", "a date", "a set"])
def test_a_value_json_cannot_hold_is_refused_before_anything_is_written(store, value):
    store.commit([Put("notices", None, {"n": 1})])
    with pytest.raises((ValueError, TypeError)):
        store.commit([Put("notices", None, {"n": 2}), Append("history", "1", {"n": value})])
    with pytest.raises((ValueError, TypeError)):
        store.commit([Put("notices", "1", {"n": value}, expected_version=1)])
    assert store.scan("notices") == [{"id": "1", "version": 1, "n": 1}] and store.log("history", "1") == []
