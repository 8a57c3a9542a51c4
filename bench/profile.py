"""A py-spy profile of the app's workers while a load runs: what a row that misses its line
spends its time in, said in the run's own output (bench/writers.py runs its load once more
so when it misses).

py-spy samples each worker from outside (--nonblocking: the worker is never paused), leaving
out the samples it takes for idle (some waits inside a call, such as for PostgreSQL's answer,
it counts), and the samples of all the workers are read together: the functions the time is
spent in themselves, and the app's own calls that hold most of it.
"""
from __future__ import annotations

import collections
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the app's code: what the profile's calls are told among
PY_SPY = Path(sys.executable).with_name("py-spy")
RATE = 200  # samples a second, a worker
_SHOWN = 10


def profiled(pids, seconds, root, run, app=ROOT):
    """run()'s answer, and the lines saying where the `pids` spent their time meanwhile (py-spy for
    `seconds`, its files in `root`; the app's code under `app`); a line saying why there is no
    profile if py-spy could not sample them (not installed, or not allowed to read another process)."""
    outputs = [Path(root) / f"py-spy-{pid}.txt" for pid in pids]
    record = [str(PY_SPY), "record", "--rate", str(RATE), "--duration", str(seconds), "--format", "raw",
              "--full-filenames", "--nonblocking"]
    spies = [subprocess.Popen([*record, "--pid", str(pid), "--output", str(out)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
             for pid, out in zip(pids, outputs)] if PY_SPY.exists() else []
    answer = run()
    ended = [(spy.communicate()[1], spy.returncode) for spy in spies]
    refused = [_error(said) for said, code in ended if code != 0]
    if not spies or refused or not all(out.exists() for out in outputs):
        why = "py-spy is not installed" if not spies else "; ".join(filter(None, refused)) or "it wrote nothing"
        return answer, [f"no profile: {why}"]
    return answer, summary((out.read_text() for out in outputs), app=app)


def _error(said):
    """py-spy's own words for why it failed ("Error: ..."), not its backtrace."""
    return next((line for line in said.splitlines() if line.startswith("Error:")), said.strip()[:200])


def summary(texts, shown=_SHOWN, app=ROOT):
    """Lines naming the functions most samples were in themselves, and the app's own calls
    (code under `app`, not a library's) most samples were under, from py-spy's raw output: a
    line a stack, "frame;frame;... count", each frame "function (file:line)"."""
    own, under, total = collections.Counter(), collections.Counter(), 0
    for text in texts:
        for line in text.splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            frames = [_frame(frame) for frame in stack.split(";")]
            total += int(count)
            own[_said(*frames[-1])] += int(count)
            for frame in {_said(name, path) for name, path in frames if _ours(path, app)}:
                under[frame] += int(count)
    if not total:
        return ["no profile: py-spy took no sample of a busy worker"]
    waits = "as py-spy counts them: some waits inside a call, such as for PostgreSQL's answer, among them"
    said = [f"py-spy of the workers, {total:,} samples ({waits}):",
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
