"""Nobody chooses another person's password: an administrator's reset (or a new account)
gives a one-time link, valid 24 hours and stored only as a digest, through which the
person sets their own. A reset ends the person's sessions and API tokens."""
import datetime as dt

import pytest

from services import account_service, credential_service, token_service
from services.outbox_service import OUTBOX
from store import Put
from tests.conftest import PASSWORD
from tests.web.browsing import link_path, set_password_by_link, sign_in
from web import create_app

MINE = "a password I chose"


@pytest.fixture
def admin(client, make_user):
    make_user("root", "admin")
    make_user("kim", "staff")
    assert sign_in(client, "root").status_code == 302
    return client


def reset(admin, name="kim", **form):
    response = admin.post(f"/admin/users/{name}/password", data=form)
    assert response.status_code == 200, response.text
    return link_path(response.text)


def me(app, token):
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_reset_ends_the_persons_sessions_tokens_and_old_password(admin, app, store):
    token = token_service.issue_token(store, "kim")
    kim = app.test_client()
    sign_in(kim, "kim")
    reset(admin)
    assert kim.get("/account").status_code == 302
    assert me(app, token) == 401 and store.scan(credential_service.TOKENS, {"user": "kim"}) == []
    assert sign_in(app.test_client(), "kim", PASSWORD).status_code == 401


def test_a_password_typed_by_the_admin_on_reset_is_ignored(admin, app, store):
    path = reset(admin, password="the admin's choice", new_password="the admin's choice")
    assert account_service.check_password(store, "kim", "the admin's choice") is None
    assert set_password_by_link(app.test_client(), path, MINE).status_code == 302
    assert sign_in(app.test_client(), "kim", MINE).status_code == 302
    assert account_service.check_password(store, "kim", "the admin's choice") is None


def test_the_link_works_once(admin, app):
    path = reset(admin)
    person = app.test_client()
    assert set_password_by_link(person, path, MINE).status_code == 302
    for answer in (person.get(path), person.post(path, data={"new_password": "another one!", "confirm_password":
                                                             "another one!"})):
        assert answer.status_code == 404 and "This link no longer works" in answer.text
    assert sign_in(app.test_client(), "kim", MINE).status_code == 302
    assert sign_in(app.test_client(), "kim", "another one!").status_code == 401


def test_the_link_lasts_24_hours_and_then_answers_that_it_no_longer_works(admin, app, store):
    path = reset(admin)
    [link] = store.scan(credential_service.SIGN_IN_LINKS, {"user": "kim"})
    lifetime = dt.datetime.fromisoformat(link["expires_at"]) - dt.datetime.fromisoformat(link["created_at"])
    assert lifetime == dt.timedelta(hours=24)
    expired = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)).isoformat(timespec="seconds")
    store.commit([Put(credential_service.SIGN_IN_LINKS, link["id"], {**link, "expires_at": expired},
                      expected_version=link["version"])])
    answer = app.test_client().get(path)
    assert answer.status_code == 404 and "This link no longer works" in answer.text
    assert app.test_client().post(path, data={"new_password": MINE, "confirm_password": MINE}).status_code == 404
    assert account_service.check_password(store, "kim", MINE) is None


def test_the_link_is_stored_only_as_a_digest(admin, app, store, tmp_path):
    secret = reset(admin).rsplit("/", 1)[1]
    [link] = store.scan(credential_service.SIGN_IN_LINKS, {"user": "kim"})
    assert link["id"] == credential_service.digest(secret) and secret not in str(link)
    on_disk = "".join(p.read_text(errors="replace") for p in (tmp_path / "data").rglob("*") if p.is_file())
    assert secret not in on_disk


def test_a_new_link_replaces_the_one_before(admin, app):
    first, second = reset(admin), reset(admin)
    assert app.test_client().get(first).status_code == 404
    assert set_password_by_link(app.test_client(), second, MINE).status_code == 302


def test_a_mismatched_or_short_password_is_refused_with_a_summary_and_the_link_still_works(admin, app):
    path = reset(admin)
    person = app.test_client()
    refused = person.post(path, data={"new_password": "short", "confirm_password": "other"})
    assert refused.status_code == 422 and "There is a problem" in refused.text
    assert 'href="#new_password"' in refused.text and 'href="#confirm_password"' in refused.text
    assert set_password_by_link(person, path, MINE).status_code == 302


def test_an_unknown_link_answers_that_it_no_longer_works(client):
    answer = client.get("/sign-in/link/not-a-real-link")
    assert answer.status_code == 404 and "This link no longer works" in answer.text


def test_the_link_is_mailed_to_a_person_with_an_address_when_the_site_sends_mail(tmp_path, make_user):
    app = create_app({"STORE": str(tmp_path / "mail"), "TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "SMTP_HOST": "mail.invalid", "SMTP_BACKGROUND": False,
                      "BASE_URL": "https://equality.example.org"})
    store = app.extensions["store"]
    try:
        account_service.add_user(store, "root", PASSWORD, ["admin"])
        account_service.add_user(store, "kim", PASSWORD, ["staff"], email="kim@example.org")
        admin = app.test_client()
        sign_in(admin, "root")
        response = admin.post("/admin/users/kim/password")
        assert "It has also been e-mailed to kim" in response.text
        [mail] = store.scan(OUTBOX)
        assert mail["to"] == "kim@example.org" and "https://equality.example.org" + link_path(response.text) in mail["body"]
    finally:
        store.close()
