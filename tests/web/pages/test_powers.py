"""Who can give whom power: an administrator alone cannot make a Head, a Board member or
another administrator, nor take such a role away; a Head (for admin, a second
administrator) who neither proposed it nor is concerned confirms it first."""
import re

import pytest

from services import account_service, role_change_service, token_service
from services.notice_service import NOTICES
from tests.conftest import PASSWORD, RDU, complete_eqia
from tests.web.browsing import sign_in


@pytest.fixture
def people(app, make_user):
    """root and root2 administer; hd and hd2 are Heads; kim is staff. {name: token}."""
    return {"root": make_user("root", "admin"), "root2": make_user("root2", "admin"),
            "hd": make_user("hd", "head", teams=[RDU], trained="2006-03-01"),
            "hd2": make_user("hd2", "head", teams=[RDU], trained="2006-03-01"),
            "kim": make_user("kim", "staff", teams=[RDU], trained="2006-03-01")}


def client_of(app, name):
    client = app.test_client()
    assert sign_in(client, name).status_code == 302
    return client


def api_roles(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json["roles"]


def proposal_for(store, person, role):
    [proposal] = [p for p in role_change_service.pending(store) if p["person"] == person and p["role"] == role]
    return proposal


def decide(client, proposal, decision="confirm"):
    return client.post(f"/role-changes/{proposal['id']}", data={"decision": decision})


def edit_roles(client, store, name, roles):
    version = account_service.account_record(store, name)["version"]
    return client.post(f"/admin/users/{name}", data={"version": version, "role": roles, "team": [RDU],
                                                     "trained": "2006-03-01"})


@pytest.mark.parametrize("role", ["head", "chief_executive", "eodb"])
def test_an_account_created_with_a_powered_role_has_no_power_until_a_head_confirms(app, store, people, role):
    root = client_of(app, "root")
    assert root.post("/admin/users/new", data={"name": "new", "role": ["staff", role], "team": [RDU],
                                               "trained": "2006-03-01"}).status_code == 200
    token = token_service.issue_token(store, "new")
    assert account_service.find_user(store, "new").roles == {"staff"}
    assert api_roles(app.test_client(), token) == ["staff"]
    assert decide(client_of(app, "hd"), proposal_for(store, "new", role)).status_code == 200  # the new sign-in link, for the confirmer
    assert account_service.find_user(store, "new").roles == {"staff", role}
    # The token made before power came with it ends: new's credentials are handed over afresh.
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert api_roles(app.test_client(), token_service.issue_token(store, "new")) == sorted(["staff", role])


@pytest.mark.parametrize("role", ["head", "chief_executive", "eodb"])
def test_an_admin_editing_an_account_to_add_a_powered_role_only_proposes_it(app, store, people, role):
    root = client_of(app, "root")
    assert edit_roles(root, store, "kim", ["staff", role]).status_code == 302
    assert account_service.find_user(store, "kim").roles == {"staff"}
    assert "Awaiting confirmation: give" in root.get("/admin/users").text
    assert decide(client_of(app, "hd"), proposal_for(store, "kim", role)).status_code == 200
    assert account_service.find_user(store, "kim").roles == {"staff", role}


def test_taking_a_powered_role_away_also_waits_for_a_heads_confirmation(app, store, people):
    root = client_of(app, "root")
    assert edit_roles(root, store, "hd2", ["staff"]).status_code == 302
    assert account_service.find_user(store, "hd2").roles == {"head", "staff"}  # staff granted at once, head kept
    assert decide(client_of(app, "hd"), proposal_for(store, "hd2", "head")).status_code == 302
    assert account_service.find_user(store, "hd2").roles == {"staff"}


def test_the_proposer_cannot_confirm_even_when_a_head(app, store, make_user, people):
    make_user("boss", "admin", "head", trained="2006-03-01")
    boss = client_of(app, "boss")
    assert edit_roles(boss, store, "kim", ["staff", "head"]).status_code == 302
    proposal = proposal_for(store, "kim", "head")
    assert decide(boss, proposal).status_code == 403
    assert account_service.find_user(store, "kim").roles == {"staff"}
    assert decide(client_of(app, "hd"), proposal).status_code == 200
    assert account_service.find_user(store, "kim").roles == {"staff", "head"}


def test_the_person_concerned_cannot_confirm_their_own_power(app, store, people):
    assert edit_roles(client_of(app, "root"), store, "hd2", ["head", "eodb"]).status_code == 302
    proposal = proposal_for(store, "hd2", "eodb")
    assert decide(client_of(app, "hd2"), proposal).status_code == 403
    assert account_service.find_user(store, "hd2").roles == {"head"}


@pytest.mark.parametrize("who", ["root", "kim"])
def test_an_administrator_or_anyone_else_cannot_confirm_a_powered_role(app, store, people, who):
    assert edit_roles(client_of(app, "root"), store, "kim", ["staff", "head"]).status_code == 302
    assert decide(client_of(app, who), proposal_for(store, "kim", "head")).status_code == 403
    assert account_service.find_user(store, "kim").roles == {"staff"}


def test_making_another_administrator_needs_a_second_administrator(app, store, people):
    root = client_of(app, "root")
    assert edit_roles(root, store, "kim", ["staff", "admin"]).status_code == 302
    proposal = proposal_for(store, "kim", "admin")
    assert account_service.find_user(store, "kim").roles == {"staff"}
    for refused in (root, client_of(app, "hd"), client_of(app, "kim")):  # proposer, a Head, the person
        assert decide(refused, proposal).status_code == 403
    assert account_service.find_user(store, "kim").roles == {"staff"}
    assert decide(client_of(app, "root2"), proposal).status_code == 200
    assert account_service.find_user(store, "kim").roles == {"staff", "admin"}


def test_creating_an_administrator_needs_a_second_administrator(app, store, people):
    assert client_of(app, "root").post("/admin/users/new", data={"name": "ann", "role": ["admin"]}).status_code == 200
    assert account_service.find_user(store, "ann").roles == frozenset()
    assert decide(client_of(app, "root2"), proposal_for(store, "ann", "admin")).status_code == 200
    assert account_service.find_user(store, "ann").roles == {"admin"}


def test_a_declined_proposal_changes_nothing_and_cannot_be_decided_again(app, store, people):
    assert edit_roles(client_of(app, "root"), store, "kim", ["staff", "head"]).status_code == 302
    proposal = proposal_for(store, "kim", "head")
    hd = client_of(app, "hd")
    assert decide(hd, proposal, "decline").status_code == 302
    assert account_service.find_user(store, "kim").roles == {"staff"} and role_change_service.pending(store) == []
    hd2 = client_of(app, "hd2")
    assert decide(hd2, proposal).status_code == 302
    assert "This change was already declined" in hd2.get("/role-changes").text
    assert account_service.find_user(store, "kim").roles == {"staff"}


def test_every_head_is_told_when_a_sign_off_role_is_proposed_and_granted(app, store, people):
    assert edit_roles(client_of(app, "root"), store, "kim", ["staff", "head"]).status_code == 302
    for head in ("hd", "hd2"):
        assert any("proposes to give kim the role Head of Race and Diversity" in n["message"]
                   for n in store.scan(NOTICES, {"user": head}))
    assert decide(client_of(app, "hd"), proposal_for(store, "kim", "head")).status_code == 200
    told = {n["user"] for n in store.scan(NOTICES) if "confirmed the proposal by root" in n["message"]}
    assert {"hd2", "kim", "root"} <= told  # every Head but the one who confirmed, kim now one, and the proposer
    assert "See the role changes" in client_of(app, "hd2").get("/notices").text


def test_every_head_is_told_when_a_board_role_is_taken_away(app, store, make_user, people):
    make_user("bea", "eodb")
    assert edit_roles(client_of(app, "root"), store, "bea", ["smt"]).status_code == 302
    assert decide(client_of(app, "hd"), proposal_for(store, "bea", "eodb")).status_code == 302
    assert account_service.find_user(store, "bea").roles == {"smt"}
    assert any("take the role Board member (EODB) away from bea" in n["message"] for n in store.scan(NOTICES, {"user": "hd2"}))


@pytest.mark.parametrize("role", ["staff", "team_leader", "eodb", "smt"])
def test_the_role_changes_page_is_refused_to_other_roles(app, store, make_user, people, role):
    make_user("other", role, teams=[RDU])
    assert edit_roles(client_of(app, "root"), store, "kim", ["staff", "head"]).status_code == 302
    other = client_of(app, "other")
    assert other.get("/role-changes").status_code == 403
    assert decide(other, proposal_for(store, "kim", "head")).status_code == 403
    assert account_service.find_user(store, "kim").roles == {"staff"}


def test_the_role_changes_page_offers_a_decision_only_to_who_may_take_it(app, store, people):
    assert edit_roles(client_of(app, "root"), store, "kim", ["staff", "head"]).status_code == 302
    assert 'value="confirm"' in client_of(app, "hd").get("/role-changes").text
    page = client_of(app, "root").get("/role-changes").text
    assert "kim" in page and 'value="confirm"' not in page


def test_a_proposed_head_cannot_sign_off_until_confirmed(app, store, make_user, people):
    make_user("lee", "team_leader", teams=[RDU])
    docs, lee = app.extensions["documents"], account_service.find_user(store, "lee")
    doc = docs.create(lee, "eqia", "Recruitment policy", RDU, complete_eqia())
    doc = docs.fire(doc["id"], lee, "screen", doc["version"])
    doc = docs.fire(doc["id"], lee, "assess", doc["version"])
    assert edit_roles(client_of(app, "root"), store, "kim", ["staff", "head"]).status_code == 302
    api = app.test_client()
    approve = lambda: api.post(f"/api/v1/documents/{doc['id']}/transitions",  # noqa: E731
                               json={"name": "approve", "version": store.get("documents", doc["id"])["version"]},
                               headers={"Authorization": f"Bearer {people['kim']}"})
    assert approve().status_code == 403 and store.get("documents", doc["id"])["state"] == "assessed"
    assert decide(client_of(app, "hd"), proposal_for(store, "kim", "head")).status_code == 200
    people["kim"] = token_service.issue_token(store, "kim")  # the confirmation ended kim's tokens
    assert approve().status_code == 200 and store.get("documents", doc["id"])["state"] == "approved"


def link_in(page):
    return re.search(r"/sign-in/link/[\w-]+", page.text).group(0)


def set_password(app, path, password="the person's own one"):
    person = app.test_client()
    form = person.get(path)
    assert form.status_code == 200
    return person.post(path, data={"new_password": password, "confirm_password": password})


def signs_in(app, name, password):
    return sign_in(app.test_client(), name, password).status_code == 302


def test_power_comes_with_credentials_the_administrator_never_saw(app, store, people):
    """An administrator creates an account with a Head's role, sets its password through the
    link they were shown, and waits: once a Head confirms, that password no longer works, and
    the new link is given to the Head who confirmed, not to the administrator."""
    created = client_of(app, "root").post("/admin/users/new", data={"name": "eve", "role": ["staff", "head"],
                                                                   "team": [RDU]})
    assert set_password(app, link_in(created), "the admin's own choice").status_code == 302
    assert signs_in(app, "eve", "the admin's own choice")
    confirmed = decide(client_of(app, "hd"), proposal_for(store, "eve", "head"))
    assert confirmed.status_code == 200 and "Give it to eve yourself" in confirmed.text
    assert account_service.find_user(store, "eve").roles == {"staff", "head"}
    assert not signs_in(app, "eve", "the admin's own choice")
    assert set_password(app, link_in(confirmed), "eve's own password").status_code == 302
    assert signs_in(app, "eve", "eve's own password")


@pytest.mark.parametrize("target, role, confirmer", [("hd2", "head", "hd"), ("bea", "eodb", "hd"),
                                                     ("root2", "admin", "root3")])
def test_an_administrator_cannot_reset_the_password_of_someone_with_power_alone(app, store, make_user, people,
                                                                               target, role, confirmer):
    make_user("bea", "eodb")
    make_user("root3", "admin")
    token = token_service.issue_token(store, target)
    root = client_of(app, "root")
    asked = root.post(f"/admin/users/{target}/password")
    assert asked.status_code == 302 and "/sign-in/link/" not in root.get(asked.location).text
    assert signs_in(app, target, PASSWORD)  # nothing has changed yet
    proposal = proposal_for(store, target, role)
    for refused in ("root", target):  # the proposer, the person concerned
        assert decide(client_of(app, refused), proposal).status_code == 403
    confirmed = decide(client_of(app, confirmer), proposal)
    assert confirmed.status_code == 200 and link_in(confirmed)
    assert not signs_in(app, target, PASSWORD)
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert account_service.find_user(store, target).roles == {role}
    assert set_password(app, link_in(confirmed)).status_code == 302 and signs_in(app, target, "the person's own one")


def test_a_staff_members_password_is_reset_at_once(app, store, people):
    answer = client_of(app, "root").post("/admin/users/kim/password")
    assert answer.status_code == 200 and link_in(answer) and role_change_service.pending(store) == []
