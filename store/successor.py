"""How a process whose memory is at the end of journal g takes on generation g+1, which a
compaction made from snapshot g and journal g's first lines (store/compactor.py), without
reading the new snapshot or the tail it carried over: memory holds both already. The
snapshot's ``_meta`` says what it was made from (``base: [g, X, n]``: journal g to byte X,
its first n lines), and the places file beside it where its records lie (store/places.py).
"""
from __future__ import annotations

import contextlib
import os

from . import places, snapshot
from .compactor import carried_path, journal_path, places_path
from .journal import Journal
from .retire import hold

_CHECKED = 4096  # bytes of a carried tail compared with what memory read (its end)


class Successor:
    """The current snapshot as the successor of generation ``generation`` whose journal
    ``journal`` this process read to its end (under the flock): its ``fd``, ``signature``,
    ``generation``, the ``places`` of the logs' and ``on_disk`` tables, its ``journal``
    positioned after the carried tail (which memory holds already: it is not read again),
    and how many of journal g's ``lines`` the snapshot holds. ValueError (or OSError) if it
    was made from something else."""

    def __init__(self, directory: str, generation: int, journal: Journal, on_disk):
        self.fd = os.open(os.path.join(directory, snapshot.FILENAME), os.O_RDONLY | os.O_CLOEXEC)
        self.journal = None
        try:
            hold(self.fd)
            self.signature, meta = snapshot.signature(os.fstat(self.fd)), snapshot.meta(self.fd)
            base = meta.get("base") if meta else None
            if base is None or base[0] != generation or len(base) < 3:  # an older compactor noted no line count
                raise ValueError("made from another generation")
            self.generation, self.lines = meta["generation"], base[2]
            carried, carried_lines = journal.offset - base[1], journal.lines - base[2]
            if carried < 0 or carried_lines < 0:
                raise ValueError("made from more of the journal than this process has read")
            self.places = self._places(directory, on_disk)
            self.journal = Journal(journal_path(directory, self.generation), create=False)
            _check_carried(journal, self.journal, carried)
            self.journal.resume(carried, carried_lines)
        except BaseException:
            os.close(self.fd)
            if self.journal is not None:
                self.journal.close()
            raise

    def _places(self, directory, on_disk):
        header, tables = places.read(places_path(directory, self.generation))
        if tuple(header["signature"]) != self.signature or not set(on_disk) <= set(header["on_disk"]):
            raise ValueError("the places file is not of this snapshot, or leaves tables out")
        return {t: keys for t, keys in tables.items() if t.startswith(snapshot.LOG_PREFIX) or t in on_disk}


def _check_carried(old: Journal, new: Journal, carried: int) -> None:
    """ValueError unless ``new`` begins with the last ``carried`` bytes ``old`` was read to:
    its end checked against theirs, not parsed (memory holds those lines already)."""
    span = min(carried, _CHECKED)
    if (os.fstat(new.fd).st_size < carried
            or new.pread(carried - span, span) != old.pread(old.offset - span, span)):
        raise ValueError("the new journal does not begin with the old one's tail")


def carried_as_journal(directory: str, generation: int, made_by_compaction: bool) -> None:
    """Before journal ``generation`` is opened: if the snapshot of ``generation`` was made by a
    compaction (its ``_meta`` has a ``base``) and a crash kept its replace but not the rename of
    its carried tail (both made durable by one fsync: compactor._install), name the tail journal
    ``generation`` now. No compactor at work writes that temp file: it writes the next one."""
    path = journal_path(directory, generation)
    if made_by_compaction and not os.path.exists(path):
        with contextlib.suppress(FileNotFoundError):  # none, or another process named it first
            os.rename(carried_path(directory, generation), path)
            snapshot.fsync_dir(directory)
