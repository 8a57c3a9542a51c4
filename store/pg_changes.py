"""How a PostgreSQL process finds what other processes committed since it last looked.

Every record a commit writes, and every deletion it notes, is stamped with the id of the
writing transaction (``pg_current_xact_id()``: 64 bits, never wrapping), and every commit adds
its id to store_commits (a log is appended to without a record changing). No row is written by
every commit, so commits hold no lock in common and run side by side, and PostgreSQL's group
commit flushes their WAL together (a clock row advanced by every commit held its lock until
COMMIT's flush, which serialised commits whole).

Transaction ids are handed out as transactions begin to write, not as they commit: a
transaction may commit after one with a higher id, so "stamped above the highest seen" would
miss it. What is complete is a snapshot (``pg_current_snapshot()``): it sees the work of every
transaction below its ``xmax`` but those in its ``xip`` list, still running when it was taken.
A process holding the store as of snapshot S has therefore seen every row but those stamped
at or above S's xmax or with an id in S's xip, and the next look asks for exactly those (two
index lookups), whatever order their transactions committed in; having read them, it stands
at the snapshot it read them in. Its own commits, which it keeps in memory as it makes them,
are left out of that question by id until a snapshot sees them. The look each request takes
(LOOK) asks it and brings the rows unseen in the same answer, when they are few.
"""
from __future__ import annotations

# Rows that a process standing at `Seen` has not seen: its snapshot does not see their
# transaction, and they are not its own commits (already held). Each statement asks in two
# parts, those of transactions begun after the snapshot (xid >= xmax, in xid order) and those
# of each transaction running when it was taken (its xip, one at a time), so that the plan
# PostgreSQL keeps for a prepared statement, made without the values, goes down the xid
# index: "xid >= $1" alone it takes for a third of the table, and an EXISTS over it, or over
# "xid = ANY($1)", for a sequential scan that soon finds one, which goes through it all.
OWN_MOST = 32  # own commits a Seen names at most (see Seen.__init__)


def _after(columns, table, xmax, own, most, also=""):
    """`own`: None to count own commits among the `most` too."""
    own = "" if own is None else f" AND xid <> ALL({own}::xid8[])"
    return f"SELECT {columns} FROM {table} WHERE xid >= {xmax}::xid8{own}{also} ORDER BY xid LIMIT {most}"


def _running(columns, table, xip, own, most, also=""):
    return (f"SELECT {columns} FROM unnest({xip}::xid8[]) AS running (x), LATERAL (SELECT * FROM {table} "
            f"WHERE xid = running.x{also} LIMIT {most}) AS found WHERE x <> ALL({own}::xid8[])")


def _any_unseen(xmax, xip, own, also=""):
    """Whether a commit is unseen: of the first commits begun after the snapshot, more than
    can be own (or this transaction), or any of those running when it was taken."""
    return (f"EXISTS (SELECT 1 FROM ({_after('xid', 'store_commits', xmax, None, OWN_MOST + 2)}) AS first "
            f"WHERE xid <> ALL({own}::xid8[]){also}) "
            f"OR EXISTS ({_running('1', 'store_commits', xip, own, 1, also)})")


# The last statement of a commit (parameters as Seen.params): its mark, and a look at what is
# unseen: the commit's transaction id, the snapshot, and whether it sees another commit unseen.
MARK = "INSERT INTO store_commits DEFAULT VALUES"
COMMITTING = (f"WITH mark AS ({MARK}) SELECT pg_current_xact_id()::text, pg_current_snapshot()::text, "
              f"{_any_unseen('%(xmax)s', '%(xip)s', '%(own)s', ' AND xid <> pg_current_xact_id()')}")

MOST = 500  # rows of each part the look brings; when a part has more, a catch-up reads them in batches


def _unseen_rows(columns, table, also=""):
    """The unseen rows of `table` (parameters as Seen.values), at most MOST of each part."""
    return (f"({_after(columns, table, '$1', '$3', MOST, also)}) UNION ALL "
            f"({_running(columns, table, '$2', '$3', MOST, also)})")


# The look every request takes (prepared once, on the look's connection; parameters as
# Seen.values): in one snapshot, the snapshot itself, whether it sees a commit unseen (a log
# appended to changes no record), and the rows unseen (deleted, and changed as JSON text).
LOOK = (f"SELECT 'snapshot', NULL, NULL, pg_current_snapshot()::text "
        f"UNION ALL SELECT 'unseen', NULL, NULL, ({_any_unseen('$1', '$2', '$3')})::text UNION ALL "
        + _unseen_rows("'deleted', collection, key, NULL", "store_deleted") + " UNION ALL "
        + _unseen_rows("'changed', collection, key, data::text", "store_records", " AND collection <> ALL($4::text[])"))


class Look:
    """The answer to LOOK: `snapshot`, whether anything is `unseen`, the `deleted`
    [(collection, key)] and `changed` [(collection, key, JSON text)] rows, and whether it
    brought them `whole` (no part cut short at MOST)."""

    def __init__(self, rows):
        self.deleted, self.changed = [], []
        for part, collection, key, text in rows:
            if part == "snapshot":
                self.snapshot = text
            elif part == "unseen":
                self.unseen = text == "true"
            elif part == "deleted":
                self.deleted.append((collection, key))
            else:
                self.changed.append((collection, key, text))
        self.whole = len(self.deleted) < MOST and len(self.changed) < MOST  # each of two parts at most MOST


# The same without bounds, for a catch-up in batches (not prepared: planned with the values).
_EVERY = ("((xid >= %(xmax)s::xid8 OR xid = ANY(%(xip)s::xid8[])) AND xid <> ALL(%(own)s::xid8[]))")
DELETED = f"SELECT collection, key FROM store_deleted WHERE {_EVERY}"
CHANGED = f"SELECT collection, key, data::text FROM store_records WHERE {_EVERY} AND collection <> ALL(%(on_disk)s)"

# A database made when one clock row stamped commits (store_clock): stamped by transaction id
# from now on. The rows already there are stamped 0 (and no commit marked), which every snapshot sees: a process
# opening the upgraded store reads them whole once, as it would have. Metadata only (a
# constant default first): no table is rewritten. Every process must run this code from then.
# The jsonb index goes: nothing queried it, and every write of a document paid to keep it.
UPGRADE = """
ALTER TABLE store_records ADD COLUMN xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE store_records ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
ALTER TABLE store_records DROP COLUMN seq;
CREATE INDEX store_records_xid ON store_records (xid);
ALTER TABLE store_deleted ADD COLUMN xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE store_deleted ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
ALTER TABLE store_deleted DROP COLUMN seq;
CREATE INDEX store_deleted_xid ON store_deleted (xid);
CREATE TABLE store_commits (xid xid8 PRIMARY KEY DEFAULT pg_current_xact_id());
DROP TABLE store_clock;
DROP INDEX IF EXISTS store_records_data;
"""


class Seen:
    """Where a process's memory stands: the snapshot it has read the store as of (xmax and
    xip; xmax 0 sees nothing: a process that has read nothing yet), and the ids of its own
    commits that it holds and that snapshot does not see. Never changed: a new one replaces it."""

    def __init__(self, xmax: int = 0, xip: frozenset = frozenset(), own: frozenset = frozenset()):
        self.xmax, self.xip = xmax, xip
        # The latest OWN_MOST at most: one left out is only read again, as another's would be.
        self.own = frozenset(sorted(xid for xid in own if not self.sees(xid))[-OWN_MOST:])

    @classmethod
    def at(cls, snapshot: str, own=frozenset()) -> Seen:
        """At the snapshot of pg_current_snapshot()'s text ("xmin:xmax:xip,xip,...")."""
        _, xmax, xip = snapshot.split(":")
        return cls(int(xmax), frozenset(int(xid) for xid in xip.split(",") if xid), own)

    def moved_to(self, snapshot: str) -> Seen:
        """At a later snapshot, with the same memory: own commits that it sees are no longer own."""
        return Seen.at(snapshot, self.own)

    def with_own(self, xid: int) -> Seen:
        return Seen(self.xmax, self.xip, self.own | {xid})

    def sees(self, xid: int) -> bool:
        return xid < self.xmax and xid not in self.xip

    @property
    def nothing(self) -> bool:
        """Whether nothing has been read yet (every row is unseen)."""
        return self.xmax == 0

    def params(self) -> dict:
        return {"xmax": str(self.xmax), "xip": _array(self.xip), "own": _array(self.own)}

    def values(self, on_disk) -> list[bytes]:
        """LOOK's parameters, as libpq sends them (`on_disk`: the collections not held)."""
        params = self.params()
        names = ",".join('"' + c.replace("\\", "\\\\").replace('"', '\\"') + '"' for c in sorted(on_disk))
        return [params[name].encode() for name in ("xmax", "xip", "own")] + [("{" + names + "}").encode()]


def _array(xids) -> str:
    return "{" + ",".join(map(str, sorted(xids))) + "}"
