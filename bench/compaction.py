"""bench/run.py's compaction section: sequential durable transitions through the API (the real
app under gunicorn, as bench/serve.transitions fires them) on a TinyDB store of the largest
--sizes (50,000 documents by default), run until the store has compacted at least twice,
and the longest wait of any transition compared with their median (target: at most 10x).

A compaction starts every 5,000 journal lines (TinyDBStore's threshold), so the run is
some 10,000 transitions; the generation of the store's snapshot (its journal-<g>.jsonl)
says how many compactions the run crossed. Each transition slower than SLOW is printed with
the compactor's step it met (the child logs each step's time at debug level: store/compactor.py)
and the longest bare fdatasync a thread of this process met meanwhile on the same disk (a line
appended and fdatasync'd every PROBE_EVERY s, no app code): a stall of the disk shows in both
when a bare one ran meanwhile (most transitions meet none: a transition takes a few ms). So each
is given the device's own count too (bench/diskstats.py): the writes it completed meanwhile,
whoever issued them, and how long each took it against the run's average.
Each is also given the time the worker spent on it (gunicorn's access log, from the request
read to the answer sent): what the client waited beyond that was spent outside the app (its
connection accepted, the client itself scheduled, on a busy machine).
"""
from __future__ import annotations

import os
import re
import statistics
import threading
import time
from functools import partial
from pathlib import Path

from bench import diskstats, profile, serve
from bench.rows import Row, check
from store.compactor import LOG_LEVEL

MOST = 10.0  # the longest wait ÷ the median
COMPACTIONS = 2
BATCH = 500  # transitions between looks at the store's generation
LIMIT = 40_000  # transitions at most, should compactions not come
SLOW = 10.0  # ms: a transition this slow is printed with the compactor's step it met
QUIET = "no compaction at work"
_STEP = re.compile(rb"compaction of .*: (.+) at (\d+\.\d+), nice -?\d+$")
PROBE_EVERY = 0.05  # s between the bare fdatasyncs timed beside the run
# The access log's line for each request: the worker's pid, its time on it in µs, the request.
ACCESS = 'access %(p)s %(D)s "%(r)s"'
_ACCESS = re.compile(rb'^access <\d+> (\d+) "POST /api/v1/documents/\d+/transitions ')
WARM_UP = 20  # transitions before the measured ones, in every worker


def generation(directory):
    """The current generation of the TinyDB store in ``directory``: its journal's number."""
    return max(int(p.name[len("journal-"):-len(".jsonl")]) for p in Path(directory).glob("journal-*.jsonl"))


def measure(bench):
    from bench.run import prepare  # run.py imports this module's section

    n = max(bench.args.sizes)
    print(f"  compaction: transitions on TinyDB at {n:,} until it compacts {COMPACTIONS} times...", flush=True)
    url = bench.store_url("tinydb", n)
    _settle(bench.pg)
    ids = prepare(url)
    log = bench.root / "compaction.log"
    app = serve.Gunicorn("wsgi:app", bench.args.workers, log, store=url, env={LOG_LEVEL: "DEBUG"},
                         extra=["--access-logformat", ACCESS])
    probe = _Probe(bench.root / "probe.jsonl", ids["line"])
    device = diskstats.Sampler(url)
    try:
        app.wait_ready()
        probe.start()
        device.start()
        serve.transitions(app.base, ids, ids["draft"], WARM_UP)  # warm up every worker
        starts = []
        batches, crossed = _across(app, ids, url, COMPACTIONS, starts)
    finally:
        device.stop()
        probe.stop()
        app.stop()
    times = [t for batch, _ in batches for t in batch]
    in_worker = _in_worker(log, len(times))
    steps = _steps(log)
    _print_slow(starts, times, steps, probe.syncs, in_worker, device.samples)
    quiet = _quiet(batches, starts, steps)
    median, longest = statistics.median(times), max(times)
    ratio = longest / median
    slowest = ", ".join(f"{t:.0f}" for t in sorted(times)[-5:])
    label = (f"longest durable transition during {crossed} compactions, {len(times):,} in a row, "
             f"{n:,} documents (TinyDB)")
    rows = [Row(label, f"{longest:.1f} ms (slowest five: {slowest})", ratio,
                f"median transition of the same run: {median:.2f} ms", f"<= {MOST:.0f}",
                check(ratio, most=MOST) if crossed >= COMPACTIONS else None)]
    if quiet:
        rows.append(Row(f"  the same, in the {len(quiet):,} transitions away from any compaction",
                        f"{max(quiet):.1f} ms", max(quiet) / median, f"the same median: {median:.2f} ms",
                        "no target: the machine's noise", None))
    if in_worker:
        rows.append(Row("  the longest of the same transitions in the worker (gunicorn's time on it)",
                        f"{max(in_worker):.1f} ms", max(in_worker) / median, f"the same median: {median:.2f} ms",
                        "no target: the rest is outside the app", None))
    if probe.syncs:
        longest_sync = max(took for _, took in probe.syncs)
        rows.append(Row(f"  the longest of {len(probe.syncs):,} bare fdatasyncs beside the same run (the disk's noise)",
                        f"{longest_sync:.1f} ms", longest_sync / median, f"the same median: {median:.2f} ms",
                        "no target: the machine's noise", None))
    profile.when_missed(rows[0].label, rows[0].ok, partial(_profiled_across, bench, url, ids))
    return rows


def _across(app, ids, url, compactions, starts=None):
    """Transitions in batches until the store has compacted `compactions` times more (LIMIT at most),
    then a batch past the last swap: [(a batch's times, the generation before it)], and how many
    compactions they crossed. The wall clock's time each transition began is appended to `starts`."""
    start, batches = generation(url), []
    while generation(url) < start + compactions and len(batches) * BATCH < LIMIT:
        before = generation(url)
        batches.append((serve.transitions(app.base, ids, ids["draft"], BATCH, starts), before))
    batches.append((serve.transitions(app.base, ids, ids["draft"], BATCH, starts), generation(url)))
    return batches, generation(url) - start


def _profiled_across(bench, url, ids):
    """What the app's processes (its workers and the compactor they start) spent their time on across
    one compaction more, as bench/profile.py says it."""
    app = serve.Gunicorn("wsgi:app", bench.args.workers, bench.root / "compaction-profiled.log", store=url)
    try:
        app.wait_ready()
        return profile.during([app.proc.pid], 1, bench.root, partial(_across, app, ids, url, 1), children=True)
    finally:
        app.stop()
        _settle(bench.pg)  # what it wrote is on disk before the next section's writes are timed


def _settle(pg):
    """Write out what the run before left for the disk, so that the run meets only its own
    writes: the store just copied for it (left to the kernel, its 440 MB were written back at
    their dirty expiry, 30 s in, and every fdatasync on the disk, the app's and the bare
    probe's, waited 60-180 ms), and the PostgreSQL server's pages dirtied by the sections
    before (a backup imported at 50,000 documents: its checkpoint, spread over minutes and
    ending in an fsync of every file, made bare fdatasyncs beside this run wait 95-123 ms)."""
    import psycopg

    with psycopg.connect(pg.admin_url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    os.sync()


class _Probe(threading.Thread):
    """A document-sized line appended and fdatasync'd every PROBE_EVERY s until stopped, each
    timed: ``syncs``, [(wall clock time it began, ms)]."""

    def __init__(self, path, line):
        super().__init__(daemon=True)
        self._path, self._line, self._done, self.syncs = path, line, threading.Event(), []

    def run(self):
        fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            while not self._done.wait(PROBE_EVERY):
                begun, start = time.time(), time.perf_counter()
                os.write(fd, self._line)
                os.fdatasync(fd)
                self.syncs.append((begun, (time.perf_counter() - start) * 1000))
        finally:
            os.close(fd)

    def stop(self):
        self._done.set()
        if self.is_alive():
            self.join()


def _steps(log):
    """[(wall clock time, step)] of every compaction in the run, from the compactor's debug lines."""
    found = (_STEP.search(line.rstrip()) for line in Path(log).read_bytes().splitlines())
    return sorted((float(m[2]), m[1].decode()) for m in found if m)


def _in_worker(log, count):
    """The worker's time on each of the ``count`` measured transitions, in ms, in the order they
    ran (one at a time, so the access log's order: only a worker kept off a core between sending
    its answer and logging it could swap two neighbours); None if the log does not hold them all."""
    found = (_ACCESS.match(line) for line in Path(log).read_bytes().splitlines())
    took = [int(m[1]) / 1000 for m in found if m]
    return took[WARM_UP:] if len(took) == WARM_UP + count else None


def _met(begun, took, steps):
    """What the compactor was doing while a transition ran: the steps it was between, or how
    long after a swap (the first catch-ups, then the old files freed) it came, or that a
    compaction was about to start (asked for, and the first time its process started: an
    interpreter and the store's imports, before it logs a step), or nothing."""
    ended, met = begun + took / 1000, []
    for i, (at, step) in enumerate(steps):
        following = steps[i + 1][0] if i + 1 < len(steps) else at
        if at <= ended and following >= begun and step != "done":
            met.append(f"{step} -> {steps[i + 1][1]}" if i + 1 < len(steps) else step)
    if met:
        return "; ".join(met)
    swapped = [at for at, step in steps if step == "installed" and at <= begun]
    since = begun - swapped[-1] if swapped else None
    if since is not None and since < 1:
        return "within 1 s after a swap"
    if since is not None and since < 10:  # the replaced generation's files freed, a step at a time (store/retire.py)
        return "1-10 s after a swap"
    coming = [at for at, step in steps if step == "started" and at >= ended]
    return "within 1 s before a compaction started" if coming and coming[0] - ended < 1 else QUIET


def _quiet(batches, starts, steps):
    """The times of the transitions that met no compaction: what the shared machine's noise alone
    makes the longest wait. Those of batches no compaction ran or ended in (it runs in the few
    batches before the swap; the first starts the compactor's process before it logs a step), that
    met none of its steps nor the 10 s after a swap, when the old files are freed (_met's QUIET)."""
    changed = {i for i in range(1, len(batches)) if batches[i][1] != batches[i - 1][1]}
    found, begun = [], iter(starts)
    for i, (batch, _) in enumerate(batches):
        away = not set(range(i, i + 6)) & changed
        for took in batch:
            at = next(begun)
            if away and _met(at, took, steps) == QUIET:
                found.append(took)
    return found


def _disk(begun, took, syncs):
    """What the bare fdatasyncs say of the disk while a transition ran: the longest of those
    that ran meanwhile, or that none did. The probe starts one every PROBE_EVERY s and each
    takes a millisecond or two, so most transitions meet none: their disk is not seen quiet,
    it is not seen at all (a transition's own fdatasync, not the probe's, is what shows it)."""
    ended = begun + took / 1000
    met = [ms for at, ms in syncs if at <= ended and at + ms / 1000 >= begun]
    return f"the longest bare fdatasync meanwhile: {max(met):.1f} ms" if met else "no bare fdatasync ran meanwhile"


def _device(begun, took, samples, usual):
    """What the device's counters say of the disk while a transition ran (bench/diskstats.py):
    the writes it completed, their megabytes and ms each, against ``usual`` (the run's ms a write)."""
    met = diskstats.meanwhile(samples, begun, begun + took / 1000)
    if met is None or usual is None:
        return "the disk's own counters not read"
    writes, mb, each = met
    each = f"{each:.2f} ms each" if each is not None else "none finished"
    return f"the disk's writes meanwhile: {writes:,} ({mb:.1f} MB), {each} (the run's: {usual:.2f} ms)"


def _print_slow(starts, times, steps, syncs, in_worker=None, samples=(), shown=12):
    """By what the compactor was doing: how many transitions, how many of them slower than SLOW
    (a share much above the rest's is the compactor's doing), the longest; then the slowest few
    with the worker's time on each (``in_worker``, if known) and the disk beside them: the bare
    fdatasyncs' and the device's own counters' (``samples``, bench/diskstats.py)."""
    met = [_met(begun, took, steps) for begun, took in zip(starts, times)]
    synced = [(_met(at, ms, steps), ms) for at, ms in syncs]  # the disk alone, by the same labels
    worker = in_worker or [None] * len(times)
    slow = sorted(((took, begun, m, w) for begun, took, m, w in zip(starts, times, met, worker) if took > SLOW),
                  reverse=True)
    print(f"  {len(steps)} compactor steps logged; {len(slow):,} of {len(times):,} transitions over {SLOW:.0f} ms:")
    for label in sorted(set(met)):
        these = [took for took, m in zip(times, met) if m == label]
        over = sum(took > SLOW for took in these)
        bare = [ms for m, ms in synced if m == label]
        disk = f"; bare fdatasyncs: {len(bare):,}, longest {max(bare):.1f} ms" if bare else ""
        print(f"    {over:5,} of {len(these):6,} ({over / len(these):6.1%}), longest {max(these):6.1f} ms, "
              f"while {label}{disk}")
    if syncs:
        over = sum(ms > SLOW for _, ms in syncs)
        print(f"    {over:5,} of {len(syncs):6,} ({over / len(syncs):6.1%}), longest {max(ms for _, ms in syncs):6.1f} ms, "
              "of the bare fdatasyncs beside them")
    usual = diskstats.spanned(samples[0], samples[-1])[2] if len(samples) > 1 else None
    for took, begun, met, w in slow[:shown]:
        inside = f"in the worker {w:.1f} ms; " if w is not None else ""
        print(f"    {took:7.1f} ms at {begun:.3f}: {inside}{met}; {_disk(begun, took, syncs)}; "
              f"{_device(begun, took, samples, usual)}")
