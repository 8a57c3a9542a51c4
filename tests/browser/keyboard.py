"""A person using the keyboard only, every key press counted, and the words they are shown.

`Keyboard` moves focus with Tab (and Shift+Tab) the way a keyboard user does, never by
clicking or by focusing an element from script, and counts each press. Typing the text of an
answer is the answer itself, not a way through the page, so typed characters are counted
apart (`typed`); `presses` is what the journey limits bound. `Walker` is a person doing a
task that way, checking each page shown (plain words, axe-core of every impact, the focus).
"""
import re

from tests.conftest import PASSWORD
from workflow import machine
from workflow.kinds import KINDS

# What a person must never read: a field path, a snake_case code (a state, a transition,
# a status or a field's key), a state code in a sentence, or the system's own phrases.
_FIELD_KEYS = sorted({key for kind in KINDS.values() for key in getattr(kind, "SPEC", {})}
                     | {"fields", "screening", "full_assessment", "mitigations", "progress", "targets", "evidence"})
FIELD_PATH = re.compile(r"\b(?:" + "|".join(map(re.escape, _FIELD_KEYS)) + r")\.[A-Za-z0-9_]+")
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
STATE_CODE = re.compile(r"\bin state (?:" + "|".join(machine.STATES) + r")\b")
SYSTEM_WORDS = re.compile(r"invalid fields|must be a non-empty|is not a field of|Traceback|NoneType", re.I)
SYSTEM_LANGUAGE = (FIELD_PATH, SNAKE_CASE, STATE_CODE, SYSTEM_WORDS)


def system_language(text):
    """Every piece of `text` a person should not have to read."""
    return [match.group(0) for pattern in SYSTEM_LANGUAGE for match in pattern.finditer(text)]


def assert_plain_words(page):
    """The page's visible text (and its title) holds no field path, code or system phrase."""
    text = page.title() + "\n" + page.locator("body").inner_text()
    found = system_language(text)
    assert not found, f"{page.url} shows system language: {found[:10]}"


class Keyboard:
    """Keyboard-only use of `page`, counting every key press."""

    TAB_LIMIT = 80  # Tabs before a target counts as unreachable

    def __init__(self, page):
        self.page, self.presses, self.typed = page, 0, 0

    def press(self, key, times=1):
        for _ in range(times):
            self.page.keyboard.press(key)
            self.presses += 1

    def type(self, text):
        self.page.keyboard.type(text)
        self.typed += len(text)

    def is_focused(self, locator):
        return locator.evaluate("element => element === document.activeElement")

    def focused(self):
        """A few words about the focused element, for a failure message."""
        return self.page.evaluate("""() => { const e = document.activeElement;
            return e ? `${e.tagName.toLowerCase()}#${e.id} "${(e.innerText || e.value || e.getAttribute('aria-label') || '').slice(0, 40)}"` : 'nothing'; }""")

    def tab_to(self, locator, backwards=False):
        """Press Tab (Shift+Tab backwards) until `locator` has the focus; fail if it never does."""
        locator = locator.first
        visited = []
        for _ in range(self.TAB_LIMIT):
            if self.is_focused(locator):
                return self
            self.press("Shift+Tab" if backwards else "Tab")
            visited.append(self.focused())
        raise AssertionError(f"{self.page.url}: never reached {locator} by Tab; went through {visited[:30]}")

    def follow(self, locator):
        """Tab to a link or button and press Enter; wait for the page it leads to."""
        self.tab_to(locator)
        with self.page.expect_navigation():
            self.press("Enter")
        return self

    def follow_in_page(self, locator):
        """Tab to a link to a place on the same page and press Enter: the browser moves there."""
        self.tab_to(locator)
        self.press("Enter")
        return self

    def fill(self, locator, text):
        """Tab to a text box and type `text` (replacing what it holds)."""
        self.tab_to(locator)
        self.press("Control+a")
        self.type(text)
        return self

    def check(self, locator):
        """Tab to a radio's group or a checkbox and select it: arrows within a radio group, Space
        on a checkbox. A radio group takes one Tab stop; the arrows move between its radios."""
        locator = locator.first
        kind = locator.evaluate("element => element.type")
        if kind == "radio":
            name = locator.evaluate("element => element.name")
            group = self.page.locator(f'input[type="radio"][name="{name}"]')
            self.tab_to_any(group)
            for _ in range(group.count()):
                if self.is_focused(locator):
                    break
                self.press("ArrowDown")
            assert self.is_focused(locator), f"{self.page.url}: the arrows never reached {locator}"
            if not locator.is_checked():
                self.press("Space")
        else:
            self.tab_to(locator)
            if not locator.is_checked():
                self.press("Space")
        return self

    def tab_to_any(self, locator):
        """Tab until any element of `locator` has the focus."""
        for _ in range(self.TAB_LIMIT):
            if locator.evaluate_all("elements => elements.includes(document.activeElement)"):
                return self
            self.press("Tab")
        raise AssertionError(f"{self.page.url}: never reached {locator} by Tab")

    def select(self, locator, label):
        """Tab to a select and type the start of the option's words (as a keyboard user does)."""
        self.tab_to(locator)
        self.type(label)
        assert locator.evaluate("select => select.options[select.selectedIndex].text").startswith(label)
        return self

    def submit(self, locator):
        """Tab to a submit button and press Enter; wait for the answer page."""
        return self.follow(locator)


# Which skip link takes a keyboard user from the top of the page towards the element: None when
# the focus is in the page's content already or the element is outside it.
SKIP_LINK_TOWARDS = """target => {
  const main = document.getElementById('main'), active = document.activeElement;
  if (main.contains(active) || !main.contains(target)) return null;
  // Arrived at a place in the page (an address ending in #id): Tab goes on from there.
  const place = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (place && place !== main && main.contains(place)
      && place.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING) return null;
  const action = document.querySelector('a.skip-link:not([href="#main"])');
  const goal = action && document.getElementById(action.getAttribute('href').slice(1));
  if (goal && (goal === target || goal.contains(target)
               || goal.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING)) {
    return 'Skip to the main action';
  }
  return 'Skip to main content';
}"""


# Whether the element comes before the focus in the page: reached by Shift+Tab, not Tab.
COMES_BEFORE_THE_FOCUS = """target => document.activeElement !== document.body
  && !!(target.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"""


class Walker:
    """A person at a browser using the keyboard only: `keys` counts every press."""

    def __init__(self, someone):
        self.person, self.page = someone, someone.page
        self.keys = Keyboard(someone.page)

    def shown(self, label, focus=None):
        """Check the page now shown: where the focus is ("error", "banner" or None), its words,
        and axe-core at every width with no violation of any impact."""
        if focus == "error":
            assert self.page.evaluate("document.activeElement.classList.contains('error-summary')"), \
                f"{label}: the focus is on {self.keys.focused()}, not the error summary"
        elif focus == "banner":
            assert not self.page.locator(".error-summary").count(), self.page.locator(".error-summary").inner_text()
            assert self.page.evaluate("document.activeElement.classList.contains('flash')"), \
                f"{label}: the focus is on {self.keys.focused()}, not the banner"
        assert_plain_words(self.page)
        self.person.checked(label, strict=True)
        return self

    def open_front_page(self):
        self.page.goto("/")  # the one address typed
        return self.shown("front-page")

    def sign_in(self):
        self.open_front_page()
        self.link("Sign in", "sign-in")
        self.fill("User name", self.person.name)
        self.fill("Password", PASSWORD)
        with self.page.expect_navigation():
            self.keys.press("Enter")
        return self.shown("my-work")

    def skip_towards(self, target):
        """From the top of a page, take the skip link a keyboard user would towards `target`: the
        main action's when the target is at or after it, else the main content's. Within the
        content already (after a banner or an error summary took the focus), Tab on from there."""
        skip = target.first.evaluate(SKIP_LINK_TOWARDS)
        if skip:
            self.keys.tab_to(self.page.get_by_role("link", name=skip, exact=True))
            self.keys.press("Enter")
        return target

    def reach(self, target):
        """Tab to `target`, or Shift+Tab when it comes before the focus (a header link seen from
        the banner), as a keyboard user does; then the caller's own Tab finds it focused."""
        target = self.skip_towards(target)
        self.keys.tab_to(target, backwards=target.first.evaluate(COMES_BEFORE_THE_FOCUS))
        return target

    def link(self, name, label, focus=None, exact=True):
        self.keys.follow(self.reach(self.page.get_by_role("link", name=name, exact=exact)))
        return self.shown(label, focus)

    def button(self, name, label, focus=None):
        self.keys.submit(self.reach(self.page.get_by_role("button", name=name, exact=True)))
        return self.shown(label, focus)

    def fill(self, label, text, exact=False, within=None):
        box = self.reach((within or self.page).get_by_label(label, exact=exact))
        if box.first.get_attribute("type") == "date":
            # A date box takes digits field by field, in the browser's order (en-US: month, day, year).
            year, month, day = text.split("-")
            text = month + day + year
        self.keys.fill(box, text)
        return self

    def choose(self, group, answer, exact=True):
        self.keys.check(self.skip_towards(self.page.get_by_role("group", name=group).get_by_label(answer, exact=exact)))
        return self

    def correct(self, message, label, text):
        """After a refusal: from the error summary, follow the message's link to its field and type."""
        summary = self.page.locator(".error-summary")
        self.keys.follow_in_page(summary.get_by_role("link", name=message, exact=False))
        box = self.page.get_by_label(label, exact=True)
        assert self.keys.is_focused(box.first), f"the error's link left the focus on {self.keys.focused()}"
        self.keys.fill(box, text)
        return self
