"""The server-rendered pages: list, document, forms, transitions, sign-out."""
import re

import pytest

from tests.conftest import HR as TEAM
from tests.conftest import PASSWORD
from web import accounts
from workflow.fields import STRANDS


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}  # these tests are about the pages; CSRF has its own


@pytest.fixture(autouse=True)
def people(make_user):
    make_user("sam", "staff", teams=[TEAM])
    make_user("lee", "team_leader", teams=[TEAM])
    make_user("bea", "eodb")


def sign_in(client, name):
    response = client.post("/sign-in", data={"name": name, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return response


def eqia_form(title="Recruitment policy review", **extra):
    """A form as a browser would post it: every input present, most of them empty."""
    data = {"title": title, "team": TEAM, "fields.subject": "The *recruitment* policy",
            "fields.trigger": "review", "fields.lead_organisation": "", "fields.review_date": ""}
    for strand in STRANDS:
        data[f"fields.screening.{strand}.impact"] = ""
        data[f"fields.screening.{strand}.evidence"] = ""
    for key in ("evidence", "consultation", "justification", "outcome", "monitoring"):
        data[f"fields.full_assessment.{key}"] = ""
    for i in range(3):
        for col in ("strand", "action", "owner", "deadline"):
            data[f"fields.full_assessment.mitigations.{i}.{col}"] = ""
    data.update(extra)
    return data


def create_eqia(client, **extra):
    response = client.post("/documents/new?kind=eqia", data=eqia_form(**extra))
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def documents(app):
    return list(app.extensions["store"].scan("documents", None))


def test_a_team_member_creates_an_eqia_through_the_form_and_sees_it(client):
    sign_in(client, "sam")
    form = client.get("/documents/new?kind=eqia")
    assert form.status_code == 200
    assert 'name="fields.screening.religion_belief.impact"' in form.text
    location = create_eqia(client, **{"fields.screening.race.impact": "positive",
                                      "fields.screening.race.differential": "on",
                                      "fields.full_assessment.mitigations.1.action": "Train panels",
                                      "fields.full_assessment.mitigations.1.strand": "race"})
    page = client.get(location)
    assert page.status_code == 200
    assert "Recruitment policy review" in page.text
    assert "Draft" in page.text and "Positive" in page.text and "Train panels" in page.text
    listing = client.get("/")
    assert listing.status_code == 200
    assert "Recruitment policy review" in listing.text
    assert client.get("/?kind=objective").text.count("Recruitment policy review") == 0


def test_a_field_error_is_shown_next_to_its_input_with_422_and_nothing_is_created(client, app):
    sign_in(client, "sam")
    response = client.post("/documents/new?kind=eqia",
                           data=eqia_form(**{"fields.review_date": "next spring",
                                             "fields.full_assessment.mitigations.2.deadline": "soon",
                                             "fields.full_assessment.mitigations.2.action": "Do it"}))
    assert response.status_code == 422
    assert documents(app) == []
    html = response.text
    assert 'id="fields-review_date-error"' in html
    error_at = html.index('id="fields-review_date-error"')
    assert "must be a date YYYY-MM-DD" in html[error_at:error_at + 200]
    assert html.index('for="fields-review_date"') < error_at < html.index('id="fields-review_date"')
    # The third mitigation row is the first one saved; its error still lands on row three.
    assert 'id="fields-full_assessment-mitigations-2-deadline-error"' in html
    assert 'value="next spring"' in html  # what was typed is kept
    assert 'class="error-summary"' in html


def test_markdown_in_a_field_renders_and_a_script_in_it_does_not(client):
    sign_in(client, "sam")
    location = create_eqia(client, **{"fields.subject": "The **new** policy <script>alert(1)</script>"})
    page = client.get(location).text
    assert "<strong>new</strong>" in page
    assert "<script>" not in page
    assert "<script" not in page.lower()


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
    answers = {f"fields.screening.{s}.impact": "neutral" for s in STRANDS}
    location = create_eqia(client, **answers)
    doc_id = location.rsplit("/", 1)[1]
    docs, store = app.extensions["documents"], app.extensions["store"]

    def shown_and_allowed(name):
        client.post("/sign-out")
        sign_in(client, name)
        user = accounts.find_user(store, name)
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
    assert "screening.race: the impact is answered" in response.text
    assert "screening.religion_belief: the impact is answered" in response.text
    assert "Draft" in response.text


def test_the_document_page_says_what_is_still_needed_before_a_transition(client):
    sign_in(client, "sam")
    page = client.get(create_eqia(client))
    assert "Not yet possible" in page.text and "Mark as screened" in page.text
    assert "screening.age: the impact is answered" in page.text


def test_a_stale_version_on_edit_says_someone_else_changed_it(client, app):
    sign_in(client, "sam")
    location = create_eqia(client)
    data = eqia_form(title="First", version="999")
    response = client.post(location + "/edit", data=data)
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    version = app.extensions["documents"].load(location.rsplit("/", 1)[1])["version"]
    response = client.post(location + "/edit", data=eqia_form(title="Renamed", version=str(version)))
    assert response.status_code == 302
    assert "Renamed" in client.get(location).text


def test_screening_inputs_are_locked_once_screened(client, app):
    sign_in(client, "sam")
    answers = {f"fields.screening.{s}.impact": "neutral" for s in STRANDS}
    location = create_eqia(client, **answers)
    doc_id = location.rsplit("/", 1)[1]
    version = app.extensions["documents"].load(doc_id)["version"]
    assert client.post(location + "/transitions/screen", data={"version": str(version)}).status_code == 302
    form = client.get(location + "/edit").text
    assert re.search(r'name="fields.screening.race.impact"[^>]*disabled', form)
    version = app.extensions["documents"].load(doc_id)["version"]
    data = {k: v for k, v in eqia_form(title="Still fine", version=str(version)).items()
            if not k.startswith("fields.screening")}
    data["fields.full_assessment.evidence"] = "Workforce data"
    assert client.post(location + "/edit", data=data).status_code == 302
    fields = app.extensions["documents"].load(doc_id)["fields"]
    assert fields["screening"]["race"]["impact"] == "neutral"
    assert fields["full_assessment"]["evidence"] == "Workforce data"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_sign_out_then_reusing_the_old_session_cookie_is_refused(client):
    sign_in(client, "sam")
    assert client.get("/").status_code == 200
    old = client.get_cookie("session").value
    assert client.post("/sign-out").status_code == 302
    client.set_cookie("session", old)
    response = client.get("/")
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


def test_compare_shows_what_changed_between_the_approved_and_the_working_revision(client, api):
    from tests.conftest import complete_eqia
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Rev one", "team": TEAM,
                                                   "fields": complete_eqia()}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    doc = api.as_("head").fire(doc, "approve").json
    doc = api.as_("hr_lead").fire(doc, "revise").json
    api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": "Rev two"})
    sign_in(client, "lee")
    page = client.get(f"/documents/{doc['id']}/compare")
    assert page.status_code == 200 and "Revision 1 → revision 2: 1 change" in page.text
    assert "Rev one" in page.text and "Rev two" in page.text
    assert client.get(f"/documents/{doc['id']}/compare?from=7").status_code == 422


def test_readers_compare_only_approved_revisions(client, api):
    from tests.conftest import complete_eqia
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Rev one", "team": TEAM,
                                                   "fields": complete_eqia()}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    doc = api.as_("head").fire(doc, "approve").json
    doc = api.as_("hr_lead").fire(doc, "revise").json
    api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": "Secret draft"})
    sign_in(client, "bea")
    page = client.get(f"/documents/{doc['id']}/compare")
    assert "only one revision you can read" in page.text and "Secret draft" not in page.text
    assert client.get(f"/documents/{doc['id']}/compare?to=2").status_code == 422
