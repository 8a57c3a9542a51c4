"""bench/bare.py's floors, bench/store_route.py's ceiling and bench/rows.py's table: what the many-writers rows
divide by, and what the store alone reaches."""
import multiprocessing
import sys
from pathlib import Path

import psycopg
import pytest

from bench.rows import INFORMATIVE, Row, show
from services.storage import open_app_store
from store import Put

# bench/bare.py is served with --pythonpath bench, as gunicorn runs it: imported the same way.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import bare


def test_the_postgresql_floor_commits_each_line_it_answers(pg_server, monkeypatch):
    url = pg_server.new_database()
    monkeypatch.setenv("BARE_PG", url)
    monkeypatch.setattr(bare, "_journal", {})
    client = bare.app.test_client()
    try:
        for n in range(3):
            answer = client.post("/append-pg", json={"line": n, "kind": "eqia"})
            assert answer.status_code == 200 and answer.get_json() == {"line": n, "kind": "eqia"}
        with psycopg.connect(url) as other:  # another session: what it sees was committed
            lines = [row[0] for row in other.execute("SELECT line FROM bare_journal")]
        assert sorted(line["line"] for line in lines) == [0, 1, 2]
    finally:
        bare._journal["pg"].close()


def _first_line(url, ready, answers):
    """One gunicorn worker's first POST /append-pg, at the moment the others make theirs."""
    import os
    os.environ["BARE_PG"] = url
    bare._journal.clear()  # this process's own connection, as a forked worker opens
    ready.wait()
    answers.put(bare.app.test_client().post("/append-pg", json={"line": 1}).status_code)


def test_workers_making_their_first_postgresql_line_at_once_all_commit_it(pg_server):
    # The workers of the bare app each make the table at their first line: made by two at once,
    # PostgreSQL's CREATE TABLE IF NOT EXISTS may refuse one (a 500, and the bench run stopped).
    fork = multiprocessing.get_context("fork")
    for _ in range(4):
        url, ready, answers = pg_server.new_database(), fork.Barrier(6), fork.Queue()
        workers = [fork.Process(target=_first_line, args=(url, ready, answers)) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert sorted(answers.get(timeout=5) for _ in workers) == [200] * 6
        with psycopg.connect(url) as other:
            assert other.execute("SELECT count(*) FROM bare_journal").fetchone()[0] == 6


def test_an_informative_row_has_no_verdict_and_a_row_with_a_target_keeps_its_own(capsys):
    show("t", [Row("many writers", "900/s", 0.41, "floor: 2,200/s", ">= 0.5", False),
               Row("the same ÷ bare commits", "900/s", 0.62, "bare commits: 1,450/s", INFORMATIVE, None),
               Row("at 1,000", "1 s", 0.5, "b", "<= 2", None)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[3].rstrip().endswith("FAIL")
    assert lines[4].rstrip().endswith(INFORMATIVE)  # no PASS, FAIL nor "not measured" after it
    assert lines[5].rstrip().endswith("not measured")


@pytest.mark.parametrize("backend", ["tinydb", "postgresql"])
def test_the_store_route_commits_what_a_transition_asks_of_the_store(backend, pg_server, tmp_path, monkeypatch):
    import store_route
    url = pg_server.new_database() if backend == "postgresql" else str(tmp_path / "data")
    store = open_app_store(url)
    try:
        store.commit([Put("documents", "1", {"kind": "eqia", "state": "draft", "author": "amara"})])
    finally:
        store.close()
    monkeypatch.setenv("EQUALITY_STORE", url)
    monkeypatch.setattr(store_route, "_stores", {})
    client = store_route.app.test_client()
    try:
        answers = [client.post("/api/v1/documents/1/transitions", json={"name": "screen"}) for _ in range(3)]
    finally:
        for opened in store_route._stores.values():
            opened.close()
    assert [a.status_code for a in answers] == [200] * 3
    assert [(a.get_json()["version"], a.get_json()["state"]) for a in answers] == [
        (2, "screened"), (3, "draft"), (4, "screened")]
    store = open_app_store(url)
    try:  # each answered transition committed its document, its history entry and its notice
        assert store.get("documents", "1")["version"] == 4
        assert [entry["version"] for entry in store.log("history", "1")] == [2, 3, 4]
        assert sorted(n["id"] for n in store.scan("notices")) == ["1.2.amara", "1.3.amara", "1.4.amara"]
    finally:
        store.close()
