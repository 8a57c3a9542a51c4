"""The server-rendered pages: list, document, transitions, sign-out. The forms: test_forms.py."""
import re

import pytest

from services import account_service
from tests.conftest import HR as TEAM
from tests.conftest import complete_eqia
from tests.web.browsing import create_eqia, sign_in
from workflow.strands import DEFAULT, SETS

STRANDS = SETS[DEFAULT].strands  # the six strands of 2004, the default set



pytestmark = pytest.mark.usefixtures("people")


def test_markdown_in_a_field_renders_and_a_script_in_it_does_not(client):
    sign_in(client, "sam")
    location = create_eqia(client, **{"fields.subject": "The **new** policy <script>alert(1)</script>"})
    page = client.get(location).text
    assert "<strong>new</strong>" in page
    assert "<script>" not in page
    # The only script is the page's own focus script, from the app's static files.
    assert re.findall(r"<script[^>]*>", page.lower()) == ['<script src="/static/focus.js" defer>']


def test_a_board_member_gets_404_for_a_draft_and_does_not_see_it_listed(client, app):
    sign_in(client, "sam")
    location = create_eqia(client)
    client.post("/sign-out")
    sign_in(client, "bea")
    assert client.get(location).status_code == 404
    assert client.get(location + "/edit").status_code == 404
    assert "Recruitment policy review" not in client.get("/").text


def buttons(html):
    return set(re.findall(r'name="transition" value="([a-z_]+)"', html))


def test_the_transition_buttons_shown_match_the_actions_allowed(client, app):
    from workflow import policy

    sign_in(client, "sam")
    incomplete = create_eqia(client)
    assert buttons(client.get(incomplete).text) == set()  # screening not answered: nothing to fire
    location = create_eqia(client, impacts=dict.fromkeys(STRANDS, "neutral"))
    doc_id = location.rsplit("/", 1)[1]
    docs, store = app.extensions["documents"], app.extensions["store"]

    def shown_and_allowed(name):
        client.post("/sign-out")
        sign_in(client, name)
        user = account_service.find_user(store, name)
        return buttons(client.get(location).text), set(policy.actions(docs.load(doc_id), user))

    assert shown_and_allowed("sam") == ({"screen"}, {"screen"})
    assert shown_and_allowed("lee") == ({"screen"}, {"screen"})
    version = docs.load(doc_id)["version"]
    assert client.post(location + "/transitions/screen", data={"version": str(version)}).status_code == 302
    # No review date yet, so the team leader may send it back but not submit it.
    assert shown_and_allowed("lee") == ({"send_back"}, {"send_back"})
    assert shown_and_allowed("sam") == (set(), set())


def test_firing_screen_on_an_incomplete_eqia_shows_the_unmet_conditions(client, app):
    sign_in(client, "sam")
    location = create_eqia(client)
    version = app.extensions["documents"].load(location.rsplit("/", 1)[1])["version"]
    response = client.post(location + "/transitions/screen", data={"version": str(version), "comment": ""})
    assert response.status_code == 422
    doc_id = location.rsplit("/", 1)[1]
    # Each unmet condition in words, linked to the input where it is answered.
    for strand, words in (("race", "race"), ("religion_belief", "religion or belief")):
        assert (f'<a href="/documents/{doc_id}/screening/{strand}#fields-screening-{strand}-impact">'
                f"Select the impact on {words}</a>") in response.text
    assert "screening." not in response.text.replace("/screening", "")
    assert "Draft" in response.text


def test_the_document_page_says_what_is_still_needed_before_a_transition(client):
    sign_in(client, "sam")
    page = client.get(create_eqia(client))
    assert "Still needed" in page.text and "Select the impact on age</a>" in page.text
    assert "Enter a review date</a>" in page.text  # a later step's need is said at once


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/documents")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_sign_out_then_reusing_the_old_session_cookie_is_refused(client):
    sign_in(client, "sam")
    assert client.get("/documents").status_code == 200
    old = client.get_cookie("session").value
    assert client.post("/sign-out").status_code == 302
    client.set_cookie("session", old)
    response = client.get("/documents")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_how_it_works_draws_every_state_and_transition_of_the_machine(client):
    from workflow import machine
    page = client.get("/how-it-works").text
    svg = page[page.index("<svg"):page.index("</svg>")]
    for state in machine.STATES:
        assert f">{state}</text>" in svg
    for t in machine.TRANSITIONS:
        assert f">{t.name}</text>" in svg and t.label in page.replace("&#39;", "'")
        for rule in t.who + t.guards:
            assert rule.words in page.replace("&#39;", "'")


def approved_then_revised(api, new_title):
    """An EqIA approved as "Rev one", then revised into a working copy titled `new_title`."""
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Rev one", "team": TEAM,
                                                   "fields": complete_eqia()}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    doc = api.as_("head").fire(doc, "approve").json
    doc = api.as_("hr_lead").fire(doc, "revise").json
    api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": new_title})
    return doc


def test_compare_shows_what_changed_between_the_approved_and_the_working_revision(client, api):
    doc = approved_then_revised(api, "Rev two")
    sign_in(client, "lee")
    page = client.get(f"/documents/{doc['id']}/compare")
    assert page.status_code == 200 and "Revision 1 → revision 2: 1 change" in page.text
    assert "Rev one" in page.text and "Rev two" in page.text
    refused = client.get(f"/documents/{doc['id']}/compare?from=7")
    assert refused.status_code == 422 and "Select a revision you may read: 1 or 2" in refused.text


def test_readers_compare_only_approved_revisions(client, api):
    doc = approved_then_revised(api, "Secret draft")
    sign_in(client, "bea")
    page = client.get(f"/documents/{doc['id']}/compare")
    assert "only one revision you can read" in page.text and "Secret draft" not in page.text
    assert client.get(f"/documents/{doc['id']}/compare?to=2").status_code == 422
