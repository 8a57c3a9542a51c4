"""Form mechanics: Save is the first submit button of every form with rows, "Change" on the
screening summary comes back to the summary, and an unanswered Yes/No question stays
unanswered (never stored or shown as No)."""
import re

import pytest

from tests.web.browsing import answer_strand, create_eqia, sign_in, version_on
from workflow.strands import DEFAULT, SETS

STRANDS = SETS[DEFAULT].strands
pytestmark = pytest.mark.usefixtures("people")


@pytest.fixture
def docs(app):
    return app.extensions["documents"]


def doc_id_of(location):
    return location.split("/")[2]


def _first_submit_button(html):
    """The first submit button of the form holding the "Add another" button."""
    start = html.rindex("<form ", 0, html.index('name="add"'))
    form = html[start:html.index("</form>", start)]
    return re.search(r'<button type="submit"[^>]*>', form).group(0)


def test_save_comes_before_add_another_in_every_form_with_rows(client):
    """Enter in a text box presses the form's first submit button: it must be a Save, never
    an "Add another"; the copy of Save is kept out of the Tab order and from screen readers."""
    sign_in(client, "lee")
    location = create_eqia(client, impacts={"age": "negative"})
    objective = client.post("/documents/new?kind=objective", data={"title": "Rows", "team": "Human Resources"})
    addresses = [location + "/assessment", "/documents/new?kind=team_plan", "/documents/new?kind=standard_cell",
                 objective.headers["Location"] + "/edit"]
    for address in addresses:
        html = client.get(address).text
        assert 'name="add"' in html, address  # the form has rows
        first = _first_submit_button(html)
        assert 'name="add"' not in first and 'tabindex="-1"' in first and 'aria-hidden="true"' in first, address


def _answer_all(client, doc_id, **extra):
    for strand in STRANDS:
        assert answer_strand(client, doc_id, strand, "neutral", **extra).status_code == 302


@pytest.mark.parametrize("link_words", ["Change", "Answer"])
def test_change_on_the_screening_summary_comes_back_to_the_summary(client, docs, link_words):
    sign_in(client, "sam")
    doc_id = doc_id_of(create_eqia(client))
    answered = STRANDS if link_words == "Change" else [s for s in STRANDS if s != "gender"]
    for strand in answered:
        answer_strand(client, doc_id, strand, "neutral")
    summary = client.get(f"/documents/{doc_id}/screening").text
    link = re.search(rf'<a href="([^"]+)">{link_words}<span class="visually-hidden"> gender</span>', summary).group(1)
    link = link.replace("&amp;", "&")
    page = client.get(link).text
    assert "Save and return to the summary" in page
    response = client.post(link, data={"version": version_on(page), "fields.screening.gender.impact": "positive"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/documents/{doc_id}/screening"
    assert docs.load(doc_id)["fields"]["screening"]["gender"]["impact"] == "positive"
    # Going through the strands in order still goes on to the next one.
    assert answer_strand(client, doc_id, "gender", "neutral").headers["Location"] == \
        f"/documents/{doc_id}/screening/disability"


def test_an_unanswered_intended_stays_unanswered_and_is_asked_for_before_screening(client, docs):
    sign_in(client, "sam")
    location = create_eqia(client)
    doc_id = doc_id_of(location)
    _answer_all(client, doc_id, **{})
    answer_strand(client, doc_id, "age", "negative", **{"fields.screening.age.evidence": "Workforce data"})
    answer = docs.load(doc_id)["fields"]["screening"]["age"]
    assert "intended" not in answer and "differential" not in answer  # neither taken for No

    summary = client.get(f"/documents/{doc_id}/screening").text
    row = summary[summary.index('<th scope="row">Age</th>'):]
    row = row[:row.index("</tr>")]
    assert row.count("Not answered") == 2 and not re.search(r">\s*No\s*<", row)
    page = client.get(location).text
    row = page[page.index('<th scope="row">Age</th>'):]
    assert row[:row.index("</tr>")].count("Not answered") == 2
    strand_page = client.get(location + "/screening/age").text
    assert not re.search(r'name="fields.screening.age.intended" value="no" checked', strand_page)

    refused = client.post(location + "/transitions/screen", data={"version": str(docs.load(doc_id)["version"])})
    assert docs.load(doc_id)["state"] == "draft"
    assert "intended" in refused.text

    answer_strand(client, doc_id, "age", "negative", **{"fields.screening.age.evidence": "Workforce data",
                                                       "fields.screening.age.intended": "no",
                                                       "fields.screening.age.differential": "yes"})
    answer = docs.load(doc_id)["fields"]["screening"]["age"]
    assert answer["intended"] is False and answer["differential"] is True
    screened = client.post(location + "/transitions/screen", data={"version": str(docs.load(doc_id)["version"])})
    assert screened.status_code == 302 and docs.load(doc_id)["state"] == "screened"
