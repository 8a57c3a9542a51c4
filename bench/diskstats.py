"""The disk under a path as the kernel counts it (/proc/diskstats), sampled beside a run: how
many writes the device completed while a transition waited, and how long each took it on
average, whoever issued them.

bench/compaction.py's bare fdatasyncs show the disk only when one ran during a slow
transition (one every 50 ms; most transitions meet none), and more of them would load the
file system's journal the transitions commit through. These counters cost the disk nothing
and cover every moment: a device whose writes take 2 ms each where the run's took 0.1, with
few megabytes going to it, was slow of itself; one writing hundreds of megabytes a second
was kept busy by someone (the compactor, say).
"""
from __future__ import annotations

import os
import threading
import time
from bisect import bisect_left, bisect_right

EVERY = 0.005  # s between two readings: a few per slow transition
_DISKSTATS = "/proc/diskstats"
# /proc/diskstats: major, minor, name, then reads (4 fields), then writes completed, merged,
# sectors written and the ms spent on them (Documentation/admin-guide/iostats.rst).
_WRITES, _SECTORS, _WRITE_MS = 7, 9, 10
SECTOR = 512


def device_of(path) -> tuple[int, int]:
    """(major, minor) of the device holding ``path``."""
    dev = os.stat(path).st_dev
    return os.major(dev), os.minor(dev)


def reading(text: str, device: tuple[int, int]):
    """(writes completed, sectors written, ms spent writing) of ``device`` in ``text`` (the
    file's contents), or None if it is not listed (a file system on no block device: tmpfs,
    overlay)."""
    for line in text.splitlines():
        fields = line.split()
        if len(fields) > _WRITE_MS and (int(fields[0]), int(fields[1])) == device:
            return int(fields[_WRITES]), int(fields[_SECTORS]), int(fields[_WRITE_MS])
    return None


class Sampler(threading.Thread):
    """Reads the device's counters every EVERY s until stopped: ``samples``, [(wall clock time,
    writes, sectors, write ms)], one each time they changed. Nothing if the device is not listed."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self._device, self._done, self.samples = device_of(path), threading.Event(), []

    def run(self):
        try:
            with open(_DISKSTATS) as f:
                while True:
                    found = reading(f.read(), self._device)
                    if found is None:
                        return
                    if not self.samples or self.samples[-1][1:] != found:
                        self.samples.append((time.time(), *found))
                    if self._done.wait(EVERY):
                        return
                    f.seek(0)
        except OSError:  # no /proc here: the run goes on without the disk's own view
            return

    def stop(self):
        self._done.set()
        if self.is_alive():
            self.join()


def meanwhile(samples, begun: float, ended: float):
    """(writes, megabytes, ms a write) the device completed from the last reading before
    ``begun`` to the first after ``ended``: a span a little wider than the transition's, never
    narrower. None when the readings do not cover it."""
    times = [at for at, *_ in samples]
    first, last = bisect_right(times, begun) - 1, bisect_left(times, ended)
    if first < 0 or last >= len(samples):
        return None
    return spanned(samples[first], samples[last])


def spanned(before, after):
    """(writes, megabytes, ms a write) between two readings (ms a write None: no write)."""
    writes, sectors, ms = (b - a for a, b in zip(before[1:], after[1:]))
    return writes, sectors * SECTOR / 1e6, ms / writes if writes else None
