"""The PostgreSQL backend: records as JSONB rows, logs in an append-only table.

Several application processes on several hosts may share one database, so
every guarantee comes from PostgreSQL itself rather than from this process:

- a commit is one transaction; a Put's version check is the WHERE clause of
  its UPDATE (or the primary key of its INSERT), which PostgreSQL re-checks
  against the latest row after waiting for a concurrent writer, so a stale
  write finds no row and is refused, even under READ COMMITTED;
- keys handed out for ``Put(key=None)`` come from a per-collection counter
  row, locked by the update that advances it, and are never reused;
- the log table refuses UPDATE and DELETE by trigger: history is appended,
  never rewritten, whatever code connects.

Scans with ``match`` use the GIN index on the record (``data @> match``).
"""
from __future__ import annotations

import contextlib
import logging

from .base import Append, Conflict, Op, Put, Store, StoreError, validate

log = logging.getLogger(__name__)

try:
    import psycopg
    from psycopg.types.json import Jsonb
    from psycopg_pool import ConnectionPool
except ImportError:  # the TinyDB default needs none of this
    psycopg = None

SCHEMA = """
CREATE TABLE IF NOT EXISTS store_records (
    collection text NOT NULL,
    key text NOT NULL,
    num bigint,  -- the key as a number when it is one: scans order numeric keys first
    version integer NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (collection, key)
);
CREATE INDEX IF NOT EXISTS store_records_order ON store_records (collection, num, key);
CREATE INDEX IF NOT EXISTS store_records_data ON store_records USING gin (data jsonb_path_ops);
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
"""

_ORDER = "ORDER BY num NULLS LAST, key"


def _number(key: str):
    return int(key) if key.isascii() and key.isdigit() and len(key) < 19 else None


class PostgresStore(Store):
    """See the module docstring. ``url``: a libpq connection URI."""

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 8):
        if psycopg is None:
            raise StoreError("the PostgreSQL backend needs psycopg: pip install -r requirements.txt")
        self._url = url
        try:
            self._pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=True,
                                        kwargs={"autocommit": False}, timeout=30)
            self._pool.wait(timeout=30)
            with self._transaction() as cur:
                # Several processes may start at once: serialise schema creation.
                cur.execute("SELECT pg_advisory_xact_lock(7243531)")
                cur.execute(SCHEMA)
        except (psycopg.Error, OSError) as exc:
            with contextlib.suppress(Exception):
                self._pool.close()
            raise StoreError(f"cannot open PostgreSQL store: {_safe(exc)}") from exc
        except Exception as exc:  # the pool's own timeout when the server is unreachable
            with contextlib.suppress(Exception):
                self._pool.close()
            raise StoreError(f"cannot open PostgreSQL store: {exc}") from exc

    # -- reads ---------------------------------------------------------------

    def get(self, collection: str, key: str) -> dict | None:
        rows = self._read("SELECT data FROM store_records WHERE collection = %s AND key = %s",
                          (collection, key))
        return rows[0][0] if rows else None

    def scan(self, collection: str, match: dict | None = None) -> list[dict]:
        if match:
            rows = self._read(f"SELECT data FROM store_records WHERE collection = %s AND data @> %s {_ORDER}",
                              (collection, Jsonb(match)))
        else:
            rows = self._read(f"SELECT data FROM store_records WHERE collection = %s {_ORDER}", (collection,))
        return [row[0] for row in rows]

    def log(self, collection: str, key: str) -> list[dict]:
        rows = self._read("SELECT entry FROM store_logs WHERE collection = %s AND key = %s ORDER BY seq",
                          (collection, key))
        return [row[0] for row in rows]

    def collections(self) -> dict:
        return {"records": [r[0] for r in self._read("SELECT DISTINCT collection FROM store_records ORDER BY 1", ())],
                "logs": [r[0] for r in self._read("SELECT DISTINCT collection FROM store_logs ORDER BY 1", ())]}

    def log_keys(self, collection: str) -> list[str]:
        rows = self._read("SELECT DISTINCT key FROM store_logs WHERE collection = %s", (collection,))
        return sorted((r[0] for r in rows), key=lambda k: (_number(k) is None, _number(k) or 0, k))

    # -- writes --------------------------------------------------------------

    def load(self, records: dict, logs: dict) -> None:
        try:
            with self._transaction() as cur:
                cur.execute("LOCK TABLE store_records, store_logs IN EXCLUSIVE MODE")
                cur.execute("SELECT EXISTS (SELECT 1 FROM store_records) OR EXISTS (SELECT 1 FROM store_logs)")
                if cur.fetchone()[0]:
                    raise StoreError("the PostgreSQL store is not empty: load a backup into an empty store")
                with cur.copy("COPY store_records (collection, key, num, version, data) FROM STDIN") as copy:
                    for c, rs in records.items():
                        for r in rs:
                            copy.write_row((c, r["id"], _number(r["id"]), r["version"], Jsonb(r)))
                with cur.copy("COPY store_logs (collection, key, entry) FROM STDIN") as copy:
                    for c, by_key in logs.items():
                        for key, entries in by_key.items():
                            for e in entries:
                                copy.write_row((c, key, Jsonb(e)))
                cur.execute("INSERT INTO store_keys (collection, next) SELECT collection, max(num) + 1 "
                            "FROM store_records WHERE num IS NOT NULL GROUP BY collection "
                            "ON CONFLICT (collection) DO UPDATE SET next = greatest(store_keys.next, excluded.next)")
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: {_safe(exc)}") from exc

    def commit(self, ops: list[Op]) -> list[dict]:
        ops = list(ops)
        for op in ops:
            validate(op)
        if not ops:
            return []
        try:
            with self._transaction() as cur:
                return self._apply(cur, ops)
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: {_safe(exc)}") from exc

    def close(self) -> None:
        self._pool.close()

    # -- internals -----------------------------------------------------------

    def _apply(self, cur, ops):
        # Keys first: an Append(key=None) names the first created key, wherever its Put stands.
        keys = [self._new_key(cur, op.collection) if isinstance(op, Put) and op.key is None else op.key
                for op in ops]
        first_new = next((key for op, key in zip(ops, keys) if isinstance(op, Put) and op.key is None), None)
        stored = []
        for op, key in zip(ops, keys):
            if isinstance(op, Append):
                if key is None and first_new is None:
                    raise ValueError("Append with key=None needs a Put with key=None in the same commit")
                cur.execute("INSERT INTO store_logs (collection, key, entry) VALUES (%s, %s, %s)",
                            (op.collection, key or first_new, Jsonb(op.entry)))
            elif isinstance(op, Put):
                stored.append(self._put(cur, op, key))
            else:
                self._delete(cur, op)
        return stored

    def _new_key(self, cur, collection):
        cur.execute("INSERT INTO store_keys AS k (collection, next) VALUES (%s, 2) "
                    "ON CONFLICT (collection) DO UPDATE SET next = k.next + 1 RETURNING next - 1",
                    (collection,))
        return str(cur.fetchone()[0])

    def _put(self, cur, op, key):
        version = (op.expected_version or 0) + 1
        record = {**op.record, "id": key, "version": version}
        if op.expected_version is None:
            cur.execute("INSERT INTO store_records (collection, key, num, version, data) "
                        "VALUES (%s, %s, %s, 1, %s) ON CONFLICT DO NOTHING",
                        (op.collection, key, _number(key), Jsonb(record)))
        else:
            cur.execute("UPDATE store_records SET version = %s, data = %s "
                        "WHERE collection = %s AND key = %s AND version = %s",
                        (version, Jsonb(record), op.collection, key, op.expected_version))
        if cur.rowcount != 1:
            raise Conflict(op.collection, key, op.expected_version, self._version(cur, op.collection, key))
        number = _number(key)
        if number is not None and op.expected_version is None:
            # Never hand out a key that was given explicitly (as the TinyDB backend).
            cur.execute("INSERT INTO store_keys AS k (collection, next) VALUES (%s, %s) "
                        "ON CONFLICT (collection) DO UPDATE SET next = greatest(k.next, excluded.next)",
                        (op.collection, number + 1))
        return record

    def _delete(self, cur, op):
        if op.expected_version is None:
            cur.execute("DELETE FROM store_records WHERE collection = %s AND key = %s", (op.collection, op.key))
            return
        cur.execute("DELETE FROM store_records WHERE collection = %s AND key = %s AND version = %s",
                    (op.collection, op.key, op.expected_version))
        if cur.rowcount != 1:
            raise Conflict(op.collection, op.key, op.expected_version, self._version(cur, op.collection, op.key))

    @staticmethod
    def _version(cur, collection, key):
        cur.execute("SELECT version FROM store_records WHERE collection = %s AND key = %s", (collection, key))
        row = cur.fetchone()
        return row[0] if row else None

    def _read(self, sql, params):
        try:
            with self._pool.connection() as conn:
                with conn.cursor() as cur:
                    cur.execute(sql, params)
                    rows = cur.fetchall()
                conn.rollback()  # end the read's transaction: no connection idles inside one
                return rows
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store: cannot read: {_safe(exc)}") from exc
        except Exception as exc:  # pool timeout, closed pool
            raise StoreError(f"PostgreSQL store: cannot read: {exc}") from exc

    @contextlib.contextmanager
    def _transaction(self):
        with self._pool.connection() as conn:  # commits on success, rolls back on an exception
            with conn.cursor() as cur:
                yield cur


def _safe(exc):
    """The database's message without connection details (a DSN may hold a password)."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
