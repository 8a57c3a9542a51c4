"""The same measurements on both backends, side by side: a durable transition
through the app's Documents service, and a Board member's filtered list.

Each size is generated once (bench/generate.py) into TinyDB and copied into a
fresh PostgreSQL database, so both hold exactly the same data.

usage: .venv/bin/python bench/backends.py [--sizes 1000,10000] [--commits 200] [--lists 30]
                                          [--postgresql URL_OF_AN_ADMIN_DATABASE]
Without --postgresql a throwaway server is started (Debian's postgresql, as the tests do).
"""
from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import BOARD, fill  # noqa: E402
from services import backup_service  # noqa: E402
from services.document_service import Documents  # noqa: E402
from services.storage import open_app_store  # noqa: E402
from workflow.errors import StateConflict  # noqa: E402
from workflow.users import User  # noqa: E402


def _ms(samples):
    ms = sorted(x * 1000 for x in samples)
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


def time_transitions(store, commits):
    """Screen a draft EqIA and send it back, over and over: each is one durable commit."""
    docs = Documents(store)
    draft = next(d for d in store.scan("documents", {"kind": "eqia", "state": "draft"}))
    team = draft["team"]
    author = User(draft["author"], frozenset({"staff"}), frozenset({team}))
    lead = User("bench.lead", frozenset({"team_leader"}), frozenset({team}))
    steps = itertools.cycle([("screen", author, None), ("send_back", lead, "Please add the evidence.")])
    times = []
    for _ in range(commits):
        name, user, comment = next(steps)
        start = time.perf_counter()
        doc = docs.load(draft["id"])
        try:
            docs.fire(doc["id"], user, name, doc["version"], comment)
        except StateConflict:
            continue
        times.append(time.perf_counter() - start)
    return _ms(times)


def time_lists(store, rounds):
    """A Board member's first page of 50 approved EqIAs, as the API's list does it."""
    docs = Documents(store)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        found = docs.search(BOARD, kind="eqia", state="approved")[:50]
        times.append(time.perf_counter() - start)
    assert found, "the generated store has approved EqIAs"
    return _ms(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--lists", type=int, default=30)
    ap.add_argument("--postgresql", metavar="URL", help="an existing server's admin database URL")
    args = ap.parse_args()
    server = None
    if args.postgresql:
        new_database = _databases(args.postgresql)
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.pg_server import PgServer
        server = PgServer()
        new_database = server.new_database
    root = Path(tempfile.mkdtemp(prefix="bench-backends-"))
    rows = []
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            print(f"generating {n} documents...", flush=True)
            tiny = open_app_store(str(root / f"tiny-{n}"))
            fill(tiny, n, say=lambda *_: None)
            pg = open_app_store(new_database())
            records, logs = backup_service.contents(tiny, with_secrets=True)
            pg.load(records, logs)
            for name, store in (("TinyDB", tiny), ("PostgreSQL", pg)):
                rows.append((n, name, *time_transitions(store, args.commits), *time_lists(store, args.lists)))
            tiny.close(), pg.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if server:
            server.stop()
    print()
    print(f"{'documents':>9}  {'backend':<10}  {'transition median':>17}  {'p95':>8}  "
          f"{'Board list median':>17}  {'p95':>8}   (ms)")
    for n, name, t_med, t_p95, l_med, l_p95 in rows:
        print(f"{n:>9}  {name:<10}  {t_med:>17.2f}  {t_p95:>8.2f}  {l_med:>17.2f}  {l_p95:>8.2f}")


def _databases(admin_url):
    import psycopg
    counter = itertools.count(1)

    def new_database():
        name = f"bench_{int(time.time())}_{next(counter)}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return admin_url.rsplit("/", 1)[0] + "/" + name
    return new_database


if __name__ == "__main__":
    main()
