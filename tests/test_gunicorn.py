"""The production setup of the README: gunicorn with several workers sharing one PostgreSQL database."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, body=None, token=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_several_gunicorn_workers_serve_one_postgresql_store(pg_server):
    url, port = pg_server.new_database(), free_port()
    env = {**os.environ, "EQUALITY_STORE": url, "EQUALITY_BIND": f"127.0.0.1:{port}", "EQUALITY_WORKERS": "3"}
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen([gunicorn, "-c", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                assert call(base + "/healthz") == (200, {"status": "ok", "store": "answering"})
                break
            except OSError:
                time.sleep(0.1)
        added = subprocess.run([sys.executable, "run.py", "user", "add", "jo", "--role", "staff", "--team",
                                "CLAMS", "--store", url], cwd=ROOT, input="a long password\n", text=True,
                               capture_output=True, timeout=60)
        assert added.returncode == 0, added.stderr
        token = subprocess.run([sys.executable, "run.py", "token", "jo", "--store", url], cwd=ROOT, text=True,
                               capture_output=True, timeout=60).stdout.strip()
        created = [call(base + "/api/v1/documents", {"kind": "eqia", "title": f"EqIA {i}", "team": "CLAMS"},
                        token)[1]["id"] for i in range(12)]
        assert len(set(created)) == 12  # keys handed out across workers, none twice
        status, listed = call(base + "/api/v1/documents", token=token)
        assert status == 200 and sorted(d["id"] for d in listed["items"]) == sorted(created)
    finally:
        server.terminate()
        server.wait(timeout=30)
