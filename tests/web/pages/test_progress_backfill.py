"""Back-filling an earlier period's progress: its status is what the later period's is compared
with, so the rule may ask why the status changed by the later period. The progress page gives
the field for that reason, with the message by it, and saves the reason on the later entry."""
import re

from tests.conftest import HR
from tests.web.browsing import sign_in
from tests.web.pages.test_progress import objective_fields, open_period, progress_form

LATER = {"period": "2007-08", "status": "green", "evidence": "RES published"}


def _objective_reported_for_2007_08(app, api):
    response = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Race Equality Scheme",
                                                      "team": HR, "fields": objective_fields(progress=[LATER])})
    assert response.status_code == 201, response.get_json()
    open_period(app, "2006-07")
    return response.get_json()["id"]


def test_back_filling_an_earlier_period_asks_for_the_later_reason_in_a_field_of_its_own(app, client, api):
    doc_id = _objective_reported_for_2007_08(app, api)
    sign_in(client, "hr_lead")
    page = client.get(f"/documents/{doc_id}/progress?period=2006-07").text
    assert '<label for="entry-following_reason">Why did the status change by 2007/08?</label>' in page
    assert "In 2007/08 the status is “Green”" in page

    refused = client.post(f"/documents/{doc_id}/progress", data=progress_form(
        page, period="2006-07", status="amber", evidence="Draft scheme", following_reason=""))
    assert refused.status_code == 422
    error = re.search(r'id="entry-following_reason-error">(.*?)</p>', refused.text, re.S).group(1)
    assert "Amber" in error and "Green" in error
    assert 'href="#entry-following_reason"' in refused.text  # the summary links to the field
    assert 'id="entry-status-error"' not in refused.text  # not put by the status, where nothing can be done
    assert "Draft scheme" in refused.text
    assert app.extensions["documents"].load(doc_id)["fields"]["progress"] == [LATER]

    saved = client.post(f"/documents/{doc_id}/progress", data=progress_form(
        page, period="2006-07", status="amber", evidence="Draft scheme",
        following_reason="The scheme was adopted and published"))
    assert saved.status_code == 302, saved.text
    stored = {e["period"]: e for e in app.extensions["documents"].load(doc_id)["fields"]["progress"]}
    assert stored["2006-07"] == {"period": "2006-07", "status": "amber", "evidence": "Draft scheme"}
    assert stored["2007-08"] == {**LATER, "reason": "The scheme was adopted and published"}
    again = client.get(f"/documents/{doc_id}/progress?period=2006-07").text
    assert re.search(r'id="entry-following_reason"[^>]*>The scheme was adopted and published</textarea>', again)

    open_period(app, "2008-09")  # the latest period has no later one: no such field
    latest = client.get(f"/documents/{doc_id}/progress?period=2008-09").text
    assert "entry.following_reason" not in latest and 'name="entry.reason"' in latest
