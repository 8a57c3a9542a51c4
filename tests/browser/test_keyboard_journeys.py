"""The issue's journeys, walked by keyboard alone in a real browser, every key press counted.

Each person types one address (the front page) and does the rest with Tab, Shift+Tab, the
arrows, Space, Enter and typing: no click, no fill, no address typed after the first. On
every page a journey renders: no field path, code or system phrase is shown; axe-core finds
no violation of any impact at 1280, 375 and 320 px; after an error the focus is on the error
summary, after a success on the banner. Each journey's presses (typed text apart) stay under
its limit in web/accessibility_checks.py, which the accessibility statement lists. Measured
(December 2026) run alone, and after the whole browser suite (My work then lists more), and
the limit set a little above:

    1. draft and screen an EqIA (six strands, one negative)      117   117   limit 140
    2. the full assessment, submitted for sign-off               57    72    limit 80
    3. sent back, corrected, resubmitted, compared, signed off   150   165   limit 195
    4. progress on an approved objective, submitted              99    99    limit 120
    5. the Board's decision, from My work                        24    24    limit 30
    6. the public find an approved EqIA and read it              21    21    limit 26

A person here takes the skip links the page offers and Shift+Tab to what lies behind the focus
(tests/browser/keyboard.py, `Walker`), as keyboard users do.
"""
import datetime as dt
import re
from pathlib import Path

from services import account_service, period_service
from tests.browser.keyboard import Walker
from tests.conftest import complete_eqia
from tests.web.api.test_progress_api import OBJECTIVE
from web import accessibility_checks as checks
from workflow.errors import StateConflict
from workflow.strands import DEFAULT, SETS

HR = "Human Resources"
STRANDS = SETS[DEFAULT].strands
NEGATIVE = "age"
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


def limit_holds(journey, *walkers):
    presses = sum(w.keys.presses for w in walkers)
    print(f"\n{journey.name}: {presses} key presses (limit {journey.key_presses})")
    assert presses <= journey.key_presses, f"{journey.name}: {presses} key presses, over {journey.key_presses}"


def users(live_app, *names):
    store = live_app.extensions["store"]
    return [account_service.find_user(store, name) for name in names]


def screened_eqia(live_app, title):
    """A screened EqIA of Human Resources with a negative impact on age, as journey 1 leaves it."""
    sam, = users(live_app, "sam.staff")
    fields = complete_eqia()
    fields.pop("full_assessment", None)
    fields.pop("review_date", None)
    docs = live_app.extensions["documents"]
    doc = docs.create(sam, "eqia", title, HR, fields)
    return docs.fire(doc["id"], sam, "screen", doc["version"])


def test_1_a_member_of_staff_drafts_an_eqia_and_screens_every_strand(person):
    staff = Walker(person("sam.staff"))
    staff.sign_in()
    staff.link("New document", "choose-kind")
    staff.link("Equality Impact Assessment", "new-eqia")
    staff.fill("Title", "Keyboard: flexible working policy")
    staff.fill("What is assessed", "The policy on requests for flexible working.")
    staff.choose("Why is it assessed?", "A review of an existing policy")
    staff.button("Save and start the screening", "first-strand", focus="banner")
    for strand in STRANDS:
        negative = strand == NEGATIVE
        staff.choose("What impact could it have", "Negative" if negative else "Neutral")
        if negative:
            staff.choose("Is the impact differential?", "Yes")
            staff.choose("Is the negative impact intended?", "No")
        staff.fill("Evidence", "Requests by age band, 2006/07." if negative else "No difference found.")
        staff.button("Save and continue", f"after-{strand}")
    assert "A full assessment is needed" in staff.page.content()
    staff.link("Back to the assessment's page", "draft")
    staff.button("Mark as screened", "screened", focus="banner")
    assert "team leader" in staff.page.locator(".flash").inner_text()
    limit_holds(checks.DRAFT_AND_SCREEN, staff)


def test_2_a_team_leader_completes_the_full_assessment_and_submits_it(person, live_app):
    title = "Keyboard: hours of work policy"
    screened_eqia(live_app, title)
    lead = Walker(person("lee.lead"))
    lead.sign_in()
    lead.link(title, "screened")
    lead.link("Full assessment", "assessment", exact=False)
    lead.fill("Evidence and data", "Older staff made 60% of refused requests.")
    lead.fill("Consultation", "The staff networks.")
    action = lead.page.get_by_role("group", name="Action 1")
    lead.keys.select(action.get_by_label("Strand"), "Age")
    lead.fill("Action", "Review refusals by age each quarter", exact=True, within=action)
    lead.fill("Owner", "Head of HR", within=action)
    lead.fill("Deadline", "2008-06", within=action)
    lead.choose("Outcome", "Adjust the policy", exact=False)
    lead.fill("Monitoring arrangements", "Quarterly figures to the Board.")
    lead.fill("Review date", "2009-01-31")
    lead.button("Save", "assessment-saved", focus="banner")
    lead.button("Submit for sign-off", "submitted", focus="banner")
    assert "Head" in lead.page.locator(".flash").inner_text()
    limit_holds(checks.FULL_ASSESSMENT, lead)


def submitted_eqia(live_app, title):
    """An EqIA screened and submitted for sign-off, as journey 2 leaves it."""
    sam, lee = users(live_app, "sam.staff", "lee.lead")
    docs = live_app.extensions["documents"]
    doc = docs.create(sam, "eqia", title, HR, complete_eqia())
    doc = docs.fire(doc["id"], sam, "screen", doc["version"])
    return docs.fire(doc["id"], lee, "assess", doc["version"])


def test_3_the_head_sends_it_back_the_team_corrects_it_and_the_head_signs_it_off(person, live_app):
    title = "Keyboard: overtime policy"
    submitted_eqia(live_app, title)
    head, staff, lead = (Walker(person(name)) for name in ("hana.head", "sam.staff", "lee.lead"))

    # The Head sends it back, first forgetting to say why.
    head.sign_in()
    head.link(title, "awaiting-sign-off")
    head.button("Send back", "send-back-refused", focus="error")
    assert "Enter why you are sending it back" in head.page.locator(".error-summary").inner_text()
    head.correct("Enter why you are sending it back", "Why are you sending it back?", "Say what the staff networks said.")
    head.button("Send back", "sent-back", focus="banner")

    # The author reads why at the top, corrects the consultation and screens it again.
    staff.sign_in()
    staff.link(title, "sent-back-draft")
    assert "Say what the staff networks said." in staff.page.locator(".sent-back-banner").inner_text()
    staff.link("Full assessment", "assessment-to-correct", exact=False)
    staff.fill("Consultation", "The staff networks asked for a right of appeal; it was added.")
    staff.button("Save", "corrected", focus="banner")
    staff.button("Mark as screened", "screened-again", focus="banner")

    # The team leader submits it again.
    lead.sign_in()
    lead.link(title, "to-resubmit")
    lead.button("Submit for sign-off", "resubmitted", focus="banner")

    # The Head sees what was corrected, checks what is signed, and signs it off.
    head.link("My work", "head-my-work", exact=False)
    head.link(title, "to-sign-off")
    head.link("Compare with what was sent back", "compare-sent-back", exact=False)
    assert "right of appeal" in head.page.locator("table").inner_text()
    head.link(f"Back to {title}", "back-to-document")
    head.link("Check and sign off", "check-sign-off")
    assert title in head.page.locator(".summary").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", head.page.locator(".content-hash").inner_text().strip())
    head.button("Sign off revision 1", "signed-off", focus="banner")
    assert "Approved" in head.page.content()
    limit_holds(checks.SEND_BACK_AND_SIGN_OFF, head, staff, lead)


def approved(live_app, author, kind, title, fields):
    """A document of Human Resources taken through screening, submission and sign-off."""
    lee, head = users(live_app, "lee.lead", "hana.head")
    docs = live_app.extensions["documents"]
    doc = docs.create(author, kind, title, HR, fields)
    for who, name in ((author, "screen"), (lee, "assess"), (head, "approve")):
        doc = docs.fire(doc["id"], who, name, doc["version"])
    return doc


def open_period(live_app, code):
    head, = users(live_app, "hana.head")
    try:
        period_service.add_period(live_app.extensions["store"], head, code)
    except StateConflict:
        pass  # opened already by another test of the session


def test_4_a_team_leader_records_progress_on_an_approved_objective(person, live_app):
    title = "Keyboard: training for every member of staff"
    lee, = users(live_app, "lee.lead")
    approved(live_app, lee, "objective", title, OBJECTIVE)
    open_period(live_app, "2007-08")
    lead = Walker(person("lee.lead"))
    lead.sign_in()
    lead.link("Documents", "documents")
    lead.fill("Words", title)
    with lead.page.expect_navigation():
        lead.keys.press("Enter")
    lead.shown("found")
    lead.link(title, "approved-objective")
    lead.link("Update progress", "progress")
    lead.button("Start a progress update", "update-started", focus="banner")
    lead.choose("Status", "Amber", exact=False)
    lead.fill("Evidence", "Half of the staff trained by March 2008.")
    lead.button("Save progress", "progress-saved", focus="banner")
    lead.button("Mark as screened", "update-screened", focus="banner")
    lead.button("Submit for sign-off", "update-submitted", focus="banner")
    assert "Head" in lead.page.locator(".flash").inner_text()
    limit_holds(checks.PROGRESS, lead)


def test_5_a_board_member_records_the_boards_decision_from_my_work(person, live_app):
    title = "Keyboard: disability access review"
    sam, head = users(live_app, "sam.staff", "hana.head")
    eqia = approved(live_app, sam, "eqia", title, complete_eqia())
    board = live_app.extensions["meetings"]
    held = board.create(head, "Equal Opportunities and Diversity Board", YESTERDAY, "10 Dean Farrar Street")
    board.add_item(held["id"], head, eqia["id"])
    member = Walker(person("bo.board"))
    member.sign_in()
    member.link(f"Report 1: {title}", "meeting")
    number = member.page.get_by_role("link", name=title).first.evaluate("a => a.closest('[id^=report-]').id")
    member.choose(f"The Board's decision on report {number.removeprefix('report-')}", "Endorsed")
    member.button(f"Record the decision on report {number.removeprefix('report-')}", "decided", focus="banner")
    limit_holds(checks.BOARD_DECISION, member)


def test_6_a_member_of_the_public_finds_an_approved_eqia_on_the_register_and_reads_it(person, live_app):
    title = "Keyboard: stop and search leaflets"
    sam, = users(live_app, "sam.staff")
    approved(live_app, sam, "eqia", title, complete_eqia())
    visitor = Walker(person("visitor"))
    visitor.open_front_page()
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "Public register"
    visitor.fill("Words", "stop and search")
    with visitor.page.expect_navigation():
        visitor.keys.press("Enter")
    visitor.shown("found")
    visitor.link(title, "eqia")
    assert visitor.page.get_by_role("heading", level=1).inner_text() == title
    assert "Full assessment" in visitor.page.locator("main").inner_text()
    limit_holds(checks.PUBLIC_REGISTER, visitor)


def test_every_journey_the_accessibility_statement_lists_is_walked_and_limited_here():
    source = Path(__file__).read_text(encoding="utf-8")
    walked = {journey for name, journey in vars(checks).items()
              if isinstance(journey, checks.Journey) and f"limit_holds(checks.{name}," in source}
    assert walked == set(checks.JOURNEYS) and len(walked) == 6
