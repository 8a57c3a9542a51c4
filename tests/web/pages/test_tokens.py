"""API tokens: listed on the person's account page, revocable there, by an administrator, and by the API."""
import pytest

from services import audit_service, credential_service, token_service
from tests.web.browsing import sign_in


def me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def kim_tokens(store, make_user):
    """Kim (signed in on no client yet) with two tokens."""
    first = make_user("kim", "staff", teams=["CLAMS"])
    return [first, token_service.issue_token(store, "kim")]


def test_the_account_page_lists_each_token_with_when_it_was_made_and_last_used(client, store, kim_tokens):
    assert me(client, kim_tokens[0]).status_code == 200
    sign_in(client, "kim")
    page = client.get("/account").text
    assert page.count("Revoke<span") == 2
    assert f"ending {kim_tokens[0][-4:]}" in page and f"ending {kim_tokens[1][-4:]}" in page
    assert "Not used yet" in page  # the second one
    used = store.get("tokens", credential_service.digest(kim_tokens[0]))
    assert used["last_used"]
    for token in kim_tokens:
        assert token not in page  # only the digest and the last four characters are known


def test_using_a_token_writes_its_last_use_at_most_once_a_day(client, store, kim_tokens):
    for _ in range(3):
        assert me(client, kim_tokens[0]).status_code == 200
    record = store.get("tokens", credential_service.digest(kim_tokens[0]))
    assert record["version"] == 2  # created, then its first use of the day: no write per request


def test_revoking_a_token_on_the_account_page_stops_it_at_once(client, kim_tokens):
    sign_in(client, "kim")
    key = credential_service.digest(kim_tokens[0])
    response = client.post(f"/account/tokens/{key}/revoke")
    assert response.status_code == 302 and "has been revoked" in client.get("/account").text
    assert me(client, kim_tokens[0]).status_code == 401
    assert me(client, kim_tokens[1]).status_code == 200


def test_nobody_revokes_another_persons_token_from_their_own_account_page(client, make_user, kim_tokens):
    make_user("lee", "staff")
    sign_in(client, "lee")
    assert client.post(f"/account/tokens/{credential_service.digest(kim_tokens[0])}/revoke").status_code == 404
    assert me(client, kim_tokens[0]).status_code == 200


def test_an_administrator_revokes_all_of_a_persons_tokens(client, make_user, kim_tokens):
    admin_token = make_user("ada", "admin")
    sign_in(client, "ada")
    assert "kim has 2 API tokens" in client.get("/admin/users/kim").text
    response = client.post("/admin/users/kim/tokens/revoke", follow_redirects=True)
    assert "Revoked 2 API tokens of kim." in response.text and "kim has no API tokens" in response.text
    assert [me(client, token).status_code for token in kim_tokens] == [401, 401]
    assert me(client, admin_token).status_code == 200
    assert sign_in(client, "kim").status_code == 302  # signing in is untouched


def test_only_administrators_revoke_tokens_of_others(client, make_user, kim_tokens):
    make_user("lee", "team_leader")
    sign_in(client, "lee")
    assert client.post("/admin/users/kim/tokens/revoke").status_code == 403
    assert me(client, kim_tokens[0]).status_code == 200


def test_the_api_revokes_the_token_it_is_called_with(client, kim_tokens):
    response = client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {kim_tokens[0]}"})
    assert response.status_code == 204 and response.data == b""
    assert me(client, kim_tokens[0]).status_code == 401
    again = client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {kim_tokens[0]}"})
    assert again.status_code == 401 and again.json["error"]
    assert me(client, kim_tokens[1]).status_code == 200


def test_revoking_without_a_token_is_refused(client, kim_tokens):
    sign_in(client, "kim")  # a session cookie is not a bearer token
    response = client.delete("/api/v1/tokens/current")
    assert response.status_code == 401
    assert [me(client, token).status_code for token in kim_tokens] == [200, 200]


def test_a_token_revoked_while_in_use_is_not_brought_back_by_its_last_use(store, kim_tokens):
    _, record = token_service.lookup(store, kim_tokens[1])
    token_service.revoke(store, "kim", record["id"], audit_service.Actor("kim"))
    token_service.record_use(store, record)
    assert token_service.lookup(store, kim_tokens[1]) == (None, None)
