"""Bulk changes on pages: select objectives with filters, choose the change, check answers,
submit; one sign-off approves them all, and each document's history shows it."""
import re

from tests.conftest import HR, PP
from tests.web.browsing import sign_in
from tests.web.pages.test_progress import approved


def test_select_check_submit_and_one_sign_off(client, api):
    first, second = approved(api, title="Recruitment targets"), approved(api, title="Appraisal training")
    other = approved(api, title="Planning data", team=PP, lead="pp_lead")
    sign_in(client, "hr_lead")
    page = client.get("/bulk")
    assert page.status_code == 200
    assert "Recruitment targets" in page.text and "Planning data" not in page.text  # their team's only
    filtered = client.get("/bulk", query_string={"filter_strategic": "none", "filter_team": PP})
    assert "Recruitment targets" not in filtered.text

    answers = {"ids": [first["id"], second["id"]], "strategic": "6", "strands": ["race"], "team": ""}
    check = client.post("/bulk/check", data=answers)
    assert check.status_code == 200 and "Check your answers" in check.text
    assert "strategic objective set to 6" in check.text and "Submit 2 objectives for sign-off" in check.text
    assert api.as_("head").get(f"/documents/{first['id']}").get_json()["revision"] == 1

    submitted = client.post("/bulk/submit", data=answers)
    assert submitted.status_code == 302
    batch_page = client.get(submitted.headers["Location"])
    assert "You cannot sign off this bulk change" in batch_page.text  # the submitter
    assert "Bulk changes to sign off" not in client.get("/").text

    sign_in(client, "head")
    my_work = client.get("/").text
    assert "Bulk changes to sign off" in my_work and submitted.headers["Location"] in my_work
    batch_page = client.get(submitted.headers["Location"])
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', batch_page.text)[1]
    signed = client.post(submitted.headers["Location"] + "/approve", data={"fingerprint": fingerprint})
    assert signed.status_code == 302
    for doc in (first, second):
        shown = api.as_("board").get(f"/documents/{doc['id']}").get_json()
        assert shown["fields"]["strategic"] == 6 and shown["revision"] == 2
        history = client.get(f"/documents/{doc['id']}").text
        assert "changed it in a bulk change and submitted it for sign-off" in history
        assert "one bulk sign-off of 2 objectives" in history
    assert api.as_("head").get(f"/documents/{other['id']}").get_json()["revision"] == 1


def test_a_refused_change_is_shown_in_words_with_what_was_chosen(client, api):
    doc = approved(api)
    sign_in(client, "hr_lead")
    refused = client.post("/bulk/check", data={"ids": [doc["id"]], "strategic": "", "team": ""})
    assert refused.status_code == 422
    assert "There is a problem" in refused.text and "Choose at least one thing to change" in refused.text
    assert f'value="{doc["id"]}" checked' in refused.text
    nothing = client.post("/bulk/check", data={"strategic": "4"})
    assert nothing.status_code == 422 and "Select the objectives to change" in nothing.text
    for typed in ("²", "①", "99999999999999999999", "0", "four"):  # never a number a person means: said so
        for path in ("/bulk/check", "/bulk/submit"):
            odd = client.post(path, data={"ids": [doc["id"]], "strategic": typed})
            assert odd.status_code == 422 and "Enter the number of a strategic objective" in odd.text
    assert api.as_("head").get(f"/documents/{doc['id']}").get_json()["revision"] == 1


def test_a_stale_sign_off_is_refused_and_signs_off_nothing(client, api):
    doc = approved(api)
    sign_in(client, "hr_lead")
    location = client.post("/bulk/submit", data={"ids": [doc["id"]], "strategic": "2"}).headers["Location"]
    sign_in(client, "head")
    refused = client.post(location + "/approve", data={"fingerprint": "stale"})
    assert refused.status_code == 409 and "changed since you opened it" in refused.text
    assert api.as_("head").get(f"/documents/{doc['id']}").get_json()["state"] == "assessed"


def test_staff_and_the_board_have_no_bulk_page(client, api):
    sign_in(client, "hr_lead")
    assert client.get("/bulk").status_code == 200  # the page is there, for those who may use it
    for name in ("hr_staff", "board"):
        sign_in(client, name)
        assert client.get("/bulk").status_code == 404
        assert client.post("/bulk/submit", data={"ids": ["1"], "strategic": "2"}).status_code == 404

