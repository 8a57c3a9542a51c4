"""The equality coordinators' list: how to reach each coordinator, kept by the Head as well as
by administrators, through one service and one rule (workflow.policy.may_keep_coordinators)."""
import re

import pytest

from services import audit_service
from tests.conftest import HR
from tests.web.browsing import sign_in

DETAILS = {"coordinator": "Equalities Adviser (HR)", "phone": "020 7202 0202", "email": "adviser@mpa.example.org"}
PAGE = "/teams/Human Resources/coordinator"


@pytest.fixture
def keepers(make_user, people):
    make_user("hanna", "head", teams=["Race & Diversity Unit"])
    make_user("root", "admin")


def test_the_head_keeps_a_coordinator_and_how_to_reach_them_and_everyone_signed_in_reads_it(
        app, client, store, keepers):
    sign_in(client, "hanna")
    assert 'href="/teams/Human%20Resources/coordinator"' in client.get("/teams").text
    assert client.get(PAGE).status_code == 200
    response = client.post(PAGE, data={**DETAILS, "version": ""})
    assert response.status_code == 302
    stored = store.get("teams", HR)
    assert {key: stored[key] for key in DETAILS} == DETAILS
    [entry] = [e for e in audit_service.entries(store) if e["kind"] == "team"]
    assert entry["actor"] == "hanna" and entry["details"]["phone"] == "020 7202 0202"
    for name in ("sam", "bea"):
        reader = app.test_client()
        sign_in(reader, name)
        page = reader.get("/teams").text
        assert all(value in page for value in DETAILS.values()) and "mailto:adviser@mpa.example.org" in page
        assert "/coordinator" not in page  # no way to change it offered


def test_the_admin_page_saves_through_the_same_service_and_keeps_the_details(client, store, keepers):
    sign_in(client, "root")
    assert client.post("/admin/teams", data={"team": HR, **DETAILS, "version": ""}).status_code == 302
    assert store.get("teams", HR)["email"] == DETAILS["email"]
    # The admin page's refusal is the shared service's: the same rules hold from both pages.
    refused = client.post("/admin/teams", data={"team": HR, **DETAILS, "email": "not an address", "version": "1"})
    assert refused.status_code == 422 and "Enter an email address in the correct format" in refused.text
    assert store.get("teams", HR)["email"] == DETAILS["email"]


@pytest.mark.parametrize("name", ["sam", "lee", "bea"])
def test_nobody_else_keeps_the_list_from_either_page(client, store, keepers, name):
    sign_in(client, name)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={**DETAILS, "version": ""}).status_code == 403
    assert client.post("/admin/teams", data={"team": HR, **DETAILS, "version": ""}).status_code == 403
    assert store.get("teams", HR) is None


@pytest.mark.parametrize("bad, field", [({"phone": "call me"}, "phone"), ({"email": "a@b"}, "email"),
                                        ({"email": "a\x01b@mpa.example.org"}, "email"),
                                        ({"coordinator": "two\nlines"}, "coordinator")])
def test_bad_contact_details_are_refused_with_a_message_and_change_nothing(client, store, keepers, bad, field):
    sign_in(client, "hanna")
    response = client.post(PAGE, data={**DETAILS, **bad, "version": ""})
    assert response.status_code == 422 and f'id="{field}-error"' in response.text
    assert store.get("teams", HR) is None


def test_a_stale_save_is_refused_and_an_unknown_team_is_not_found(client, store, keepers):
    sign_in(client, "hanna")
    client.post(PAGE, data={**DETAILS, "version": ""})
    stale = client.post(PAGE, data={**DETAILS, "phone": "020 7000 0000", "version": ""})
    assert stale.status_code == 409 and store.get("teams", HR)["phone"] == DETAILS["phone"]
    assert client.get("/teams/No such team/coordinator").status_code == 404


@pytest.mark.parametrize("bad", [{"email": "adviser@"}, {"phone": "ext. 12"}, {"coordinator": "x" * 101}])
def test_both_pages_refuse_the_same_input_with_the_same_message(client, store, keepers, bad):
    sign_in(client, "root")  # an administrator may use either page
    from_admin = client.post("/admin/teams", data={"team": HR, **DETAILS, **bad, "version": ""})
    from_list = client.post(PAGE, data={**DETAILS, **bad, "version": ""})
    [field] = bad
    messages = [re.search(rf'id="{field}-error"><span class="visually-hidden">Error: </span>([^<]*)<', page.text)[1]
                for page in (from_admin, from_list)]
    assert from_admin.status_code == from_list.status_code == 422 and messages[0] == messages[1]
    assert store.get("teams", HR) is None
