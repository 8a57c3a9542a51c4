"""The PostgreSQL backend: records as JSONB rows, logs in an append-only table.

Several application processes on several hosts may share one database, so
every guarantee comes from PostgreSQL itself rather than from this process:

- a commit is one transaction; a Put's version check is the WHERE clause of
  its UPDATE (or the primary key of its INSERT), which PostgreSQL re-checks
  against the latest row after waiting for a concurrent writer, so a stale
  write finds no row and is refused, even under READ COMMITTED: the server
  itself raises then (store_expect), so a commit's statements are sent
  whole, COMMIT with them, and waited for once; the server refuses a commit
  that comes to it after the client gave up (a frozen server), which is then
  never applied later (store/pg_in_time.py);
- keys handed out for ``Put(key=None)`` come from a per-collection counter
  row, locked by the update that advances it, and are never reused;
- the log table refuses UPDATE and DELETE by trigger: history is appended,
  never rewritten, whatever code connects.

Reads of records are served from memory, as on TinyDB: the app lists and
filters whole collections through the visibility rules, and decoding every
JSONB row per request would cost more than the rest of the request. Each
commit advances one clock row (which also serialises commits, so the clock
orders them as they became visible) and stamps the rows it writes; before a
read, a process asks for the clock (one indexed round trip) and, if it moved,
fetches just the rows stamped since, in one snapshot — in the same round trip while
other processes are committing (store/pg_look.py) — with the last entries of the logs
appended to since (store/pg_tails.py). History and the on_disk
collections (read a record at a time) are read from the database each time,
by key, and never held in memory. Of a collection the application declares slim
(store/slim.py: "documents", which hundreds of thousands of records make too large
for every worker to hold), memory keeps only the declared fields of each record, the
catch-up fetching just those; whole records are read by key (get, get_many) through a
bounded cache that the catch-up's changed keys keep current (a few changes bring them
whole), and scans read them from the database.

Over 400 lines because it is one class around one set of invariants: the pool's
checked connections, the commit clock read on its own connection, the
watchdog that bounds every wait, and the transaction that stamps and catches
up all refer to each other's state; split into modules they would have to
reach into one another's privates. The SQL is kept beside the code that runs it.
"""
from __future__ import annotations

import contextlib
import itertools
import logging
import math
import os
import select
import socket
import threading
import time

from . import copy_binary, pg_json, pg_look, snapshot
from . import slim as _slim
from .ahead import ahead
from .base import Append, Conflict, Delete, Op, Put, Store, StoreError, validate
from .collector import uncollected as _uncollected
from .pg_in_time import IN_TIME, LATE, ServerClock
from .pg_pipeline import (
    FLOAT8,
    INT4,
    INT8,
    JSONB,
    TEXT,
    Pipeline,
    Statement,
    next_result,
    row,
)
from .pg_tails import Tails
from .records import Changes, MemoryReads, Records, copy, key_order

log = logging.getLogger(__name__)

try:
    import psycopg
    from psycopg import pq
    from psycopg.pq import TransactionStatus
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError:  # the TinyDB default needs none of this
    psycopg = None

# A commit's version check, on the server (see PostgresStore._apply): `written` rows by the
# op numbered `op`, of the key `key`; any but one refuses the whole transaction.
_STALE = "SC409"
_EXPECT = f"""
CREATE OR REPLACE FUNCTION store_expect(written bigint, op integer, key text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF written <> 1 THEN
        RAISE EXCEPTION 'stale write' USING ERRCODE = '{_STALE}', DETAIL = op || ' ' || key;
    END IF;
END $$;
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS store_records (
    collection text NOT NULL,
    key text NOT NULL,
    num bigint,  -- the key as a number when it is one
    version integer NOT NULL,
    data jsonb NOT NULL,
    seq bigint NOT NULL,  -- the clock of the commit that wrote it
    PRIMARY KEY (collection, key)
);
CREATE INDEX IF NOT EXISTS store_records_seq ON store_records (seq);
CREATE TABLE IF NOT EXISTS store_deleted (
    seq bigint NOT NULL,
    collection text NOT NULL,
    key text NOT NULL
);
CREATE INDEX IF NOT EXISTS store_deleted_seq ON store_deleted (seq);
CREATE TABLE IF NOT EXISTS store_clock (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq bigint NOT NULL
);
INSERT INTO store_clock (one, seq) VALUES (true, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS store_logs (
    seq bigserial PRIMARY KEY,
    collection text NOT NULL,
    key text NOT NULL,
    entry jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS store_logs_key ON store_logs (collection, key, seq);
CREATE TABLE IF NOT EXISTS store_keys (
    collection text PRIMARY KEY,
    next bigint NOT NULL
);
CREATE OR REPLACE FUNCTION store_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'store_logs is append-only';
END $$;
DROP TRIGGER IF EXISTS store_logs_append_only ON store_logs;
CREATE TRIGGER store_logs_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON store_logs
    FOR EACH STATEMENT EXECUTE FUNCTION store_logs_append_only();
""" + _EXPECT + IN_TIME

# key_order (store/records.py) in SQL: numeric keys first in numeric order, then the others by code point.
_KEY_ORDER = "(key ~ '^[0-9]{1,18}$') DESC, CASE WHEN key ~ '^[0-9]{1,18}$' THEN key::bigint END, key COLLATE \"C\""


_CLOCK = b"SELECT seq FROM store_clock"
_CLOCK_NAME = b"clock"  # prepared on the clock's own connection: not parsed and planned at each look
_BATCH = 500  # rows fetched at a time from a server-side cursor
_BIG_BATCH = 5000  # ... by a pass over a whole collection as text (a backup): fewer round trips
_STREAMS = itertools.count()  # names of server-side cursors: several may be open in one transaction
# While other processes commit, the look asks for what they wrote (store/pg_look.py) until this
# many looks in a row found nothing new: with two workers a look often comes between this one's
# commit and the other's next, and the look after it would then find the clock moved and need a
# second round trip; a store only read stops asking after these few.
_QUIET = 4
# The clock and what was deleted and written since `seen`, and the log entries appended
# since `logs_seen` (store/pg_tails.py; NULL: none, and the last store_logs seq is asked for
# instead: past logs_seen, the last entry logged is the last there is), read in one snapshot;
# ordered by seq so that the LIMIT goes down the seq indexes, and only as far as a batch.
# Records come whole, of slim collections too: the request that follows the change is likely
# to read that one whole (a transition after another process's), and memory keeps it as a commit's.
_RECENT = """
SELECT 'clock', NULL::text, NULL::text, NULL::jsonb, seq FROM store_clock
UNION ALL SELECT 'logs', NULL, NULL, NULL, coalesce((SELECT max(seq) FROM store_logs), 0)
          WHERE %(logs_seen)s::bigint IS NULL
UNION ALL (SELECT 'deleted', collection, key, NULL::jsonb, seq FROM store_deleted
           WHERE seq > %(seen)s ORDER BY seq LIMIT %(most)s)
UNION ALL (SELECT 'changed', collection, key, data, seq FROM store_records
           WHERE seq > %(seen)s AND collection <> ALL(%(on_disk)s) ORDER BY seq LIMIT %(most)s)
UNION ALL (SELECT 'logged', collection, key, entry, seq FROM store_logs
           WHERE seq > %(logs_seen)s ORDER BY seq LIMIT %(most)s)
"""


# The statements of a commit (PostgresStore._apply, sent through store/pg_pipeline.py), each in
# the one transaction whose first statement advanced the clock: they read its seq, and the keys
# reserved, back from rows it holds.
_BEGIN = Statement("store_begin", "BEGIN")
_TICK_SQL = "UPDATE store_clock SET seq = seq + 1 RETURNING seq, extract(epoch FROM clock_timestamp())::float8"
_TICK = Statement("store_tick", _TICK_SQL)
_RESERVE_SQL = ("INSERT INTO store_keys AS k (collection, next) {rows} "
                "ON CONFLICT (collection) DO UPDATE SET next = k.next + $2 RETURNING next - $2")
_RESERVE = Statement("store_reserve", _RESERVE_SQL.format(rows="VALUES ($1, 1 + $2)"), TEXT, INT8)
# The clock's tick and the first collection's key reservation in one statement: one statement
# fewer to run, all of it holding the clock. The reservation takes its row from the tick's, so
# it runs once the clock row is locked, as when it came second (keys rows are locked only by
# a transaction that holds the clock: two commits never wait on each other in turn).
_TICK_RESERVING = Statement("store_tick_reserving", f"""
WITH tick AS ({_TICK_SQL}), reserved AS ({_RESERVE_SQL.format(rows="SELECT $1, 1 + $2 FROM tick")})
SELECT tick.*, reserved.* FROM tick, reserved
""", TEXT, INT8)
_CREATED = "SELECT next - {back} AS n FROM store_keys WHERE collection = {c}"
_APPEND_TO_CREATED = Statement("store_append_to_created",
                               "INSERT INTO store_logs (collection, key, entry) SELECT $1, n::text, $2 "
                               f"FROM ({_CREATED.format(back='$4', c='$3')}) k RETURNING key, seq",
                               TEXT, JSONB, TEXT, INT8)
_APPEND = Statement("store_append", "INSERT INTO store_logs (collection, key, entry) VALUES ($1, $2, $3) "
                                    "RETURNING key, seq", TEXT, TEXT, JSONB)
_CREATE_RESERVED = Statement("store_create_reserved", f"""
WITH k AS ({_CREATED.format(back='$2', c='$1')}),
written AS (INSERT INTO store_records (collection, key, num, version, data, seq)
            SELECT $1, n::text, n, 1, $4 || jsonb_build_object('id', n::text), seq FROM k, store_clock
            ON CONFLICT DO NOTHING RETURNING 1)
SELECT store_expect(found, $3, (SELECT n::text FROM k)) FROM (SELECT count(*) AS found FROM written) w WHERE found <> 1
""", TEXT, INT8, INT4, JSONB)
_CREATE = Statement("store_create", """
WITH written AS (INSERT INTO store_records (collection, key, num, version, data, seq)
                 VALUES ($1, $2, $3, 1, $4, (SELECT seq FROM store_clock)) ON CONFLICT DO NOTHING RETURNING 1)
SELECT store_expect(found, $5, $2) FROM (SELECT count(*) AS found FROM written) w WHERE found <> 1
""", TEXT, TEXT, INT8, JSONB, INT4)
_UPDATE = Statement("store_update", """
WITH written AS (UPDATE store_records SET version = $1, data = $2, seq = (SELECT seq FROM store_clock)
                 WHERE collection = $3 AND key = $4 AND version = $5 RETURNING 1)
SELECT store_expect(found, $6, $4) FROM (SELECT count(*) AS found FROM written) w WHERE found <> 1
""", INT4, JSONB, TEXT, TEXT, INT4, INT4)
_DELETE = Statement("store_delete", """
WITH written AS (DELETE FROM store_records WHERE collection = $1 AND key = $2 AND version = $3 RETURNING 1)
SELECT store_expect(found, $4, $2) FROM (SELECT count(*) AS found FROM written) w WHERE found <> 1
""", TEXT, TEXT, INT4, INT4)
_DELETE_ANY = Statement("store_delete_any", "DELETE FROM store_records WHERE collection = $1 AND key = $2",
                        TEXT, TEXT)
_DELETED = Statement("store_deleted", "INSERT INTO store_deleted (seq, collection, key) "
                                      "SELECT seq, $1, $2 FROM store_clock", TEXT, TEXT)
# Never hand out a key that was given explicitly (as the TinyDB backend).
_GIVEN = Statement("store_given", "INSERT INTO store_keys AS k (collection, next) VALUES ($1, $2) "
                                  "ON CONFLICT (collection) DO UPDATE SET next = greatest(k.next, excluded.next)",
                   TEXT, INT8)
# The functions that raise are called only when they will (a plpgsql call costs the server more
# than the comparison): store_in_time checks the clock again, a moment later, and raises.
_IN_TIME_SQL = "SELECT store_in_time(${n}) WHERE extract(epoch FROM clock_timestamp()) > ${n}"
_IN_TIME = Statement("store_in_time", _IN_TIME_SQL.format(n=1), FLOAT8)


def _checked_in_time(statement):
    """A checked op's statement (a SELECT of store_expect's refusals) with the in-time check
    after it, its deadline a last parameter: sent as a commit's last statement, one statement fewer
    for the server to start and run (~9k of its instructions a commit). UNION ALL runs its parts in
    order, the op's own, with its written rows, before the check: still the last thing checked. That
    holds because each of these statements reads its data-modifying CTE whole (count(*)) in its own
    part; one that did not would finish its write after the check, at the statement's end."""
    sql = f"{statement.sql.decode()} UNION ALL {_IN_TIME_SQL.format(n=len(statement.types) + 1)}"
    return Statement(f"{statement.name.decode()}_in_time", sql, *statement.types, FLOAT8)


_CHECKED_IN_TIME = {s.name: _checked_in_time(s) for s in (_CREATE_RESERVED, _CREATE, _UPDATE, _DELETE)}


# A jsonb parameter's text: compact JSON, by orjson where it writes the value given, else by the
# encoder made once (store/snapshot.py), which refuses NaN and infinities as jsonb does, before
# anything is sent (store/pg_json.py).
_jsonb = pg_json.dumps


def _number(key: str):
    return int(key) if key.isascii() and key.isdigit() and len(key) < 19 else None


def _record(op, key):
    """The record a Put stores under `key` (None: a created key, filled in once the server
    answers): a copy, as the cache keeps it (not the caller's)."""
    return copy({**op.record, "id": key, "version": (op.expected_version or 0) + 1})


class _Keys:
    """The keys a commit creates: `counts` {collection: how many} reserved at once; for each
    creating Put (by op index), its key's `offsets` from the first reserved and how far it
    stands `back` from the counter after; `first`: the first created key's (collection, back),
    which an Append(key=None) names; `explicit` [(collection, number)] of numeric keys given."""

    def __init__(self, ops):
        self.counts, self.offsets, self.explicit = {}, {}, []
        for index, op in enumerate(ops):
            if isinstance(op, Put) and op.key is None:
                self.offsets[index] = self.counts.get(op.collection, 0)
                self.counts[op.collection] = self.offsets[index] + 1
            elif isinstance(op, Put) and op.expected_version is None and _number(op.key) is not None:
                self.explicit.append((op.collection, _number(op.key)))
        self.back = {index: self.counts[ops[index].collection] - offset for index, offset in self.offsets.items()}
        first = min(self.offsets, default=None)
        self.first = None if first is None else (ops[first].collection, self.back[first])


class PostgresStore(_slim.SlimReads, MemoryReads, Store):
    """See the module docstring. ``url``: a libpq connection URI."""

    _BATCH = _BATCH

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 8, on_disk=(), slim=None,
                 timeout: float = 2.0):
        """``timeout``: how long a request waits for the database (for a connection, then for
        each answer) before it is refused; see _settings for the server's own timeouts."""
        if psycopg is None:
            raise StoreError("the PostgreSQL backend needs psycopg: pip install -r requirements.txt")
        self._url, self._timeout = url, timeout
        self._settings = _settings(url, timeout)
        self._on_disk = frozenset(on_disk)
        # Collections held in memory as slim records only, their whole records read by key (store/slim.py).
        self._slim = {_slim.name(c): _slim.fields(declared) for c, declared in (slim or {}).items()
                      if c not in self._on_disk}
        self._wholes, self._slim_records = _slim.Whole(), _slim.SlimRecords(self._slim)
        # Slim collections memory holds nothing of until their first scan_slim (_load_slim): a
        # worker starts without reading them, and one that never lists them never holds them.
        self._unread = set(self._slim)
        self._columns()
        self._mutex = threading.Lock()  # guards the cache below
        self._records, self._seen = Records(), 0
        self._changes = Changes()  # what this process saw change, per collection
        self._tails = Tails()  # the last entries of logs appended to since the catch-up's watermark
        self._server_clock = ServerClock()  # see _apply
        self._clock_conn = None  # see _clock
        self._clock_sent = None  # the thread whose look at the clock is on its way (read_ahead)
        self._clock_asked = None  # what that look asked for, since when (see _read_clock)
        self._quiet = _QUIET  # looks in a row that found the clock where memory stands (see read_ahead)
        self._watchdog = _Watchdog(timeout, self._note_refusal)
        self._request = threading.local()  # per request (read_ahead to read_done): the store's refusal
        self._schema_ready = False  # see _create_schema
        # Nothing is asked of the server here: a process starts whatever the database is doing
        # (a worker that refused to start while it was away would take its host down for good).
        # The pool connects in the background and again whenever the server comes back; a
        # request that finds no connection within `timeout` is refused (StoreError), not held.
        # reconnect_timeout: psycopg_pool backs off exponentially between attempts; giving up
        # after a few seconds lets the next request start afresh, so a returning server is
        # used within seconds, not after the backoff's minutes.
        self._pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=False,
                                    kwargs={"autocommit": False, **self._settings}, timeout=timeout,
                                    reconnect_timeout=max(3 * timeout, 2.0))
        self._pool.open(wait=False)

    # -- reads ---------------------------------------------------------------

    def log(self, collection: str, key: str) -> list[dict]:
        rows = self._read("SELECT entry FROM store_logs WHERE collection = %s AND key = %s ORDER BY seq",
                          (collection, key))
        return [row[0] for row in rows]

    def log_last(self, collection: str, key: str) -> dict | None:
        # In a request (pinned) from what the catch-up brought, if that log was appended to lately;
        # unpinned, every read would first ask for the clock: no cheaper than asking for the entry.
        if self._held() is None and getattr(self._pins, "state", None) is not None:
            with self._reading():
                known, entry = self._tails.last(collection, key)
            if known:
                return entry
        rows = self._read("SELECT entry FROM store_logs WHERE collection = %s AND key = %s ORDER BY seq DESC LIMIT 1",
                          (collection, key))
        return rows[0][0] if rows else None

    def _get_on_disk(self, collection: str, key: str) -> dict | None:
        rows = self._read("SELECT data FROM store_records WHERE collection = %s AND key = %s", (collection, key))
        return rows[0][0] if rows else None

    def _scan_on_disk(self, collection: str) -> list[dict]:
        rows = self._read("SELECT key, data FROM store_records WHERE collection = %s", (collection,))
        return [data for _, data in sorted(rows, key=lambda row: key_order(row[0]))]

    def _stream_on_disk(self, collection: str):
        rows = self._stream(f"SELECT key, data FROM store_records WHERE collection = %s ORDER BY {_KEY_ORDER}",
                            (collection,))
        return (data for _, data in rows)

    @contextlib.contextmanager
    def one_state(self):
        """One REPEATABLE READ, READ ONLY transaction on one connection, for every read of
        this thread inside it (records included: read from the database, not from memory,
        which may stand at another clock)."""
        if self._held() is not None:  # already inside one: the same state
            yield
            return
        try:
            with self._connection() as conn:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                conn.execute("SET LOCAL statement_timeout = 0")  # a pass over the whole store, not a request
                conn.execute("SELECT seq FROM store_clock")  # the snapshot is taken here, at the first read
                self._pins.held = conn
                try:
                    yield
                finally:
                    self._pins.held = None
                    conn.rollback()
        except psycopg.Error as exc:  # the pool's timeout and closed pool included
            raise StoreError(f"PostgreSQL store: cannot read: {_safe(exc)}") from exc

    def _held(self):
        """The connection of this thread's one_state(), if it is in one."""
        return getattr(self._pins, "held", None)

    def _read_stored(self) -> bool:
        return self._held() is not None

    def stream_log(self, collection: str):
        # One statement for the whole log, not a round trip per key.
        rows = self._stream(f"SELECT key, entry FROM store_logs WHERE collection = %s ORDER BY {_KEY_ORDER}, seq",
                            (collection,))
        for key, entries in itertools.groupby(rows, key=lambda row: row[0]):
            yield key, [entry for _, entry in entries]

    def stream_json(self, collection: str):
        # As stored (jsonb's text), read from the database: never decoded and encoded again.
        rows = self._stream(f"SELECT data::text FROM store_records WHERE collection = %s ORDER BY {_KEY_ORDER}",
                            (collection,), _BIG_BATCH)
        return (text for (text,) in rows)

    def stream_log_json(self, collection: str):
        rows = self._stream("SELECT key, count(*), '[' || string_agg(entry::text, ', ' ORDER BY seq) || ']' "
                            f"FROM store_logs WHERE collection = %s GROUP BY key ORDER BY {_KEY_ORDER}",
                            (collection,), _BIG_BATCH)
        return (tuple(row) for row in rows)

    def generation(self, collections: tuple | None = None) -> object:
        with self._reading():
            if collections is None or not self._on_disk.isdisjoint(collections):
                return self._seen  # the catch-up does not see other processes' on_disk writes
            return self._changes.counts(collections)

    def changed(self, collection: str, since) -> set | None:
        if collection in self._on_disk:
            return None  # not counted (see generation)
        (count,) = since
        with self._mutex:
            return self._changes.since(collection, count)

    def collections(self) -> dict:
        if self._held() is not None:
            records = self._read("SELECT DISTINCT collection FROM store_records", ())
            return {"records": sorted(row[0] for row in records),
                    "logs": [r[0] for r in self._read("SELECT DISTINCT collection FROM store_logs ORDER BY 1", ())]}
        with self._reading():
            records = [*self._records.collections(), *self._slim_records.collections()]
        on_disk = self._read("SELECT DISTINCT collection FROM store_records WHERE collection = ANY(%s)",
                             (sorted(self._on_disk | self._unread),))
        return {"records": sorted({*records, *(row[0] for row in on_disk)}),
                "logs": [r[0] for r in self._read("SELECT DISTINCT collection FROM store_logs ORDER BY 1", ())]}

    def log_keys(self, collection: str) -> list[str]:
        rows = self._read("SELECT DISTINCT key FROM store_logs WHERE collection = %s", (collection,))
        return sorted((r[0] for r in rows), key=key_order)

    # -- writes --------------------------------------------------------------

    def load(self, records: dict, logs: dict) -> None:
        def record_rows(seq):
            stamp = copy_binary.bigint(seq)
            return (copy_binary.record(copy_binary.text(c), r["id"], _number(r["id"]), r["version"],
                                       snapshot.dumps(r), stamp) for c, rs in records.items() for r in rs)

        entry_rows = (copy_binary.entry(copy_binary.entry_head(c, key), snapshot.dumps(e))
                      for c, by_key in logs.items() for key, entries in by_key.items() for e in entries)
        self._fill(record_rows, entry_rows,
                   {"records": {c: len(rs) for c, rs in records.items()},
                    "logs": {c: sum(map(len, by_key.values())) for c, by_key in logs.items()}})

    def load_staged(self, staged, ready=None) -> None:
        self._fill(lambda seq: copy_binary.staged_records(staged, seq, _number), copy_binary.staged_entries(staged),
                   staged.counts, ready)

    def _fill(self, record_rows, entry_rows, expected, ready=None) -> None:
        """One transaction COPYing records (record_rows(seq): store_records rows stamped `seq`)
        and entries (store_logs rows) in as they come (store/copy_binary.py), committed only
        once the tables hold exactly the `expected` counts ({"records": {collection: n}, "logs":
        {collection: entries}}) and `ready()` (Store.load_staged) has returned. Other processes
        read on meanwhile (the tables are locked against writes only) and find the store empty."""
        try:
            with self._transaction() as cur:
                cur.execute("SET LOCAL statement_timeout = 0")  # a restore is one long COPY, not a request
                cur.execute("LOCK TABLE store_records, store_logs IN EXCLUSIVE MODE")
                cur.execute("SELECT EXISTS (SELECT 1 FROM store_records) OR EXISTS (SELECT 1 FROM store_logs)")
                if cur.fetchone()[0]:
                    raise StoreError("the PostgreSQL store is not empty: load a backup into an empty store")
                cur.execute("UPDATE store_clock SET seq = seq + 1 RETURNING seq")
                seq = cur.fetchone()[0]
                with cur.copy("COPY store_records (collection, key, num, version, data, seq) FROM STDIN "
                              "(FORMAT binary)") as copy:
                    copy_binary.write(copy, record_rows(seq))
                with cur.copy("COPY store_logs (collection, key, entry) FROM STDIN (FORMAT binary)") as copy:
                    copy_binary.write(copy, entry_rows)
                self._check_filled(cur, expected)
                cur.execute("INSERT INTO store_keys (collection, next) SELECT collection, max(num) + 1 "
                            "FROM store_records WHERE num IS NOT NULL GROUP BY collection "
                            "ON CONFLICT (collection) DO UPDATE SET next = greatest(store_keys.next, excluded.next)")
                if ready:
                    ready()  # what it raises rolls everything back
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: {_safe(exc)}") from exc

    @staticmethod
    def _check_filled(cur, expected) -> None:
        # Counted by the server in the loading transaction: a shortfall rolls the whole load back.
        cur.execute("SELECT collection, count(*) FROM store_records GROUP BY collection")
        records = dict(cur.fetchall())
        cur.execute("SELECT collection, count(*) FROM store_logs GROUP BY collection")
        found = {"records": records, "logs": dict(cur.fetchall())}
        wanted = {part: {c: n for c, n in counts.items() if n} for part, counts in expected.items()}
        if found != wanted:
            raise StoreError(f"the loaded store does not match: expected {wanted}, found {found}")

    def commit(self, ops: list[Op]) -> list[dict]:
        ops = list(ops)
        for op in ops:
            validate(op)
        if not ops:
            return []
        if any(isinstance(op, Append) and op.key is None for op in ops) and not any(
                isinstance(op, Put) and op.key is None for op in ops):
            raise ValueError("Append with key=None needs a Put with key=None in the same commit")
        try:
            # Not switched to autocommit (_autocommit): the pipeline speaks to libpq past psycopg,
            # and ends the transaction it began (or leaves it to COMMIT, see _apply) whatever
            # psycopg's setting; a refused commit switches to name what it found (_conflict).
            with self._connection() as conn:
                deadline = self._server_clock.deadline(self._timeout)  # before the watchdog's bound starts
                with self._watchdog.bound(conn):
                    try:
                        seq, stored, deleted, appended = self._apply(conn, ops, deadline)
                    except psycopg.Error as exc:
                        if exc.sqlstate == LATE:
                            self._server_clock.forget()
                        if exc.sqlstate != _STALE:
                            raise
                        conn.rollback()
                        raise self._conflict(conn, ops, exc) from None
        except Conflict:
            self._refresh_pin()
            raise
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: {_safe(exc)}") from exc
        with self._mutex:
            if self._seen == seq - 1:  # nothing else committed in between: our own view is current
                # Whole, as the catch-up keeps another process's: the next request is likely to
                # read this record again (the next transition of the document), by key.
                self._remember(seq, [(c, r["id"], r) for c, r, _ in stored], deleted, whole=True)
                if appended and self._tails.seen is not None:
                    self._tails.noted([entry[:3] for entry in appended], max(log_seq for *_, log_seq in appended))
            else:
                self._refresh_pin()  # a pinned request must still see what it wrote
        return [returned for *_, returned in stored]  # copies: the caller may change them, the cache must not

    def close(self) -> None:
        with self._mutex:
            self._close_clock()
        self._pool.close()
        self._watchdog.stop()

    # -- internals -----------------------------------------------------------

    def _apply(self, conn, ops, deadline):
        """One transaction in one round trip, however many ops: advance the clock, reserve the
        new keys, every op in order and store_in_time(`deadline`), sent as one pipeline
        (store/pg_pipeline.py), which the server runs as one implicit transaction, committed at
        the pipeline's end (its Sync) unless a statement raised: no BEGIN nor COMMIT to send and
        run, two of a transition's six statements. What needs
        an answer is worked out by the server: each op reads the clock and its created key back
        from the rows this transaction has locked, and each version check is store_expect, which
        raises when the write found no row, so that the server skips the rest, COMMIT included:
        nothing is written (see _conflict). `deadline` None (no fresh estimate of the server's
        clock, store/pg_in_time.py): the pipeline begins a transaction (BEGIN), which COMMIT,
        sent once the rest is answered, ends: a second round trip. Answers the clock, the
        (collection, record kept, its copy for the caller) stored, the (collection, key) deleted
        and the (collection, key, entry's copy, log seq) appended."""
        keys, records = _Keys(ops), {}  # the record each Put stores (by op index): None, of a created key, till meanwhile
        appends = {}  # the answer of each Append (by op index): its key and store_logs seq
        sent = Pipeline(conn)
        if deadline is None:
            sent.add(_BEGIN)  # held open past the pipeline's end, for the COMMIT sent after it
        # The clock row's lock serialises commits: clock order is commit order.
        # Keys first: an Append(key=None) names the first created key, wherever its Put stands.
        reserving = list(keys.counts.items())
        clock = sent.add(_TICK_RESERVING, *reserving[0]) if reserving else sent.add(_TICK)
        firsts = {c: sent.add(_RESERVE, c, count) if n else clock for n, (c, count) in enumerate(reserving)}
        for index, op in enumerate(ops):
            if isinstance(op, Append) and op.key is None:
                c, back = keys.first
                appends[index] = sent.add(_APPEND_TO_CREATED, op.collection, _jsonb(op.entry), c, back)
            elif isinstance(op, Append):
                appends[index] = sent.add(_APPEND, op.collection, op.key, _jsonb(op.entry))
            elif isinstance(op, Put):
                records[index] = self._put(sent, index, op, keys.back.get(index))
            else:
                self._delete(sent, index, op)
        for c, number in keys.explicit:  # after the ops, which read their reserved keys back from the counter
            sent.add(_GIVEN, c, number + 1)
        if deadline is not None and not sent.fold(_CHECKED_IN_TIME, deadline):  # with the last op if it can
            sent.add(_IN_TIME, deadline)  # last: the pipeline's end commits
        copies = {}  # by op index: the copy of a Put's record the caller is given, of an Append's entry the tails keep

        def meanwhile():  # what needs no answer, made while the server runs the commit
            for index, op in enumerate(ops):
                if isinstance(op, Put):
                    records[index] = records[index] or _record(op, None)  # a created key: filled in below
                    copies[index] = copy(records[index])
                elif isinstance(op, Append):
                    copies[index] = copy(op.entry)
        answers = sent.run(meanwhile)
        if deadline is None:
            # Sent once every statement is answered: a commit given up on (see _Watchdog) has
            # then never sent it, and the server rolls the transaction back when it comes to.
            conn.execute("COMMIT")
        seq, server_time = row(answers[clock])[:2]
        self._server_clock.measured(float(server_time))
        first = {c: int(row(answers[at])[-1]) for c, at in firsts.items()}  # the reservation's last column
        stored, deleted, appended = [], [], []
        for index, op in enumerate(ops):
            if isinstance(op, Append):
                key, log_seq = row(answers[appends[index]])
                appended.append((op.collection, key, copies[index], int(log_seq)))
            elif isinstance(op, Put):
                record, returned = records[index], copies[index]
                if op.key is None:
                    record["id"] = returned["id"] = str(first[op.collection] + keys.offsets[index])
                stored.append((op.collection, record, returned))
            elif isinstance(op, Delete):
                deleted.append((op.collection, op.key))
        return int(seq), stored, deleted, appended

    def _conflict(self, conn, ops, exc):
        """The Conflict of the op whose store_expect refused it (the transaction rolled back)."""
        index, key = exc.diag.message_detail.split(" ", 1)
        op = ops[int(index)]
        with _autocommitting(conn):  # one round trip, not psycopg's BEGIN, the read and COMMIT
            return Conflict(op.collection, key, op.expected_version, self._version(conn, op.collection, key))

    def _put(self, sent, index, op, back):
        """Queue the write of one record, checked by store_expect: the record stored, or None
        when its key is created (`back`: how far below the collection's counter it stands)."""
        if back is not None:
            sent.add(_CREATE_RESERVED, op.collection, back, index, _jsonb({**op.record, "version": 1}))
            return None
        record = _record(op, op.key)
        if op.expected_version is None:
            sent.add(_CREATE, op.collection, op.key, _number(op.key), _jsonb(record), index)
        else:
            sent.add(_UPDATE, record["version"], _jsonb(record), op.collection, op.key, op.expected_version, index)
        return record

    def _delete(self, sent, index, op):
        """Queue a deletion, checked by store_expect unless it is unconditional."""
        if op.expected_version is None:
            sent.add(_DELETE_ANY, op.collection, op.key)
        else:
            sent.add(_DELETE, op.collection, op.key, op.expected_version, index)
        sent.add(_DELETED, op.collection, op.key)

    @contextlib.contextmanager
    def _reading(self):
        with self._mutex:
            if self._catch_up_due():
                self._catch_up()
            yield

    def _catch_up(self):
        """Bring the cache up to the database's clock (caller holds the mutex)."""
        seq, recent = self._clock()
        self._quiet = self._quiet + 1 if seq == self._seen else 0
        if self._quiet:
            return  # what nearly every request finds: one round trip
        if self._seen and recent is not None and recent[0] == (self._seen, self._tails.seen) \
                and self._took(recent[1]):
            return  # the look brought what changed (asked since what memory holds, not before)
        if self._seen and self._catch_up_a_few():
            return
        self._tails.lost()  # what this catch-up brings is too much to note
        try:
            with self._connection() as conn:
                with conn.cursor() as cur, self._watchdog.bound(conn):
                    # One snapshot for the rows and the deletions, consistent with `seq`.
                    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    cur.execute("SELECT seq FROM store_clock")
                    seq = cur.fetchone()[0]
                    cur.execute("SELECT collection, key FROM store_deleted WHERE seq > %s", (self._seen,))
                    deleted = cur.fetchall()
                # The rows come in batches through a server-side cursor, each kept (compacted)
                # as it arrives: a first catch-up of a large store never holds it twice.
                with conn.cursor(name="catch_up") as rows:
                    with self._watchdog.bound(conn):
                        # The records as text, decoded outside the watchdog's bound (see _batches).
                        rows.execute(f"SELECT collection, key, ({self._fetched})::text FROM store_records WHERE seq > %s "
                                     "AND collection <> ALL(%s)", (self._seen, sorted(self._on_disk)))
                    with _uncollected():
                        self._remember(seq, self._batches(conn, rows), deleted)
                conn.rollback()
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: cannot read: {_safe(exc)}") from exc
        except StoreError:
            raise
        except Exception as exc:  # closed pool
            raise StoreError(f"PostgreSQL store: cannot read: {exc}") from exc

    def _batches(self, conn, rows, fetched=lambda batches: batches):
        """The (collection, key, record) of a server-side cursor's (collection, key, JSON text)
        rows, each batch's fetch bounded as one answer and decoded after it: the bound is the
        server's time to answer, and decoding a batch is this process's work, which a large
        store's garbage collection, or a busy host, may make longer than the bound.
        `fetched`: how the batches are fetched (store/ahead.py: by a thread, ahead)."""
        for batch in fetched(self._fetches(conn, rows)):
            # No text: a record of a slim collection not read in yet (_columns), its key alone wanted.
            yield from ((c, key, text if text is None else pg_json.loads(text)) for c, key, text in batch)

    def _fetches(self, conn, rows):
        while True:
            with self._watchdog.bound(conn):
                batch = rows.fetchmany(_BATCH)
            if not batch:
                return
            yield batch

    def _clock(self):
        """The database's commit clock (caller holds the mutex): the look every request takes,
        on a connection of its own, as one prepared libpq statement. That costs 60% of a
        pooled psycopg statement, and this is the one statement every request pays for."""
        return self._on_clock_connection(self._read_clock)

    def _on_clock_connection(self, read):
        """read()'s answer, asked on the clock's connection (caller holds the mutex), or StoreError."""
        if self._pool.closed:
            raise StoreError("PostgreSQL store: cannot read: the store is closed")
        self._refuse_again()
        try:
            if self._clock_conn is not None:
                try:
                    return read()
                except psycopg.Error:
                    self._close_clock()  # a connection the server dropped (it restarted): once more, afresh
            return read()
        except psycopg.Error as exc:
            self._close_clock()
            raise self._note_refusal(StoreError(f"PostgreSQL store: cannot read: {_safe(exc)}")) from exc
        except StoreError:  # not answered in time: no second wait for a server that is not answering
            self._close_clock()
            raise

    def _read_clock(self):
        """(the clock, None), or (the clock, ((seen, logs_seen) asked since, the rows of _RECENT))
        when the look read_ahead sent for this thread asked for what changed too (store/pg_look.py)."""
        conn = self._clock_connection()
        with self._watchdog.bound(conn):
            if self._clock_sent is not None:
                # Sent for a request of this thread (read_ahead): its answer is this request's.
                # Sent for another thread's: taken off the connection, and the question asked anew.
                ours, self._clock_sent = self._clock_sent == threading.get_ident(), None
                result = self._answer(conn.pgconn)
                if ours and self._clock_asked is not None:
                    rows = pg_look.rows(result)
                    return next(seq for part, *_, seq in rows if part == "clock"), (self._clock_asked, rows)
                if ours:
                    return int(result.get_value(0, 0)), None
            return int(self._checked(conn.pgconn.exec_prepared(_CLOCK_NAME, None)).get_value(0, 0)), None

    def _answer(self, pgconn):
        result = next_result(pgconn)
        while next_result(pgconn) is not None:  # the end of the answer: the connection is free again
            pass
        return self._checked(result)

    @staticmethod
    def _checked(result):
        if result is None or result.status != pq.ExecStatus.TUPLES_OK:
            message = result.error_message.decode(errors="replace") if result is not None else "no answer"
            raise psycopg.OperationalError(message)
        return result

    def read_ahead(self) -> None:
        """Send the look at the commit clock as a request arrives, so that the answer
        travels while the request is parsed, its session read and its route found (some
        200 µs): its first read then takes the answer instead of waiting a round trip."""
        self._request.active, self._request.refusal = True, None
        with self._mutex:
            if self._clock_sent is not None or self._pool.closed or self._clock_conn is None:
                return  # connecting is the first read's (bounded) work: never twice in one request
            try:
                pgconn = self._clock_connection().pgconn
                if self._quiet < _QUIET and self._seen:  # others are committing: what they wrote too
                    self._clock_asked = (self._seen, self._tails.seen)
                    pgconn.send_query_prepared(pg_look.NAME, pg_look.parameters(
                        self._seen, sorted(self._on_disk), _BATCH, self._tails.seen))
                else:
                    self._clock_asked = None
                    pgconn.send_query_prepared(_CLOCK_NAME, None)
                self._clock_sent = threading.get_ident()
            except psycopg.Error:
                self._close_clock()  # the first read reconnects, and says what is wrong

    def read_done(self) -> None:
        """The request is over: an answer it did not take must not serve a later one."""
        self._request.active, self._request.refusal = False, None
        with self._mutex:
            if self._clock_sent == threading.get_ident():
                self._clock_sent = None
                try:
                    with self._watchdog.bound(self._clock_conn):
                        self._answer(self._clock_conn.pgconn)
                except (psycopg.Error, StoreError):
                    self._close_clock()

    def _clock_connection(self):
        if self._clock_conn is None:
            if not self._schema_ready:
                with self._connection():  # which creates the tables the clock is read from
                    pass
            # With the pool's settings: an unreachable server fails a request, never hangs it.
            conn = psycopg.connect(self._url, autocommit=True, **self._settings)
            for ask in (lambda: conn.pgconn.exec_(pg_look.GENERIC), lambda: conn.pgconn.prepare(_CLOCK_NAME, _CLOCK),
                        lambda: conn.pgconn.prepare(pg_look.NAME, pg_look.prepared(_RECENT))):
                with self._watchdog.bound(conn):
                    prepared = ask()
                if prepared.status != pq.ExecStatus.COMMAND_OK:
                    conn.close()
                    raise psycopg.OperationalError(prepared.error_message.decode(errors="replace"))
            self._clock_conn = conn
        return self._clock_conn

    def _close_clock(self):
        self._clock_sent = None
        if self._clock_conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._clock_conn.close()
            self._clock_conn = None

    def _catch_up_a_few(self):
        """What other processes wrote since, in one statement (one snapshot, consistent with
        the clock it reads): a round trip, not the six of the batched catch-up, and the look's
        statement, prepared on the clock's connection (not a pooled psycopg cursor). False, and
        nothing kept, when more rows than a batch have changed or been appended."""
        return self._took(self._on_clock_connection(self._read_recent))

    def _read_recent(self):
        conn = self._clock_connection()
        with self._watchdog.bound(conn):
            result = self._checked(conn.pgconn.exec_prepared(pg_look.NAME, pg_look.parameters(
                self._seen, sorted(self._on_disk), _BATCH, self._tails.seen)))
        return pg_look.rows(result)

    def _took(self, rows):
        """Keep what `rows` of _RECENT say changed, asked since what memory holds; False, and
        nothing kept, when a part came as full as a batch (there may be more)."""
        parts = {"deleted": [], "changed": [], "logged": []}
        logs = self._tails.seen  # asked since: the last store_logs seq, unless an entry is logged past it
        for part, c, key, data, seq in rows:
            if part == "clock":
                clock = seq
            elif part == "logs":  # asked for when none was seen
                logs = seq
            else:
                parts[part].append((c, key) if part == "deleted" else (c, key, data))
                logs = seq if part == "logged" and (logs is None or seq > logs) else logs
        if any(len(parts[part]) == _BATCH for part in ("deleted", "changed", "logged")):
            return False
        self._remember(clock, parts["changed"], parts["deleted"], whole=True)
        self._tails.noted(parts["logged"], logs)
        return True

    def _columns(self):
        """The catch-up's column of records, as memory holds them (store/slim.py's select)."""
        self._fetched = _slim.select(self._slim, self._unread)

    def _load_slim(self, collection):
        """Read the slim records of `collection` into memory (caller holds the mutex, caught up).
        One statement, one snapshot, which may stand after the clock memory caught up to: the
        next catch-up names again what changed in between, and puts it again."""
        try:
            with self._connection() as conn:
                with conn.cursor(name="load_slim") as rows:
                    with self._watchdog.bound(conn):
                        rows.execute(f"SELECT collection, key, ({_slim.sql(self._slim[collection])})::text "
                                     "FROM store_records WHERE collection = %s", (collection,))
                    with _uncollected():
                        # The server projects the next batch while this process packs the last.
                        for c, key, record in self._batches(conn, rows, ahead):
                            self._slim_records.put(c, key, record)
                conn.rollback()
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: cannot read: {_safe(exc)}") from exc
        self._unread.discard(collection)
        self._columns()

    def _remember(self, seq, changed, deleted, whole=False):
        """Keep the rows `changed` ((collection, key, record), any iterable) and forget
        those `deleted` ((collection, key)) — unless written again since — as of `seq`.
        `whole`: the records are whole, those of slim collections kept as read by key too.
        A record may come as its JSON text (the look's, bytes): kept so, decoded where first
        read, unless memory keeps its slim projection (packed now)."""
        deleted, wholes, kept = {(c, key) for c, key in deleted if c not in self._on_disk}, [], []
        for c, key, data in changed:
            if c in self._on_disk:
                continue
            if c not in self._slim:
                self._records.put(c, key, data)
            else:
                if type(data) is bytes and c not in self._unread:
                    data = pg_json.loads(data)
                wholes.append((c, key))
                if whole:
                    kept.append((c, key, data))
                if c not in self._unread:  # slim (the full catch-up's), or whole
                    self._slim_records.put(c, key, data)
            self._changes.note(c, key)
            deleted.discard((c, key))
        for c, key in deleted:
            (self._slim_records if c in self._slim else self._records).delete(c, key)
            self._changes.note(c, key)
        self._wholes.forget([*wholes, *((c, key) for c, key in deleted if c in self._slim)])
        began = self._wholes.begin()  # after forget(): a read by key begun before it is not kept
        for c, key, data in kept:
            self._wholes.keep(c, key, data, began)
        self._seen = seq

    @staticmethod
    def _version(conn, collection, key):
        row = conn.execute("SELECT version FROM store_records WHERE collection = %s AND key = %s",
                           (collection, key)).fetchone()
        return row[0] if row else None

    def _read(self, sql, params):
        """The rows of one statement, read as it stands now (its own transaction), or in
        this thread's one_state()."""
        held = self._held()
        if held is not None:
            try:
                return held.execute(sql, params).fetchall()
            except psycopg.Error as exc:
                raise StoreError(f"PostgreSQL store: cannot read: {_safe(exc)}") from exc
        try:
            with self._autocommit() as conn, self._watchdog.bound(conn):
                return conn.execute(sql, params).fetchall()
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: cannot read: {_safe(exc)}") from exc
        except StoreError:
            raise
        except Exception as exc:  # closed pool
            raise StoreError(f"PostgreSQL store: cannot read: {exc}") from exc

    def _stream(self, sql, params, batch=_BATCH):
        """The rows of one statement, fetched in batches as the caller consumes them
        (a server-side cursor, in one transaction: this thread's one_state(), if it is in one)."""
        held = self._held()
        try:
            with (contextlib.nullcontext(held) if held is not None else self._connection()) as conn, \
                    conn.cursor(name=f"stream_{next(_STREAMS)}") as rows:
                rows.itersize = batch
                rows.execute(sql, params)
                yield from rows
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: cannot read: {_safe(exc)}") from exc
        except StoreError:
            raise
        except Exception as exc:  # closed pool
            raise StoreError(f"PostgreSQL store: cannot read: {exc}") from exc

    @contextlib.contextmanager
    def _transaction(self):
        with self._connection() as conn:  # commits on success, rolls back on an exception
            with conn.cursor() as cur:
                yield cur

    @contextlib.contextmanager
    def _connection(self):
        """A pooled connection that is still open, the schema created: within `timeout`, or
        StoreError. Connections are checked here rather than by the pool's `check`, which
        sleeps a second after each dead one (a restarted server leaves all of them dead)."""
        if self._pool.closed:
            raise StoreError("PostgreSQL store: the store is closed")
        self._refuse_again()
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                conn = self._pool.getconn(timeout=max(deadline - time.monotonic(), 0.001))
            except PoolTimeout as exc:
                raise self._note_refusal(StoreError(
                    f"PostgreSQL store: no connection to the database within {self._timeout:g} s")) from exc
            if self._alive(conn):
                break
            conn.close()  # the pool replaces a closed connection
            self._pool.putconn(conn)
        try:
            if not self._schema_ready:
                self._create_schema(conn)
            with conn:  # as the pool's connection(): commits on success, rolls back on an exception
                yield conn
        finally:
            self._pool.putconn(conn)

    def _note_refusal(self, error):
        """`error`, kept for the rest of the request: see _refuse_again."""
        if getattr(self._request, "active", False):
            self._request.refusal = error
        return error

    def _refuse_again(self):
        """A request that found the database away is refused at once by its later reads (its
        session, its user, its error page): it waits once, not once per read."""
        refusal = getattr(self._request, "refusal", None)
        if refusal is not None:
            raise StoreError(str(refusal))

    def _alive(self, conn):
        """Whether a pooled connection still has a server behind it. An idle connection has
        nothing to read: a server that ended it (a restart, a terminated session) has said
        so on its socket, and only then is it asked (a round trip every read would cost)."""
        if conn.closed or conn.broken:
            return False
        try:
            poll = select.poll()
            poll.register(conn.pgconn.socket, select.POLLIN)
            if not poll.poll(0):
                return True
            with self._watchdog.bound(conn):
                ConnectionPool.check_connection(conn)
        except (psycopg.Error, OSError, StoreError):
            return False
        return True

    def _create_schema(self, conn):
        """The tables, on the first connection made (not at start: the server may be away)."""
        with conn, conn.cursor() as cur, self._watchdog.bound(conn):
            # Several processes may start at once: serialise schema creation.
            cur.execute("SELECT pg_advisory_xact_lock(7243531)")
            cur.execute("SELECT to_regclass('store_clock') IS NOT NULL, "
                        "to_regprocedure('store_expect(bigint,integer,text)') IS NOT NULL, "
                        "to_regprocedure('store_in_time(double precision)') IS NOT NULL, "
                        "to_regclass('store_records_data') IS NOT NULL")
            tables, expect, in_time, json_index = cur.fetchone()
            if not tables:  # DDL only once: it would lock tables others are writing
                cur.execute(SCHEMA)
            if tables and not expect:  # a database made before commits checked versions on the server
                cur.execute(_EXPECT)
            if tables and not in_time:  # ... or were sent whole with their COMMIT
                cur.execute(IN_TIME)
            if json_index:  # made when records had an index over their JSON, which no query used
                cur.execute("DROP INDEX store_records_data")
            _compress_with_lz4(conn, cur)
            _prune_often(conn, cur)
        self._schema_ready = True

    @contextlib.contextmanager
    def _autocommit(self):
        """A pooled connection whose statements begin and end their own transaction (_autocommitting)."""
        with self._connection() as conn, _autocommitting(conn):
            yield conn


@contextlib.contextmanager
def _autocommitting(conn):
    """`conn` switched to autocommit meanwhile: a read is one round trip, not three (psycopg's
    implicit BEGIN, then a ROLLBACK). Anything left open on the way out, by an exception, is
    rolled back, and the connection is left as the pool hands connections out."""
    conn.autocommit = True
    try:
        yield conn
    finally:
        try:
            if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
                conn.rollback()
            conn.autocommit = False  # as the pool hands connections out: implicit transactions
        except psycopg.Error:
            pass  # a broken connection, which the pool replaces: the first error is the one to report


def _compress_with_lz4(conn, cur):
    """Records' JSON compressed with lz4 where the server has it (built with lz4, 14 or later):
    a document's JSON, some 3 KB, is past TOAST's 2 KB threshold, so every write of it is
    compressed, and lz4 compresses faster (a document's UPDATE: 54 us of the server's time
    with pglz, 40 with lz4). Rows written before stay as they are (each compressed value
    names its method). Changed once, by the first process of this version to open the
    database; the ALTER locks the table, so it waits for it a moment only: while other
    processes hold it busy, pglz stays, and a later process changes it."""
    if conn.info.server_version < 140000:  # no choice of compression before 14
        return
    cur.execute("SELECT (SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'), "
                "(SELECT attcompression = 'l' FROM pg_attribute WHERE attrelid = 'store_records'::regclass "
                "AND attname = 'data')")
    has_lz4, changed = cur.fetchone()
    if has_lz4 and not changed:
        _alter_at_once(conn, cur, "ALTER TABLE store_records ALTER COLUMN data SET COMPRESSION lz4")


# Tables of a row or a few that every commit updates (the clock, the key counters). Each update
# leaves the row's old version on the table's one page, and PostgreSQL prunes the dead ones when
# the page is past its fillfactor's fill: at the default (100), some 150 versions pile up, which
# every read of the row (several a commit, one a look) walks past. At 10, some 20 do (the server's
# instructions a transition's commit: ~800k -> ~730k, a look's ~21k -> ~9k). A storage setting
# only: changed in place.
_PRUNED_OFTEN = ("store_clock", "store_keys")
_FILLFACTOR = "fillfactor=10"


def _prune_often(conn, cur):
    """The fillfactor of _PRUNED_OFTEN's tables, in a new database and one made before. The ALTER
    takes a lock that writes do not wait for (nor it for them); as for lz4, a moment only."""
    cur.execute("SELECT relname FROM pg_class WHERE oid = ANY(%s::regclass[]) "
                "AND NOT coalesce(%s = ANY(reloptions), false)", (list(_PRUNED_OFTEN), _FILLFACTOR))
    for (table,) in cur.fetchall():
        _alter_at_once(conn, cur, f"ALTER TABLE {table} SET ({_FILLFACTOR})")


def _alter_at_once(conn, cur, statement):
    """Run `statement`, an ALTER of the schema's creation, if its lock comes within a moment;
    else leave it to a later process (while other processes hold the table busy)."""
    try:
        with conn.transaction():  # a savepoint: a wait given up on leaves the schema's transaction going
            cur.execute("SET LOCAL lock_timeout = '100ms'")
            cur.execute(statement)
    except psycopg.errors.LockNotAvailable:
        pass


def _settings(url, timeout):
    """The connection settings that bound every wait, unless the URL gives its own:
    connect_timeout (libpq's least is 2 s), and the server's statement_timeout and
    lock_timeout (in `options`), so that the server gives up on what the client did; and
    jit off: a slim record's projection (store/slim.py) is costed so high that the server
    would compile it, 1-3 s, at every catch-up and at the first read of a slim collection.
    `options` given here replaces libpq's default, PGOPTIONS: what that names is kept
    (as libpq would send it) unless the URL gives options of its own."""
    given = psycopg.conninfo.conninfo_to_dict(url)
    settings = {}
    if "connect_timeout" not in given:
        settings["connect_timeout"] = max(2, math.ceil(timeout))
    options = given.get("options") or os.environ.get("PGOPTIONS", "")
    added = [f"-c {name}={value}" for name, value in (("statement_timeout", round(timeout * 1000)),
                                                      ("lock_timeout", round(timeout * 500)), ("jit", "off"))
             if name not in options]
    if added:
        settings["options"] = " ".join([options, *added]).strip()
    return settings


class _Watchdog:
    """Breaks the connection of a request whose answer has not come within `limit` seconds.
    statement_timeout is for the server to enforce, and a server that does not run (frozen,
    or its host cut off) enforces nothing while libpq waits for ever: shutting the socket
    down wakes the waiting thread with an error, and the pool replaces the connection."""

    def __init__(self, limit, refused):
        self.limit = limit
        self._refused = refused  # given the StoreError a late answer raises
        self._lock = threading.Lock()
        self._waiting = {}  # token -> (deadline, the connection's socket)
        self._thread = None
        self._stopped = False

    @contextlib.contextmanager
    def bound(self, conn):
        token = object()
        with self._lock:
            self._waiting[token] = (time.monotonic() + self.limit, conn.pgconn.socket)
            if self._thread is None or not self._thread.is_alive():  # also in a forked child
                self._stopped = False
                self._thread = threading.Thread(target=self._watch, name="store-watchdog", daemon=True)
                self._thread.start()
        try:
            yield
        except psycopg.Error as exc:
            with self._lock:
                broken = self._waiting.pop(token, None) is None
            if broken:
                raise self._refused(StoreError(f"PostgreSQL store: the database did not answer within "
                                               f"{self.limit:g} s")) from exc
            raise
        finally:
            with self._lock:
                self._waiting.pop(token, None)

    def stop(self):
        self._stopped = True

    def _watch(self):
        while not self._stopped:
            time.sleep(0.05)
            now = time.monotonic()
            with self._lock:
                late = [token for token, (deadline, _) in self._waiting.items() if deadline <= now]
                for token in late:
                    _shut(self._waiting.pop(token)[1])


def _shut(fd):
    """End a connection's socket under libpq's feet: its wait returns, with an error."""
    with contextlib.suppress(OSError):
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)


def _safe(exc):
    """The database's message without connection details (a DSN may hold a password)."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
