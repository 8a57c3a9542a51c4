"""PostgreSQL at 250,000 documents: a worker's peak memory and startup, and the read path,
each a ratio to the bare Flask app measured in the same run (bench/run.py --sections scale).

The store is made quickly: SEED documents are generated through the workflow
(bench.generated), copied into PostgreSQL, and their rows replicated in the database with
fresh keys (documents, their revisions and their histories re-keyed, INSERT ... SELECT) up to
SIZE. BENCH_SCALE=SIZE/SEED in the environment sets both (e.g. 5000/1000 while developing).
"""
from __future__ import annotations

import os
import statistics
import time
from functools import partial

import psycopg

from bench import profile, serve
from bench.generate import HEAD, PASSWORD
from bench.rows import Row, check

SIZE, SEED = (int(n) for n in os.environ.get("BENCH_SCALE", "250000/50000").split("/"))
MAX_MB, MAX_START_S = 400, 5.0
LIST = "/api/v1/documents?kind=eqia&state=approved&per_page=50"
# (label, what is asked, target ratio to the bare route's requests per second)
READS = [("API list (Board, approved EqIAs)", "list", 0.5), ("API document read (Board)", "read", 0.5),
         ("My work page (Head)", "home", 0.35), ("Document page (Head)", "page", 0.35)]

# One copy of the seed's documents, revisions and histories, keys moved up by %(shift)s (three statements).
_REPLICATE = """
INSERT INTO store_records (collection, key, num, version, data, seq)
SELECT collection, (num + %(shift)s)::text, num + %(shift)s, version,
       data || jsonb_build_object('id', (num + %(shift)s)::text), seq
FROM store_records WHERE collection = 'documents' AND num <= %(seed)s;
INSERT INTO store_records (collection, key, num, version, data, seq)
SELECT collection, ((data->>'document')::bigint + %(shift)s)::text || substr(key, strpos(key, '.')), NULL, version,
       data || jsonb_build_object('document', ((data->>'document')::bigint + %(shift)s)::text,
                                  'id', ((data->>'document')::bigint + %(shift)s)::text || substr(key, strpos(key, '.'))),
       seq
FROM store_records WHERE collection = 'revisions' AND (data->>'document')::bigint <= %(seed)s;
INSERT INTO store_logs (collection, key, entry)
SELECT collection, (key::bigint + %(shift)s)::text, entry FROM store_logs
WHERE collection = 'history' AND key ~ '^[0-9]+$' AND key::bigint <= %(seed)s ORDER BY seq;
"""


def replicate(url, size, seed):
    """Grow the generated store at `url` (holding documents 1..seed) to `size` documents."""
    with psycopg.connect(url, autocommit=True) as conn:
        for shift in range(seed, size, seed):
            for statement in _REPLICATE.split(";")[:-1]:
                conn.execute(statement, {"shift": shift, "seed": min(seed, size - shift)})
        conn.execute("UPDATE store_keys SET next = greatest(next, %s) WHERE collection = 'documents'", (size + 1,))
        conn.execute("VACUUM ANALYZE")


def started(app, path, headers, began, limit=900):
    """Seconds from `began` to `app`'s first answer of `path` (a worker's fork, boot and first read)."""
    while time.monotonic() - began < limit:
        if app.proc.poll() is not None:
            raise RuntimeError("gunicorn exited while starting")
        try:
            status, _, _ = serve.request(app.base, "GET", path, headers=headers)
        except OSError:
            status = None
        if status == 200:
            return time.monotonic() - began
        time.sleep(0.05)
    raise RuntimeError(f"{path} was not answered within {limit} s of starting; see {app._log.name}")


def startup(bench, url, path, headers):
    """(the app's, the bare app's) time from starting gunicorn with one worker to its first answer."""
    times = []
    for app, store, extra, env, asked in (
            ("wsgi:app", url, (), None, (path, headers)),
            ("bare:app", None, ["--pythonpath", "bench"], {"BARE_DIR": str(bench.root)}, ("/", {}))):
        began = time.monotonic()
        server = serve.Gunicorn(app, 1, bench.root / "scale-start.log", store=store, extra=extra, env=env)
        try:
            times.append(started(server, *asked, began))
        finally:
            server.stop()
    return times


def reads(bench, app, targets):
    """{name: the median over rounds of the app's req/s ÷ the bare route's on both sides of it}."""
    args = bench.args
    for path, headers in targets.values():  # warm up every worker
        serve.wrk(app.base, path, headers, 1, args.workers)
        app.settle()
    bares, ratios = [serve.wrk(bench.bare.base, "/", {}, args.duration, args.connections)["rps"]], {}
    for _ in range(args.rounds):
        runs = {}
        for name, (path, headers) in targets.items():
            runs[name] = serve.wrk(app.base, path, headers, args.duration, args.connections)["rps"]
            app.settle()
        bares.append(serve.wrk(bench.bare.base, "/", {}, args.duration, args.connections)["rps"])
        for name, rps in runs.items():
            ratios.setdefault(name, []).append((rps, rps / ((bares[-2] + bares[-1]) / 2)))
    return {name: (statistics.median(r for r, _ in runs), statistics.median(q for _, q in runs))
            for name, runs in ratios.items()}, statistics.median(bares)


def measure(bench):
    from bench.run import prepare  # not at the top: run.py imports this module

    print(f"  scale: PostgreSQL at {SIZE:,} documents (seed {SEED:,})...", flush=True)
    url = bench.store_url("postgresql", SEED)
    ids = prepare(url)  # tokens and documents, at the seed's size (the bench process holds it once)
    replicate(url, SIZE, SEED)
    board = {"Authorization": f"Bearer {ids['board']}"}
    read = f"/api/v1/documents/{SIZE - SEED + int(ids['approved'])}"  # a replicated one
    took, bare_took = startup(bench, url, read, board)
    app = serve.Gunicorn("wsgi:app", bench.args.workers, bench.root / "scale.log", store=url)
    try:
        app.wait_ready()
        head = {"Cookie": serve.sign_in(app.base, HEAD.name, PASSWORD)}
        targets = {"list": (LIST, board), "read": (read, board), "home": ("/", head),
                   "page": (read.replace("/api/v1", ""), head)}
        for path, headers in targets.values():
            serve.check(app.base, path, headers)
        figures, bare_rps = reads(bench, app, targets)
        mb = app.peak_rss_mb()
        at = f"{SIZE:,} documents (PostgreSQL)"
        rows = [Row(f"{label}, {at}", f"{figures[name][0]:,.0f} req/s", figures[name][1],
                    f"bare Flask route: {bare_rps:,.0f} req/s", f">= {least}", check(figures[name][1], least=least))
                for label, name, least in READS]
        for row, (_, name, _) in zip(rows, READS):
            profile.when_missed(row.label, row.ok, partial(profile.during, app.worker_pids(), bench.args.duration,
                                                           bench.root, partial(serve.wrk, app.base, *targets[name],
                                                                               bench.args.duration,
                                                                               bench.args.connections)))
    finally:
        app.stop()
    bare_mb = bench.bare.peak_rss_mb()  # the baseline's, after its runs above
    rows.append(Row(f"worker peak memory (VmHWM), {at}", f"{mb:,.0f} MB", mb / bare_mb,
                    f"bare Flask worker: {bare_mb:,.0f} MB", f"<= {MAX_MB} MB", mb <= MAX_MB))
    rows.append(Row(f"worker start to first document read, {at}", f"{took:.1f} s", took / bare_took,
                    f"bare Flask app, start to first answer: {bare_took:.2f} s", f"<= {MAX_START_S:g} s",
                    took <= MAX_START_S))
    # A worker's memory and its start are both made by its first load of the store: a start, profiled.
    profile.when_missed(f"a worker's peak memory and start, {at}", rows[-2].ok and rows[-1].ok,
                        partial(serve.profiled_start, "wsgi:app", bench.root / "scale-start.log", bench.root, url))
    return rows
