"""Persistence for the app: one transactional JSON document store behind ``open_store``."""
from __future__ import annotations

import os

from .aside import Aside, can_make_aside
from .base import EVERY, Append, Conflict, Delete, Put, Store, StoreError, Unconfirmed
from .pg_json import long_digits
from .records import key_order
from .snapshot import FILENAME
from .staged import AsWritten, Staged, stage
from .streamed import Copying, OutOfOrder

# Seconds a request waits for the PostgreSQL server (a connection, then each answer) before it is refused.
TIMEOUT_ENV = "EQUALITY_DB_TIMEOUT"

# The interface: the operations, the stores (a backup staged on disk read as one, to check it
# before loading: stage, Staged, AsWritten; its rows handed to a load as they are staged: Copying,
# OutOfOrder), EVERY (on_disk naming every collection) and key_order, the order every backend
# lists keys in; long_digits: whether orjson may read an integer of JSON text as a float; exists:
# whether opening a store would make it; open_aside: a new store made beside its path and moved
# there whole; loads_as_staged: whether load_staged takes a Copying.
__all__ = ["EVERY", "Append", "AsWritten", "Aside", "Conflict", "Copying", "Delete", "OutOfOrder", "Put", "Staged",
           "Store", "StoreError", "Unconfirmed", "exists", "key_order", "loads_as_staged", "long_digits", "open_aside",
           "open_store", "stage"]


def open_store(url_or_path: str, on_disk=(), slim=None) -> Store:
    """Open the store named by a plain directory path or a URL.

    ``tinydb:///abs/dir``, ``tinydb://relative/dir`` or a plain path: the TinyDB
    backend on that directory (created if missing). ``postgresql://...`` (or
    ``postgres://``): the PostgreSQL backend on that database, its tables
    created if missing. ``on_disk``: record collections read a record at a
    time, never listed per request, which a backend need not hold in memory
    (EVERY: all of them, for going through the whole store once). ``slim``:
    {collection: the fields its lists decide on} (store/slim.py), collections a backend
    may hold only those fields of in memory (Store.scan_slim), reading whole records by
    key: PostgreSQL does; TinyDB holds them whole.
    """
    if _is_postgresql(url_or_path):
        from .postgres_store import PostgresStore

        return PostgresStore(url_or_path, timeout=_timeout(), on_disk=on_disk, slim=slim)
    from .tinydb_store import TinyDBStore

    return TinyDBStore(_tinydb_path(url_or_path), on_disk=on_disk, background=True)  # compactions in a child


def exists(url_or_path: str) -> bool:
    """Whether opening the store named so (see open_store) writes nothing, there being one there
    already: a TinyDB directory holding a snapshot; a PostgreSQL database, always (its tables
    are made at the first use, as any process opening it makes them)."""
    if _is_postgresql(url_or_path):
        return True
    return os.path.isfile(os.path.join(_tinydb_path(url_or_path), FILENAME))


def loads_as_staged(url_or_path: str) -> bool:
    """Whether the store named so loads a backup as it is staged (Store.load_staged taking a
    Copying, its rows COPYd as they come): PostgreSQL does; TinyDB copies the staged file whole."""
    return _is_postgresql(url_or_path)


def open_aside(url_or_path: str, on_disk=()) -> Aside | None:
    """The new store that opening ``url_or_path`` would make, made aside (store/aside.py) so that
    the path holds nothing until it is placed there whole; None where opening it would make no
    new directory (a PostgreSQL database; a TinyDB path where something lies already, or whose
    directory does not exist): open that as ever."""
    if _is_postgresql(url_or_path) or not can_make_aside(_tinydb_path(url_or_path)):
        return None
    from .tinydb_store import TinyDBStore

    return Aside(_tinydb_path(url_or_path), lambda scratch: TinyDBStore(scratch, on_disk=on_disk, background=True))


def _is_postgresql(url_or_path: str) -> bool:
    return url_or_path.startswith(("postgresql://", "postgres://"))


def _tinydb_path(url_or_path: str) -> str:
    if url_or_path.startswith("tinydb://"):
        path = url_or_path[len("tinydb://"):]
    elif "://" in url_or_path:
        raise StoreError(f"unknown store URL scheme: {url_or_path.split('://')[0]}")
    else:
        path = url_or_path
    if not path:
        raise StoreError("store path is empty")
    return path


def _timeout() -> float:
    given = os.environ.get(TIMEOUT_ENV, "2")
    try:
        seconds = float(given)
    except ValueError:
        seconds = 0.0
    if not 0.5 <= seconds <= 600:
        raise StoreError(f"{TIMEOUT_ENV} must be a number of seconds from 0.5 to 600, not {given!r}")
    return seconds
