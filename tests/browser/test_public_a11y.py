"""The public register passes axe-core for a visitor who never signs in: the list
(with results and with a search), an EqIA page and an objective page."""
import pytest

from services import account_service
from workflow import search
from tests.conftest import complete_eqia

HR = "Human Resources"
LONG_ADDRESS = "https://www.example.gov.uk/equality/race-equality-scheme-2007-2010-with-its-appendices.pdf"  # unbreakable


@pytest.fixture(scope="module")
def published(live_app):
    """Approved EqIAs with a full assessment, on the 2004 and the 2010 strand sets, and an
    approved objective with progress (the live app is shared by the session: made once)."""
    store, docs = live_app.extensions["store"], live_app.extensions["documents"]
    staff, lead, head = (account_service.find_user(store, name) for name in ("sam.staff", "lee.lead", "hana.head"))
    eqias = [docs.create(staff, "eqia", "Public register: recruitment EqIA", HR, complete_eqia(("age", "race"))),
             docs.create(staff, "eqia", "Public register: flexible working EqIA", HR,
                         complete_eqia(("pregnancy_maternity",), strand_set="ea2010"))]
    for i, eqia in enumerate(eqias):
        for who, name in ((staff, "screen"), (lead, "assess"), (head, "approve")):
            eqias[i] = eqia = docs.fire(eqia["id"], who, name, eqia["version"])
    objective = docs.create(lead, "objective", "Public register: staff training", HR, {
        "heading": "The MPA as an Exemplary Employer", "theme": "Developing our Staff", "strands": ["race", "gender"],
        "action": "Provide specific training to all our staff", "deadline": "Ongoing", "outcomes": "Staff trained",
        "leads": [HR], "progress": [{"period": "2007-08", "status": "amber_green",
                                     "evidence": f"The RES was updated: {LONG_ADDRESS}",
                                     "key_outcomes": "71 staff trained in EqIAs.", "comment": "Partially achieved."}]})
    for who, name in ((lead, "screen"), (lead, "assess"), (head, "approve")):
        objective = docs.fire(objective["id"], who, name, objective["version"])
    return eqias, objective


def test_the_register_pages_are_accessible_without_signing_in(person, published):
    (eqia, eqia_2010), objective = published
    visitor = person("visitor")
    visitor.page.goto("/sign-in")
    visitor.page.get_by_role("link", name="Public register").click()
    page = visitor.checked("register")
    assert "Public register: recruitment EqIA" in page.content()
    page.get_by_label("Equality strand").select_option("gender")
    page.get_by_role("button", name="Search the register").click()
    page = visitor.checked("register-filtered")
    assert "Public register: staff training" in page.content()
    assert "Public register: recruitment EqIA" not in page.content()
    page.goto(f"/register/eqia/{eqia['id']}")
    assert "Mitigations" in visitor.checked("eqia").content()
    page.goto(f"/register/eqia/{eqia_2010['id']}")
    assert "Screened against: Equality Act 2010: nine protected characteristics" in visitor.checked("eqia-2010").content()
    page.goto(f"/register/objective/{objective['id']}")
    assert "Amber/Green" in visitor.checked("objective").content()
    page.goto("/register?strand=colour")
    visitor.checked("register-error")


def test_the_whole_register_prints_not_only_its_current_page(person, published, monkeypatch):
    monkeypatch.setattr(search, "PER_PAGE", 1)  # the live app runs in this process: one item a page
    visitor = person("visitor")
    page = visitor.page
    page.goto("/register")
    total = int(page.locator(".list-range").inner_text().rsplit(" ", 1)[1])  # "Showing 1–1 of N"
    assert total >= 3 and page.locator("main tbody tr").count() == 1
    page.emulate_media(media="print")
    assert page.get_by_text(f"This printout shows items 1–1 of {total}. The whole list: ").is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("link", name=f"Show all {total} items on one page, to print").click()
    visitor.checked("register-all")
    page.emulate_media(media="print")
    rows = page.locator("main tbody tr")
    assert rows.count() == total and all(rows.nth(i).is_visible() for i in range(total))
    assert not page.get_by_role("search").is_visible() and not page.get_by_role("navigation").first.is_visible()
