"""kill -9 of the real server under load (TinyDB: the one-process server; both backends: gunicorn
under 16 concurrent writers; PostgreSQL: its server stopped in immediate mode under them too), and
of `run.py user add` and `import-plan`: every acknowledged write survives, nothing unacknowledged
is half-applied, the store opens every time. Figures are printed (pytest -s shows them).

What "not half-applied" means here: every change of a document commits its new version,
its history entry and (on approval) its approved revision together, so after any kill
each document's version equals its number of history entries, its state is where its
last entry went, each approval has its revision, and every history chain verifies.
"""
import random
import subprocess
import sys
import threading
import time

from services import account_service, token_service, verify_service
from services.demo_service import PLAN_FILE
from services.document_service import DOCS, HISTORY, REVISIONS
from services.storage import open_app_store
from store.tinydb_store import TinyDBStore
from tests.conftest import HR, PASSWORD, RDU
from tests.crash_clients import ROOT, Client, Server
from tests.pg_server import PgServer

KILLS, CLIENTS = 50, 3
# Many writers at once: fewer, longer runs of the server (gunicorn's start is the cost).
WRITERS, WRITER_KILLS, WORKERS = 16, 4, 2


def check_store(data, acks=()):
    """Open the store (it must open) and check the invariants and the acknowledged writes."""
    store = open_app_store(str(data))
    try:
        with store.one_state():  # the server may still be writing (PostgreSQL's restart): one state of it
            report = verify_service.verify_store(store)
            assert report.intact, report.broken
            for doc in store.scan(DOCS):
                log = store.log(HISTORY, doc["id"])
                assert len(log) == doc["version"] and log[-1]["to"] == doc["state"], (doc, log[-1])
                for entry in log:
                    if entry["action"] == "approve":
                        assert store.get(REVISIONS, f"{doc['id']}.{entry['revision']}"), (doc["id"], entry)
            for ack in acks:
                doc = store.get(DOCS, ack.doc_id)
                assert doc is not None and doc["version"] >= ack.version, (ack, doc and doc["version"])
                assert store.log(HISTORY, ack.doc_id)[ack.version - 1]["action"] == ack.action, ack
            return len(store.scan(DOCS))
    finally:
        store.close()


def people(data, clients=CLIENTS):
    """A head and one team leader per client, with API tokens."""
    store = open_app_store(str(data))
    account_service.add_user(store, "head", PASSWORD, ["head"], [RDU], "2006-03-01")
    head = token_service.issue_token(store, "head")
    leads = []
    for i in range(clients):
        account_service.add_user(store, f"lead{i}", PASSWORD, ["team_leader"], [HR], "2006-05-10")
        leads.append(token_service.issue_token(store, f"lead{i}"))
    store.close()
    return head, leads


def test_the_server_killed_at_random_keeps_every_acknowledged_write(tmp_path):
    data = tmp_path / "data"
    head, leads = people(data)
    server, stop, rng = Server(f"tinydb://{data}", head, tmp_path / "server.log"), threading.Event(), random.Random(9)
    clients = [Client(server, lead, head, seed, stop) for seed, lead in enumerate(leads)]
    for client in clients:
        client.start()
    started = time.monotonic()
    for kill in range(KILLS):
        server.start()
        time.sleep(rng.uniform(0.05, 0.4))
        server.kill()
        check_store(data, [ack for client in clients for ack in list(client.acks)])
    stop.set()
    for client in clients:
        client.join(10)
    acks = [ack for client in clients for ack in client.acks]
    documents = check_store(data, acks)
    unanswered = sum(c.unanswered for c in clients)
    print(f"\nserver crash test: {KILLS} kills survived in {time.monotonic() - started:.0f} s; "
          f"{len(acks)} acknowledged writes checked ({documents} documents), "
          f"{unanswered} requests cut off unanswered, {sum(c.conflicts for c in clients)} conflicts")
    assert not [u for c in clients for u in c.unexpected]
    assert len(acks) >= 5 * KILLS and {a.action for a in acks} >= {"create", "edit", "screen", "assess", "approve"}


def writers(server, url):
    """WRITERS clients, each with its own team leader and documents, started."""
    head, leads = people(url, WRITERS)
    server.token, stop = head, threading.Event()
    clients = [Client(server, lead, head, seed, stop) for seed, lead in enumerate(leads)]
    for client in clients:
        client.start()
    return clients, stop


def stopped(clients, stop, url, what, started):
    """Stop the clients; check the store with every acknowledged write; print the figures."""
    stop.set()
    for client in clients:
        client.join(10)
    acks = [ack for client in clients for ack in client.acks]
    documents = check_store(url, acks)
    print(f"\n{what}, {WRITERS} writers: survived in {time.monotonic() - started:.0f} s; {len(acks)} acknowledged "
          f"writes checked ({documents} documents), {sum(c.unanswered for c in clients)} requests cut off "
          f"unanswered, {sum(c.store_down for c in clients)} answered 503, {sum(c.conflicts for c in clients)} "
          f"conflicts")
    assert not [u for c in clients for u in c.unexpected]
    return acks


def test_gunicorn_killed_under_many_writers_keeps_every_acknowledged_write(store_url, tmp_path):
    server = Server(store_url, None, tmp_path / "server.log", workers=WORKERS)
    clients, stop = writers(server, store_url)
    rng, started = random.Random(11), time.monotonic()
    for _ in range(WRITER_KILLS):
        server.start()
        time.sleep(rng.uniform(0.5, 1.5))
        server.kill()
        check_store(store_url, [ack for client in clients for ack in list(client.acks)])
    acks = stopped(clients, stop, store_url, f"gunicorn: {WRITER_KILLS} kills", started)
    assert all(c.acks for c in clients), "a writer got nothing through between the kills"
    assert {a.action for a in acks} >= {"create", "edit", "screen", "assess", "approve"}


def test_postgresql_stopped_in_immediate_mode_under_many_writers_keeps_every_acknowledged_write(tmp_path):
    """The database crashes (no checkpoint, no goodbye to its clients) while gunicorn serves 16
    writers: after its restart every acknowledged write is there, and the app goes on serving."""
    pg = PgServer()
    try:
        url = pg.new_database()
        server = Server(url, None, tmp_path / "server.log", workers=WORKERS)
        clients, stop = writers(server, url)
        server.start()
        rng, started = random.Random(13), time.monotonic()
        try:
            for _ in range(WRITER_KILLS):
                time.sleep(rng.uniform(0.5, 1.5))
                pg.crash()
                time.sleep(0.2)  # writers meet the database gone: 503s, or no answer
                pg.start()
                check_store(url, [ack for client in clients for ack in list(client.acks)])
            before, deadline = sum(len(c.acks) for c in clients), time.monotonic() + 20
            while sum(len(c.acks) for c in clients) == before and time.monotonic() < deadline:
                time.sleep(0.1)
            assert sum(len(c.acks) for c in clients) > before, "no write went through after the last restart"
        finally:
            server.kill()
        acks = stopped(clients, stop, url, f"PostgreSQL: {WRITER_KILLS} immediate stops", started)
        assert all(c.acks for c in clients) and {a.action for a in acks} >= {"create", "screen", "approve"}
    finally:
        pg.stop()


def run_py(*args):
    return [sys.executable, "run.py", *args]


def killed_midway(command, stdin, seconds):
    """Start `command`, SIGKILL it after `seconds` unless it has finished; True if it was killed."""
    proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    proc.stdin.write(stdin)
    proc.stdin.close()
    try:
        proc.wait(seconds)
        return False
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
        return True


def duration(command, stdin=b""):
    started = time.monotonic()
    assert subprocess.run(command, cwd=ROOT, input=stdin, capture_output=True).returncode == 0
    return time.monotonic() - started


def test_user_add_killed_midway_leaves_the_account_whole_or_absent(tmp_path):
    data, rng = str(tmp_path / "data"), random.Random(3)
    password = b"a long enough password\n"
    full = duration(run_py("user", "add", "first", "--role", "staff", "--data", data), password)
    outcomes = {"killed, absent": 0, "killed, present": 0, "finished": 0}
    for i in range(40):  # until 20 kills: on a busy machine a run may finish before its kill
        name = f"user{i}"
        killed = killed_midway(run_py("user", "add", name, "--role", "staff", "--team", HR, "--data", data),
                               password, rng.uniform(0.3, 1.0) * full)
        store = TinyDBStore(data)  # must open every time
        try:
            record = store.get("users", name)
            if record is not None:
                assert record["teams"] == [HR] and account_service.check_password(store, name, password.decode().strip())
        finally:
            store.close()
        outcomes["finished" if not killed else "killed, present" if record else "killed, absent"] += 1
        if outcomes["killed, absent"] + outcomes["killed, present"] >= 20:
            break
    print(f"\nuser add: {outcomes}")
    assert outcomes["killed, absent"] + outcomes["killed, present"] >= 20


def test_import_plan_killed_midway_imports_all_or_nothing_and_a_rerun_completes_it(tmp_path):
    rng = random.Random(5)
    command = run_py("import-plan", str(PLAN_FILE), "--data", str(tmp_path / "full"))
    full = duration(command)
    objectives = check_store(tmp_path / "full")
    outcomes = {"killed, nothing": 0, "killed, all": 0, "finished": 0}
    for i in range(40):  # until 10 kills: on a busy machine a run may finish before its kill
        data = str(tmp_path / f"data{i}")
        killed = killed_midway(run_py("import-plan", str(PLAN_FILE), "--data", data), b"",
                               rng.uniform(0.3, 1.0) * full)
        count = check_store(data)
        assert count in (0, objectives), count
        outcomes["finished" if not killed else "killed, all" if count else "killed, nothing"] += 1
        if i % 4 == 0:  # a rerun (slow-ish) completes it, and never twice
            assert subprocess.run(run_py("import-plan", str(PLAN_FILE), "--data", data), cwd=ROOT,
                                  capture_output=True).returncode == 0
            assert check_store(data) == objectives
        if outcomes["killed, nothing"] + outcomes["killed, all"] >= 10:
            break
    print(f"\nimport-plan ({objectives} objectives): {outcomes}")
    assert outcomes["killed, nothing"] + outcomes["killed, all"] >= 10
