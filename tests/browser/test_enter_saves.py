"""Enter saves every form with repeatable rows, and "Add another" takes the focus to the new row.

Before, Enter in a text box pressed the form's first submit button, an "Add another" placed
above Save: the page came back with an empty row added, nothing saved and no word said.
Each form here is opened afresh for each of its text boxes; Enter is pressed there, and the
form must have saved (the document's page, its "saved" banner) with as many rows as before.
"""
import pytest

from axe_playwright_python.sync_playwright import Axe

from services import account_service
from workflow.kinds import KINDS

TEXT_BOXES = "form[method=post] input[type=text], form[method=post] input[type=date]"


def _user(store, name):
    return account_service.find_user(store, name)


@pytest.fixture(scope="module")
def forms(live_app):
    """{name: (who edits it, form address, document id, row group)} of a document of each kind
    with repeatable rows, each with one row filled (made once: the live app is shared)."""
    store, documents = live_app.extensions["store"], live_app.extensions["documents"]
    lee, hana = _user(store, "lee.lead"), _user(store, "hana.head")
    neutral = {"impact": "neutral", "differential": False, "intended": False, "evidence": "survey"}
    eqia = documents.create(lee, "eqia", "Enter: recruitment", "Human Resources", {
        "subject": "Recruitment", "trigger": "review",
        "screening": {"race": neutral, "gender": neutral, "disability": neutral, "sexual_orientation": neutral,
                      "religion_belief": neutral,
                      "age": {"impact": "negative", "differential": True, "intended": False, "evidence": "data"}},
        "full_assessment": {"mitigations": [{"strand": "age", "action": "Mixed panels", "owner": "HR",
                                             "deadline": "2008-01"}]}})
    objective = documents.create(lee, "objective", "Enter: training", "Human Resources", {
        "heading": "The MPA as a Public Authority", "action": "Train members",
        "progress": [{"period": "2006-07", "status": "amber", "evidence": "Eight members trained"}]})
    plan = documents.create(lee, "team_plan", "Enter: HR plan", "Human Resources", {
        "period": "2007-08", "coordinator": "Lee",
        "targets": [{"target": "Monitor recruitment", "owner": "HR", "objectives": [objective["id"]]}]})
    cell = documents.create(hana, "standard_cell", "Enter: a cell", "Race & Diversity Unit", {
        "level": 5, "area": "leadership",  # level 1 stays "Not started" for test_standard_a11y
        "evidence": [{"description": "The scheme", "link": "https://www.example.org/scheme.pdf"}]})
    return {"full assessment": ("lee.lead", f"/documents/{eqia['id']}/assessment", eqia["id"], "mitigations"),
            "objective": ("lee.lead", f"/documents/{objective['id']}/edit", objective["id"], "progress"),
            "team plan": ("lee.lead", f"/documents/{plan['id']}/edit", plan["id"], "targets"),
            "standard cell": ("hana.head", f"/documents/{cell['id']}/edit", cell["id"], "evidence")}


def _rows(live_app, doc_id, group):
    fields = live_app.extensions["documents"].load(doc_id)["fields"]
    return len((fields.get("full_assessment") or {}).get(group) or fields.get(group) or [])


@pytest.mark.parametrize("form", ["full assessment", "objective", "team plan", "standard cell"])
def test_enter_in_every_text_box_saves_the_form_and_adds_no_row(person, live_app, forms, form):
    who, address, doc_id, group = forms[form]
    editor = person(who)
    editor.sign_in()
    page = editor.page
    page.goto(address)
    editor.checked(form)  # the hidden default button passes axe-core (it is out of the Tab order)
    violations = Axe().run(page).response["violations"]
    assert not violations, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations]
    boxes = page.locator(TEXT_BOXES).evaluate_all("boxes => boxes.map(box => box.id)")
    assert len(boxes) >= 3, boxes  # the title or the review date, and a row's boxes at least
    rows = _rows(live_app, doc_id, group)
    for box in boxes:
        page.goto(address)
        page.locator(f"[id='{box}']").press("Enter")
        page.wait_for_url(f"**/documents/{doc_id}")
        assert page.locator(".flash").inner_text().strip().endswith("saved.") or "Saved." in page.content(), box
        assert _rows(live_app, doc_id, group) == rows, box


@pytest.mark.parametrize("kind", ["objective", "team_plan", "standard_cell"])
def test_a_new_document_form_with_rows_saves_on_enter_in_each_text_box(person, kind):
    lead = person("hana.head" if kind == "standard_cell" else "lee.lead")
    lead.sign_in()
    page = lead.page
    page.goto(f"/documents/new?kind={kind}")
    boxes = page.locator(TEXT_BOXES).evaluate_all("boxes => boxes.map(box => box.id)")
    assert len(boxes) >= 3, boxes  # the title and a row's boxes at least
    for number, box in enumerate(boxes):
        page.goto(f"/documents/new?kind={kind}")
        title = f"Enter on a new {KINDS[kind].LABEL} {number}"
        page.get_by_label("Title").fill(title)
        with page.expect_navigation():
            page.locator(f"[id='{box}']").press("Enter")
        assert page.locator(".flash").inner_text().strip() == f"{KINDS[kind].LABEL} created as a draft.", box
        assert page.get_by_role("heading", name=title).count() == 1, box


@pytest.mark.parametrize("form, button, first_box", [
    ("full assessment", "Add another action", "fields-full_assessment-mitigations-1-strand"),
    ("objective", "Add another period", "fields-progress-1-period"),
    ("team plan", "Add another target", "fields-targets-1-target"),
    ("standard cell", "Add another piece of evidence", "fields-evidence-1-description"),
])
def test_add_another_takes_the_focus_to_the_new_rows_first_box(person, forms, form, button, first_box):
    who, address, _, _ = forms[form]
    editor = person(who)
    editor.sign_in()
    page = editor.page
    page.goto(address)
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    # autofocus is applied at the page's first rendering, which may follow its load event
    page.wait_for_function("id => document.activeElement.id === id", arg=first_box, timeout=5000)
