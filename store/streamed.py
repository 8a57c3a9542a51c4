"""A backup's rows handed from its staging (store/staged.py's stage, ``copying``) through a pipe
to a load in another process as they are staged, so that PostgreSQL COPYs the backup while the
rest of it is still being read: the load ends about when staging does, not a whole staging
later, and neither process waits for the other's Python (as two threads would, on one lock).

The load reads it as it reads a staged backup (Store.load_staged: record_tables, log_tables,
versions, counts), each row's JSON text as staging wrote it. The pipe holds a batch or two, so
staging waits for a load that lags, and memory stays bounded whatever the backup's size.
"""
from __future__ import annotations

import marshal
import os
import struct

from .base import StoreError
from .on_disk import LOG
from .snapshot import write_all

_BATCH = 2000  # rows sent at a time
_SIZE = struct.Struct(">I")
_END = "end"  # the last batch's last item: (_END, the counts)


class OutOfOrder(StoreError):
    """A record collection staged after a log began: its rows would go into a COPY already ended,
    so the load is to be made again from the staged backup (a layout the export never writes)."""


class Copying:
    """Made before the fork; then, in the staging process, filled by stage() (``row``, then
    ``finish``, or ``close`` if staging fails), and in the loading one (after ``reading()``),
    read once by a load as a staged backup. In each, ``counts`` and ``versions`` as Staged
    holds them: stage()'s own in the first; in the second, as the rows bring them (a record's
    version with its row, the counts once every row has come)."""

    def __init__(self):
        self.counts, self.versions = {"records": {}, "logs": {}}, {}
        self.log_seen = None  # the loading process's: see store/copy_binary.py's staged_entries
        self.read_through = None  # the loading process's: called once it has read every row (see _next)
        self._read, self._write = os.pipe()
        self._batch, self._table = [], None
        self._back, self._ended, self._items, self._from = None, False, iter(()), None  # the reader's

    # -- the staging process -----------------------------------------------------

    def row(self, table: str, key: str, text: bytes, version: int | None = None) -> None:
        """Hand over a row of ``table`` (a record collection, with its record's ``version``, or
        LOG + a log collection)."""
        if table != self._table:
            self._batch.append((None, table))
            self._table = table
        self._batch.append((key, text, version))
        if len(self._batch) >= _BATCH:
            self._send()

    def finish(self) -> None:
        """Every row has been handed over and staging has succeeded: the load may end."""
        self._batch.append((_END, self.counts))
        self._send()
        self.close()

    def close(self) -> None:
        """This process's ends of the pipe closed: a load that has not had the end is refused."""
        for fd in (self._read, self._write):
            if fd is not None:
                os.close(fd)
        self._read = self._write = None
        if self._from is not None:
            self._from.close()
            self._from = None

    def _send(self) -> None:
        batch, self._batch = marshal.dumps(self._batch), []
        if self._write is None:  # the load has ended (refused): it takes nothing more
            return
        if self._read is not None:  # the loading process has its own
            os.close(self._read)
            self._read = None
        try:
            write_all(self._write, _SIZE.pack(len(batch)) + batch)
        except BrokenPipeError:
            os.close(self._write)
            self._write = None

    # -- the loading process -----------------------------------------------------

    def reading(self) -> Copying:
        """In the loading process: the staging process's end of the pipe closed here, so that the
        pipe ends if that process does; itself."""
        os.close(self._write)
        self._write = None
        self._from = os.fdopen(self._read, "rb")
        self._read = None
        return self

    def record_tables(self):
        """(collection, (key, JSON text) pairs) of the record collections, up to the first log."""
        return self._tables(logs=False)

    def log_tables(self):
        """(LOG + collection, (key, {"entries": [...]} JSON text) pairs) of the logs, to the end;
        OutOfOrder if a record collection comes after them."""
        return self._tables(logs=True)

    def _tables(self, logs):
        while (item := self._next()) is not None:
            table = item[1]
            if table.startswith(LOG) != logs:
                if logs:
                    raise OutOfOrder("a record collection comes after the logs")
                self._back = item
                return
            yield table, self._rows(None if logs else self.versions.setdefault(table, {}))

    def _rows(self, versions):
        while (item := self._next()) is not None:
            key, text, version = item if item[0] is not None else (None, None, None)
            if key is None:  # the next table begins
                self._back = item
                return
            if versions is not None:
                versions[key] = version
            yield key, text

    def _next(self):
        """The next (key, text, version), or (None, table) where a table begins; None at the end."""
        if self._back is not None:
            item, self._back = self._back, None
            return item
        while not self._ended:
            item = next(self._items, None)
            if item is None:  # the batch is read through
                self._items = iter(self._receive())
            elif item[0] == _END and len(item) == 2:
                self.counts.update(item[1])
                self._ended = True
                if self.read_through is not None:  # what waits for the rows (not for the load) need wait no more
                    self.read_through()
            else:
                return item
        return None

    def _receive(self) -> list:
        size = self._from.read(_SIZE.size)
        batch = self._from.read(_SIZE.unpack(size)[0]) if len(size) == _SIZE.size else b""
        if not batch:
            raise StoreError("the backup was not staged whole: nothing is loaded")
        return marshal.loads(batch)
