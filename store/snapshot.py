"""The snapshot file: the whole store as one TinyDB-layout JSON object.

Layout (each top-level key is a TinyDB table, each table maps key -> record)::

    {"_meta":       {"1": {"generation": 7, "next_keys": {"documents": 42}}},
     "documents":   {"1": {...record...}, "2": {...}},
     "log:history": {"1": {"entries": [{...}, {...}]}}}

``tinydb.TinyDB(path, access_mode="r").table("documents").all()`` reads it
(for tables with numeric keys; TinyDB's Table casts keys with ``int``).
Generation g means "everything before journal g is in here; replay
journal-g.jsonl on top".
"""
from __future__ import annotations

import json
import os

META = "_meta"
LOG_PREFIX = "log:"
FILENAME = "snapshot.json"


def signature(st: os.stat_result) -> tuple:
    """Identity of one snapshot file: changes whenever a compaction replaces it."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def load(path: str) -> tuple[int, dict, dict, dict, tuple]:
    """Return (generation, records, logs, next_keys, signature) from the snapshot at path."""
    with open(path, "rb") as f:
        sig = signature(os.fstat(f.fileno()))
        raw = json.loads(f.read())
    meta = raw.pop(META, {}).get("1", {})
    records, logs = {}, {}
    for table, docs in raw.items():
        if table.startswith(LOG_PREFIX):
            logs[table[len(LOG_PREFIX):]] = {k: d["entries"] for k, d in docs.items()}
        else:
            records[table] = docs
    return meta.get("generation", 1), records, logs, meta.get("next_keys", {}), sig


def write(directory: str, generation: int, records: dict, logs: dict, next_keys: dict) -> tuple:
    """Atomically replace the snapshot (temp file, fsync, os.replace, fsync dir); return its signature.

    On failure the temp file is removed and the old snapshot stays in place.
    """
    doc = {META: {"1": {"generation": generation, "next_keys": next_keys}}}
    doc.update((name, docs) for name, docs in records.items() if docs)
    doc.update(
        (LOG_PREFIX + name, {k: {"entries": v} for k, v in entries.items()})
        for name, entries in logs.items() if entries
    )
    data = json.dumps(doc, separators=(",", ":")).encode()
    path = os.path.join(directory, FILENAME)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            sig = signature(os.fstat(fd))
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(directory)
    return sig


def fsync_dir(directory: str) -> None:
    """Make renames/creations in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
