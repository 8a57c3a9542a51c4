"""A person's own account page and password change."""
import pytest

from services import account_service, credential_service, token_service
from tests.conftest import PASSWORD
from tests.web.browsing import sign_in

NEW = "a new long password"




@pytest.fixture
def kim(client, make_user):
    make_user("kim", "staff", "team_leader", teams=["CLAMS"], trained="2006-03-01")
    assert sign_in(client, "kim").status_code == 302
    return client


def change(client, current=PASSWORD, new=NEW, confirm=NEW):
    return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                  "confirm_password": confirm})


def test_the_account_page_shows_name_roles_teams_and_training(kim):
    page = kim.get("/account").text
    assert "kim" in page and "Staff, Team leader" in page and "CLAMS" in page and "1 March 2006" in page


def test_the_account_pages_need_sign_in(client):
    for url in ("/account", "/account/password"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(kim, app, store):
    elsewhere = app.test_client()
    sign_in(elsewhere, "kim")
    hash_before = account_service.account_record(store, "kim")["password_hash"]
    response = change(kim)
    assert response.status_code == 302
    assert account_service.account_record(store, "kim")["password_hash"] != hash_before
    assert kim.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    assert sign_in(app.test_client(), "kim", NEW).status_code == 302
    assert sign_in(app.test_client(), "kim", PASSWORD).status_code == 401


def test_changing_the_password_ends_every_api_token_of_the_account(kim, app, store):
    token = token_service.issue_token(store, "kim")
    me = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/me", headers=me).status_code == 200
    assert change(kim).status_code == 302
    assert app.test_client().get("/api/v1/me", headers=me).status_code == 401
    assert store.scan(credential_service.TOKENS, {"user": "kim"}) == []


def test_a_wrong_current_password_changes_nothing(kim, app, store):
    elsewhere = app.test_client()
    sign_in(elsewhere, "kim")
    before = account_service.account_record(store, "kim")
    response = change(kim, current="not my password")
    assert response.status_code == 422 and "Enter your current password as it is now" in response.text
    assert 'href="#current_password"' in response.text
    assert account_service.account_record(store, "kim") == before
    assert elsewhere.get("/account").status_code == 200


@pytest.mark.parametrize("new, confirm, field", [("short", "short", "new_password"),
                                                 (NEW, NEW + "x", "confirm_password")])
def test_a_short_or_mismatched_new_password_is_refused(kim, store, new, confirm, field):
    before = account_service.account_record(store, "kim")
    response = change(kim, new=new, confirm=confirm)
    assert response.status_code == 422 and f'id="{field}-error"' in response.text
    assert account_service.account_record(store, "kim") == before


def test_passwords_are_never_written_back_into_the_page(kim):
    response = change(kim, current="not my password")
    assert "not my password" not in response.text and NEW not in response.text
