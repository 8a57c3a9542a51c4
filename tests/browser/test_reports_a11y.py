"""The report pages pass axe-core: the list, the generate form (with its error),
the report itself and its text editor."""
import pytest

from services import account_service, period_service
from workflow.errors import StateConflict

RDU = "Race & Diversity Unit"


@pytest.fixture(scope="module")
def approved_objective(live_app):
    """An approved objective under strategic objective 1 with 2007/08 progress, the period
    open, and a team leader of the Race & Diversity Unit (the live app is shared: made once)."""
    store, docs = live_app.extensions["store"], live_app.extensions["documents"]
    lead, head = account_service.find_user(store, "lee.lead"), account_service.find_user(store, "hana.head")
    try:
        period_service.add_period(store, head, "2007-08")
    except StateConflict:
        pass
    doc = docs.create(lead, "objective", "Race Equality Scheme published", "Human Resources", {
        "heading": "The MPA as a Public Authority", "action": "Publish the RES", "strategic": 1, "strands": ["race"],
        "deadline": "Ongoing", "outcomes": "RES published", "leads": ["Human Resources"],
        "progress": [{"period": "2007-08", "status": "amber_green", "evidence": "The RES was updated.",
                      "key_outcomes": "71 staff trained in EqIAs.", "comment": "Partially achieved."}]})
    for who, name in ((lead, "screen"), (lead, "assess"), (head, "approve")):
        doc = docs.fire(doc["id"], who, name, doc["version"])
    if account_service.find_user(store, "rita.rdu") is None:
        account_service.add_user(store, "rita.rdu", "correct horse battery", ("team_leader",), (RDU,), "2006-02-01")
    return doc["id"]


def test_the_report_pages_are_accessible(person, approved_objective):
    rita = person("rita.rdu")
    rita.sign_in()
    rita.page.goto("/reports")
    rita.checked("reports")
    rita.page.get_by_role("link", name="Generate a progress report").click()
    rita.checked("generate")
    rita.page.get_by_label("List the EqIAs carried out since").fill("2004-01-01")
    rita.page.get_by_role("button", name="Generate the draft report").click()
    page = rita.checked("report")
    assert "Amber/Green" in page.content()
    report_url = page.url
    page.get_by_role("link", name="Edit the text").click()
    rita.checked("edit")
    page.get_by_label("Report number on the agenda").fill("thirteen")
    page.get_by_role("button", name="Save the report").click()
    assert "There is a problem" in rita.checked("edit-error").content()
    page.goto(report_url.replace("/reports/", "/documents/"))
    rita.checked("document-page")


def test_the_generate_form_error_is_accessible(person, approved_objective):
    rita = person("rita.rdu")
    rita.sign_in()
    rita.page.goto("/reports/generate")
    rita.page.get_by_label("Author line").fill("By: " + "the Chief Executive " * 12)  # over 200 characters
    rita.page.get_by_role("button", name="Generate the draft report").click()
    assert "There is a problem" in rita.checked("generate-error").content()
