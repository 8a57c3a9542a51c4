"""The garbage collector and a store held in memory.

A worker holding a store of 50,000 documents in memory holds millions of containers
(records are trees of dicts and lists). The collector's full pass (generation 2) walks
every one it tracks: 1.8 s at 50,000 documents, 0.1-0.5 s at 10,000, on a busy machine,
which the request that happens to trigger it waits out (it comes once the objects that
survived since the last full pass outnumber a quarter of those that survived it: after
enough commits, in a worker that lives long). Records are trees of JSON values, never in
a cycle: reference counting frees them when they are replaced, so the collector's passes
over them would find nothing. What a process reads in whole is therefore left out of every
later pass (``gc.freeze``); the objects frozen are still freed, by reference counting, when
the store lets them go.
"""
from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def uncollected():
    """No garbage collection while a store reads records in, and all it holds then left
    out of every later pass. What is garbage already is collected first, so that nothing
    unreachable is frozen with the records. (Usable as a decorator too.)"""
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()
