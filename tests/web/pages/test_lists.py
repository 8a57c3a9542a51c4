"""The document list (filters, sort, pages) and assigning a submitted document to an approver."""
import re

import pytest

from tests.conftest import HR
from tests.web.browsing import sign_in
from tests.web.pages.test_home import create, fire, submitted


def titles(html):
    return re.findall(r'<td><a href="/documents/\d+">([^<]+)</a></td>', html)


def assign(client, doc, **data):
    return client.post(f"/documents/{doc['id']}/assign", data={"version": doc["version"], **data})


def test_pages_of_twenty_five_say_which_items_they_show_and_link_onwards(client, api):
    for n in range(1, 28):
        create(api, f"Policy {n:02d}")
    sign_in(client, "hr_staff")
    first = client.get("/documents?sort=title&order=asc").text
    assert "27 documents" in first and "Showing 1–25 of 27" in first
    assert titles(first)[:2] == ["Policy 01", "Policy 02"] and len(titles(first)) == 25
    assert 'href="/documents?sort=title&amp;order=asc&amp;page=2"' in first
    second = client.get("/documents?sort=title&order=asc&page=2").text
    assert "Showing 26–27 of 27" in second and titles(second) == ["Policy 26", "Policy 27"]


def test_filters_and_words_narrow_the_list_and_the_total(client, api):
    create(api, "Recruitment policy")
    fire(api, "hr_staff", create(api, "Flexible working"), "screen")
    sign_in(client, "hr_lead")
    assert titles(client.get("/documents?state=screened").text) == ["Flexible working"]
    page = client.get("/documents", query_string={"q": "FLEXIBLE", "kind": "eqia", "team": HR}).text
    assert titles(page) == ["Flexible working"] and "1 document matches" in page
    # Words match every text field too: both EqIAs assess the recruitment policy.
    assert sorted(titles(client.get("/documents?q=recruitment").text)) == ["Flexible working", "Recruitment policy"]
    assert titles(client.get("/documents?kind=objective").text) == []


def test_totals_never_count_documents_the_reader_may_not_see(client, api):
    create(api, "Draft policy")
    submitted(api, "Submitted policy")
    fire(api, "head", submitted(api, "Approved policy"), "approve")
    sign_in(client, "board")
    page = client.get("/documents").text
    assert titles(page) == ["Approved policy"] and "1 document" in page and "Showing 1–1 of 1" in page
    sign_in(client, "pp_staff")
    assert titles(client.get("/documents?team=" + HR).text) == ["Approved policy"]


@pytest.mark.parametrize("query, words", [
    ("state=lost", "Select the state: one of Draft, Screened"), ("kind=memo", "Select the kind: one of Equality"),
    ("status=purple", "Select the status: one of Red, Amber"), ("page=-1", "Enter the page number as a whole number"),
    ("sort=colour", "Select the order to sort by from the choices"),
    ("q=" + "x" * 300, "Search words must be 200 characters or fewer"),
])
def test_a_bad_filter_value_gets_a_clear_message_not_a_server_error(client, cast, query, words):
    sign_in(client, "hr_staff")
    response = client.get("/documents?" + query)
    assert response.status_code == 400
    assert "Some filters are not valid" in response.text and words in response.text


def test_the_head_or_a_team_leader_of_the_owning_team_sees_the_assign_form(client, api):
    doc = submitted(api, "Recruitment policy")
    for name, shown in (("hr_lead", True), ("head", True), ("hr_staff", False), ("pp_lead", False)):
        sign_in(client, name)
        page = client.get(f"/documents/{doc['id']}")
        assert page.status_code == (404 if name == "pp_lead" else 200)
        assert ("Assign to an approver" in page.text) is shown, name


def test_only_heads_who_could_sign_it_off_are_offered(client, api):
    doc = submitted(api, "Recruitment policy")
    sign_in(client, "hr_lead")
    page = client.get(f"/documents/{doc['id']}").text
    select = page[page.index('<select id="assign-assignee"'):]
    offered = re.findall(r'<option value="([^"]+)"', select[:select.index("</select>")])
    assert offered == ["head", "lead_head"]  # untrained_head is not trained in EqIA
    assert "untrained_head could not sign this off (needed: the approver is trained in EqIA" in page


def test_an_assignment_is_shown_on_the_document_page_with_its_due_date(client, api):
    doc = submitted(api, "Recruitment policy")
    sign_in(client, "hr_lead")
    response = assign(client, doc, assignee="head", due="2031-05-06")
    assert response.status_code == 302
    sign_in(client, "hr_staff")
    page = client.get(f"/documents/{doc['id']}").text
    assert "Assigned to <strong>head</strong>, due by <strong>6 May 2031</strong>" in page
    assert "Assign to an approver" not in page


def test_assignment_by_staff_is_refused_and_changes_nothing(client, api, app):
    doc = submitted(api, "Recruitment policy")
    sign_in(client, "hr_staff")
    response = assign(client, doc, assignee="head")
    assert response.status_code == 403
    assert "Only the Head or a team leader of the owning team can assign approvers." in response.text
    assert app.extensions["documents"].load(doc["id"]).get("assignee") is None


def test_assigning_someone_who_cannot_sign_off_or_a_bad_date_is_refused_with_the_reason(client, api, app):
    doc = submitted(api, "Recruitment policy")
    sign_in(client, "hr_lead")
    untrained = assign(client, doc, assignee="untrained_head")
    assert untrained.status_code == 422 and "the approver is trained in EqIA" in untrained.text
    bad_date = assign(client, doc, assignee="head", due="next week")
    assert bad_date.status_code == 422 and "Enter the due date as a real date" in bad_date.text
    assert app.extensions["documents"].load(doc["id"]).get("assignee") is None


def test_a_document_of_another_team_cannot_be_assigned_and_does_not_leak(client, api):
    doc = submitted(api, "Recruitment policy")
    sign_in(client, "pp_lead")
    assert assign(client, doc, assignee="head").status_code == 404
