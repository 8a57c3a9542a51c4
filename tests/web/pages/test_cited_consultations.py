"""An EqIA's full assessment cites consultations: checked to exist from every door, listed with
their summaries on its page, and on the public register in general terms without any name."""
from tests.conftest import HR, complete_eqia
from tests.web.browsing import sign_in, version_on
from tests.web.pages.test_consultation_pages import form


def consultation(client, who="hr_lead", **changes):
    sign_in(client, who)
    made = client.post("/consultations/new", data=form(**changes))
    assert made.status_code == 302, made.text
    return made.headers["Location"].rsplit("/", 1)[1]


def eqia_citing(api, cited, who="hr_staff"):
    fields = complete_eqia()
    fields["full_assessment"]["consultations"] = cited
    return api.as_(who).post("/documents", {"kind": "eqia", "title": "Recruitment EqIA", "team": HR, "fields": fields})


def test_the_assessment_page_offers_the_consultations_and_saves_those_ticked(client, api, store):
    first, second = consultation(client), consultation(client, title="Flexible working")
    doc = eqia_citing(api, []).json
    sign_in(client, "hr_staff")
    page = client.get(f"/documents/{doc['id']}/assessment").text
    assert f'value="{first}"' in page and "Flexible working" in page
    data = {"version": version_on(page), "fields.full_assessment.consultations": [second],
            "fields.full_assessment.outcome": "adjust", "fields.full_assessment.evidence": "data",
            "fields.full_assessment.mitigations.0.strand": "age", "fields.full_assessment.mitigations.0.action": "act",
            "fields.full_assessment.mitigations.0.owner": "HR", "fields.full_assessment.mitigations.0.deadline": "2008-01"}
    assert client.post(f"/documents/{doc['id']}/assessment", data=data).status_code == 302
    stored = store.get("documents", doc["id"])
    assert stored["fields"]["full_assessment"]["consultations"] == [second]
    shown = client.get(f"/documents/{doc['id']}").text
    assert "Consultations cited" in shown and "Flexible working" in shown and "Black Police Association" in shown
    assert "Recruitment of BME staff" not in shown.split("Consultations cited")[1].split("</ul>")[0]


def test_citing_a_consultation_that_does_not_exist_is_refused_from_the_api_and_the_page(client, api, store):
    real = consultation(client)
    refused = eqia_citing(api, [real, "999"])
    assert refused.status_code == 422 and "999" in refused.json["details"]["fields.full_assessment.consultations"]
    assert eqia_citing(api, ["x1"]).status_code == 422
    assert [d for d in store.scan("documents") if d["kind"] == "eqia"] == []
    doc = eqia_citing(api, [real]).json
    patched = api.as_("hr_staff").patch(f"/documents/{doc['id']}", {"version": doc["version"], "fields": {
        "full_assessment": {**doc["fields"]["full_assessment"], "consultations": ["998"]}}})
    assert patched.status_code == 422
    sign_in(client, "hr_staff")
    page = client.get(f"/documents/{doc['id']}/assessment").text
    posted = client.post(f"/documents/{doc['id']}/assessment", data={
        "version": version_on(page), "fields.full_assessment.consultations": ["997"]})
    assert posted.status_code == 422 and 'id="fields-full_assessment-consultations-error"' in posted.text
    assert store.get("documents", doc["id"])["fields"]["full_assessment"]["consultations"] == [real]


def test_the_register_shows_each_cited_consultation_in_general_terms_and_the_board_sees_no_name(client, api):
    cited = consultation(client, **{"consulted.0.name": "Mrs Jane Smith", "consulted.0.type": "public"})
    doc = eqia_citing(api, [cited]).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    assert api.as_("head").fire(doc, "approve").status_code == 200
    client.post("/sign-out")
    public = client.get(f"/register/eqia/{doc['id']}").text
    assert "Members of the public and Community group" in public
    assert "They asked for <em>positive action</em> open days." in public and "Open days added." in public
    for name in ("Mrs Jane Smith", "Greenwich Race Equality Council", "Recruitment of BME staff"):
        assert name not in public
    sign_in(client, "board")
    board = client.get(f"/documents/{doc['id']}").text
    assert "Open days added." in board and "Mrs Jane Smith" not in board
    assert f"/consultations/{cited}" not in board
    sign_in(client, "smt")
    assert "Mrs Jane Smith" in client.get(f"/documents/{doc['id']}").text


def test_the_objective_page_lists_the_consultations_that_informed_it(client, api):
    objective = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Recruit fairly", "team": HR,
                                                        "fields": {"action": "Recruit fairly"}}).json
    consultation(client, informed=[objective["id"]], title="Recruitment open days")
    consultation(client, title="Unrelated consultation")
    page = client.get(f"/documents/{objective['id']}").text
    section = page.split("Consultations that informed it")[1]
    assert "Recruitment open days" in section and "Unrelated consultation" not in section


def test_the_register_page_says_no_name_even_to_someone_signed_in_who_just_read_the_eqia_inside(client, api):
    cited = consultation(client, **{"consulted.0.name": "Mrs Jane Smith", "consulted.0.type": "public"})
    doc = eqia_citing(api, [cited]).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    assert api.as_("head").fire(doc, "approve").status_code == 200
    sign_in(client, "hr_staff")
    assert "Mrs Jane Smith" in client.get(f"/documents/{doc['id']}").text
    register = client.get(f"/register/eqia/{doc['id']}").text
    assert "Members of the public" in register and "Mrs Jane Smith" not in register
