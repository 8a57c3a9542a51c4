"""The footer of every page, and what it leads to: the accessibility statement (written from
web/accessibility_checks.py), the privacy notice and the contact page (the details an
administrator sets)."""
import re

import pytest
from markupsafe import escape

from services import settings_service
from tests.web.browsing import create_eqia, sign_in
from web import accessibility_checks
from workflow import contact, strands

FOOTER = re.compile(r'<footer class="site-footer">\s*<ul>\s*<li><a href="/accessibility"[^>]*>Accessibility statement</a></li>'
                    r'\s*<li><a href="/privacy"[^>]*>Privacy notice</a></li>\s*<li><a href="/contact"[^>]*>Contact us</a>')


def pages_without_arguments(app):
    """Every GET address of the URL map that needs no value in its path (pages and files alike)."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/api/"))


@pytest.mark.parametrize("who", [None, "sam", "bea"])
def test_every_page_has_the_footer_with_the_statement_the_privacy_notice_and_contact(app, client, people, who):
    if who:
        sign_in(client, who)
    pages = 0
    for path in pages_without_arguments(app) + ["/documents/999999", "/no-such-page"]:
        response = client.get(path)
        if response.mimetype != "text/html" or response.status_code in (301, 302, 303, 308):
            continue  # a file, or a redirect (to a page checked in its turn)
        pages += 1
        assert FOOTER.search(response.text), f"{path} ({response.status_code}) has no footer"
    assert pages >= (8 if who is None else 20)


@pytest.mark.parametrize("path", ["/accessibility", "/privacy", "/contact"])
def test_the_footers_pages_are_open_to_anyone_and_give_the_contact_details(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert contact.DEFAULT["unit"] in response.text and contact.DEFAULT["address"] in response.text
    assert 'aria-current="page"' in response.text.split('<footer class="site-footer">')[1]


@pytest.mark.parametrize("width", accessibility_checks.WIDTHS)
def test_the_statement_names_each_width_the_browser_tests_check(client, width):
    statement = client.get("/accessibility").text
    assert f"{width} pixels ({accessibility_checks.WIDTH_WORDS[width]})" in statement


def test_the_statement_names_the_checkers_their_versions_and_the_standard(client):
    statement = client.get("/accessibility").text
    assert f"axe-core version {accessibility_checks.AXE_CORE_VERSION}" in statement
    assert f"Nu HTML Checker version {accessibility_checks.NU_CHECKER_VERSION}" in statement
    assert f"Web Content Accessibility Guidelines, {accessibility_checks.STANDARD}" in statement


@pytest.mark.parametrize("failed, words", [
    (("serious", "critical"), "A test fails on any serious or critical violation."),
    (("moderate", "serious", "critical"), "A test fails on any moderate or serious or critical violation."),
    (accessibility_checks.AXE_IMPACTS, "A test fails on any violation, whatever its impact."),
])
def test_the_statement_says_which_axe_core_impacts_fail_a_test(client, monkeypatch, failed, words):
    monkeypatch.setattr(accessibility_checks, "AXE_IMPACTS_FAILED", failed)
    assert words in client.get("/accessibility").text


def test_the_statement_lists_each_keyboard_journey_with_its_limit_and_claims_none_before_one_is_run(client, monkeypatch):
    if not accessibility_checks.JOURNEYS:
        assert "No task is yet checked automatically with a keyboard alone" in client.get("/accessibility").text
    journeys = (*accessibility_checks.JOURNEYS, accessibility_checks.Journey("Find an EqIA on the public register", 9))
    monkeypatch.setattr(accessibility_checks, "JOURNEYS", journeys)
    statement = client.get("/accessibility").text
    for journey in journeys:
        assert f"<li>{escape(journey.name)}: at most {journey.key_presses} key presses</li>" in statement
    assert "No task is yet checked" not in statement


@pytest.fixture
def admin(client, make_user):
    make_user("root", "admin")
    sign_in(client, "root")
    return client


CONTACT = {"unit": "Equalities team", "address": "1 High Street, London", "email": "equality@example.org",
           "phone": "020 7202 0202"}


def test_an_administrator_sets_the_contact_details_every_footer_page_then_gives(admin, store):
    page = admin.get("/admin/settings").text
    assert f'value="{contact.DEFAULT["unit"]}"' in page
    response = admin.post("/admin/settings/contact", data={**CONTACT, "version": ""})
    assert response.status_code == 302
    for path in ("/contact", "/accessibility", "/privacy"):
        shown = admin.get(path).text
        assert all(value in shown for value in CONTACT.values()) and 'href="mailto:equality@example.org"' in shown
    assert settings_service.contact(store) == CONTACT


@pytest.mark.parametrize("field, value, message", [
    ("unit", " ", "Enter the name of the team the public should contact"),
    ("address", "", "Enter a postal address"),
    ("email", "not an address", "Enter an email address in the correct format, like name@example.org"),
    ("phone", "call us", "Enter a telephone number, like 020 7202 0202"),
    ("address", "1 High Street\r\nLondon", "Write the postal address on one line"),
    ("unit", "x" * 201, "Team the public should contact must be 200 characters or fewer"),
])
def test_bad_contact_details_are_refused_at_their_field_and_change_nothing(admin, store, field, value, message):
    response = admin.post("/admin/settings/contact", data={**CONTACT, field: value, "version": ""})
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"><span class="visually-hidden">Error: </span>{re.escape(message)}</p>',
                     response.text)
    assert settings_service.contact(store) == contact.DEFAULT


def test_only_an_administrator_sets_the_contact_details(client, people, store):
    sign_in(client, "sam")
    response = client.post("/admin/settings/contact", data={**CONTACT, "version": ""})
    assert response.status_code in (403, 404)
    assert settings_service.contact(store) == contact.DEFAULT


SKIP_TO_ACTION = re.compile(r'<a class="skip-link" href="#([^"]+)">Skip to the main action</a>')


def test_each_long_page_skips_to_its_main_action_an_element_of_that_page(client, people):
    sign_in(client, "sam")
    document = create_eqia(client, {"race": "negative"})
    screened = create_eqia(client, dict.fromkeys(strands.SETS[strands.DEFAULT].strands, "neutral"))  # may be marked as screened
    for path in (f"{document}/screening/age", f"{document}/assessment", screened):
        page = client.get(path).text
        target = SKIP_TO_ACTION.search(page).group(1)
        assert page.index("Skip to main content") < page.index("Skip to the main action")
        assert len(re.findall(rf'\sid="{re.escape(target)}"', page)) == 1, (path, target)


def test_a_short_page_has_no_skip_to_the_main_action(client, people):
    sign_in(client, "sam")
    assert "Skip to the main action" not in client.get("/account").text
