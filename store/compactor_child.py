"""The compactor as a child process of a serving process (store/compactor.py run as __main__):
started once, asked at each compaction, at two priorities: its heavy part (reading the journal,
writing the new snapshot) below the serving processes', what holds the store's flock at theirs.

The child is niced so that its CPU goes to the serving processes first. But it takes the
store's flock twice (shared, to fix its view; exclusive, to install the new generation), and
commits wait for it meanwhile: a niced holder that waits for a core behind the workers makes
them wait longer still (at nice 19 it held the exclusive flock up to 44 ms at a swap). On Linux
niceness is a thread's, not a process's (nice(2) changes the calling thread's; a thread starts
with its creator's), and an unprivileged thread cannot raise its own back: so the child starts
a thread at the process's own priority before its main thread lowers its own, and hands that
thread the parts that hold the flock (``urgently``).
"""
from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys

log = logging.getLogger(__name__)

# The child's first lines, before anything of the store is imported (~70 ms of CPU, in two workers'
# children at once: at nice 0, transitions beside them took 35-46 ms): the urgent thread, then the
# main thread niced, then store/compactor.py as __main__ with the urgent thread's queue as URGENT.
START = ("import os, queue, runpy, threading; urgent = queue.SimpleQueue(); "
         "threading.Thread(target=lambda: [job() for job in iter(urgent.get, None)], daemon=True, "
         "name='urgent').start(); "
         "os.nice(10); runpy.run_module('store.compactor', run_name='__main__', init_globals={'URGENT': urgent})")


def urgently(urgent: queue.SimpleQueue | None, work):
    """``work()``'s result, run by the thread that takes jobs from ``urgent`` (the child's, at the
    process's own priority) while this one waits; run here if there is none (a compaction in a
    serving process's own thread). What it raises is raised here."""
    if urgent is None:
        return work()
    done = queue.SimpleQueue()

    def job():
        try:
            done.put((work(), None))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread, which raises it
            done.put((None, exc))

    urgent.put(job)
    result, exc = done.get()
    if exc is not None:
        raise exc
    return result


class Child:
    """This module as a child process of a serving process, compacting ``directory`` at its start and
    each time it is asked, until the store closes it (or the serving process ends). One for the serving
    process's life: starting a process holds the interpreter's lock until the child's exec (vfork:
    1-20 ms on a busy machine, from any thread), which a request would wait out; asking is one write."""

    def __init__(self, directory: str, on_disk):
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self._proc = subprocess.Popen([sys.executable, "-c", START, directory, *sorted(on_disk)],
                                      cwd=root, stdin=subprocess.PIPE)
        os.set_blocking(self._proc.stdin.fileno(), False)

    def ask(self) -> bool:
        """Ask for a compaction (it does one when done with the one at work); False if it has exited."""
        try:
            os.write(self._proc.stdin.fileno(), b".")
        except BlockingIOError:  # asked many times over already
            pass
        except OSError:  # it has exited (BrokenPipeError)
            return False
        return True

    def close(self) -> int:
        """Let it finish the compaction at work, if any, and exit; its exit status."""
        self._proc.stdin.close()
        return self._proc.wait()

    def forget(self) -> None:
        """In a process forked from the one that started it: leave it to that one."""
        self._proc.stdin.close()


def ask(child: Child | None, directory: str, on_disk) -> Child | None:
    """Ask ``child`` for a compaction of ``directory``, starting one if there is none or it
    has exited; None if none could start (the commit that asked is durable already: a
    later one asks again)."""
    if child is not None and child.ask():
        return child
    try:
        return Child(directory, on_disk)
    except OSError as exc:
        log.warning("store %s: cannot start the compactor, will retry later: %s", directory, exc)
        return None
