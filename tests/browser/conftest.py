"""A real browser against the real app: Debian's Chromium driven by Playwright.

The app is served on 127.0.0.1 (a free port) from a temporary data directory
for the whole session; every test gets a fresh browser context. Each checked
page is screenshotted into tests/browser/artifacts/ (not committed) and run
through axe-core at three widths, and must fit a 320 px screen.
"""
import re
import shutil
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from services import account_service
from tests.conftest import PASSWORD
from web import accessibility_checks, create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).with_name("artifacts")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
# Every checked page is checked at each width, the narrowest last (1280: a desktop, 375: a
# phone, 320: the width WCAG 1.4.10 Reflow names); the tests then go on at the first. The
# accessibility statement says the same, from the same module.
WIDTHS = accessibility_checks.WIDTHS
HEIGHT = 900

PEOPLE = {
    # name: roles, teams, trained
    "sam.staff": (("staff",), ("Human Resources",), None),
    "lee.lead": (("team_leader",), ("Human Resources",), "2006-05-10"),
    "hana.head": (("head",), ("Race & Diversity Unit",), "2006-03-01"),
    "bo.board": (("eodb",), (), "2007-01-15"),
    "ada.admin": (("admin",), (), None),
    "pat.other": (("team_leader",), ("Planning & Performance",), None),
}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    app = create_app({"STORE": str(tmp_path_factory.mktemp("browser") / "data"), "SECRET_KEY": "browser-tests"})
    store = app.extensions["store"]
    for name, (roles, teams, trained) in PEOPLE.items():
        account_service.add_user(store, name, PASSWORD, roles, teams, trained)
    return app


@pytest.fixture(scope="session")
def base_url(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    live_app.extensions["store"].close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run ./test, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


class Person:
    """One person at a browser: sign in, go places, and check every page they see."""

    def __init__(self, browser, base_url, name, folder):
        self.context = browser.new_context(base_url=base_url, viewport={"width": WIDTHS[0], "height": HEIGHT})
        self.page = self.context.new_page()
        self.name, self.folder, self.shots = name, folder, 0

    def sign_in(self):
        self.page.goto("/sign-in")
        self.page.get_by_label("User name").fill(self.name)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        return self.checked("signed-in")

    def checked(self, label, strict=False):
        """At a desktop, a phone and the narrowest phone width: screenshot the page, fail on
        any axe-core violation of the impacts the accessibility statement names (`strict`: of any impact), and at
        320 px fail if the page is wider than the screen (WCAG 1.4.10 Reflow). The desktop width is restored afterwards."""
        self.shots += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.shots:02d}-{self.name}-{label}".lower())
        try:
            for width in WIDTHS:
                self.page.set_viewport_size({"width": width, "height": HEIGHT})
                self.page.screenshot(path=str(self.folder / f"{slug}-{width}.png"), full_page=True)
                self.assert_no_axe_violation(width, accessibility_checks.AXE_IMPACTS if strict else None)
            wide = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert wide[0] <= wide[1], f"{self.page.url}: {wide[0]} px wide on a {wide[1]} px screen"
        finally:
            self.page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        return self.page

    def assert_no_axe_violation(self, width, impacts=None):
        impacts = impacts or accessibility_checks.AXE_IMPACTS_FAILED
        results = Axe().run(self.page)
        bad = [v for v in results.response["violations"] if v["impact"] in impacts]
        assert not bad, f"{self.page.url} at {width} px: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in bad)


@pytest.fixture
def person(browser, base_url, request):
    """person("lee.lead") -> a signed-out Person with their own browser context."""
    made = []
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)

    def make(name):
        made.append(Person(browser, base_url, name, folder))
        return made[-1]
    yield make
    for p in made:
        p.context.close()
