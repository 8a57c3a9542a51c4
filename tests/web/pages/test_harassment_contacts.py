"""Named contacts for racism and harassment: open to everyone signed in, kept by the Head (any
team or site) and team leaders (their own team), every change audited and version-checked."""
import pytest

from services import audit_service
from tests.conftest import HR
from tests.web.browsing import sign_in

CONTACT = {"name": "Pat Quinn", "role": "Harassment adviser", "phone": "020 7202 0101",
           "email": "pat.quinn@mpa.example.org", "where": "Room 4.12, 10 Dean Farrar Street", "team": HR, "site": ""}
SITE = {**CONTACT, "name": "Ola Ade", "team": "", "site": "Romford Road office"}


@pytest.fixture
def cast(make_user, people):
    """people: sam (HR staff), lee (HR team leader), bea (Board); and the Head, another team's leader."""
    make_user("hanna", "head", teams=["Race & Diversity Unit"])
    make_user("cal", "team_leader", teams=["CLAMS"])
    make_user("root", "admin")


def contacts(store):
    return store.scan("harassment_contacts")


def test_a_team_leader_names_a_contact_for_their_team_and_everyone_signed_in_finds_them(app, client, store, cast):
    sign_in(client, "lee")
    assert client.post("/contacts/new", data=CONTACT).status_code == 302
    [stored] = contacts(store)
    assert stored["name"] == "Pat Quinn" and stored["site"] is None
    [entry] = [e for e in audit_service.entries(store) if e["kind"] == "contact"]
    assert (entry["actor"], entry["action"], entry["details"]["team"]) == ("lee", "added", HR)
    for name in ("sam", "bea", "root", "cal"):
        reader = app.test_client()
        sign_in(reader, name)
        page = reader.get("/contacts").text
        assert all(CONTACT[key] in page for key in ("name", "role", "phone", "email", "where"))
        assert "Racism and harassment contacts" in page  # in the main navigation
        assert f"/contacts/{stored['id']}" not in page  # only its keepers are offered a change
    assert app.test_client().get("/contacts").status_code == 302  # signed in only


def test_the_head_keeps_a_site_contact_that_no_team_leader_may_change(client, store, cast, app):
    sign_in(client, "hanna")
    assert client.post("/contacts/new", data=SITE).status_code == 302
    [stored] = contacts(store)
    assert "Romford Road office" in client.get("/contacts").text
    leader = app.test_client()
    sign_in(leader, "lee")
    assert leader.get(f"/contacts/{stored['id']}").status_code == 403
    assert leader.post(f"/contacts/{stored['id']}", data={**SITE, "version": "1", "name": "X"}).status_code == 403
    assert leader.post("/contacts/new", data=SITE).status_code == 403  # a site alone is the Head's
    assert leader.post(f"/contacts/{stored['id']}/remove", data={"version": "1"}).status_code == 403
    assert contacts(store) == [stored]


@pytest.mark.parametrize("name, team", [("sam", HR), ("bea", HR), ("root", HR), ("cal", HR)])
def test_no_one_else_adds_or_changes_a_team_contact(client, store, cast, app, name, team):
    head = app.test_client()
    sign_in(head, "hanna")
    head.post("/contacts/new", data=CONTACT)
    [stored] = contacts(store)
    sign_in(client, name)
    assert client.post("/contacts/new", data={**CONTACT, "team": team}).status_code == 403
    changed = {**CONTACT, "name": "Changed", "version": "1"}
    assert client.post(f"/contacts/{stored['id']}", data=changed).status_code == 403
    assert client.post(f"/contacts/{stored['id']}/remove", data={"version": "1"}).status_code == 403
    assert contacts(store) == [stored]


def test_a_team_leader_cannot_move_a_contact_to_a_team_they_do_not_lead(client, store, cast):
    sign_in(client, "lee")
    client.post("/contacts/new", data=CONTACT)
    [stored] = contacts(store)
    moved = {**CONTACT, "team": "CLAMS", "version": "1"}
    assert client.post(f"/contacts/{stored['id']}", data=moved).status_code == 403
    assert client.post("/contacts/new", data={**CONTACT, "team": "CLAMS"}).status_code == 403
    assert contacts(store) == [stored]


@pytest.mark.parametrize("bad, field", [({"name": ""}, "name"), ({"phone": "", "email": ""}, "phone"),
                                        ({"phone": "ring me"}, "phone"), ({"email": "pat@"}, "email"),
                                        ({"team": "", "site": ""}, "team"), ({"team": "No such team"}, "team"),
                                        ({"where": "two\nlines"}, "where"), ({"name": "x" * 101}, "name")])
def test_a_bad_contact_is_refused_with_a_message_by_its_input_and_nothing_stored(client, store, cast, bad, field):
    sign_in(client, "hanna")
    response = client.post("/contacts/new", data={**CONTACT, **bad})
    assert response.status_code == 422 and f'id="{field}-error"' in response.text
    assert "There is a problem" in response.text
    assert contacts(store) == []


def test_changes_and_removals_are_version_checked_and_audited(client, store, cast):
    sign_in(client, "lee")
    client.post("/contacts/new", data=CONTACT)
    [stored] = contacts(store)
    page = f"/contacts/{stored['id']}"
    assert client.post(page, data={**CONTACT, "phone": "020 7202 0999", "version": "1"}).status_code == 302
    stale = client.post(page, data={**CONTACT, "phone": "020 7202 0888", "version": "1"})
    assert stale.status_code == 409 and store.get("harassment_contacts", stored["id"])["phone"] == "020 7202 0999"
    assert client.post(f"{page}/remove", data={"version": "1"}).status_code == 409
    assert client.post(f"{page}/remove", data={"version": "2"}).status_code == 302
    assert contacts(store) == [] and client.get(page).status_code == 404
    actions = [e["action"] for e in audit_service.entries(store) if e["kind"] == "contact"]
    assert actions == ["removed", "changed", "added"]
