"""bench/run.py's backup section: `run.py export` and `run.py import` run as an operator runs them
(a subprocess each, its peak memory its ru_maxrss), on both backends, at the largest size.

Time's baseline, measured in the same run: a COPY of the backup's records and history entries,
each one jsonb row, into a plain table on the same PostgreSQL server (what pg_restore-like bulk
loading of the same rows costs). Memory's: the issue's limit of 300 MB per command.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import psycopg

from bench import profile
from bench.rows import Row, check
from bench.serve import ROOT
from services import backup_file
from store import AsWritten

MAX_MB, MAX_TIME = 300, 2.0
SIZE = 50_000  # the size the targets apply at (the largest --sizes is measured)
NAMES = {"tinydb": "TinyDB", "postgresql": "PostgreSQL"}


def run_command(*args):
    """(seconds, peak MB) of `run.py ARGS` in a subprocess: its VmHWM, read until it ends (its
    ru_maxrss would count the bench's own memory, copied at the fork before the exec)."""
    started = time.perf_counter()
    proc = subprocess.Popen(_run_py(args), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _vm_hwm_kb(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"run.py {' '.join(map(str, args))} failed: {proc.stderr.read().decode()}")
    proc.stderr.close()
    return seconds, peak / 1024


def _run_py(args):
    return [sys.executable, "run.py", *map(str, args)]


def _vm_hwm_kb(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # it ended meanwhile
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def _value(item):
    """A record or a list of entries as backup_file.sections gives it, without its text if it came with it."""
    return item.value if isinstance(item, AsWritten) else item


def copy_baseline(url, backup, rows_file):
    """Seconds to COPY the backup's records and entries, as JSON a row, into a plain jsonb table."""
    with open(backup, "rb") as f, open(rows_file, "w", encoding="utf-8") as out:  # not timed: the rows made ready
        for is_log, _, items in backup_file.sections(f):
            for item in items:
                for row in (_value(item[1]) if is_log else [_value(item)]):
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE copied (data jsonb NOT NULL)")
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur, open(rows_file, encoding="utf-8") as rows:
            with cur.copy("COPY copied (data) FROM STDIN") as copy:
                for line in rows:
                    copy.write_row((line[:-1],))
        return time.perf_counter() - started


def measure(bench):
    n = max(bench.args.sizes)
    root = bench.root / f"backup-{n}"
    root.mkdir()
    backup = root / "backup.json"
    print(f"  backups at {n:,}...", flush=True)
    figures, sources = {}, {}
    for backend in bench.args.backends:
        sources[backend] = bench.store_url(backend, n)
        figures[backend, "export"] = run_command("export", root / f"{backend}.json", "--store", sources[backend])
    first = root / f"{bench.args.backends[0]}.json"
    first.rename(backup)
    for backend in bench.args.backends:
        figures[backend, "import"] = run_command("import", backup, "--store",
                                                 _empty_store(bench, backend, root / "imported"))
    copied = copy_baseline(bench.pg.new_database(), backup, root / "rows.jsonl")
    rows = []
    for (backend, command), (seconds, mb) in figures.items():
        what = f"run.py {command}, {n:,} documents ({NAMES[backend]})"
        rows.append(Row(f"{what}: peak memory", f"{mb:.0f} MB", mb / MAX_MB, f"the limit: {MAX_MB} MB",
                        "<= 1.0", check(mb / MAX_MB, most=1.0) if n >= SIZE else None))
        rows.append(Row(f"{what}: time", f"{seconds:.1f} s", seconds / copied,
                        f"COPY of the same rows as jsonb: {copied:.1f} s", f"<= {MAX_TIME}",
                        check(seconds / copied, most=MAX_TIME) if n >= SIZE else None))
        profile.when_missed(what, False not in (rows[-2].ok, rows[-1].ok),
                            partial(_profiled_again, bench, root, backend, command, sources[backend], backup))
    return rows


def _empty_store(bench, backend, directory):
    """An empty store to import into: a new database, or a directory that does not exist yet."""
    return bench.pg.new_database() if backend == "postgresql" else str(directory)


def _profiled_again(bench, root, backend, command, source, backup):
    """Where `run.py COMMAND` spent its time, run once more under py-spy (bench/profile.py): the export
    into a file of its own, the import into an empty store."""
    if command == "export":
        args = ("export", root / f"{backend}-again.json", "--store", source)
    else:
        args = ("import", backup, "--store", _empty_store(bench, backend, root / "imported-again"))
    return profile.command(_run_py(args), root)
