"""The dashboard and the overdue list pass axe-core, and reflow, in a real browser."""
import pytest

from services.account_service import find_user
from workflow.kinds.objective import HEADINGS

TEAM = "Planning & Performance"


@pytest.fixture(scope="module")
def reported(live_app):
    """Approved objectives of Planning & Performance with progress over two periods, one overdue,
    and an EqIA with an overdue mitigation action."""
    docs, store = live_app.extensions["documents"], live_app.extensions["store"]
    lead, head = find_user(store, "pat.other"), find_user(store, "hana.head")
    progress = {"red": [("2007-08 Q2", "amber"), ("2007-08 Q3", "red")],
                "amber_green": [("2007-08 Q2", "amber"), ("2007-08 Q3", "amber_green")],
                "green": [("2007-08 Q2", "amber_green"), ("2007-08 Q3", "green")]}
    for n, (status, entries) in enumerate(progress.items()):
        fields = {"heading": HEADINGS[n], "theme": "Accountability", "action": f"Dashboard objective {n}",
                  "deadline": "2007-12" if status == "red" else "Ongoing", "outcomes": "evidence", "leads": [TEAM],
                  "strands": ["race"], "strategic": n + 1,
                  "progress": [{"period": p, "status": s, "reason": "as reported"} for p, s in entries]}
        doc = docs.create(lead, "objective", f"Dashboard objective {n}", TEAM, fields)
        doc = docs.fire(doc["id"], lead, "screen", doc["version"])
        doc = docs.fire(doc["id"], lead, "assess", doc["version"])
        docs.fire(doc["id"], head, "approve", doc["version"])
    mitigation = {"strand": "age", "action": "Survey older staff", "owner": "P&P", "deadline": "2008-01", "done": False}
    docs.create(lead, "eqia", "Dashboard EqIA", TEAM, {"subject": "Surveys", "full_assessment": {"mitigations": [mitigation]}})


def test_the_dashboard_and_overdue_list_are_accessible(person, reported):
    head = person("hana.head")
    head.sign_in()
    head.page.get_by_role("link", name="Dashboard", exact=True).click()
    page = head.checked("dashboard")
    assert page.get_by_role("img", name="Objectives by status and team, 2007/08 Q3").is_visible()
    page.get_by_label("Reporting period", exact=True).select_option("2007-08 Q2")
    page.get_by_role("button", name="Show").click()
    assert "Status in 2007/08 Q2" in head.checked("dashboard-q2").content()
    page.get_by_role("link", name="See what is overdue").click()
    assert "Survey older staff" in head.checked("overdue").content()
    page.goto("/dashboard?period=nonsense")
    assert "There is a problem" in head.checked("bad-period").content()
    board = person("bo.board")
    board.sign_in()
    board.page.goto("/dashboard")
    board.checked("board-dashboard")


def test_the_dashboard_reflows_at_200_percent_zoom(person, browser, base_url, reported):
    lead = person("pat.other")
    lead.context.close()
    lead.context = browser.new_context(base_url=base_url, viewport={"width": 640, "height": 480})
    lead.page = lead.context.new_page()
    lead.sign_in()
    for path in ("/dashboard", "/overdue", "/"):
        lead.page.goto(path)
        lead.checked(f"zoom{path}")
        overflow = lead.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 200% zoom"


def test_chart_words_stay_readable_on_a_phone(person, reported):
    head = person("hana.head")
    head.sign_in().set_viewport_size({"width": 320, "height": 640})
    page = head.page
    page.goto("/dashboard")
    # Each word's size on the screen: its font size times the scale the SVG is drawn at.
    sizes = page.evaluate("""[...document.querySelectorAll('svg.chart text')].map(
        t => t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize))""")
    assert len(sizes) > 20 and min(sizes) >= 10, f"chart words {min(sizes):.1f} px high at 320 px"
    # A chart wider than the screen scrolls inside a region a keyboard reaches.
    figure = page.get_by_role("region", name="Objectives by status and team, 2007/08 Q3 (chart)")
    assert figure.get_attribute("tabindex") == "0"

