"""The real server as a subprocess, and API clients that keep a record of what it acknowledged.

Used by tests/test_crash.py. A write counts as acknowledged only when its 2xx answer
arrived: the server answers after the store's commit returned, which is after fsync.
A request whose answer never came (the server was killed), or came as a 503 (the
database went away mid-commit), may or may not have been applied; the client marks that
document unknown and reads it again before going on.
"""
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.conftest import HR, complete_eqia

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


GUNICORN = Path(sys.executable).with_name("gunicorn")


class Server:
    """The real server on the store at `url`, started and SIGKILLed again and again: `python run.py
    --store URL --port P` (waitress, one process), or, given `workers`, gunicorn as
    deploy/gunicorn.conf.py runs it in production (a master and its sync workers, all killed at once)."""

    def __init__(self, url, token, log_path, workers=None):
        self.url, self.token, self.log_path, self.workers = str(url), token, log_path, workers
        self.proc, self.base = None, None

    def _command(self, port):
        if self.workers is None:
            return [sys.executable, "run.py", "--store", self.url, "--port", str(port)], os.environ
        return [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "wsgi:app"], {
            **os.environ, "EQUALITY_STORE": self.url, "EQUALITY_BIND": f"127.0.0.1:{port}",
            "EQUALITY_WORKERS": str(self.workers)}

    def start(self, timeout=30):
        port = free_port()  # a fresh port each time: no waiting for the old one to be free
        command, env = self._command(port)
        with open(self.log_path, "ab") as log:  # its own process group: the kill reaches every worker
            self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        base = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the server exited: see {self.log_path}"
            try:
                if requests.get(base + "/me", headers=auth(self.token), timeout=1).status_code == 200:
                    self.base = base
                    return
            except requests.RequestException:
                pass
            time.sleep(0.02)
        raise AssertionError(f"the server did not answer within {timeout} s: see {self.log_path}")

    def kill(self):
        self.base = None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


class StoreDown(Exception):
    """The server answered 503: the database could not be reached."""


def auth(token):
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Ack:
    doc_id: str
    version: int  # the document's version the answer returned: its history entry number
    action: str


# What a client may do next to one of its documents, by the state it last saw: (action, weight).
NEXT = {"draft": (("edit", 2), ("screen", 3)), "screened": (("edit", 1), ("assess", 3)),
        "assessed": (("approve", 3), ("send_back", 1)), "approved": (("revise", 1),)}
BY_HEAD = {"approve", "send_back"}


class Client(threading.Thread):
    """Creates EqIAs as a team leader and drives them round the workflow with the head."""

    def __init__(self, server, lead, head, seed, stop):
        super().__init__(daemon=True)
        self.server, self.lead, self.head, self.stop = server, lead, head, stop
        self.rng = random.Random(seed)
        self.http = requests.Session()
        self.known = {}  # doc id -> the document as last answered
        self.unknown = set()  # doc ids whose last write got no answer
        self.acks, self.unanswered, self.conflicts, self.unexpected = [], 0, 0, []
        self.store_down = 0  # 503s: the database was away

    def run(self):
        while not self.stop.is_set():
            base = self.server.base
            if base is None:
                time.sleep(0.01)
                continue
            try:
                self.resync(base)
                self.step(base)
            except requests.RequestException:
                self.unanswered += 1
                time.sleep(0.01)
            except StoreDown:
                self.store_down += 1
                time.sleep(0.05)

    def resync(self, base):
        for doc_id in sorted(self.unknown):
            response = self.call("get", base, f"/documents/{doc_id}", self.lead)
            if response.status_code == 503:
                raise StoreDown()
            self.known[doc_id] = response.json()
            self.unknown.discard(doc_id)

    def call(self, method, base, path, token, body=None):
        return self.http.request(method, base + path, json=body, headers=auth(token), timeout=5)

    def step(self, base):
        active = [d for d in self.known.values() if d["state"] in NEXT]
        if len(active) < 2 or self.rng.random() < 0.1:
            self.write(None, "create", base, "post", "/documents", self.lead,
                       {"kind": "eqia", "title": "Crash test EqIA", "team": HR, "fields": complete_eqia()})
            return
        doc = self.rng.choice(active)
        actions, weights = zip(*NEXT[doc["state"]])
        action = self.rng.choices(actions, weights)[0]
        path = f"/documents/{doc['id']}"
        if action == "edit":
            body = {"version": doc["version"], "title": f"Crash test EqIA, v{doc['version'] + 1}"}
            self.write(doc["id"], action, base, "patch", path, self.lead, body)
        else:
            body = {"name": action, "version": doc["version"], "comment": "crash test"}
            self.write(doc["id"], action, base, "post", path + "/transitions",
                       self.head if action in BY_HEAD else self.lead, body)

    def write(self, doc_id, action, base, method, path, token, body):
        if doc_id:
            self.unknown.add(doc_id)  # until the answer arrives
        response = self.call(method, base, path, token, body)
        if response.status_code in (200, 201):
            doc = response.json()
            self.acks.append(Ack(doc["id"], doc["version"], action))
            self.known[doc["id"]] = doc
            self.unknown.discard(doc["id"])
        elif response.status_code == 409:  # only after an unanswered write: read it again
            self.conflicts += 1
        elif response.status_code == 503:  # the commit may have reached the database: read it again
            raise StoreDown()
        else:
            self.unexpected.append((action, response.status_code, response.text[:300]))
            self.unknown.discard(doc_id)
            self.known.pop(doc_id, None)
