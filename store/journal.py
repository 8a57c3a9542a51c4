"""The append-only journal: one JSON line per commit, fdatasync'd before acknowledging.

The caller (TinyDBStore) holds the directory's flock around every method:
exclusive for ``trim``/``append``, at least shared for ``read_new``.
"""
from __future__ import annotations

import json
import os

from .base import StoreError
from .snapshot import fsync_dir, write_all


class Journal:
    """One generation's journal file, tracking how far this process has read it."""

    def __init__(self, path: str, create: bool = True):
        self.path = path
        flags = os.O_RDWR | os.O_APPEND | os.O_CLOEXEC
        try:
            self.fd = os.open(path, flags)
        except FileNotFoundError:
            if not create:
                raise
            self.fd = os.open(path, flags | os.O_CREAT, 0o644)
            # fdatasync of the lines alone would not make the new file's name durable.
            fsync_dir(os.path.dirname(path))
        self.offset = 0  # end of the last complete, valid line applied in memory
        self.lines = 0  # valid lines up to offset, for the compaction threshold
        self._seen_size = 0  # file size at the last read: skip re-reading an unchanged file
        self.broken = False  # a failed write could not be undone: refuse further writes

    def read_new(self) -> list[dict]:
        """Parse the complete lines appended since ``offset`` and advance past them.

        A torn last line (no newline, or bad JSON with nothing valid after it)
        is what a writer killed mid-write leaves: it is not acknowledged, so it
        is skipped here and cut off by the next ``trim``. Bad JSON followed by
        a valid line is real corruption and raises StoreError.
        """
        size = os.fstat(self.fd).st_size
        if size == self._seen_size:
            return []
        data = self.pread(self.offset, size - self.offset) if size > self.offset else b""
        self._seen_size = size
        return self.parse(data)

    def parse(self, data: bytes) -> list[dict]:
        """The commits of ``data``, the bytes from ``offset`` on (read_new's rules), advancing past them."""
        entries, pos = [], 0
        while (nl := data.find(b"\n", pos)) >= 0:
            try:
                entry = json.loads(data[pos:nl])
                if not isinstance(entry, dict):
                    raise ValueError("not a commit object")
            except ValueError as exc:
                if data.find(b"\n", nl + 1) >= 0:
                    raise StoreError(
                        f"journal {self.path} is corrupt at byte {self.offset + pos}: {exc}"
                    ) from exc
                break  # torn last line
            entries.append(entry)
            pos = nl + 1
        self.offset += pos
        self.lines += len(entries)
        return entries

    def resume(self, offset: int, lines: int) -> None:
        """Read on from ``offset``, the end of the file's first ``lines`` lines, which memory
        holds already (carried over from the generation before: store/successor.py)."""
        self.offset, self.lines, self._seen_size = offset, lines, offset

    def trim(self) -> None:
        """Cut off a torn tail left by a crashed writer, so the next line starts clean."""
        if os.fstat(self.fd).st_size != self.offset:
            os.ftruncate(self.fd, self.offset)
            os.fdatasync(self.fd)
            self._seen_size = self.offset

    def append(self, line: bytes) -> None:
        """Write one line and fdatasync it; on any OSError cut the file back and raise StoreError."""
        if self.broken:
            raise StoreError(f"journal {self.path} has an undone partial write; reopen the store")
        try:
            write_all(self.fd, line)
            os.fdatasync(self.fd)
        except OSError as exc:
            try:
                os.ftruncate(self.fd, self.offset)
                self._seen_size = self.offset
            except OSError as exc2:
                self.broken = True
                raise StoreError(
                    f"commit failed ({exc}) and the partial journal line could not be removed "
                    f"({exc2}); reopen the store before writing again"
                ) from exc
            raise StoreError(f"commit not written: journal {self.path}: {exc}") from exc
        self.offset += len(line)
        self._seen_size = self.offset
        self.lines += 1

    def close(self) -> None:
        os.close(self.fd)

    def pread(self, offset: int, length: int) -> bytes:
        chunks = []
        while length > 0:
            chunk = os.pread(self.fd, length, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
            length -= len(chunk)
        return b"".join(chunks)
