"""A person using the keyboard only, every key press counted, and the words they are shown.

`Keyboard` moves focus with Tab (and Shift+Tab) the way a keyboard user does, never by
clicking or by focusing an element from script, and counts each press. Typing the text of an
answer is the answer itself, not a way through the page, so typed characters are counted
apart (`typed`); `presses` is what the journey limits bound.
"""
import re

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
