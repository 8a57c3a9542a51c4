"""The strand set setting: an admin chooses it for new EqIAs; existing EqIAs keep theirs."""
import csv
import io

import pytest

from services import settings_service
from store import Put
from tests.conftest import HR, RDU, Api, complete_eqia
from tests.web.browsing import answer_strand, create_eqia, sign_in

NINE_TITLE = "Equality Act 2010: nine protected characteristics"
SIX_TITLE = "Corporate Equality Plan 2004: six equality strands"


@pytest.fixture
def api(client, make_user):
    """Author, submitter and approver of Human Resources' EqIAs, and an administrator."""
    return Api(client, {"sam": make_user("sam", "staff", teams=[HR]),
                        "lee": make_user("lee", "team_leader", teams=[HR]),
                        "hed": make_user("hed", "head", teams=[RDU], trained="2006-03-01"),
                        "root": make_user("root", "admin")})


def choose(client, value, version=""):
    sign_in(client, "root")
    return client.post("/admin/settings/strand-set", data={"strand_set": value, "version": version})


def created(api, fields):
    response = api.as_("sam").post("/documents", {"kind": "eqia", "title": "An EqIA", "team": HR, "fields": fields})
    assert response.status_code == 201, response.json
    return response.json


def approved(api, doc):
    for who, name in (("sam", "screen"), ("lee", "assess"), ("hed", "approve")):
        response = api.as_(who).fire(doc, name)
        assert response.status_code == 200, response.json
        doc = response.json
    return doc


def test_the_settings_page_says_the_current_set_and_that_existing_eqias_keep_theirs(client, api):
    sign_in(client, "root")
    page = client.get("/admin/settings").text
    assert f"New Equality Impact Assessments are screened against: <strong>{SIX_TITLE}</strong>" in page
    assert "Each EqIA keeps the set it was created with" in page
    assert 'value="ces2004" checked' in page and "Pregnancy and maternity" in page


def test_after_the_switch_new_eqias_walk_nine_strands_and_older_ones_six(client, api, store):
    old = created(api, {})
    response = choose(client, "ea2010")
    assert response.status_code == 302 and settings_service.strand_set(store) == "ea2010"
    assert NINE_TITLE in client.get(response.headers["Location"]).text

    sign_in(client, "sam")
    new_page = create_eqia(client)
    first = client.get(new_page + "/screening/age").text
    assert "strand 1 of 9" in first and "Screened against: " + NINE_TITLE in first
    assert "Gender reassignment" in first and "Pregnancy and maternity" in first
    assert client.get(new_page + "/screening/gender").status_code == 404
    old_page = f"/documents/{old['id']}"
    assert "strand 1 of 6" in client.get(old_page + "/screening/race").text
    assert client.get(old_page + "/screening/sex").status_code == 404
    assert "Screened against: " + SIX_TITLE in client.get(old_page).text


def test_the_guided_pages_screen_a_2010_eqia_with_all_nine(client, api, store):
    choose(client, "ea2010")
    sign_in(client, "sam")
    page = create_eqia(client)
    doc_id = page.split("/")[2]
    assert store.get("documents", doc_id)["fields"]["strand_set"] == "ea2010"
    strands = ("age", "disability", "gender_reassignment", "marriage_civil_partnership", "pregnancy_maternity",
               "race", "religion_belief", "sex", "sexual_orientation")
    for strand in strands[:-1]:
        response = answer_strand(client, doc_id, strand, "neutral")
        assert response.headers["Location"].endswith(f"/screening/{strands[strands.index(strand) + 1]}")
    assert "8 of 9 strands are answered" in client.get(page + "/screening").text
    response = answer_strand(client, doc_id, "sexual_orientation", "neutral")
    assert response.headers["Location"].endswith("/screening")
    assert "No full assessment is needed" in client.get(page + "/screening").text


def test_older_eqias_are_still_screened_and_approved_after_the_switch(client, api, store):
    stamped = created(api, complete_eqia())
    legacy = created(api, complete_eqia())
    record = store.get("documents", legacy["id"])
    del record["fields"]["strand_set"]  # as one made before strand sets were stored
    store.commit([Put("documents", legacy["id"], record, expected_version=record["version"])])
    choose(client, "ea2010")
    for doc in (stamped, {**legacy, "version": record["version"] + 1}):
        assert approved(api, doc)["state"] == "approved"
    assert "strand_set" not in store.get("documents", legacy["id"])["fields"]


def test_the_api_creates_with_the_setting_and_refuses_to_change_it(client, api):
    choose(client, "ea2010")
    doc = created(api, {})
    assert doc["fields"]["strand_set"] == "ea2010"
    response = api.as_("sam").patch(f"/documents/{doc['id']}", {"version": doc["version"],
                                                                 "fields": {"strand_set": "ces2004"}})
    assert response.status_code == 422
    assert response.json["details"] == {"fields.strand_set": "The strand set cannot be changed: this EqIA is screened against "
                                                             f"{NINE_TITLE}"}


def test_a_non_admin_may_not_change_the_setting(client, api, store):
    sign_in(client, "hed")
    response = client.post("/admin/settings/strand-set", data={"strand_set": "ea2010"})
    assert response.status_code == 403 and settings_service.strand_set(store) == "ces2004"


@pytest.mark.parametrize("value", ["ea1975", ""])
def test_a_bad_value_is_refused_with_a_message_and_changes_nothing(client, api, store, value):
    response = choose(client, value)
    assert response.status_code == 422
    assert "Select a strand set: " in response.text
    assert store.get("settings", "strand_set") is None and settings_service.strand_set(store) == "ces2004"


def test_a_stale_form_is_refused(client, api, store):
    choose(client, "ea2010")
    response = choose(client, "ces2004")  # the page was loaded before the first change
    assert response.status_code == 409 and settings_service.strand_set(store) == "ea2010"


def test_the_register_says_which_set_applies_and_finds_a_2010_eqia_by_sex(client, api):
    old = approved(api, created(api, complete_eqia(negative=("gender",))))
    choose(client, "ea2010")
    new = approved(api, created(api, complete_eqia(negative=("sex",), strand_set="ea2010")))
    listed = client.get("/register").text
    assert NINE_TITLE in listed and SIX_TITLE in listed
    assert "Screened against: " + NINE_TITLE in client.get(f"/register/eqia/{new['id']}").text
    found = client.get("/register", query_string={"strand": "sex"}).text
    assert "1 item match" in found and f"/register/eqia/{new['id']}" in found
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(client.get("/register.csv").data.decode("utf-8-sig")))}
    assert rows[old["id"]]["strand_set"] == SIX_TITLE and rows[new["id"]]["strand_set"] == NINE_TITLE
    staff_found = api.as_("sam").get("/documents", strand="sex").json
    assert [item["id"] for item in staff_found["items"]] == [new["id"]]
