"""Two hosts (gunicorn, as the README runs them) on one PostgreSQL server that goes away, hangs and
restarts: a host stays up whatever the database does, answers 503 fast while it cannot reach it,
and serves again, without a restart, as soon as it is back."""
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from services.storage import open_app_store, signing_key
from store import Append, Put, StoreError
from store.postgres_store import PostgresStore
from tests.pg_server import PgServer
from tests.test_gunicorn import ROOT, call, free_port
from web import create_app

BOUND = 5  # seconds: the store waits 2 s (EQUALITY_DB_TIMEOUT), with a generous margin for a busy machine


@pytest.fixture(scope="module")
def own_server():
    """A server of this module's own: the tests stop and freeze it, which others must not see."""
    server = PgServer()
    yield server
    try:
        server.freeze(stop=False)  # whatever a failed test left
    finally:
        server.stop()  # even if thawing failed: a server left running outlives the run


class Host:
    """One gunicorn host: a master and its workers."""

    def __init__(self, url, workers=2):
        self.base = f"http://127.0.0.1:{free_port()}"
        env = {**os.environ, "EQUALITY_STORE": url, "EQUALITY_BIND": self.base[len("http://"):],
               "EQUALITY_WORKERS": str(workers)}
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.process = subprocess.Popen([gunicorn, "-c", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def workers(self):
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def get(self, path, token=None):
        """(status, Retry-After, seconds taken) of a GET."""
        request = urllib.request.Request(self.base + path,
                                         headers={"Authorization": f"Bearer {token}"} if token else {})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as refused:
            status, headers = refused.code, refused.headers
        return status, headers.get("Retry-After"), time.monotonic() - started

    def answering(self, within):
        """Wait until the host answers at all (its socket bound, a worker up)."""
        deadline = time.monotonic() + within
        while True:
            try:
                return self.get("/healthz")
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def serving(self, within, token=None):
        """Whether the host answers its health check and an API read within `within` seconds."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200 and self.get("/api/v1/documents", token)[0] == 200:
                    return True
            except OSError:  # not listening yet
                pass
            time.sleep(0.1)
        return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def database(own_server):
    """A fresh database with one staff member: (URL, their API token)."""
    url = own_server.new_database()
    added = subprocess.run([sys.executable, "run.py", "user", "add", "jo", "--role", "staff", "--team", "CLAMS",
                            "--store", url], cwd=ROOT, input="a long password\n", text=True, capture_output=True,
                           timeout=60)
    assert added.returncode == 0, added.stderr
    token = subprocess.run([sys.executable, "run.py", "token", "jo", "--store", url], cwd=ROOT, text=True,
                           capture_output=True, timeout=60).stdout.strip()
    return url, token


@pytest.fixture
def hosts():
    started = []
    yield started
    for host in started:
        host.stop()


def test_a_worker_or_host_started_while_the_database_is_down_serves_once_it_is_back(own_server, database, hosts):
    url, token = database
    first = Host(url)
    hosts.append(first)
    assert first.serving(within=30, token=token)
    own_server.halt()
    try:
        for worker in first.workers():
            os.kill(worker, 9)  # gunicorn starts new ones, which open the store while it is away
        second = Host(url)
        hosts.append(second)
        # Each host is up, and says plainly that the store is away, fast: a load balancer can tell.
        for host in (first, second):
            host.answering(within=60)  # its workers have started (which takes a while on a busy machine)
            for path in ("/healthz", "/api/v1/documents") * 2:
                status, retry_after, took = host.get(path, token)
                assert status == 503 and retry_after and took < BOUND, (path, status, took)
    finally:
        own_server.start()
    assert first.serving(within=10, token=token) and second.serving(within=10, token=token)
    assert first.process.poll() is None and second.process.poll() is None


def test_a_frozen_database_gets_fast_503s_and_a_quiet_restart_none(own_server, database, hosts):
    url, token = database
    hosts.extend([Host(url), Host(url)])
    assert all(host.serving(within=30, token=token) for host in hosts)
    created = call(hosts[0].base + "/api/v1/documents", {"kind": "eqia", "title": "EqIA", "team": "CLAMS"},
                   token)[1]["id"]

    answers = []  # (status, Retry-After, seconds) of every request while the database is frozen

    def ask(host, until):
        while time.monotonic() < until:
            for path in ("/healthz", f"/api/v1/documents/{created}/history"):
                started = time.monotonic()
                try:
                    answers.append(host.get(path, token))
                except OSError:  # no answer at all: as late as can be
                    answers.append((None, None, time.monotonic() - started))

    own_server.freeze()
    try:
        frozen_until = time.monotonic() + 20  # the freeze: ten times the bound
        askers = [threading.Thread(target=ask, args=(host, frozen_until)) for host in hosts]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join(timeout=120)
    finally:
        own_server.freeze(stop=False)
    assert len(answers) >= 8
    assert all(status == 503 and retry_after for status, retry_after, _ in answers), answers
    assert max(took for _, _, took in answers) < BOUND, answers
    assert all(host.serving(within=10, token=token) for host in hosts)

    own_server.halt()  # a quiet restart: no request while it is down
    own_server.start()
    for host in hosts:  # every worker's pooled connections and clock connection died with it
        for _ in range(8):
            assert host.get(f"/api/v1/documents/{created}/history", token)[0] == 200
            assert host.get("/healthz")[0] == 200


def test_every_kind_of_store_call_is_refused_within_the_bound_while_frozen_and_works_after(own_server):
    store = PostgresStore(own_server.new_database(), timeout=1)
    try:
        store.commit([Put("documents", "1", {"title": "A"}), Append("history", "1", {"at": 1})])
        calls = {"read": lambda: store.get("documents", "1"), "history": lambda: store.log("history", "1"),
                 "write": lambda: store.commit([Put("documents", "1", {"title": "B"}, 1)]),
                 "listing": lambda: store.collections()}
        own_server.freeze()
        try:
            for name, call_it in calls.items():
                started = time.monotonic()
                with pytest.raises(StoreError):
                    call_it()
                assert time.monotonic() - started < 3, name  # 1 s, or libpq's least connect_timeout: 2 s
        finally:
            own_server.freeze(stop=False)
        assert store.get("documents", "1")["title"] == "A" and store.log("history", "1") == [{"at": 1}]
        store.commit([Put("documents", "1", {"title": "B"}, 1)])
        assert store.get("documents", "1")["title"] == "B"
    finally:
        store.close()


def test_an_app_made_while_the_database_is_down_signs_sessions_with_the_shared_key_once_it_is_back(own_server):
    url = own_server.new_database()
    with open_app_store(url) as other_host:
        shared = signing_key(other_host)  # the signing key, made by another host
    own_server.halt()
    try:
        app = create_app({"STORE": url, "SESSION_COOKIE_SECURE": False})  # as wsgi.py: no key configured
        client = app.test_client()
        refused = client.get("/sign-in")
        assert refused.status_code == 503 and refused.headers["Retry-After"]
    finally:
        own_server.start()
    signing_in = client.get("/sign-in")
    assert signing_in.status_code == 200 and app.config["SECRET_KEY"] == shared
    app.extensions["store"].close()


def test_a_server_whose_backend_ended_meanwhile_is_frozen_and_thawed_all_the_same(own_server, monkeypatch):
    # pgrep lists the server's processes, and a backend may end before it is signalled (its client left): the
    # module's teardown thaws the server so, and an error there used to leave the server running after the run.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid names no process now
    listed = subprocess.run

    def pgrep_and_the_gone(command, **kwargs):
        answer = listed(command, **kwargs)
        if command[0] == "pgrep":
            answer.stdout += f"{gone.pid}\n"
        return answer

    monkeypatch.setattr(subprocess, "run", pgrep_and_the_gone)
    own_server.freeze()
    own_server.freeze(stop=False)
    with psycopg.connect(own_server.admin_url, connect_timeout=5) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_thawing_a_halted_server_is_nothing_to_do(own_server):
    own_server.halt()  # as a test that failed while its server was down leaves it
    try:
        own_server.freeze(stop=False)
    finally:
        own_server.start()
