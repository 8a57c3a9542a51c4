"""The EqIA journey of DESIGN.md, clicked and typed as people would, in a real browser.

A staff member drafts an EqIA with a negative impact; the team leader writes the
full assessment and submits it; the Head sends it back with a comment; it is
corrected, resubmitted and signed off; only then does a Board member see it.
Every page visited is checked by axe-core and screenshotted.
"""
import re

from workflow.strands import DEFAULT, SETS

STRANDS = SETS[DEFAULT].strands  # the six strands of 2004, the default set

TITLE = "Flexible working policy"
STRAND_LABELS = {"race": "Race", "gender": "Gender", "disability": "Disability", "age": "Age",
                 "sexual_orientation": "Sexual orientation", "religion_belief": "Religion or belief"}


def click(who, role, name, label):
    who.page.get_by_role(role, name=name, exact=True).first.click()
    return who.checked(label)


def open_document(who, label):
    """From My work to the document, by its link."""
    who.page.goto("/")
    who.checked("my-work")
    return click(who, "link", TITLE, label)


def fire(who, button, comment=None):
    page = who.page
    form = page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))
    if comment:
        form.get_by_label(re.compile("Comment|Why are you sending it back")).fill(comment)
    form.get_by_role("button", name=button, exact=True).click()
    return who.checked(button.lower())


def board_cannot_see_it(board, doc_url, when):
    """Not in the list, not in search, and its address answers 404."""
    page = board.page
    page.goto("/documents")
    assert TITLE not in board.checked(f"list-{when}").content()
    page.goto("/documents?q=Flexible")
    assert TITLE not in board.checked(f"search-{when}").content()
    response = page.goto(doc_url)
    assert response.status == 404
    assert TITLE not in board.checked(f"address-{when}").content()


def test_an_eqia_goes_from_draft_to_the_board_only_after_sign_off(person):
    staff, lead, head, board = (person(name) for name in ("sam.staff", "lee.lead", "hana.head", "bo.board"))
    board.sign_in()

    # The staff member drafts the EqIA and screens it, one strand at a time.
    staff.sign_in()
    click(staff, "link", "New document", "choose-kind")
    page = click(staff, "link", "Equality Impact Assessment", "new-eqia")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What is assessed").fill("The policy on requests for *flexible* working.")
    page.get_by_label("A review of an existing policy").check()
    page.get_by_role("button", name="Save and start the screening").click()
    for strand in STRANDS:
        staff.checked(f"screening-{strand}")
        assert page.get_by_role("heading", level=1).inner_text() == STRAND_LABELS[strand]
        negative = strand == "age"
        page.get_by_label("Negative" if negative else "Neutral", exact=True).check()
        page.get_by_role("group", name="Is the impact differential?").get_by_label("Yes" if negative else "No").check()
        page.get_by_role("group", name="Is the negative impact intended?").get_by_label("No").check()
        page.get_by_label("Evidence").fill("Requests by age band, 2006/07." if negative else "No difference found.")
        page.get_by_role("button", name="Save and continue").click()
    assert "A full assessment is needed" in staff.checked("screening-summary").content()
    page = click(staff, "link", "Back to the assessment's page", "draft")
    doc_url = re.sub(r"^https?://[^/]+", "", page.url)
    fire(staff, "Mark as screened")
    board_cannot_see_it(board, doc_url, "screened")

    # The team leader writes the full assessment and submits it.
    lead.sign_in()
    page = open_document(lead, "screened")
    page = click(lead, "link", "Edit", "details")
    page = click(lead, "link", "Full assessment", "assessment")
    page.get_by_label("Evidence and data").fill("Older staff made 60% of refused requests.")
    page.get_by_label("Consultation").fill("The staff networks.")
    action = page.get_by_role("group", name="Action 1")
    action.get_by_label("Strand").select_option("age")
    action.get_by_label("Action", exact=True).fill("Review refusals by age each quarter")
    action.get_by_label("Owner").fill("Head of HR")
    action.get_by_label("Deadline").fill("2008-06")
    page.get_by_label("Adjust the policy").check()
    page.get_by_label("Monitoring arrangements").fill("Quarterly figures to the EODB.")
    page.get_by_label("Review date").fill("2009-01-31")
    page.get_by_role("button", name="Save", exact=True).click()
    lead.checked("assessment-saved")
    lead.page.goto(doc_url)
    fire(lead, "Submit for sign-off")
    board_cannot_see_it(board, doc_url, "submitted")

    # The Head sends it back with a comment.
    head.sign_in()
    page = open_document(head, "awaiting-sign-off")
    fire(head, "Send back", comment="Say what the staff networks said.")
    assert "Draft" in page.content()
    board_cannot_see_it(board, doc_url, "sent-back")

    # The author sees why, corrects it and screens it again; the team leader resubmits.
    page = open_document(staff, "sent-back")
    assert "Say what the staff networks said." in page.locator(".sent-back-banner").inner_text()
    page = click(staff, "link", "Edit", "details-again")
    page = click(staff, "link", "Full assessment", "assessment-again")
    page.get_by_label("Consultation").fill("The staff networks asked for a right of appeal; it was added.")
    page.get_by_role("button", name="Save", exact=True).click()
    staff.checked("corrected")
    staff.page.goto(doc_url)
    fire(staff, "Mark as screened")
    open_document(lead, "to-resubmit")
    fire(lead, "Submit for sign-off")
    board_cannot_see_it(board, doc_url, "resubmitted")

    # The Head signs it off; now, and only now, the Board sees it.
    # The Head sees what was corrected, checks what is signed (its content hash), then signs it off.
    open_document(head, "to-sign-off")
    page = click(head, "link", "Compare with what was sent back", "compare-sent-back")
    assert "right of appeal" in page.locator("table").inner_text()
    page.go_back()
    page = click(head, "link", "Check and sign off", "check-sign-off")
    assert re.search(r"[0-9a-f]{64}", page.locator(".content-hash").inner_text())
    page = fire(head, "Sign off revision 1")
    assert "Approved" in page.content()
    page = board.page
    page.goto("/documents?q=Flexible")
    assert TITLE in board.checked("search-approved").content()
    page = click(board, "link", TITLE, "approved")
    assert "right of appeal" in page.content() and "Approved" in page.content()
    assert page.get_by_role("button", name="Sign off").count() == 0
