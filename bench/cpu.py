"""Where a load's CPU went, a request: the app's workers, PostgreSQL's processes, the load
generator, the rest (the kernel's network work, this process), and how much of the cores
stood idle. Read from /proc (Linux), around a run:

    tally, before = cpu.Tally(), cpu.Ticks(workers)
    run = serve.wrk_script(...)
    tally.add(before, cpu.Ticks(workers), run["requests"])
    print(tally.said())

A ratio to a floor says how far apart two figures are; this says which process the
difference is spent in: what a row that misses its line is short by (bench/writers.py).
"""
from __future__ import annotations

import os
import resource
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def process_ticks(pid):
    """utime + stime of a live process, in clock ticks (0 once it has gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat[stat.rindex(")") + 2:].split()  # the name, in brackets, may hold spaces
    return int(fields[11]) + int(fields[12])


def _postgres_pids():
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if Path(entry.path, "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


class Ticks:
    """The CPU seconds spent so far by the `workers` (pids), by PostgreSQL's processes, by
    this process's reaped children (wrk, once its run has ended), and by the machine
    (busy, idle: the cores' idle and I/O wait)."""

    def __init__(self, workers):
        self.workers = {pid: process_ticks(pid) / _TICK for pid in workers}
        self.postgres = {pid: process_ticks(pid) / _TICK for pid in _postgres_pids()}
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.load = children.ru_utime + children.ru_stime
        cpu = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        user, nice, system, idle, iowait, irq, softirq, steal = cpu
        self.busy = (user + nice + system + irq + softirq + steal) / _TICK
        self.idle = (idle + iowait) / _TICK


def _grown(before, after):
    """CPU seconds the processes of `after` spent since `before` (one that started since: all of it)."""
    return sum(seconds - before.get(pid, 0) for pid, seconds in after.items())


class Tally:
    """The CPU that runs of one load spent, by part, and the requests they answered."""

    def __init__(self):
        self.workers = self.postgres = self.load = self.busy = self.idle = 0.0
        self.requests = 0

    def add(self, before: Ticks, after: Ticks, requests: int) -> None:
        """A run between two Ticks that answered `requests`."""
        self.workers += _grown(before.workers, after.workers)
        self.postgres += _grown(before.postgres, after.postgres)
        self.load += after.load - before.load
        self.busy += after.busy - before.busy
        self.idle += after.idle - before.idle
        self.requests += requests

    def per_request(self) -> dict:
        """Microseconds of CPU a request, by part (rest: what no part named spent), and the
        cores' idle share (0-1)."""
        per = 1e6 / max(self.requests, 1)
        rest = max(self.busy - self.workers - self.postgres - self.load, 0.0)
        return {"workers": self.workers * per, "postgres": self.postgres * per, "load": self.load * per,
                "rest": rest * per, "busy": self.busy * per,
                "idle": self.idle / (self.idle + self.busy) if self.idle + self.busy else 0.0}

    def said(self) -> str:
        """e.g. "workers 1,672 + PostgreSQL 628 + wrk 150 + rest 73 = 2,523 µs of CPU a
        request, the cores 17 % idle" (PostgreSQL left out where it spent nothing)."""
        figures = self.per_request()
        parts = [f"workers {figures['workers']:,.0f}"]
        if figures["postgres"] >= 1:
            parts.append(f"PostgreSQL {figures['postgres']:,.0f}")
        parts += [f"wrk {figures['load']:,.0f}", f"rest {figures['rest']:,.0f}"]
        return (" + ".join(parts) + f" = {figures['busy']:,.0f} µs of CPU a request, "
                f"the cores {100 * figures['idle']:.0f} % idle")
