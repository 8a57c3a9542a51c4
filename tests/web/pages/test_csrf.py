"""CSRF: every state-changing page route refuses a request without the form's token and changes nothing.

The API is exempt only because it takes bearer tokens, which a browser never sends
by itself; a session cookie alone gets nowhere there.
"""
import re
from pathlib import Path

import pytest

from services import account_service, audit_service, credential_service
from store import Put
from tests.conftest import HR, PASSWORD, complete_eqia

CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
REFUSED = "The form has expired or was not sent from this site"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}  # tests/web/conftest.py turns it off for the other page tests


def store_files(app):
    """Every byte the store holds, to show that nothing at all was written."""
    return {path.name: path.read_bytes() for path in Path(app.config["STORE"]).iterdir()
            if path.is_file() and path.name != "lock"}


def signed_in(app, store, name):
    """A client signed in as `name` without posting the sign-in form (which itself needs a token)."""
    return in_session(app, credential_service.open_session(store, name))


def in_session(app, session_id):
    """A client whose cookie carries the server-side session `session_id`."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = session_id, True
    return client


def csrf_token(client, url):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).text).group(1)


@pytest.fixture
def world(app, store, make_user):
    """Someone who may do almost everything, a colleague with an API token, and an EqIA."""
    make_user("boss", "admin", "head", "team_leader", teams=[HR], trained="2006-03-01")
    token = make_user("kim", "staff", teams=[HR])
    boss = account_service.find_user(store, "boss")
    doc = app.extensions["documents"].create(boss, "eqia", "Recruitment policy", HR, complete_eqia())
    make_user("lou", "staff")
    link = account_service.reset_password(store, audit_service.Actor("boss"), "lou")  # a live one-time link: its form too
    return {"doc_id": doc["id"], "name": "kim", "strand": "age", "key": credential_service.digest(token),
            "meeting_id": "1", "number": 1, "token": token, "secret": link,
            "action_id": "1", "batch_id": "missing", "plan_key": "cep-2004", "team": HR, "contact_id": "1",
            "partner_id": "1", "complaint_id": "1", "consultation_id": "1"}


def changing_page_routes(app):
    return [(rule, sorted(rule.methods & CHANGING)) for rule in app.url_map.iter_rules()
            if rule.methods & CHANGING and not rule.rule.startswith("/api/")]


def test_there_are_many_state_changing_page_routes(app):
    assert len(changing_page_routes(app)) > 30  # the enumeration below is not vacuous


def test_every_state_changing_page_route_refuses_a_request_without_a_token(app, store, world):
    client = signed_in(app, store, "boss")
    before = store_files(app)
    form = {"title": "Changed", "version": "1", "name": "mallory", "password": "a password of mine",
            "role": "admin", "active": "no", "comment": "why", "training_rule": "off"}
    for rule, methods in changing_page_routes(app):
        _, url = rule.build({arg: world[arg] for arg in rule.arguments})
        for method in methods:
            response = client.open(url, method=method, data=form)
            assert response.status_code == 400 and REFUSED in response.text, (method, url, response.status_code)
    assert store_files(app) == before
    assert account_service.account_record(store, "mallory") is None


def test_a_token_from_another_session_is_refused_too(app, store, world):
    victim, attacker = signed_in(app, store, "boss"), signed_in(app, store, "kim")
    stolen = csrf_token(attacker, "/account/password")
    before = store_files(app)
    response = victim.post("/admin/users/kim/tokens/revoke", data={"csrf_token": stolen})
    assert response.status_code == 400 and store_files(app) == before


def test_representative_forms_work_with_their_token_and_change_nothing_without(app, store, world):
    client = signed_in(app, store, "boss")
    doc_before = store.get("documents", world["doc_id"])
    edit = {"title": "Changed by a forged form", "version": str(doc_before["version"])}
    assert client.post(f"/documents/{world['doc_id']}/edit", data=edit).status_code == 400
    assert store.get("documents", world["doc_id"]) == doc_before
    assert client.post("/admin/users/kim/active", data={"active": "no"}).status_code == 400
    assert not account_service.account_record(store, "kim").get("disabled")
    # The same forms with the page's token go through, so the refusals above were CSRF's doing.
    token = csrf_token(client, "/admin/users/kim")
    assert client.post("/admin/users/kim/active", data={"active": "no", "csrf_token": token}).status_code == 302
    assert account_service.account_record(store, "kim")["disabled"] is True


def test_signing_in_needs_the_token_of_the_sign_in_page(app, store, world):
    client = app.test_client()
    before = store_files(app)
    assert client.post("/sign-in", data={"name": "kim", "password": PASSWORD}).status_code == 400
    assert store_files(app) == before and client.get("/account").status_code == 302
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"name": "kim", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and client.get("/account").status_code == 200


def test_the_cookie_set_at_sign_in_holds_the_new_sessions_csrf_secret(app, store, world):
    """Signing in starts a fresh session whose CSRF secret is in the cookie set then, so the
    pages after it need not send the session cookie again, and their forms go through."""
    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"name": "kim", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    page = client.get("/account")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    fresh = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    assert client.post("/sign-out", data={"csrf_token": fresh}).status_code == 302
    assert client.get("/account").status_code == 302


def test_the_api_takes_no_session_cookie_in_place_of_a_bearer_token(app, store, world):
    client = signed_in(app, store, "boss")
    documents = store.scan("documents")
    response = client.post("/api/v1/documents", json={"kind": "eqia", "title": "Forged", "team": HR})
    assert response.status_code == 401 and response.json["error"]
    patch = client.patch(f"/api/v1/documents/{world['doc_id']}", json={"version": 1, "title": "Forged"})
    assert patch.status_code == 401
    assert client.delete("/api/v1/tokens/current").status_code == 401
    assert store.scan("documents") == documents and store.get("tokens", world["key"])


def test_a_kept_page_carries_each_sessions_own_token(app, store, world):
    """The document page is kept whole (web.fragments.kept_page): two sessions of one person
    with the same last visit before them (two devices) are served the one page kept, each
    with the token its own session accepts."""
    ids = [credential_service.open_session(store, "boss") for _ in range(2)]
    records = [store.get(credential_service.SESSIONS, credential_service.digest(session_id)) for session_id in ids]
    store.commit([Put(credential_service.SESSIONS, records[1]["id"], {**records[1], "previous_visit": records[0]["previous_visit"]},
                      expected_version=records[1]["version"])])
    first, second = in_session(app, ids[0]), in_session(app, ids[1])
    page = f"/documents/{world['doc_id']}"
    tokens = [csrf_token(client, page) for client in (first, second, first, second)]
    # A token is its session's secret, signed with the second it was made: the secrets say whose it is.
    secrets = [token.split(".")[0] for token in tokens]
    assert secrets[0] != secrets[1] and secrets[0] == secrets[2] and secrets[1] == secrets[3]
    version = str(store.get("documents", world["doc_id"])["version"])
    # Each with the other's token is refused; each with its own goes through.
    assert second.post(f"{page}/edit", data={"title": "Swapped", "version": version,
                                              "csrf_token": tokens[0]}).status_code == 400
    assert first.post(f"{page}/transitions/screen", data={"version": version,
                                                          "csrf_token": tokens[0]}).status_code == 302
    screened = store.get("documents", world["doc_id"])
    assert screened["state"] == "screened"
    assert second.post(f"{page}/transitions/send_back", data={"version": str(screened["version"]),
                                                              "comment": "Not yet.",
                                                              "csrf_token": csrf_token(second, page)}).status_code == 302
    assert store.get("documents", world["doc_id"])["state"] == "draft"
