"""Files a compaction replaced (snapshot g, journal g), freed a little at a time.

The file system here is ext4 mounted with ``discard``: the blocks of a file freed at once
(a 400 MB snapshot's, as a rename over it or the last close of a removed file frees them)
are discarded at the next journal commit of the file system, and every fdatasync on the
disk waits for them: 28-55 ms, up to 200 ms beside a run, seen in the commits of both
workers. Freed 2 MB at a time with a pause between, they cost the fdatasyncs beside them
at most ~2 ms. So a compaction keeps the old files under a retired name (``keep_snapshot``: a
hard link of the old snapshot before the new one replaces it; ``keep``: a rename of the old
journal and places file, and of the temp files of a compaction that failed or crashed, a temp
snapshot the store's size), and ``free`` shrinks each one by ``ftruncate`` from its end, then
removes it.

A retired file is never read (no reader opens a ``retired-*`` name), so a crash at any
point leaves one that ``free`` removes later. A process reading a generation holds a
shared flock on its snapshot, its journal and its places file (``hold``; the places' mapping
holds it: store/places.py) until it lets that generation go
(store/on_disk.py's let_go): ``free`` takes a retired file only with an exclusive one, so
nothing is cut from under a reader, and the last process to let a generation go (or the
compactor, if it is the last) frees it.
"""
from __future__ import annotations

import contextlib
import fcntl
import glob
import logging
import os
import time

log = logging.getLogger(__name__)

PREFIX = "retired-"
STEP = 2 << 20  # bytes freed at a time
PAUSE = 0.02  # s between two steps: the file system's journal commits what one freed alone


def retired_path(path: str) -> str:
    """The retired name of the file at ``path`` (beside it)."""
    return os.path.join(os.path.dirname(path), PREFIX + os.path.basename(path))


def hold(fd: int) -> int:
    """Mark ``fd`` (a snapshot or journal open to be read) as read by this process until it is
    closed: a retired file is not freed from under it. Returns ``fd``."""
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def keep_snapshot(path: str, generation: int) -> str:
    """Before the snapshot at ``path``, of ``generation``, is replaced: a second name for it,
    so the replace frees none of its blocks."""
    stem, ext = os.path.splitext(path)
    retired = retired_path(f"{stem}-{generation}{ext}")
    with contextlib.suppress(FileNotFoundError):  # a crashed compaction's, of this same file
        os.unlink(retired)
    os.link(path, retired)
    return retired


def keep(path: str) -> None:
    """A file no longer wanted (a stale journal or places file, a compaction's temp files)
    retired, not removed: its blocks are freed by ``free``."""
    os.rename(path, retired_path(path))


def discard(path: str) -> None:
    """A file a failed compaction wrote: a retired name (a second name of the current snapshot:
    removing it frees nothing) removed, anything else retired (``keep``)."""
    if os.path.basename(path).startswith(PREFIX):
        os.unlink(path)
    else:
        keep(path)


def free(directory: str) -> None:
    """Free every retired file of ``directory`` that no process reads any more, a step at a time.
    Errors are logged, not raised: a file left behind is freed by a later call."""
    for path in glob.glob(os.path.join(directory, PREFIX + "*")):
        try:
            _free(path)
        except OSError as exc:
            log.warning("cannot free %s yet: %s", path, exc)


def remove_linked(directory: str) -> None:
    """Remove retired names that are still a current file's too (a compaction stopped between
    ``keep_snapshot`` and its replace): that frees nothing. Only with no compactor at work."""
    for path in glob.glob(os.path.join(directory, PREFIX + "*")):
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_nlink > 1:
                os.unlink(path)


def _free(path: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    except FileNotFoundError:  # freed by another process meanwhile
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # read still, or being freed: by whoever lets it go last
            return
        st = os.fstat(fd)
        if st.st_nlink != 1:  # still the current snapshot too (remove_linked's), or removed already
            return
        size = st.st_size
        while size > 0:
            size = max(0, size - STEP)
            os.ftruncate(fd, size)
            if size:
                time.sleep(PAUSE)
        os.unlink(path)
    finally:
        os.close(fd)
