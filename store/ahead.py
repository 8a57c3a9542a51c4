"""An iterator run ahead of its caller by a thread of its own: while the caller works on what
came, the thread waits for what comes next (PostgreSQL's next batch of a large read, which
the server works out meanwhile), so that the server's work and this process's overlap."""
from __future__ import annotations

import queue
import threading

_DONE = object()


def ahead(items, most: int = 4):
    """The items of the iterator `items`, at most `most` fetched ahead; what fetching one raises
    is raised here, in its place. Stopped early (the caller's loop broken off, or raising), the
    thread is told to stop and waited for, so nothing uses what `items` reads from afterwards."""
    ready, stopped = queue.Queue(most), threading.Event()

    def fetch():
        try:
            for item in items:
                if stopped.is_set():
                    return
                ready.put((item, None))
        except BaseException as exc:  # raised in the caller's thread, which reports it
            ready.put((None, exc))
            return
        ready.put((_DONE, None))

    thread = threading.Thread(target=fetch, name="store-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, raised = ready.get()
            if raised is not None:
                raise raised
            if item is _DONE:
                return
            yield item
    finally:
        stopped.set()
        while thread.is_alive():  # a put waiting for room: make room, so that it sees `stopped`
            try:
                ready.get(timeout=0.05)
            except queue.Empty:
                pass
