"""Titles and names are one line: a line break, tab or other control character in one is
refused at entry with a field error, from the API and from the pages, and nothing changes."""
import pytest

from services import period_service
from tests.web.api.test_reports_api import nine_objectives
from tests.authz_world import fingerprint
from tests.conftest import HR
from tests.web.browsing import sign_in
from tests.web.pages.test_reports import rdu_lead  # noqa: F401 (a fixture)
from tests.workflow.test_reports_build import PERIOD

BROKEN = ["Recruitment\nBcc: someone@example.org", "Recruitment\r\npolicy", "Recruitment\rpolicy", "Tab\there",
          "Vertical\x0btab", "Escape\x1b[2J", "Next line\x85here", "Line\u2028separator", "Paragraph\u2029separator"]


@pytest.mark.parametrize("title", BROKEN)
def test_the_api_refuses_a_document_title_on_two_lines(api, store, title):
    before = fingerprint(store)
    made = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": title, "team": HR})
    assert made.status_code == 422 and "one line" in made.json["details"]["title"]
    assert fingerprint(store) == before
    doc = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "Recruitment", "team": HR}).json
    edited = api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": title})
    assert edited.status_code == 422 and "one line" in edited.json["details"]["title"]


@pytest.mark.parametrize("title", BROKEN)
def test_the_api_refuses_a_meeting_name_or_venue_on_two_lines(api, store, title):
    before = fingerprint(store)
    for body in ({"title": title, "date": "2007-12-06"}, {"title": "EODB", "date": "2007-12-06", "venue": title}):
        response = api.as_("head").post("/meetings", body)
        assert response.status_code == 422 and any("one line" in m for m in response.json["details"].values())
    assert fingerprint(store) == before


@pytest.mark.parametrize("title", BROKEN[:3])
def test_the_pages_refuse_titles_and_names_on_two_lines_with_a_field_error(client, store, cast, title):
    period_service.seed_strategic(store)
    before = fingerprint(store)
    for who, address, form in [
            ("hr_lead", "/documents/new?kind=eqia", {"title": title, "team": HR, "fields.subject": "s"}),
            ("head", "/meetings/new", {"title": title, "date": "2007-12-06"}),
            ("head", "/strategic/new", {"number": "10", "title": title}),
            ("admin", "/admin/teams/new", {"name": title})]:
        sign_in(client, who)
        response = client.post(address, data=form)
        assert response.status_code == 422, (address, response.status_code)
        assert "one line, without line breaks" in response.text, address
    assert fingerprint(store) == before


def test_a_report_author_line_on_two_lines_is_refused(client, api, rdu_lead):  # noqa: F811
    nine_objectives(api)
    sign_in(client, rdu_lead)
    response = client.post("/reports/generate", data={"fields.period": PERIOD,
                                                       "fields.author_line": "By: the Chief Executive\nBcc: x"})
    assert response.status_code == 422 and "one line, without line breaks" in response.text
