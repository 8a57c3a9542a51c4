"""Consultations through the pages: recorded by the team's staff and leaders and the Head,
refused with every mistake named and nothing saved, changed with the version seen, audited."""
from services import audit_service
from services.consultation_service import CONSULTATIONS
from tests.conftest import HR, PP, complete_eqia
from tests.web.browsing import sign_in, version_on


def form(**changes):
    return {"title": "Recruitment of BME staff", "team": HR,
            "consulted.0.name": "Black Police Association", "consulted.0.type": "staff_forum",
            "consulted.1.name": "", "consulted.1.type": "",
            "consulted.2.name": "Greenwich Race Equality Council", "consulted.2.type": "community_group",
            "start": "2007-03-01", "end": "2007-03-31", "methods": ["meeting", "focus_group"],
            "responses": "They asked for *positive action* open days.", "changes": "Open days added.", **changes}


def eqia(api, who="hr_lead", team=HR):
    made = api.as_(who).post("/documents", {"kind": "eqia", "title": "Recruitment EqIA", "team": team,
                                            "fields": complete_eqia()})
    assert made.status_code == 201, made.json
    return made.json


def test_a_team_member_records_a_consultation_and_its_page_shows_who_when_how_and_what_it_informed(client, api, store):
    doc = eqia(api)
    sign_in(client, "hr_staff")
    page = client.get("/consultations/new").text
    assert f'value="{doc["id"]}"' in page and "Recruitment EqIA" in page
    made = client.post("/consultations/new", data=form(informed=[doc["id"]]))
    assert made.status_code == 302, made.text
    shown = client.get(made.headers["Location"]).text
    for words in ("Black Police Association (Staff forum or network)", "Greenwich Race Equality Council",
                  "Meeting, Focus group", "<em>positive action</em>", "Open days added.", "Recruitment EqIA"):
        assert words in shown
    assert "Recruitment of BME staff" in client.get("/consultations").text
    [entry] = [e for e in audit_service.entries(store) if e["kind"] == "consultation"]
    assert (entry["actor"], entry["action"], entry["details"]["team"]) == ("hr_staff", "recorded", HR)


def test_a_bad_consultation_is_refused_with_each_mistake_at_its_input_and_nothing_is_saved(client, cast, store):
    sign_in(client, "hr_lead")
    refused = client.post("/consultations/new", data=form(**{
        "title": "", "consulted.2.type": "", "start": "2007-03-01", "end": "2007-02-01", "methods": []}))
    assert refused.status_code == 422
    text = refused.text
    for input_id in ("title", "consulted-2-type", "end", "methods"):
        assert f'id="{input_id}-error"' in text and f'href="#{input_id}"' in text, input_id
    assert "Greenwich Race Equality Council" in text  # what was typed is kept
    assert store.scan(CONSULTATIONS) == []


def test_only_the_owning_teams_staff_and_leaders_and_the_head_record_or_change_a_consultation(client, cast, store):
    sign_in(client, "pp_staff")
    assert client.post("/consultations/new", data=form()).status_code == 403
    sign_in(client, "smt")  # reads consultations, keeps none
    assert "Record a consultation" not in client.get("/consultations").text
    assert client.get("/consultations/new").status_code == 403
    assert store.scan(CONSULTATIONS) == []
    sign_in(client, "head")
    made = client.post("/consultations/new", data=form())
    path = made.headers["Location"]
    sign_in(client, "pp_lead")
    assert "Change this consultation" not in client.get(path).text
    assert client.get(path + "/edit").status_code == 403
    assert client.post(path + "/edit", data={**form(title="Taken over"), "version": "1"}).status_code == 403
    for board_or_public in ("board", None):
        client.post("/sign-out")
        if board_or_public:
            sign_in(client, board_or_public)
        assert client.get(path).status_code in (404, 302)
        assert "Black Police Association" not in client.get("/consultations").text
    assert store.scan(CONSULTATIONS)[0]["title"] == "Recruitment of BME staff"


def test_a_change_saved_over_a_newer_one_is_refused_and_a_fresh_one_is_saved_and_audited(client, cast, store):
    sign_in(client, "hr_lead")
    path = client.post("/consultations/new", data=form()).headers["Location"]
    edit = client.get(path + "/edit").text
    version = version_on(edit)
    assert 'value="Black Police Association"' in edit
    assert client.post(path + "/edit", data={**form(title="First change"), "version": version}).status_code == 302
    stale = client.post(path + "/edit", data={**form(title="Second change"), "version": version})
    assert stale.status_code == 409 and "Someone else changed this consultation" in stale.text
    assert store.scan(CONSULTATIONS)[0]["title"] == "First change"
    assert [e["action"] for e in audit_service.entries(store) if e["kind"] == "consultation"] == ["changed", "recorded"]


def test_a_document_the_writer_cannot_see_cannot_be_linked_and_a_link_they_cannot_see_is_kept(client, api, store):
    pp_draft = eqia(api, "pp_lead", PP)
    sign_in(client, "hr_lead")
    refused = client.post("/consultations/new", data=form(informed=[pp_draft["id"]]))
    assert refused.status_code == 422 and 'id="informed-error"' in refused.text
    assert "Recruitment EqIA" not in refused.text.split("<main")[1].split("informed-error")[0]
    sign_in(client, "head")
    path = client.post("/consultations/new", data=form(informed=[pp_draft["id"]])).headers["Location"]
    sign_in(client, "hr_lead")
    assert "Recruitment EqIA" not in client.get(path).text
    version = version_on(client.get(path + "/edit").text)
    assert client.post(path + "/edit", data={**form(title="Renamed"), "version": version}).status_code == 302
    assert store.scan(CONSULTATIONS)[0]["informed"] == [pp_draft["id"]]


def test_the_page_and_the_api_refuse_the_same_mistakes_by_the_same_fields(client, api):
    from tests.web.api.test_consultations_api import BODY
    bad = {"title": "", "start": "2007-02-30", "end": "2007-01-01"}
    answer = api.as_("hr_staff").post("/consultations", {**BODY, **bad})
    sign_in(client, "hr_staff")
    page = client.post("/consultations/new", data=form(**bad)).text
    assert answer.status_code == 422 and set(answer.json["details"]) == {"title", "start"}
    for key, message in answer.json["details"].items():
        assert f'id="{key}-error"' in page and message in page
