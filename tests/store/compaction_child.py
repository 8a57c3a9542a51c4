"""Subprocess for the compaction crash tests (run as a script, never imported by pytest).

usage: compaction_child.py DIR STEP N   compact DIR (store/compactor.py), committing N documents
                                        through a store of its own while the new snapshot is
                                        written (off the lock), and die by SIGKILL at STEP:
                                        places (the temp snapshot written), copy (the tail not yet
                                        copied), carry (copied, its last lines not yet added under
                                        the lock), install (journal g+1 written, the snapshot not
                                        yet replaced), retired (the old snapshot given its retired
                                        name, not yet replaced), installed (replaced, journal g
                                        not retired)
"""
import os
import signal
import sys

from services.storage import ON_DISK
from store import compactor, retire
from tests.store.test_store_compaction import commit_during_compaction


def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def main(directory, step, n):
    commit_during_compaction(directory, int(n))
    if step == "installed":
        real = compactor._install

        def install_then_die(*args):
            real(*args)
            die()

        compactor._install = install_then_die
    elif step == "retired":
        real_keep = retire.keep_snapshot
        retire.keep_snapshot = lambda *args: real_keep(*args) and die()
    else:
        setattr(compactor, {"places": "_write_places", "copy": "_copy_tail", "carry": "_carry_tail",
                               "install": "_install"}[step], die)
    compactor.compact(directory, ON_DISK)
    sys.exit(3)  # never reached: the step kills


if __name__ == "__main__":
    main(*sys.argv[1:])
