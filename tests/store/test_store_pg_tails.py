"""PostgreSQL: what the catch-up brings of other processes' commits, so that a transition
after another process's asks the database nothing more than the catch-up and its own commit:
the changed record whole (of a slim collection too) and the logs' last entries (store/pg_tails.py)."""
import os

import psycopg
import pytest

from services.storage import ON_DISK
from store import Append, Put, pg_json
from store.postgres_store import _QUIET, PostgresStore
from tests.store.test_store_postgres import _exchanges


@pytest.fixture
def two(pg_server):
    """Two processes' stores on one database, "documents" slim: `reader` with one pooled connection."""
    url = pg_server.new_database()
    writer = PostgresStore(url, on_disk=ON_DISK, slim={"documents": ["state"]})
    reader = PostgresStore(url, on_disk=ON_DISK, slim={"documents": ["state"]}, min_size=1, max_size=1)
    yield reader, writer
    reader.close()
    writer.close()


def _asked(store, tmp_path, call):
    """call()'s answer, and how many answers it waited for on `store`'s one pooled connection."""
    answers = []
    asked = _exchanges(store, tmp_path, lambda: answers.append(call()))
    return answers[0], asked


def _in_request(store, call):
    with store.pinned():
        return call()


def _transitioned(store, entry):
    """Document "1" moved on by `store`, `entry` appended to its history."""
    with store.pinned():
        doc = store.get("documents", "1")
    store.commit([Put("documents", "1", {**doc, "state": entry["to"]}, doc["version"]), Append("history", "1", entry)])


def _started(reader, writer):
    writer.commit([Put("documents", "1", {"state": "draft", "body": "x" * 100}),
                   Append("history", "1", {"to": "draft"})])
    for n in range(2):  # the reader's first catch-up reads everything; the next one starts noting appends
        _in_request(reader, lambda: reader.get("documents", "1"))
        _transitioned(writer, {"to": f"step {n}"})
    _in_request(reader, lambda: reader.get("documents", "1"))


def _request(store, call):
    """call() in a request as the app makes it: the look sent as it arrives (read_ahead), pinned."""
    store.read_ahead()
    try:
        return _in_request(store, call)
    finally:
        store.read_done()


# A request whose look was taken at its first read asks the clock's connection once more (the
# catch-up), never the pool; one whose look was sent as it arrived, while others commit, had it
# brought by the look (store/pg_look.py).
@pytest.mark.parametrize("request_of, looks", [(_in_request, ["clock", "recent"]), (_request, ["recent"])],
                         ids=["looked-at-its-first-read", "looked-as-it-arrived"])
def test_a_request_after_another_process_commit_asks_nothing_for_its_record_and_last_entry(
        two, tmp_path, request_of, looks):
    reader, writer = two
    _started(reader, writer)
    _transitioned(writer, {"to": "screened"})
    answers = []
    looked = _looks(reader, tmp_path, lambda: answers.append(_asked(reader, tmp_path, lambda: request_of(
        reader, lambda: (reader.get("documents", "1"), reader.log_last("history", "1"))))))
    [(read, asked)] = answers
    assert read == (writer.get("documents", "1"), {"to": "screened"})
    assert read[0]["state"] == "screened" and asked == 0 and looked == looks


@pytest.mark.parametrize("request_of", [_in_request, _request], ids=["looked-at-its-first-read", "looked-as-it-arrived"])
def test_a_request_after_its_own_process_commit_asks_nothing_for_the_records_it_wrote(two, tmp_path, request_of):
    reader, writer = two
    _started(reader, writer)
    _transitioned(reader, {"to": "screened"})
    [created] = reader.commit([Put("documents", None, {"state": "draft", "n": 1.5})])
    read, asked = _asked(reader, tmp_path, lambda: request_of(
        reader, lambda: reader.get_many("documents", ["1", created["id"]])))
    assert asked == 0 and read == writer.get_many("documents", ["1", created["id"]])
    assert read[0]["state"] == "screened" and read[1] == created


def test_the_last_entry_known_is_the_one_appended_last_by_whichever_process(two):
    reader, writer = two
    _started(reader, writer)
    _transitioned(reader, {"to": "mine"})  # noted by the reader as it commits
    assert _in_request(reader, lambda: reader.log_last("history", "1")) == {"to": "mine"}
    _transitioned(writer, {"to": "theirs"})
    assert _in_request(reader, lambda: reader.log_last("history", "1")) == {"to": "theirs"}


def test_a_commit_after_another_process_commit_leaves_what_that_appended_to_the_catch_up(two):
    reader, writer = two
    _started(reader, writer)
    reader.commit([Append("audit", "log", {"n": 1})])  # noted by the reader as it commits
    assert _in_request(reader, lambda: reader.log_last("audit", "log")) == {"n": 1}
    writer.commit([Append("audit", "log", {"n": 2})])
    reader.commit([Append("other", "log", {"n": 3})])  # not caught up: the writer's commit came between
    assert _in_request(reader, lambda: reader.log_last("audit", "log")) == {"n": 2}


def test_more_appended_than_a_catch_up_brings_is_read_again(two):
    reader, writer = two
    _started(reader, writer)
    assert _in_request(reader, lambda: reader.log_last("history", "1")) == {"to": "step 1"}
    writer.commit([Append("other", str(n), {"n": n}) for n in range(600)] + [Append("history", "1", {"to": "last"})])
    assert _in_request(reader, lambda: reader.log_last("history", "1")) == {"to": "last"}


def _traced(store, tmp_path, call):
    """The messages (as libpq's trace fields) exchanged on the store's clock connection while call() ran."""
    traced = tmp_path / "clock-trace"
    with open(traced, "w") as out:
        store._clock_conn.pgconn.trace(os.dup(out.fileno()))
    store._clock_conn.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
    try:
        call()
    finally:
        store._clock_conn.pgconn.untrace()
    return [line.split("\t") for line in traced.read_text().splitlines()]


def _looks(store, tmp_path, call):
    """The prepared statements call() asked for on the store's clock connection."""
    sent = _traced(store, tmp_path, call)
    return [fields[3].split('"')[3] for fields in sent if fields[0] == "F" and fields[2] == "Bind"]


def test_the_look_asks_for_what_changed_only_while_others_commit(two, tmp_path):
    reader, writer = two
    _started(reader, writer)  # the reader's last look found the writer's commit

    def read():
        return _request(reader, lambda: reader.get("documents", "1"))
    for _ in range(_QUIET):  # looks that find nothing more still ask for it a few times
        assert _looks(reader, tmp_path, read) == ["recent"]
    assert _looks(reader, tmp_path, read) == ["clock"]
    _transitioned(writer, {"to": "screened"})
    assert _looks(reader, tmp_path, read) == ["clock", "recent"]  # which finds it moved, then what changed
    _transitioned(writer, {"to": "sent back"})
    assert _looks(reader, tmp_path, read) == ["recent"]
    assert _in_request(reader, lambda: reader.get("documents", "1"))["state"] == "sent back"


def test_a_look_between_two_commits_of_another_process_leaves_the_next_request_one_round_trip(two, tmp_path):
    reader, writer = two
    _started(reader, writer)

    def read():
        return _request(reader, lambda: reader.get("documents", "1"))
    _transitioned(reader, {"to": "mine"})
    assert _looks(reader, tmp_path, read) == ["recent"]  # finds nothing new: its own commit is the last
    _transitioned(writer, {"to": "theirs"})
    assert _looks(reader, tmp_path, read) == ["recent"]  # brought by the look, not asked again
    assert _in_request(reader, lambda: reader.get("documents", "1"))["state"] == "theirs"


def test_what_another_process_commits_is_decoded_only_where_this_one_reads_it(two, monkeypatch):
    reader, writer = two
    _started(reader, writer)
    decoded, loads = [], pg_json.loads

    def decoding(text, *args, **kwargs):
        decoded.append(text if isinstance(text, bytes | bytearray) else text.encode())
        return loads(text, *args, **kwargs)
    monkeypatch.setattr(pg_json, "loads", decoding)
    writer.commit([Put("documents", "2", {"state": "draft", "x": "unread"}), Append("history", "2", {"to": "unread"}),
                   Put("notices", "a", {"to": "unread"}), Put("notices", "b", {"to": "read"})])
    _transitioned(writer, {"to": "screened"})
    read = _request(reader, lambda: (reader.get("documents", "1"), reader.get("notices", "b"),
                                     reader.log_last("history", "1")))
    assert read == (writer.get("documents", "1"), {"id": "b", "version": 1, "to": "read"}, {"to": "screened"})
    assert decoded and not [text for text in decoded if b"unread" in text]
    assert _in_request(reader, lambda: (reader.get("documents", "2")["x"], reader.scan("notices"),
                                        reader.log_last("history", "2"))) == (
        "unread", [{"id": "a", "version": 1, "to": "unread"}, {"id": "b", "version": 1, "to": "read"}],
        {"to": "unread"})


def _answered(store, tmp_path, call):
    """The rows the server sent on the store's clock connection while call() ran, as the trace shows them."""
    return [fields[3] for fields in _traced(store, tmp_path, call) if fields[0] == "B" and fields[2] == "DataRow"]


def test_the_look_asks_for_the_last_log_seq_only_while_it_knows_none(two, tmp_path):
    reader, writer = two
    _started(reader, writer)
    with psycopg.connect(writer._url) as conn:
        def last_seq():
            return conn.execute("SELECT max(seq) FROM store_logs").fetchone()[0]

        for n in range(2):  # the second look after each commit finds nothing more (the clock stands)
            _transitioned(writer, {"to": f"screened {n}"})
            rows = _answered(reader, tmp_path, lambda: _request(reader, lambda: reader.get("documents", "1")))
            assert rows and not [row for row in rows if "'logs'" in row]  # past what it knew: the last logged
            assert reader._tails.seen == last_seq()
        assert _asked(reader, tmp_path, lambda: _in_request(reader, lambda: reader.log_last("history", "1"))) \
            == ({"to": "screened 1"}, 0)
        writer.commit([Append("other", str(n), {"n": n}) for n in range(600)])  # more than a catch-up notes
        _request(reader, lambda: reader.get("documents", "1"))
        assert reader._tails.seen is None
        _transitioned(writer, {"to": "sent back"})
        rows = _answered(reader, tmp_path, lambda: _request(reader, lambda: reader.get("documents", "1")))
        assert [row for row in rows if "'logs'" in row]  # knowing none, it asks
        assert reader._tails.seen == last_seq()
