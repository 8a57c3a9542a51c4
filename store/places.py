"""The places file a compaction writes beside its snapshot: where each record of the tables
kept on disk lies in it (store/snapshot.place), for the processes that take the new
generation on without reading the snapshot (store/successor.py).

Parsing 160,000 places (a store of 50,000 documents) into a dict takes a tenth of a second,
a pause every request of that process would wait out; so the file is read where it lies,
through mmap: a table is its keys sorted, found by bisection (a few microseconds a key).

Layout: a JSON header line {"signature", "on_disk", "tables": {table: [start, count]}};
then each table at ``start``: count+1 little-endian uint64 offsets of its keys in the
blob, count int64 places, and the blob of its UTF-8 keys in byte order.
"""
from __future__ import annotations

import json
import mmap
import os
from collections.abc import Mapping
from struct import Struct

from .retire import hold
from .snapshot import write_synced

_U64 = Struct("<Q")
_PAIR = Struct("<2Q")
_I64 = Struct("<q")


def write(path: str, header: dict, tables: dict, sync_every: int) -> None:
    """Write ``tables`` ({table: {key: place}}) and ``header`` to ``path``, fdatasync'd every
    ``sync_every`` bytes (a few megabytes at 50,000 documents) and at the end."""
    sections, starts = [], {}
    for name, keys in tables.items():
        ordered = sorted((key.encode(), where) for key, where in keys.items())
        offsets, blob = [0], bytearray()
        for key, _ in ordered:
            blob += key
            offsets.append(len(blob))
        sections.append((name, len(ordered), b"".join(_U64.pack(o) for o in offsets)
                         + b"".join(_I64.pack(where) for _, where in ordered) + bytes(blob)))
    head_size = 0
    while True:  # the header names where the sections start, after the header itself
        position = head_size
        for name, count, data in sections:
            starts[name] = [position, count]
            position += len(data)
        head = json.dumps({**header, "tables": starts}, separators=(",", ":")).encode() + b"\n"
        if len(head) == head_size:
            break
        head_size = len(head)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        write_synced(fd, b"".join((head, *(data for _, _, data in sections))), sync_every)
    finally:
        os.close(fd)


def read(path: str) -> tuple[dict, dict]:
    """(the header, {table: Places}) of the places file at ``path``. The mapping holds a shared
    flock on it (mmap keeps a descriptor of its own) until it is let go: once retired, the file
    is not cut from under it (store/retire.py)."""
    with open(path, "rb") as f:
        hold(f.fileno())
        header = json.loads(f.readline())
        buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(f.fileno()).st_size else b""
    return header, {name: Places(buf, start, count) for name, (start, count) in header["tables"].items()}


class Places(Mapping):
    """One table's {key: place}, read from the file as asked."""

    def __init__(self, buf, start: int, count: int):
        self._buf, self._count = buf, count
        self._offsets, self._places = start, start + 8 * (count + 1)
        self._blob = self._places + 8 * count

    def _key(self, i: int) -> bytes:
        begin, end = _PAIR.unpack_from(self._buf, self._offsets + 8 * i)
        return self._buf[self._blob + begin:self._blob + end]

    def __getitem__(self, key: str) -> int:
        wanted, lo, hi = key.encode(), 0, self._count
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key(mid) < wanted:
                lo = mid + 1
            else:
                hi = mid
        if lo == self._count or self._key(lo) != wanted:
            raise KeyError(key)
        return _I64.unpack_from(self._buf, self._places + 8 * lo)[0]

    def __iter__(self):
        return (self._key(i).decode() for i in range(self._count))

    def __len__(self) -> int:
        return self._count
