"""Signing off, sending back and reviewing a resubmission, as the Head and the team do it on
the pages: a check page before a sign-off, a send-back that asks why on the server, a banner
while a document sent back is corrected, and a comparison with what was sent back, in words."""
import re

from tests.conftest import complete_eqia
from tests.web.browsing import create, fire, sign_in, version_on
from workflow.documents import content_hash


def submitted(api, title="Recruitment"):
    return fire(api, "hr_lead", fire(api, "hr_staff", create(api, title), "screen"), "assess")


def stored(app, doc):
    return app.extensions["documents"].load(doc["id"])


def section(html, name):
    match = re.search(rf'<section class="action action-{name}".*?</section>', html, re.DOTALL)
    return match.group(0) if match else ""


def test_sign_off_and_send_back_stand_apart_and_sign_off_is_checked_first(client, api):
    doc = submitted(api)
    sign_in(client, "head")
    page = client.get(f"/documents/{doc['id']}").text
    sign_off, send_back = section(page, "sign-off"), section(page, "send-back")
    assert f'href="/documents/{doc["id"]}/sign-off"' in sign_off
    assert 'value="approve"' not in page  # nothing signs off without the check page
    assert 'class="warning"' in send_back and 'name="comment"' in send_back
    assert "warning" not in sign_off


def test_the_check_page_shows_what_is_signed_and_its_hash_is_what_the_approval_records(client, api, app):
    doc = submitted(api, "Flexible working")
    sign_in(client, "head")
    page = client.get(f"/documents/{doc['id']}/sign-off")
    digest = content_hash(stored(app, doc))
    assert page.status_code == 200
    assert "Flexible working" in page.text and digest in page.text and "Revision</dt><dd>1" in page.text
    response = client.post(f"/documents/{doc['id']}/transitions/approve", data={"version": version_on(page.text)})
    assert response.status_code == 302 and stored(app, doc)["state"] == "approved"
    signed = [item for item in api.as_("head").get(f"/documents/{doc['id']}/history").json["items"]
              if item["action"] == "approve"]
    assert signed[0]["content_hash"] == digest


def test_a_change_after_the_check_page_was_shown_is_refused(client, api, app):
    doc = submitted(api)
    sign_in(client, "head")
    page = client.get(f"/documents/{doc['id']}/sign-off").text
    fire(api, "head", stored(app, doc), "send_back", comment="Thin")  # meanwhile, in another tab
    fire(api, "hr_lead", fire(api, "hr_staff", stored(app, doc), "screen"), "assess")
    response = client.post(f"/documents/{doc['id']}/transitions/approve", data={"version": version_on(page)})
    assert response.status_code == 409 and stored(app, doc)["state"] == "assessed"


def test_only_someone_who_may_sign_it_off_gets_the_check_page(client, api):
    doc = submitted(api)
    for name, status in (("hr_lead", 403), ("untrained_head", 422), ("board", 404)):
        sign_in(client, name)
        assert client.get(f"/documents/{doc['id']}/sign-off").status_code == status, name


def test_a_send_back_without_a_reason_is_refused_at_its_field_by_the_server(client, api, app):
    doc = submitted(api)
    sign_in(client, "head")
    page = client.get(f"/documents/{doc['id']}").text
    assert "required" not in section(page, "send-back")  # no browser bubble: the server says it
    for blank in ("", "   \n "):
        response = client.post(f"/documents/{doc['id']}/send-back",
                               data={"version": version_on(page), "comment": blank})
        assert response.status_code == 422
        assert 'class="error-summary"' in response.text
        # The summary's message is a link to the field, as on every form, and is said once there.
        summary = response.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
        assert summary.count("Enter why you are sending it back") == 1
        assert '<a href="#comment">Enter why you are sending it back</a>' in summary
        field = section(response.text, "send-back")
        assert 'id="comment-error"' in field and 'id="comment"' in field and "Enter why you are sending it back" in field
        assert stored(app, doc)["state"] == "assessed"


def test_a_document_sent_back_shows_why_until_it_is_resubmitted(client, api, app):
    doc = submitted(api)
    sign_in(client, "head")
    page = client.get(f"/documents/{doc['id']}").text
    response = client.post(f"/documents/{doc['id']}/send-back",
                           data={"version": version_on(page), "comment": "Give the **monitoring data**"})
    assert response.status_code == 302 and stored(app, doc)["state"] == "draft"
    sign_in(client, "hr_staff")
    banner = re.compile(r'<div class="sent-back-banner".*?<strong>monitoring data</strong>.*?/compare/sent-back', re.DOTALL)
    assert banner.search(client.get(f"/documents/{doc['id']}").text)
    fire(api, "hr_staff", stored(app, doc), "screen")
    assert banner.search(client.get(f"/documents/{doc['id']}").text)  # screened, not yet resubmitted
    fire(api, "hr_lead", stored(app, doc), "assess")
    assert "sent-back-banner" not in client.get(f"/documents/{doc['id']}").text


def test_the_head_sees_what_was_corrected_since_the_send_back_field_by_field_in_words(client, api, app):
    doc = fire(api, "head", submitted(api), "send_back", comment="Thin evidence")
    assessment = {**complete_eqia()["full_assessment"], "evidence": "Monitoring data for 2007", "outcome": "stop"}
    api.as_("hr_staff").patch(f"/documents/{doc['id']}", {"version": doc["version"], "fields": {
        "full_assessment": assessment, "review_date": "2009-01-31"}})
    fire(api, "hr_lead", fire(api, "hr_staff", stored(app, doc), "screen"), "assess")
    sign_in(client, "head")
    assert f"/documents/{doc['id']}/compare/sent-back" in section(client.get(f"/documents/{doc['id']}").text, "sign-off")
    page = client.get(f"/documents/{doc['id']}/compare/sent-back").text
    assert "3 changes since it was sent back" in page and "Thin evidence" in page
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', page, re.DOTALL)
    assert sorted(rows) == [("Full assessment: evidence", "data", "Monitoring data for 2007"),
                            ("Full assessment: outcome", "Adjust the policy", "Stop and remove the policy"),
                            ("Review date", "1 April 2008", "31 January 2009")]
    history = client.get(f"/documents/{doc['id']}").text
    assert "Changed the full assessment: evidence, outcome; the review date" in history
    assert "full_assessment" not in history and "changed full" not in history


def test_others_are_told_nothing_of_a_send_back(client, api, app):
    doc = fire(api, "head", submitted(api), "send_back", comment="Thin evidence")
    sign_in(client, "pp_lead")
    assert client.get(f"/documents/{doc['id']}/compare/sent-back").status_code == 404
    sign_in(client, "hr_lead")
    fire(api, "head", fire(api, "hr_lead", fire(api, "hr_staff", stored(app, doc), "screen"), "assess"), "approve")
    page = client.get(f"/documents/{doc['id']}/compare/sent-back").text
    assert "has not been sent back" in page and "Thin evidence" not in page
