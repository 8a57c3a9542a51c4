"""The pieces bench/run.py drives: gunicorn on a free port, wrk, and plain HTTP calls."""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench import cpu, profile

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn -c deploy/gunicorn.conf.py APP` on 127.0.0.1, configured the way an operator would:
    EQUALITY_STORE, EQUALITY_BIND and EQUALITY_WORKERS in the environment."""

    def __init__(self, app, workers, log, store=None, extra=(), env=None):
        self.port = free_port()
        env = {**os.environ, **(env or {}), "EQUALITY_BIND": f"127.0.0.1:{self.port}",
               "EQUALITY_WORKERS": str(workers)}
        if store:
            env["EQUALITY_STORE"] = store
        # The sample configuration as an operator would run it (it never recycles workers: a
        # recycled worker reloads the whole store), for the app and the baseline alike.
        command = [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", *extra, app]
        self.workers = workers
        self._log = open(log, "ab")
        # Its own session: a Ctrl+C reaches us, and we stop it in order (see stop()).
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.base = f"127.0.0.1:{self.port}"

    def worker_pids(self):
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def wait_ready(self, path="/healthz", timeout=600):
        """Until every worker has booted: the health check answers, all workers exist, and none is busy
        (a worker still loading the store burns CPU; a booted one waits idle)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self._log.name}")
            try:
                status, _, _ = request(self.base, "GET", path)
            except OSError:
                status = None
            if status == 200 and len(self.worker_pids()) == self.workers and not self._busy():
                return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not become ready in {timeout} s; see {self._log.name}")

    def settle(self, timeout=600):
        """Until every worker is idle. wrk stops at its deadline, but the requests it left queued in
        the listen backlog are still served: without this they would be timed in the next run."""
        deadline = time.monotonic() + timeout
        while self._busy():
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn workers still busy after {timeout} s")

    def _busy(self):
        before = {pid: cpu.process_ticks(pid) for pid in self.worker_pids()}
        time.sleep(0.5)
        return any(cpu.process_ticks(pid) - ticks > 5 for pid, ticks in before.items())  # > 50 ms of 500

    def peak_rss_mb(self):
        """The largest peak resident set (VmHWM) among the workers, in MB."""
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
        return max(peaks)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # gunicorn's graceful stop: the master stops its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._log.close()


def profiled_start(app, log, root, store):
    """Where gunicorn serving `app` on `store` with one worker spent its time from its start until the
    worker was ready, as bench/profile.py says it: what a worker's start and most of its memory are made by."""
    server = Gunicorn(app, 1, log, store=store)
    try:
        return profile.during([server.proc.pid], 1, root, server.wait_ready, children=True)
    finally:
        server.stop()


def request(base, method, path, body=None, headers=None, conn=None):
    """One HTTP request: (status, headers, body bytes). Pass `conn` to reuse a connection."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(base, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        if own:
            conn.close()


def sign_in(base, name, password):
    """Sign in through the real form (CSRF token and all): the session cookie header for pages."""
    status, headers, page = request(base, "GET", "/sign-in")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"csrf_token": token, "name": name, "password": password})
    status, headers, _ = request(base, "POST", "/sign-in", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    if status != 302:
        raise RuntimeError(f"signing in as {name} answered {status}")
    return headers["Set-Cookie"].split(";", 1)[0]


def check(base, path, headers):
    """The page answers 200 for this caller, so wrk measures real answers, not errors."""
    status, _, body = request(base, "GET", path, headers=headers)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")


# wrk's figures, e.g. "Latency   12.34ms ..." and "Requests/sec:   812.40"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def wrk(base, path, headers, duration, connections, threads=2):
    """Run wrk against one URL: {"rps", "latency_ms" (mean), "requests", "errors"}."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "60s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, f"http://{base}{path}"], check=True, capture_output=True, text=True).stdout
    return _wrk_figures(out)


def _wrk_figures(out):
    """wrk's report as {"rps", "latency_ms" (mean), "requests", "errors", "socket_errors"}."""
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s|m)\b", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "latency_ms": float(latency.group(1)) * _UNITS[latency.group(2)],
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "errors": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


def install_wrk():
    """Debian's wrk, when missing (root or sudo, as ./test does for chromium)."""
    if shutil.which("wrk"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("Installing Debian's wrk (the load generator): apt-get update && apt-get install -y wrk", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def transitions(base, tokens, doc_id, steps, starts=None):
    """Fire screen / send_back alternately on one draft EqIA through the API, one request at a
    time: each answer is a durable commit. `tokens`: the bearer token for each transition's name
    (the author screens, a team leader sends back). The latency of each call, in ms; the wall
    clock's time each began is appended to `starts`, if given."""
    conn = http.client.HTTPConnection(base, timeout=120)  # reconnects by itself: sync workers close
    status, _, body = request(base, "GET", f"/api/v1/documents/{doc_id}",
                              headers={"Authorization": f"Bearer {tokens['screen']}"}, conn=conn)
    version = json.loads(body)["version"]
    times = []
    for i in range(steps):
        name = ("screen", "send_back")[i % 2]
        payload = json.dumps({"name": name, "version": version, "comment": "Please add the evidence."})
        headers = {"Authorization": f"Bearer {tokens[name]}", "Content-Type": "application/json"}
        if starts is not None:
            starts.append(time.time())
        start = time.perf_counter()
        status, _, body = request(base, "POST", f"/api/v1/documents/{doc_id}/transitions", payload, headers, conn)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"transition {name} answered {status}: {body[:300]!r}")
        version = json.loads(body)["version"]
    conn.close()
    return times


def bare_appends(base, line, steps):
    """POST /append of the bare app (bench/bare.py), one request at a time: the floor of
    any durable call through the API (HTTP, gunicorn, Flask, JSON, one fdatasync). In ms."""
    conn = http.client.HTTPConnection(base, timeout=120)
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        status, _, body = request(base, "POST", "/append", line, {"Content-Type": "application/json"}, conn)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"POST /append answered {status}: {body[:300]!r}")
    conn.close()
    return times


def lists_after_changes(base, tokens, doc_id, board, path, steps):
    """The list's latency right after a change: a transition (untimed), then the list as the
    Board (timed). Results kept until the store changes must then be worked out anew, by
    whichever worker answers. The latency of each list call, in ms."""
    times = []
    for _ in range(steps):
        transitions(base, tokens, doc_id, 2)  # screened and sent back: a draft again
        start = time.perf_counter()
        status, _, body = request(base, "GET", path, headers=board)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    return times


def fsync_appends(directory, line, steps):
    """The floor for any durable commit on this disk: append one line and fdatasync, in ms."""
    path = Path(directory) / "bare-append.jsonl"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    times = []
    try:
        for _ in range(steps):
            start = time.perf_counter()
            os.write(fd, line)
            os.fdatasync(fd)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(fd)
        path.unlink()
    return times


def wrk_script(base, script, env, duration, connections):
    """wrk driven by a Lua script of bench/ (`env` tells it what it needs), one connection per
    wrk thread, so a script's per-thread state is one client's: wrk()'s figures, and "lines",
    the lines the script's done() printed."""
    command = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{duration}s", "--timeout", "60s",
               "-s", str(ROOT / "bench" / script), f"http://{base}/"]
    out = subprocess.run(command, check=True, capture_output=True, text=True, env={**os.environ, **env}).stdout
    return {**_wrk_figures(out), "lines": out.splitlines()}


def transitions_beside_floor(base, tokens, doc_id, bare, line, steps):
    """transitions() and bare_appends() in turn, a call of each at a time: on a shared machine
    the disk's fdatasync varies from one second to the next, and a ratio of two runs taken
    minutes apart would measure that, not the app. (transition ms, floor ms), `steps` each."""
    app_conn, bare_conn = http.client.HTTPConnection(base, timeout=120), http.client.HTTPConnection(bare, timeout=120)

    def timed(times, server, conn, path, body, headers):
        start = time.perf_counter()
        status, _, answer = request(server, "POST", path, body, headers, conn)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"POST {path} answered {status}: {answer[:300]!r}")
        return answer

    _, _, body = request(base, "GET", f"/api/v1/documents/{doc_id}",
                         headers={"Authorization": f"Bearer {tokens['screen']}"}, conn=app_conn)
    version, moves, floor = json.loads(body)["version"], [], []
    for i in range(steps):
        name = ("screen", "send_back")[i % 2]
        payload = json.dumps({"name": name, "version": version, "comment": "Please add the evidence."})
        headers = {"Authorization": f"Bearer {tokens[name]}", "Content-Type": "application/json"}
        answer = timed(moves, base, app_conn, f"/api/v1/documents/{doc_id}/transitions", payload, headers)
        version = json.loads(answer)["version"]
        timed(floor, bare, bare_conn, "/append", line, {"Content-Type": "application/json"})
    app_conn.close()
    bare_conn.close()
    return moves, floor
