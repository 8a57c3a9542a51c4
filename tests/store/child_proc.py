"""Subprocess worker for the multi-process tests (run as a script, never imported by pytest).

usage: child_proc.py increment DIR N      read-modify-write counters/1 N times, retrying on Conflict
       child_proc.py create DIR N [LINES] create N documents (compacting every LINES lines)
       child_proc.py threads DIR N [LINES] the same in each of 4 threads at once
       child_proc.py loop DIR 0 LINES     create documents forever, printing each acknowledged key
A last argument "background" compacts in a child process, as the application's store does.
"""
import sys
import threading

from store import Conflict, Put
from store.tinydb_store import TinyDBStore


def increment(s, times):
    """Read-modify-write counters/1 `times` times, retrying each stale write."""
    for _ in range(times):
        while True:
            rec = s.get("counters", "1")
            try:
                s.commit([Put("counters", "1", {"n": rec["n"] + 1}, rec["version"])])
                break
            except Conflict:
                pass


def create(s, n):
    for i in range(n):
        s.commit([Put("documents", None, {"i": i})])


def main(mode, directory, n, lines=5000, background=""):
    s = TinyDBStore(directory, compact_lines=int(lines), background=background == "background")
    if mode == "increment":
        increment(s, int(n))
    elif mode == "create":
        create(s, int(n))
    elif mode == "threads":
        threads = [threading.Thread(target=create, args=(s, int(n))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    elif mode == "loop":
        i = 0
        while True:
            (rec,) = s.commit([Put("documents", None, {"i": i, "pad": "x" * 300})])
            # Printed only after commit() returned: every printed key is acknowledged.
            sys.stdout.write(rec["id"] + "\n")
            sys.stdout.flush()
            i += 1
    s.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
