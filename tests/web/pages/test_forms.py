"""The document forms: the guided EqIA (details, screening a strand at a time, the
full assessment), the objective and team-plan forms, their errors and their labels."""
import re
from html.parser import HTMLParser

import pytest

from tests.conftest import HR as TEAM
from tests.web.browsing import (
    answer_strand,
    create_eqia,
    documents,
    eqia_form,
    sign_in,
    version_on,
)
from workflow.strands import DEFAULT, SETS

STRANDS = SETS[DEFAULT].strands  # the six strands of 2004, the default set

pytestmark = pytest.mark.usefixtures("people")
MITIGATIONS = "fields.full_assessment.mitigations"


@pytest.fixture
def docs(app):
    return app.extensions["documents"]


def doc_id_of(location):
    return location.split("/")[2]


def screen(client, docs, location):
    doc_id = doc_id_of(location)
    response = client.post(location + "/transitions/screen", data={"version": str(docs.load(doc_id)["version"])})
    assert response.status_code == 302, response.text


def test_an_eqia_made_through_the_guided_pages_strand_by_strand_stores_all_six_answers(client, docs):
    sign_in(client, "sam")
    first = client.get("/documents/new?kind=eqia").text
    for asked in ('name="fields.subject"', 'type="radio" id="fields-trigger" name="fields.trigger" value="new"',
                  'name="fields.lead_organisation"'):
        assert asked in first
    assert "fields.screening" not in first  # the screening comes after, a strand at a time
    response = client.post("/documents/new?kind=eqia",
                           data=eqia_form(**{"fields.lead_organisation": "Metropolitan Police Service"}))
    doc_id = doc_id_of(response.headers["Location"])
    assert response.headers["Location"] == f"/documents/{doc_id}/screening/race"

    answers = {"race": "positive", "gender": "neutral", "disability": "negative", "age": "unknown",
               "sexual_orientation": "neutral", "religion_belief": "neutral"}
    for number, (strand, impact) in enumerate(answers.items(), start=1):
        page = client.get(f"/documents/{doc_id}/screening/{strand}").text
        assert f"strand {number} of 6" in page
        assert f"Screening progress: {number - 1} of 6 strands answered" in page
        response = answer_strand(client, doc_id, strand, impact, **{
            f"fields.screening.{strand}.differential": "yes" if strand == "disability" else "no",
            f"fields.screening.{strand}.intended": "no",
            f"fields.screening.{strand}.evidence": f"Evidence on {strand}"})
        following = list(answers)[number] if number < 6 else None
        assert response.headers["Location"] == (f"/documents/{doc_id}/screening/{following}" if following
                                                else f"/documents/{doc_id}/screening")

    fields = docs.load(doc_id)["fields"]
    assert fields["trigger"] == "review" and fields["lead_organisation"] == "Metropolitan Police Service"
    assert {s: answer["impact"] for s, answer in fields["screening"].items()} == answers
    assert fields["screening"]["disability"] == {"impact": "negative", "differential": True, "intended": False,
                                                 "evidence": "Evidence on disability"}
    summary = client.get(f"/documents/{doc_id}/screening").text
    assert "A full assessment is needed" in summary and "negative impact on disability" in summary


def test_intended_is_recorded_only_for_a_negative_impact(client, docs):
    sign_in(client, "sam")
    doc_id = doc_id_of(create_eqia(client))
    answer_strand(client, doc_id, "race", "positive", **{"fields.screening.race.intended": "yes"})
    answer_strand(client, doc_id, "age", "negative", **{"fields.screening.age.intended": "yes"})
    screening = docs.load(doc_id)["fields"]["screening"]
    assert screening["race"]["intended"] is False and screening["age"]["intended"] is True


def test_the_plans_definitions_are_shown_beside_the_screening_questions(client):
    sign_in(client, "sam")
    page = client.get(create_eqia(client) + "/screening/gender").text
    layout = page[page.index('class="screening-layout"'):page.index('class="screening-progress"')]
    questions, definitions = layout.split('<aside class="definitions"')
    assert 'name="fields.screening.gender.impact"' in questions
    for words in ("An impact that could disadvantage one or more equality target groups.",
                  "no induction loop facilities",
                  "improve equal opportunities and /or relationships between groups",
                  "A targeted training programme for black and minority ethnic women",
                  "is likely to be greater than on another",
                  "some negative impacts might be intended"):
        assert words in definitions


def test_the_full_assessment_is_not_offered_without_a_negative_impact(client):
    sign_in(client, "sam")
    location = create_eqia(client, impacts=dict.fromkeys(STRANDS, "neutral"))
    summary = client.get(location + "/screening").text
    assert "No full assessment is needed" in summary
    assert "/assessment" not in summary
    details = client.get(location + "/edit").text
    assert "/assessment" not in details and 'name="fields.review_date"' in details
    assert client.get(location + "/assessment").status_code == 404


def test_the_full_assessment_is_offered_once_the_screening_finds_a_negative_impact(client, docs):
    sign_in(client, "sam")
    location = create_eqia(client, impacts={**dict.fromkeys(STRANDS, "neutral"), "age": "negative"})
    assert f'href="{location}/assessment"' in client.get(location + "/screening").text
    assert f'href="{location}/assessment"' in client.get(location + "/edit").text
    page = client.get(location + "/assessment")
    assert page.status_code == 200
    assert "fields.full_assessment.justification" not in page.text  # no negative impact is intended
    response = client.post(location + "/assessment", data={
        "version": version_on(page.text), "fields.full_assessment.evidence": "Workforce data",
        "fields.full_assessment.consultation": "Staff networks: panels lack older members",
        f"{MITIGATIONS}.0.strand": "age", f"{MITIGATIONS}.0.action": "Mixed-age panels",
        f"{MITIGATIONS}.0.owner": "HR", f"{MITIGATIONS}.0.deadline": "2008-01",
        "fields.full_assessment.outcome": "adjust", "fields.full_assessment.monitoring": "Quarterly",
        "fields.review_date": "2008-04-01"})
    assert response.status_code == 302
    fields = docs.load(doc_id_of(location))["fields"]
    assert fields["full_assessment"]["mitigations"] == [
        {"strand": "age", "action": "Mixed-age panels", "owner": "HR", "deadline": "2008-01"}]
    assert fields["full_assessment"]["outcome"] == "adjust" and fields["review_date"] == "2008-04-01"


def test_the_justification_is_asked_for_only_when_a_negative_impact_is_intended(client):
    sign_in(client, "sam")
    location = create_eqia(client)
    answer_strand(client, doc_id_of(location), "age", "negative", **{"fields.screening.age.intended": "yes"})
    page = client.get(location + "/assessment").text
    assert 'name="fields.full_assessment.justification"' in page and "negative impact on age is intended" in page


def test_add_another_action_keeps_what_was_typed_and_adds_an_empty_row_saving_nothing(client, docs):
    sign_in(client, "sam")
    location = create_eqia(client, impacts={"age": "negative"})
    before = docs.load(doc_id_of(location))
    page = client.get(location + "/assessment").text
    assert f'name="{MITIGATIONS}.0.action"' in page and f'name="{MITIGATIONS}.1.action"' not in page
    response = client.post(location + "/assessment", data={
        "version": version_on(page), "add": MITIGATIONS, "fields.full_assessment.evidence": "Typed evidence",
        f"{MITIGATIONS}.0.strand": "age", f"{MITIGATIONS}.0.action": "Typed action",
        f"{MITIGATIONS}.0.owner": "", f"{MITIGATIONS}.0.deadline": "Ongoing"})
    assert response.status_code == 200
    html = response.text
    assert "Typed evidence" in html and "Typed action" in html and 'value="Ongoing"' in html
    assert '<option value="age" selected>' in html
    assert f'name="{MITIGATIONS}.1.action"' in html and f'name="{MITIGATIONS}.2.action"' not in html
    assert re.search(rf'name="{re.escape(MITIGATIONS)}.1.action"[^>]*></textarea>', html)
    assert docs.load(doc_id_of(location)) == before


def test_a_refused_assessment_shows_the_summary_and_each_message_by_its_field_with_422(client, docs):
    sign_in(client, "sam")
    location = create_eqia(client, impacts={"age": "negative"})
    before = docs.load(doc_id_of(location))
    page = client.get(location + "/assessment").text
    response = client.post(location + "/assessment", data={
        "version": version_on(page), "add": "", "fields.review_date": "next spring",
        "fields.full_assessment.consultation": "Typed consultation",
        f"{MITIGATIONS}.0.action": "", f"{MITIGATIONS}.1.action": "Do it", f"{MITIGATIONS}.1.deadline": "soon"})
    assert response.status_code == 422
    assert docs.load(doc_id_of(location)) == before
    html = response.text
    summary = html[html.index('class="error-summary"'):html.index("</div>", html.index('class="error-summary"'))]
    assert 'role="alert"' in html[html.index('<div class="error-summary"'):html.index('class="error-summary"') + 60]
    assert 'href="#fields-review_date"' in summary
    # The second row is the first one saved; its error still lands on the second row.
    assert 'href="#fields-full_assessment-mitigations-1-deadline"' in summary
    error_at = html.index('id="fields-review_date-error"')
    assert "Enter the review date as a real date" in html[error_at:error_at + 200]
    assert html.index('for="fields-review_date"') < error_at < html.index('id="fields-review_date"')
    assert re.search(r'id="fields-review_date"[^>]*aria-describedby="[^"]*fields-review_date-error', html)
    assert 'value="next spring"' in html and "Typed consultation" in html and 'value="soon"' in html


def test_a_new_document_with_no_title_is_refused_with_422_keeping_what_was_typed(client, app):
    sign_in(client, "sam")
    response = client.post("/documents/new?kind=eqia", data=eqia_form(title="  ", **{"fields.subject": "Kept words"}))
    assert response.status_code == 422 and documents(app) == []
    assert 'href="#title"' in response.text and 'id="title-error"' in response.text
    assert "Kept words" in response.text
    assert re.search(r'id="fields-trigger-review"[^>]*checked', response.text)


def test_a_strand_page_without_an_impact_chosen_is_refused_and_keeps_the_evidence(client, docs):
    sign_in(client, "sam")
    location = create_eqia(client)
    page = client.get(location + "/screening/race").text
    response = client.post(location + "/screening/race", data={
        "version": version_on(page), "fields.screening.race.evidence": "Typed evidence"})
    assert response.status_code == 422
    assert 'href="#fields-screening-race-impact"' in response.text
    assert 'type="radio" id="fields-screening-race-impact"' in response.text  # the link's target
    assert "Typed evidence" in response.text
    assert "screening" not in docs.load(doc_id_of(location))["fields"]


def test_a_stale_version_on_edit_says_someone_else_changed_it(client, docs):
    sign_in(client, "sam")
    location = create_eqia(client)
    response = client.post(location + "/edit", data=eqia_form(title="First", version="999"))
    assert response.status_code == 409
    assert "Someone else changed this document" in response.text and 'value="First"' in response.text
    version = docs.load(doc_id_of(location))["version"]
    assert client.post(location + "/edit", data=eqia_form(title="Renamed", version=str(version))).status_code == 302
    assert "Renamed" in client.get(location).text


def test_once_screened_the_screening_pages_show_the_answers_read_only_and_locked(client, docs):
    sign_in(client, "sam")
    location = create_eqia(client, impacts=dict.fromkeys(STRANDS, "neutral"))
    screen(client, docs, location)
    page = client.get(location + "/screening/race")
    assert page.status_code == 200
    assert "locked once screened" in page.text and 'name="fields.screening.race.impact"' not in page.text
    before = docs.load(doc_id_of(location))
    refused = client.post(location + "/screening/race", data={
        "version": str(before["version"]), "fields.screening.race.impact": "negative"})
    assert refused.status_code == 409 and "locked" in refused.text
    assert docs.load(doc_id_of(location))["fields"]["screening"]["race"]["impact"] == "neutral"
    # The details (the review date among them) are still edited once screened.
    saved = client.post(location + "/edit", data=eqia_form(version=str(before["version"]),
                                                           **{"fields.review_date": "2008-04-01"}))
    assert saved.status_code == 302 and docs.load(doc_id_of(location))["fields"]["review_date"] == "2008-04-01"


def test_editing_is_refused_with_the_reason_when_the_state_or_the_person_does_not_allow_it(client, docs, make_user):
    make_user("hal", "head", teams=["Race & Diversity Unit"])
    sign_in(client, "sam")
    location = create_eqia(client, impacts={**dict.fromkeys(STRANDS, "neutral"), "age": "negative"})
    client.post("/sign-out")
    sign_in(client, "hal")  # sees the working copy, is not of the owning team
    for page in ("/edit", "/screening/race", "/assessment"):
        response = client.get(location + page)
        assert response.status_code == 403 and "Only the team that owns this document can edit it" in response.text
    client.post("/sign-out")
    sign_in(client, "lee")
    submitted = create_eqia(client, impacts=dict.fromkeys(STRANDS, "neutral"))
    version = docs.load(doc_id_of(submitted))["version"]
    client.post(submitted + "/edit", data=eqia_form(version=str(version), **{"fields.review_date": "2008-04-01"}))
    screen(client, docs, submitted)
    assert client.post(submitted + "/transitions/assess",
                       data={"version": str(docs.load(doc_id_of(submitted))["version"])}).status_code == 302
    for page in ("/edit", "/screening/race"):
        response = client.get(submitted + page)
        assert response.status_code == 409
        assert ("This Equality Impact Assessment has been submitted for sign-off, so it cannot be edited now. "
                "A team leader or the Head can send it back to be changed.") in response.text
        assert "in state" not in response.text and "transition" not in response.text


def test_objective_progress_status_radios_carry_the_word(client, docs):
    sign_in(client, "lee")
    response = client.post("/documents/new?kind=objective", data={
        "title": "Equality training", "team": TEAM, "fields.heading": "The MPA as a Public Authority",
        "fields.action": "Train all staff", "fields.deadline": "Ongoing", "fields.leads": "HR\nRDU",
        "fields.strands": ["race", "age"], "fields.standard_level": "3"})
    location = response.headers["Location"]
    page = client.get(location + "/edit").text
    status = page[page.index("<legend>Status</legend>"):]
    status = status[:status.index("</fieldset>")]
    for code, word in (("red", "Red"), ("amber", "Amber"), ("amber_green", "Amber/Green"), ("green", "Green")):
        radio_id = "fields-progress-0-status" if code == "red" else f"fields-progress-0-status-{code}"
        assert f'type="radio" id="{radio_id}" name="fields.progress.0.status" value="{code}"' in status
        assert f'<label for="{radio_id}">{word}</label>' in status
    saved = client.post(location + "/edit", data={
        "version": version_on(page), "title": "Equality training", "fields.heading": "The MPA as a Public Authority",
        "fields.action": "Train all staff", "fields.deadline": "Ongoing", "fields.leads": "HR\nRDU",
        "fields.strands": ["race", "age"], "fields.standard_level": "3",
        "fields.progress.0.period": "2006-07", "fields.progress.0.status": "amber_green"})
    assert saved.status_code == 302
    fields = docs.load(doc_id_of(location))["fields"]
    assert fields["progress"] == [{"period": "2006-07", "status": "amber_green"}]
    assert fields["leads"] == ["HR", "RDU"] and fields["standard_level"] == 3


def test_add_another_target_keeps_the_targets_typed_and_adds_an_empty_one(client, app):
    sign_in(client, "lee")
    response = client.post("/documents/new?kind=team_plan", data={
        "title": "HR plan", "team": TEAM, "fields.period": "2007-08", "add": "fields.targets",
        "fields.targets.0.target": "Typed target", "fields.targets.0.objectives": "12, 15"})
    assert response.status_code == 200 and documents(app) == []
    assert "Typed target" in response.text and 'value="12, 15"' in response.text
    assert 'name="fields.targets.1.target"' in response.text


class _Controls(HTMLParser):
    """The form controls of a page, the ids labels point at, and fieldsets' legends."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.fieldsets, self.legends = [], set(), 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs)
        elif tag == "label":
            self.labelled.add(attrs.get("for"))
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1


def test_every_control_on_the_form_pages_is_labelled_and_every_group_has_a_legend(client):
    sign_in(client, "lee")
    location = create_eqia(client, impacts={"age": "negative"})
    objective = client.post("/documents/new?kind=objective", data={"title": "O", "team": TEAM}).headers["Location"]
    for path in ("/documents/new?kind=eqia", location + "/edit", location + "/screening/age",
                 location + "/assessment", objective + "/edit", "/documents/new?kind=team_plan"):
        html = client.get(path).text
        assert 'name="csrf_token"' in html
        found = _Controls()
        found.feed(html)
        unlabelled = [c.get("name") for c in found.controls if c.get("id") not in found.labelled]
        assert unlabelled == [], path
        assert found.fieldsets == found.legends, path
        for hint in re.findall(r'id="([\w-]+-hint)"', html):
            assert re.search(rf'aria-describedby="[^"]*{hint}', html), (path, hint)


def test_a_form_with_the_nul_character_is_refused_with_422_and_saves_nothing(client, app):
    sign_in(client, "lee")
    store = app.extensions["store"]
    before = store.scan("documents")
    response = client.post("/documents/new?kind=eqia", data=eqia_form(title="Recruit\x00ment"))
    assert response.status_code == 422 and "text/html" in response.content_type
    assert "NUL character" in response.text and "<li>Remove the NUL character" in response.text
    assert store.scan("documents") == before
