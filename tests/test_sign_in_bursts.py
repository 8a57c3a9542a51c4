"""Sign-in bursts on two hosts (gunicorn, 2 workers each) serving one store: the throttle
counts every attempt, and people signing in at once all get in (issue 17, item 5)."""
import contextlib
import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from services import account_service, throttle_service
from services.storage import open_app_store
from tests.conftest import PASSWORD
from tests.test_gunicorn import ROOT, free_port

WRONG = "not the password"


@pytest.fixture
def hosts(store_url):
    """The base URLs of two hosts serving the store, each a gunicorn with two workers; kim and lee have accounts."""
    with open_app_store(store_url) as store:
        for name in ("kim", "lee"):
            account_service.add_user(store, name, PASSWORD, ["staff"], ["CLAMS"])
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    servers, bases = [], []
    try:
        for _ in range(2):
            port = free_port()
            env = {**os.environ, "EQUALITY_STORE": store_url, "EQUALITY_BIND": f"127.0.0.1:{port}",
                   "EQUALITY_WORKERS": "2", "EQUALITY_PLAIN_HTTP_TRIAL": "1"}
            servers.append(subprocess.Popen([gunicorn, "-c", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            _wait_until_serving(base)
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=30)


def _wait_until_serving(base):
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None  # a sign-in's 302 is its answer


class Browser:
    """One person's browser on one host: the sign-in form fetched, ready to be posted."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect)
        with self.opener.open(base + "/sign-in", timeout=30) as response:
            self.csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode()).group(1)

    def sign_in(self, name, password):
        body = urllib.parse.urlencode({"csrf_token": self.csrf, "name": name, "password": password}).encode()
        try:
            with self.opener.open(self.base + "/sign-in", data=body, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


def _burst(hosts, name, password, count):
    """`count` sign-ins of `name` sent at once, spread evenly over the hosts: their statuses."""
    browsers = [Browser(hosts[n % len(hosts)]) for n in range(count)]
    start, statuses = threading.Barrier(count), []

    def go(browser):
        start.wait()
        statuses.append(browser.sign_in(name, password))

    threads = [threading.Thread(target=go, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return sorted(statuses)


def test_a_burst_of_wrong_passwords_across_hosts_checks_no_more_than_the_limit(hosts):
    statuses = _burst(hosts, "kim", WRONG, 24)
    limit = throttle_service.ACCOUNT.failures
    # 401: the password was checked and wrong; 429: refused unchecked. No 503: every attempt counted.
    assert statuses == [401] * limit + [429] * (24 - limit)
    assert Browser(hosts[1]).sign_in("kim", PASSWORD) == 429  # blocked, on either host, right or not


def test_one_person_signing_in_at_once_on_both_hosts_gets_in_every_time(hosts):
    assert _burst(hosts, "lee", PASSWORD, 4) == [302] * 4
    assert Browser(hosts[0]).sign_in("lee", PASSWORD) == 302
