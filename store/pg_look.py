"""The look at the PostgreSQL commit clock that brings what other processes committed.

Every request looks at the clock as it arrives (PostgresStore.read_ahead), on a connection
of its own, with a prepared statement; when the clock moved, a second statement brought
what changed. While other processes are committing (one of the last few looks found the
clock moved: PostgresStore._QUIET), the look asks for that too, as one prepared statement —
the catch-up's (_RECENT) — whose answer travels while the request is parsed; when they are
not, it asks for the clock alone, which costs the server less: a store only read pays for
this only in the few looks after another process's last commit.

The statement is prepared and answered through libpq directly (the clock connection is
not used through psycopg's cursors): its parameters are sent, and its rows read, as text.
"""
from __future__ import annotations

NAME = b"recent"
# Planned once, not at every look: the server plans a prepared statement afresh for each
# execution's parameters while its plan for any parameters costs more by its estimate (a
# third of the table past `seen`), and did so here at every look, 150 µs of its CPU against
# 50 µs to run it. The plan for any parameters walks the seq indexes, as far as the LIMIT.
GENERIC = b"SET plan_cache_mode = force_generic_plan"
_PARAMETERS = ("seen", "on_disk", "most", "logs_seen")


def prepared(sql: str) -> bytes:
    """`sql` (psycopg's named placeholders, those of _PARAMETERS) with libpq's numbered ones."""
    for number, name in enumerate(_PARAMETERS, 1):
        sql = sql.replace(f"%({name})s", f"${number}")
    return sql.encode()


def parameters(seen: int, on_disk, most: int, logs_seen: int | None) -> list:
    """The statement's parameters as text, in the order of _PARAMETERS (None: NULL)."""
    names = ",".join('"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"' for name in on_disk)
    return [str(seen).encode(), f"{{{names}}}".encode(), str(most).encode(),
            None if logs_seen is None else str(logs_seen).encode()]


def rows(result) -> list[tuple]:
    """The (part, collection, key, record or entry, seq) rows of the statement's answer, each
    record or entry as its JSON text (bytes), decoded where it is first read (store/records.py
    Records.put, store/slim.py Whole, store/pg_tails.py): most are never read by this process."""
    def text(value):
        return None if value is None else value.decode()
    found = []
    for row in range(result.ntuples):
        part, collection, key, data, seq = (result.get_value(row, column) for column in range(5))
        found.append((part.decode(), text(collection), text(key), data, int(seq)))
    return found
