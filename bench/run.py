"""The real app under gunicorn, driven by wrk, at several store sizes and on both backends:
one table of ratios to baselines measured in the same run, so it holds on a noisy machine.

usage: .venv/bin/python bench/run.py [--sizes 1000,10000,50000] [--backends tinydb,postgresql]
                                     [--sections pages,...] [--duration 5] [--connections 16]
                                     [--workers 2] [--rounds 3]

Each size is generated once (bench/generate.py, through the real workflow) into TinyDB and
copied into a fresh PostgreSQL database (a throwaway server, as the tests start), so both
backends serve exactly the same data. wrk is installed from Debian when missing.
"""
from __future__ import annotations

import argparse
import json
import shutil
import signal
import statistics
import sys
import tempfile
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import backup, bulk, compaction, profile, scale, serve, writers  # noqa: E402
from bench.generate import BOARD, HEAD, PASSWORD, _people, fill  # noqa: E402
from bench.rows import Row, show  # noqa: E402
from services import backup_service, token_service  # noqa: E402
from services.storage import open_app_store, open_backup_store  # noqa: E402

LIST = "/api/v1/documents?kind=eqia&state=approved&per_page=50"
STEPS = 200  # transitions timed, and bare appends
AFTER_CHANGE_STEPS = 40  # lists timed just after a change
# (row, what is measured, target ratio, size the target applies at)
PAGES = [("API list (Board, approved EqIAs)", "list", 0.5), ("API document read (Board)", "read", 0.5),
         ("My work page (Head)", "home", 0.35), ("Document page (Head)", "page", 0.35)]
TARGET_SIZE, GROWTH_SIZES = 10_000, (1_000, 50_000)
MAX_GROWTH, MAX_MB = 1.5, 400
# A durable transition's median ÷ the floor (the bare Flask POST + append + fdatasync), at most.
MAX_TRANSITION = {"tinydb": 1.5, "postgresql": 2.0}
NAMES = {"tinydb": "TinyDB", "postgresql": "PostgreSQL"}


def prepare(url):
    """Tokens and the documents to ask for, written into the store before it is served."""
    store = open_app_store(url)
    try:
        approved = store.scan("documents", {"kind": "eqia", "state": "approved"})[0]
        draft = store.scan("documents", {"kind": "eqia", "state": "draft"})[0]
        author = draft["author"]
        lead = next(u.name for u in _people(draft["team"]) if "team_leader" in u.roles)
        line = json.dumps(draft).encode() + b"\n"  # a bare append of a line the size of a document
        return {"approved": approved["id"], "draft": draft["id"], "line": line,
                "board": token_service.issue_token(store, BOARD.name),
                "screen": token_service.issue_token(store, author), "send_back": token_service.issue_token(store, lead)}
    finally:
        store.close()


def measure(url, bare, args, log, root, n, backend):
    """Serve the store under gunicorn and take every figure of one column of the table (`n` documents
    on `backend`); the load of a figure that misses its line runs once more, profiled."""
    ids = prepare(url)
    app = serve.Gunicorn("wsgi:app", args.workers, log, store=url)
    try:
        app.wait_ready()
        base = app.base
        board = {"Authorization": f"Bearer {ids['board']}"}
        head = {"Cookie": serve.sign_in(base, HEAD.name, PASSWORD)}
        targets = {"list": (LIST, board), "read": (f"/api/v1/documents/{ids['approved']}", board),
                   "home": ("/", head), "page": (f"/documents/{ids['approved']}", head)}
        for path, headers in targets.values():
            serve.check(base, path, headers)
        _, _, body = serve.request(base, "GET", LIST, headers=board)
        listed = len(json.loads(body)["items"])

        def timed(server, path, headers, duration=args.duration, connections=args.connections):
            figures = serve.wrk(server.base, path, headers, duration, connections)
            server.settle()
            return figures

        for path, headers in targets.values():  # warm up: templates compiled, caches filled, in every worker
            timed(app, path, headers, 1, args.workers)
        # Rounds of the app's runs between runs of the baseline: each ratio is to the baseline
        # on both sides of it, so drift on a shared machine averages out, and the median of the
        # rounds' ratios is what a burst of noise in one of them cannot move.
        bares, rounds = [timed(bare, "/", {})], {name: [] for name in targets}
        for _ in range(args.rounds):
            runs = {name: timed(app, *target) for name, target in targets.items()}
            bares.append(timed(bare, "/", {}))
            baseline = (bares[-2]["rps"] + bares[-1]["rps"]) / 2
            for name, run in runs.items():
                rounds[name].append({**run, "ratio": run["rps"] / baseline})
        figures = {name: _median(runs) for name, runs in rounds.items()}
        figures["bare"] = {"rps": statistics.median(run["rps"] for run in bares)}
        moves, floor = serve.transitions_beside_floor(base, ids, ids["draft"], bare.base, ids["line"], STEPS)
        figures["transition"], figures["floor"] = statistics.median(moves), statistics.median(floor)
        figures["after_change"] = statistics.median(serve.lists_after_changes(base, ids, ids["draft"], board,
                                                                              LIST, AFTER_CHANGE_STEPS))
        figures["append"] = statistics.median(serve.fsync_appends(root, ids["line"], STEPS))
        figures["mb"] = app.peak_rss_mb()
        figures["listed"], figures["url"] = listed, url
        figures["ok"] = ok = verdicts(figures, n, backend)
        at, pids = f"{NAMES[backend]}, {n:,} documents", app.worker_pids()
        for label, name, _ in PAGES:
            profile.when_missed(f"{at}: {label}", ok[name],
                                partial(profile.during, pids, args.duration, root, partial(timed, app, *targets[name])))
        moves_again = partial(serve.transitions_beside_floor, base, ids, ids["draft"], bare.base, ids["line"], STEPS)
        profile.when_missed(f"{at}: durable transition (API)", ok["transition"],
                            partial(profile.during, pids, 1, root, moves_again))
    finally:
        app.stop()
    profile.when_missed(f"{at}: server peak memory per worker", ok["mb"],
                        partial(serve.profiled_start, "wsgi:app", log, root, url))
    return figures


def verdicts(figures, n, backend):
    """Whether each figure of one column (`n` documents on `backend`) meets its line, by name; None
    where no line applies at `n`."""
    ok = {name: figures[name]["ratio"] >= least if n == TARGET_SIZE else None for _, name, least in PAGES}
    ok["transition"] = figures["transition"] / figures["floor"] <= MAX_TRANSITION[backend] if n == TARGET_SIZE else None
    ok["mb"] = figures["mb"] <= MAX_MB if n == GROWTH_SIZES[1] else None
    return ok


def growth_ok(columns):
    """Whether the API list's mean latency at the larger of GROWTH_SIZES ÷ at the smaller is within
    MAX_GROWTH; None unless `columns` (one backend's, by size) has both."""
    if not all(n in columns for n in GROWTH_SIZES):
        return None
    return columns[GROWTH_SIZES[1]]["list"]["latency_ms"] / columns[GROWTH_SIZES[0]]["list"]["latency_ms"] <= MAX_GROWTH


def _profiled_list(bench, columns):
    """Where the workers spend their time on the API list's load, served again from the store of the
    larger of GROWTH_SIZES (`columns`: one backend's, by size)."""
    url = columns[GROWTH_SIZES[1]]["url"]
    ids = prepare(url)
    app = serve.Gunicorn("wsgi:app", bench.args.workers, bench.root / "list-profiled.log", store=url)
    try:
        app.wait_ready()
        board = {"Authorization": f"Bearer {ids['board']}"}
        run = partial(serve.wrk, app.base, LIST, board, bench.args.duration, bench.args.connections)
        return profile.during(app.worker_pids(), bench.args.duration, bench.root, run)
    finally:
        app.stop()


def _median(runs):
    """One figure of several rounds' wrk runs: the medians, and the doubts of any round."""
    return {"rps": statistics.median(r["rps"] for r in runs), "ratio": statistics.median(r["ratio"] for r in runs),
            "latency_ms": statistics.median(r["latency_ms"] for r in runs),
            "requests": min(r["requests"] for r in runs), "errors": sum(r["errors"] for r in runs),
            "socket_errors": "; ".join(r["socket_errors"] for r in runs if r["socket_errors"])}


def _cell(raw, ratio=None, mark=""):
    ratio = "" if ratio is None else f" ({ratio:.3f})" if ratio < 0.1 else f" ({ratio:.2f})"
    return (f"{raw:,.1f}" if raw < 100 else f"{raw:,.0f}") + mark + ratio


def _doubtful(run):
    """wrk saw errors or timeouts, or too few answers to time."""
    return run["errors"] or run["socket_errors"] or run["requests"] < 20


def _verdict(ok, text):
    return f"{text}: {'PASS' if ok else 'FAIL'}" if ok is not None else f"{text}: not measured"


def table(backend, columns, args):
    """One backend's table: raw figures, (ratios) and targets with PASS/FAIL."""
    sizes = sorted(columns)
    at = lambda size, f: f(columns[size]) if size in columns else None  # noqa: E731
    first = sizes[0]
    rows = [("bare Flask route, req/s", [_cell(columns[n]["bare"]["rps"]) for n in sizes], "baseline")]
    for label, key, target in PAGES:
        cells = [_cell(columns[n][key]["rps"], columns[n][key]["ratio"], "!" if _doubtful(columns[n][key]) else "")
                 for n in sizes]
        ok = at(TARGET_SIZE, lambda c: c["ok"][key])
        rows.append((f"{label}, req/s (÷ bare)", cells, _verdict(ok, f">= {target:.2f} at {TARGET_SIZE:,}")))
    most = MAX_TRANSITION[backend]
    rows.append(("durable transition (API) median, ms (÷ floor)",
                 [f"{columns[n]['transition']:.2f} ({columns[n]['transition'] / columns[n]['floor']:.2f})"
                  for n in sizes],
                 _verdict(at(TARGET_SIZE, lambda c: c["ok"]["transition"]),
                          f"<= {most} at {TARGET_SIZE:,}")))
    rows.append(("bare append + fdatasync median, ms", [f"{columns[n]['append']:.2f}" for n in sizes], "baseline"))
    rows.append(("bare Flask POST + append + fdatasync median, ms (÷ append)",
                 [f"{columns[n]['floor']:.2f} ({columns[n]['floor'] / columns[n]['append']:.1f})" for n in sizes],
                 "the floor of any durable API call"))
    rows.append((f"API list mean latency, ms (÷ at {first:,})",
                 [f"{columns[n]['list']['latency_ms']:.1f} ({columns[n]['list']['latency_ms'] / columns[first]['list']['latency_ms']:.2f})"
                  for n in sizes],
                 _verdict(growth_ok(columns), f"{GROWTH_SIZES[1]:,} ÷ {GROWTH_SIZES[0]:,} <= {MAX_GROWTH}")))
    rows.append(("API list just after a change, median ms", [f"{columns[n]['after_change']:.1f}" for n in sizes],
                 "no target: the kept list brought up to date with the change"))
    rows.append(("items in the API list answer", [f"{columns[n]['listed']:,}" for n in sizes], ""))
    rows.append(("server peak memory per worker (VmHWM), MB", [f"{columns[n]['mb']:.0f}" for n in sizes],
                 _verdict(at(GROWTH_SIZES[1], lambda c: c["ok"]["mb"]), f"<= {MAX_MB} at {GROWTH_SIZES[1]:,}")))
    width = max(len(r[0]) for r in rows)
    print(f"\n{NAMES[backend]}: {args.workers} gunicorn sync workers, wrk {args.connections} connections, "
          f"{args.duration} s per run, medians of {args.rounds} rounds")
    print(f"{'documents':<{width}}" + "".join(f"{n:>18,}" for n in sizes) + "   target")
    for label, cells, target in rows:
        print(f"{label:<{width}}" + "".join(f"{c:>18}" for c in cells) + f"   {target}")


class Bench:
    """What every section of the run shares: the arguments, a scratch directory, the bare
    Flask baseline under gunicorn, one throwaway PostgreSQL server, and each size's generated
    store (bench/generate.py, through the real workflow), generated once and copied per use."""

    def __init__(self, args, root, bare, pg):
        self.args, self.root, self.bare, self.pg = args, root, bare, pg
        self._generated = {}

    def generated(self, n):
        """The directory of a TinyDB store of `n` generated documents (do not write to it)."""
        if n not in self._generated:
            print(f"generating {n:,} documents...", flush=True)
            path = self.root / f"generated-{n}"
            store = open_app_store(str(path))
            try:
                fill(store, n, say=lambda *_: None)
            finally:
                store.close()
            self._generated[n] = path
        return self._generated[n]

    def size(self, target):
        """The store size a section measures at: its target's size when --sizes has it, else the smallest."""
        return target if target in self.args.sizes else min(self.args.sizes)

    def store_url(self, backend, n):
        """A fresh copy of the `n`-document store on `backend`, its URL: a run may write to it."""
        source = self.generated(n)
        if backend == "tinydb":
            url = self.root / f"tinydb-{n}-{len(list(self.root.iterdir()))}"
            shutil.copytree(source, url)
            return str(url)
        url = self.pg.new_database()
        tiny, target = open_backup_store(str(source)), open_backup_store(url)
        try:
            backup_service.migrate(tiny, target)  # a record at a time, as run.py migrate
        finally:
            tiny.close()
            target.close()
        return url


def pages(bench):
    """The read path and the single durable transition: one table per backend, by size."""
    args = bench.args
    results = {backend: {} for backend in args.backends}
    for n in args.sizes:
        for backend in args.backends:
            print(f"  measuring {backend} at {n:,}...", flush=True)
            url = bench.store_url(backend, n)
            results[backend][n] = measure(url, bench.bare, args, bench.root / f"{backend}-{n}.log", bench.root, n,
                                          backend)
    for backend in args.backends:
        table(backend, results[backend], args)
        profile.when_missed(f"{NAMES[backend]}: API list mean latency at {GROWTH_SIZES[1]:,} documents",
                            growth_ok(results[backend]),
                            partial(_profiled_list, bench, results[backend]))
    print("\n(ratio) = the app's req/s ÷ the bare Flask route's, measured just before and after it, the median "
          "of the rounds (req/s: the median of the rounds too); the durable "
          "transition ÷ the floor, called in turn with it: the bare Flask POST, which appends one "
          "document-sized line + fdatasync behind HTTP, gunicorn and Flask, with no app code (no durable "
          "API call can be faster; for PostgreSQL too: the same file append), itself ÷ the bare append "
          "on the same disk. "
          "! = wrk saw errors or timeouts, or under 20 answers (lengthen --duration).")
    return [_transition_row(backend, results[backend][TARGET_SIZE]) for backend in args.backends
            if TARGET_SIZE in results[backend]]


def _transition_row(backend, figures):
    """The write-path table's row of one durable transition at TARGET_SIZE, ÷ the floor."""
    ratio, most = figures["transition"] / figures["floor"], MAX_TRANSITION[backend]
    return Row(f"durable transition (API) median, {TARGET_SIZE:,} documents ({NAMES[backend]})",
               f"{figures['transition']:.2f} ms", ratio,
               f"bare Flask POST + append + fdatasync: {figures['floor']:.2f} ms", f"<= {most}",
               figures["ok"]["transition"])


# Each section takes the Bench and returns rows (bench/rows.py) for the write-path table, or
# prints a table of its own and returns none. --sections picks some, in this order.
SECTIONS = {"pages": pages,
            "backup": backup.measure,
            "compaction": compaction.measure,
            "writers": writers.measure,
            "bulk": bulk.measure,
            "scale": scale.measure}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000", help="store sizes of the pages section")
    ap.add_argument("--backends", default="tinydb,postgresql")
    ap.add_argument("--sections", default=",".join(SECTIONS), help=f"some of: {', '.join(SECTIONS)}")
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers, for the app and the baseline")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the app's wrk runs, each between two "
                                                          "of the baseline's; the table gives their medians")
    args = ap.parse_args()
    args.sizes = [int(x) for x in args.sizes.split(",")]
    args.backends = args.backends.split(",")
    sections = args.sections.split(",")
    if not set(args.backends) <= {"tinydb", "postgresql"}:
        ap.error("--backends: tinydb, postgresql or both")
    if not set(sections) <= set(SECTIONS):
        ap.error(f"--sections: some of {', '.join(SECTIONS)}")
    # A SIGTERM unwinds like Ctrl+C, so the finally below stops every server we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    serve.install_wrk()
    root = Path(tempfile.mkdtemp(prefix="bench-run-"))
    bare = pg = None
    failed = False
    rows = []
    try:
        bare = serve.Gunicorn("bare:app", args.workers, root / "bare.log", extra=["--pythonpath", "bench"],
                              env={"BARE_DIR": str(root)})
        bare.wait_ready("/")
        from tests.pg_server import PgServer
        pg = PgServer()
        bench = Bench(args, root, bare, pg)
        for name in sections:
            rows += SECTIONS[name](bench)
    except BaseException:
        failed = True
        raise
    finally:
        if bare:
            bare.stop()
        if pg:
            pg.stop()
        if failed:  # keep the servers' logs to read; the stores go
            for path in root.iterdir():
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
            print(f"gunicorn logs kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    show("The write path, bulk operations and scale: each ratio to a baseline measured in this run", rows)

if __name__ == "__main__":
    main()
