"""A py-spy profile of the app's processes while a load runs: what a row that misses its line
spends its time in, said in the run's own output. Every section of bench/run.py runs the load
of a row that misses once more so (``when_missed``), a command such as ``run.py import`` under
py-spy from its start (``command``).

py-spy samples each process from outside (--nonblocking: it is never paused), and only the
thread holding the interpreter's lock (--gil): a thread asleep, or waiting for PostgreSQL's answer
or the disk, holds none. Without it py-spy guesses which threads are idle when it does not pause
them, and took the store's sleeping threads (TinyDB's follower, PostgreSQL's watchdog) for most of
a short run's samples. The samples of all the workers are read together: the functions the time is
spent in themselves, and the app's own calls that hold most of it.
"""
from __future__ import annotations

import collections
import itertools
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the app's code: what the profile's calls are told among
PY_SPY = Path(sys.executable).with_name("py-spy")
RATE = 200  # samples a second, a worker
_SHOWN = 10
_RUNS = itertools.count()  # names of the commands' profiles in a run's directory
_PROCESS = re.compile(r'^process \d+:".*?"(;|$)')  # a stack's first frame, naming its process and command line


def profiled(pids, seconds, root, run, app=ROOT, children=False, rate=RATE):
    """run()'s answer, and the lines saying where the `pids` spent their time meanwhile (py-spy until
    run() returns, and for `seconds` at least, `rate` samples a second; its files in `root`; the app's
    code under `app`; `children`: their child processes too, such as a gunicorn master's workers); a
    line saying why there is no profile if py-spy could not sample them (not installed, or not
    allowed to read another process)."""
    outputs = [Path(root) / f"py-spy-{pid}.txt" for pid in pids]
    record = [*_RECORD, "--rate", str(rate), *["--subprocesses"] * children]
    spies = [subprocess.Popen([*record, "--pid", str(pid), "--output", str(out)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for pid, out in zip(pids, outputs)] if PY_SPY.exists() else []
    for spy in spies:  # its first line once it samples (or none: it could not), so that a short run is sampled whole
        spy.stdout.readline()
    until = time.monotonic() + seconds
    try:
        answer = run()
        time.sleep(max(0.0, until - time.monotonic()))
    finally:
        for spy in spies:
            if spy.poll() is None:
                spy.send_signal(signal.SIGINT)  # py-spy writes what it took and ends
        ended = [(spy.communicate()[1], spy.returncode) for spy in spies]
    return answer, _outcome(ended, outputs, app)


def during(pids, seconds, root, run, children=False, rate=RATE):
    """The lines ``profiled`` says of `pids` while run() runs, without run()'s answer."""
    return profiled(pids, seconds, root, run, children=children, rate=rate)[1]


def command(argv, root, cwd=ROOT, app=ROOT):
    """The lines saying where the command `argv` (and any process it starts) spent its time: run
    once, from its start, under py-spy (its file in `root`); or why there is no profile."""
    out = Path(root) / f"py-spy-command-{next(_RUNS)}.txt"
    if not PY_SPY.exists():
        return _outcome([], [out], app)
    record = [*_RECORD, "--rate", str(RATE), "--subprocesses", "--output", str(out)]
    spy = subprocess.run([*record, "--", *map(str, argv)], cwd=cwd, check=False, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    return _outcome([(spy.stderr, spy.returncode)], [out], app, whose="the command")


def when_missed(what, ok, said):
    """When the row of `what` has missed its line (`ok` False; None: no line at its size), print where its
    load spent its time once more: the lines said() gives (``profiled``'s, ``command``'s)."""
    if ok is False:
        lines = [f"{what}: the load once more, profiled, since the row misses its line:", *said()]
        print("\n".join(f"    {line}" for line in lines), flush=True)


# py-spy from outside, never pausing the process (--nonblocking), of the thread holding the interpreter's lock
# (--gil), a stack a line (raw) with full paths.
_RECORD = [str(PY_SPY), "record", "--format", "raw", "--full-filenames", "--nonblocking", "--gil"]


def _outcome(ended, outputs, app, whose="the workers"):
    """The summary of py-spy's `outputs`, or a line saying why there is none: `ended`, the (stderr,
    exit code) of each py-spy run (none: py-spy is not installed)."""
    refused = [_error(said) for said, code in ended if code != 0]
    if not ended or refused or not all(out.exists() for out in outputs):
        why = "py-spy is not installed" if not ended else "; ".join(filter(None, refused)) or "it wrote nothing"
        return [f"no profile: {why}"]
    return summary((out.read_text() for out in outputs), app=app, whose=whose)


def _error(said):
    """py-spy's own words for why it failed ("Error: ..."), not its backtrace."""
    return next((line for line in said.splitlines() if line.startswith("Error:")), said.strip()[:200])


def summary(texts, shown=_SHOWN, app=ROOT, whose="the workers"):
    """Lines naming the functions most samples were in themselves, and the app's own calls
    (code under `app`, not a library's) most samples were under, from py-spy's raw output of
    `whose` processes: a line a stack, "frame;frame;... count", each frame "function (file:line)"."""
    own, under, total = collections.Counter(), collections.Counter(), 0
    for text in texts:
        for line in text.splitlines():
            stack, _, count = line.rpartition(" ")
            stack = _PROCESS.sub("", stack, count=1)  # py-spy's name of the process (--subprocesses): not a call
            if not stack or not count.isdigit():
                continue
            frames = [_frame(frame) for frame in stack.split(";")]
            total += int(count)
            own[_said(*frames[-1])] += int(count)
            for frame in {_said(name, path) for name, path in frames if _ours(path, app)}:
                under[frame] += int(count)
    if not total:
        return [f"no profile: py-spy took no sample of {whose} at work"]
    said = [f"py-spy of {whose}, {total:,} samples of a thread holding the interpreter's lock:",
            "  in themselves: " + ", ".join(f"{frame} {100 * n / total:.1f} %" for frame, n in own.most_common(shown))]
    return said + ["  under the app's calls: " + ", ".join(f"{frame} {100 * n / total:.0f} %"
                                                        for frame, n in under.most_common(shown))] * bool(under)


def _frame(frame):
    """"fire (/srv/app/services/document_service.py:184)" -> ("fire", "/srv/app/services/document_service.py")."""
    name, _, where = frame.partition(" (")
    return name, where.rstrip(")").rsplit(":", 1)[0]


def _said(name, path):
    return f"{name} ({Path(path).name})" if path else name


def _ours(path, app):
    """Whether `path` is the app's own code: under `app`, neither a library's nor a script of the
    virtual environment the app may be installed in there (gunicorn's)."""
    venv = (f"{sys.prefix}/", f"{Path(sys.prefix).resolve()}/")
    return path.startswith(f"{app}/") and "/site-packages/" not in path and not path.startswith(venv)
