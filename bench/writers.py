"""Many writers at once: 16 clients (wrk, bench/writers.lua) each firing screen / send_back
alternately on its own draft EqIA, with its own tokens, through the API of the real app under
gunicorn; transitions per second ÷ the floor's requests per second at the same concurrency (16
clients POSTing a document-sized line to the bare app's /append, which fdatasyncs it: the
floor of any durable call). Each app run sits between two of the floor's, so the ratio is to
the floor measured either side of it; the median of the rounds is the row.

On PostgreSQL a second, informative row divides the same transitions by what PostgreSQL itself
takes for a durable write: 16 clients POSTing that line to the bare app's /append-pg, one INSERT
committed each (server and client on the same machine as the app, as the store's are). Its ratio
has no target: it says how much of the first row's gap is the database's commit, which no store
on PostgreSQL can go below, and how much is the app's. A third, informative too, runs the same
load against bench/store_route.py: a bare route that asks of the store what a transition asks (the
look, the document read, the commit of its next version, history entry and notice) and nothing
else, on the same database: the ceiling of any app on this store, ÷ the same floor.

wrk's counts are checked against the store after each run: every client's document went up by
exactly the transitions wrk saw answered (one more at most: a request in flight when wrk
stopped is still served).

Each load's CPU a request is printed beside the rows, by process (bench/cpu.py): the app's
workers, PostgreSQL, wrk and the rest, and the cores' idle share, over all its runs. A row that
misses its line has its load run once more under py-spy (bench/profile.py), and what the
workers spent their time in is printed too: the profile of the miss, in the run's own output.
"""
from __future__ import annotations

import json
import statistics
from functools import partial

from bench import cpu, profile, serve
from bench.generate import _people
from bench.rows import INFORMATIVE, Row, check
from services import token_service
from services.storage import open_app_store

CLIENTS = 16
SIZE = 10_000  # the size the target applies at
LEAST = 0.5


def _plan(url, doc_ids=None):
    """One line a client (bench/writers.lua): its draft EqIA, the version and step to start at,
    and its own tokens (the author screens, the team's leader sends back)."""
    store = open_app_store(url)
    try:
        if doc_ids is None:
            doc_ids = [d["id"] for d in store.scan("documents", {"kind": "eqia", "state": "draft"})[:CLIENTS]]
        lines = []
        for doc_id in doc_ids:
            doc = store.get("documents", doc_id)
            lead = next(u.name for u in _people(doc["team"]) if "team_leader" in u.roles)
            step = 0 if doc["state"] == "draft" else 1  # a screened one is sent back first
            lines.append(f"{doc_id} {doc['version']} {step} {token_service.issue_token(store, doc['author'])} "
                         f"{token_service.issue_token(store, lead)}")
        return doc_ids, lines
    finally:
        store.close()


def _versions(url, doc_ids):
    store = open_app_store(url)
    try:
        return {doc_id: store.get("documents", doc_id)["version"] for doc_id in doc_ids}
    finally:
        store.close()


def _checked(run, stored):
    """The clients' counts of a run (from bench/writers.lua's done()), checked against the store."""
    clients = [line.split()[1:] for line in run["lines"] if line.startswith("client ")]
    if len(clients) != CLIENTS:
        raise RuntimeError(f"wrk reported {len(clients)} clients, not {CLIENTS}")
    for doc_id, ok, failed, version in clients:
        if not 0 <= stored[doc_id] - int(version) <= 1:
            raise RuntimeError(f"document {doc_id}: wrk saw it reach version {version}, the store has "
                               f"{stored[doc_id]}: wrk's counts disagree with the store")
    return sum(int(c[1]) for c in clients), sum(int(c[2]) for c in clients)


def _floor(bare, body, duration, tally, path="/append"):
    """Requests per second of 16 clients POSTing the line `body` to the bare app's `path`, their
    CPU added to `tally`."""
    before = cpu.Ticks(bare.worker_pids())
    run = serve.wrk_script(bare.base, "append.lua", {"APPEND_BODY": str(body), "APPEND_PATH": path}, duration, CLIENTS)
    tally.add(before, cpu.Ticks(bare.worker_pids()), run["requests"])
    if run["errors"] or run["socket_errors"]:
        raise RuntimeError(f"the bare POST {path} failed: {run['errors']} errors, {run['socket_errors']}")
    bare.settle()
    return run["rps"]


def _rounds(bench, apps, url, body, tallies, pg_bare=None):
    """For each app of `apps` (name -> the app), [(transitions/s, ratio to the floor either side,
    failed, ratio to pg_bare's commits either side or None)] of each round; the floor's median and
    pg_bare's (None without it). Each app's run sits between two of the floors'. The CPU of each run
    is added to its tally in `tallies` (each app's by its name, the floor's, pg_bare's)."""
    args, rounds = bench.args, {name: [] for name in apps}

    def floors():
        return (_floor(bench.bare, body, args.duration, tallies["floor"]),
                _floor(pg_bare, body, args.duration, tallies["pg_floor"], "/append-pg") if pg_bare else None)

    measured, doc_ids = [floors()], None
    for _ in range(args.rounds):
        for name, app in apps.items():
            doc_ids, answered, failed = _writers(bench, app, url, doc_ids, tallies[name])
            measured.append(floors())
            rate = answered / args.duration
            (file_before, pg_before), (file_after, pg_after) = measured[-2:]
            rounds[name].append((rate, rate / ((file_before + file_after) / 2), failed,
                                 rate / ((pg_before + pg_after) / 2) if pg_bare else None))
    return (rounds, statistics.median(f for f, _ in measured),
            statistics.median(p for _, p in measured) if pg_bare else None)


def _writers(bench, app, url, doc_ids, tally):
    """One run of the 16 writers on `doc_ids` (None: the first 16 drafts), checked against the
    store, its CPU added to `tally`: (the documents, transitions answered, requests refused)."""
    doc_ids, lines = _plan(url, doc_ids)
    plan = bench.root / "writers-plan.txt"
    plan.write_text("\n".join(lines) + "\n")
    before = cpu.Ticks(app.worker_pids())
    run = serve.wrk_script(app.base, "writers.lua", {"WRITERS_PLAN": str(plan)}, bench.args.duration, CLIENTS)
    after = cpu.Ticks(app.worker_pids())
    app.settle()
    answered, failed = _checked(run, _versions(url, doc_ids))
    tally.add(before, after, answered)
    return doc_ids, answered, failed + run["errors"]


def _say_cpu(tallies, pg_floor):
    """Where each load's CPU went, over all its runs: what the row is short by, and where."""
    print(f"    CPU a transition: {tallies['app'].said()}", flush=True)
    if "store" in tallies:
        print(f"    CPU a transition of the store alone (bench/store_route.py): {tallies['store'].said()}", flush=True)
    print(f"    CPU a bare POST /append: {tallies['floor'].said()}", flush=True)
    if pg_floor:
        print(f"    CPU a bare POST /append-pg: {tallies['pg_floor'].said()}", flush=True)


def measure(bench):
    """One row a backend: 16 writers' transitions per second ÷ the floor's requests per second;
    on PostgreSQL two rows more (informative): the same ÷ bare PostgreSQL commits per second, and
    the store's own work for those transitions behind a bare route ÷ the floor."""
    args = bench.args
    n = bench.size(SIZE)
    rows = []
    for backend in args.backends:
        print(f"  many writers: {backend} at {n:,}...", flush=True)
        url = bench.store_url(backend, n)
        body = bench.root / "writers-line.json"
        store = open_app_store(url)
        try:
            body.write_text(json.dumps(store.scan("documents", {"kind": "eqia", "state": "draft"})[0]))
        finally:
            store.close()
        apps, pg_bare = {}, None
        try:
            apps["app"] = serve.Gunicorn("wsgi:app", args.workers, bench.root / f"writers-{backend}.log", store=url)
            if backend == "postgresql":  # its own bare app: the shared one's workers keep the bare app's memory
                pg_bare = serve.Gunicorn("bare:app", args.workers, bench.root / "bare-pg.log",
                                         extra=["--pythonpath", "bench"], env={"BARE_PG": bench.pg.new_database()})
                apps["store"] = serve.Gunicorn("store_route:app", args.workers, bench.root / "writers-store.log",
                                               store=url, extra=["--pythonpath", "bench"])
            for app in apps.values():
                app.wait_ready()
            if pg_bare:
                pg_bare.wait_ready("/")
            tallies = {"floor": cpu.Tally(), "pg_floor": cpu.Tally(), **{name: cpu.Tally() for name in apps}}
            rounds, floor, pg_floor = _rounds(bench, apps, url, body, tallies, pg_bare)
            rate, ratio = (statistics.median(r[i] for r in rounds["app"]) for i in (0, 1))
            _say_cpu(tallies, pg_bare is not None)
            failed = sum(r[2] for r in rounds["app"])
            rows.append(Row(f"{CLIENTS} writers' transitions/s, {n:,} documents ({backend})"
                            + (f", {failed} refused!" if failed else ""),
                            f"{rate:,.0f}/s", ratio, f"bare POST /append, {CLIENTS} clients: {floor:,.0f}/s",
                            f">= {LEAST}", check(ratio, least=LEAST) and not failed if n == SIZE else None))
            profile.when_missed(rows[-1].label, rows[-1].ok,
                                partial(profile.during, apps["app"].worker_pids(), args.duration, bench.root,
                                        partial(_writers, bench, apps["app"], url, None, cpu.Tally())))
        finally:
            for app in apps.values():
                app.stop()
            if pg_bare:
                pg_bare.stop()
        if pg_bare:
            rows.append(Row(f"{CLIENTS} writers' transitions/s ÷ bare PostgreSQL commits, {n:,} documents",
                            f"{rate:,.0f}/s", statistics.median(r[3] for r in rounds["app"]),
                            f"bare POST /append-pg (one INSERT, committed), {CLIENTS} clients: {pg_floor:,.0f}/s",
                            INFORMATIVE, None))
            alone = rounds["store"]
            refused = sum(r[2] for r in alone)
            rows.append(Row(f"{CLIENTS} writers, the store's work alone behind a bare route (bench/store_route.py)"
                            + (f", {refused} refused!" if refused else ""),
                            f"{statistics.median(r[0] for r in alone):,.0f}/s", statistics.median(r[1] for r in alone),
                            f"bare POST /append, {CLIENTS} clients: {floor:,.0f}/s", INFORMATIVE, None))
    return rows
