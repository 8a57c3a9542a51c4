"""What every request passes through asks Flask-WTF, Flask-Login and Flask's session only when
there is something to do, and looks the request's objects up once (web/hooks.py, web/auth.py,
web/security.py, web/fragments.py, web/api): each lookup through Flask's proxies costs some 6,000
instructions, and a read makes a few dozen. What a browser or an API client sees stays the same."""
import flask.sessions
import flask_login.utils
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from services import account_service, token_service
from tests.conftest import PASSWORD, RDU
from tests.web.browsing import sign_in, without_tokens
from web import create_app
from workflow import search


def _counted(monkeypatch, owner, name):
    calls = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)
    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_get_is_not_put_through_csrf_protection_and_a_post_still_is(app, client, make_user, monkeypatch):
    app.config["WTF_CSRF_ENABLED"] = True  # tests/web/conftest.py turns it off for page tests
    token = make_user("sam", "staff")
    calls = _counted(monkeypatch, CSRFProtect, "protect")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/sign-in").status_code == 200
    assert calls == []
    refused = client.post("/sign-in", data={"name": "sam", "password": PASSWORD})  # no CSRF token
    assert refused.status_code == 400 and calls == ["protect"]


def test_an_api_write_is_not_put_through_csrf_protection_and_a_form_still_is(app, client, make_user, monkeypatch):
    """The API's blueprint is exempt whole: its writes pass without asking Flask-WTF."""
    app.config["WTF_CSRF_ENABLED"] = True
    token = make_user("sam", "staff")
    calls = _counted(monkeypatch, CSRFProtect, "protect")
    missing = client.post("/api/v1/documents/999999/transitions", json={"name": "screen", "version": 1},
                          headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and calls == []
    assert client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    assert calls == []
    refused = client.post("/sign-in", data={"name": "sam", "password": PASSWORD})  # no CSRF token
    assert refused.status_code == 400 and calls == ["protect"]


def test_flask_logins_remember_cookie_hook_runs_only_when_asked(tmp_path, monkeypatch):
    calls = _counted(monkeypatch, LoginManager, "_update_remember_cookie")  # before the app binds it
    app = create_app({"STORE": str(tmp_path / "data"), "TESTING": True, "SECRET_KEY": "test",
                      "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False})
    try:
        store = app.extensions["store"]
        account_service.add_user(store, "sam", PASSWORD, ("head",), (RDU,), None)
        token = token_service.issue_token(store, "sam")
        client = app.test_client()
        answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and answer.headers["Vary"] == "Cookie"  # the session was still read
        assert calls == []
        with client.session_transaction() as session:
            session["_remember"] = "clear"  # as Flask-Login's logout_user asks, when the cookie came
        cleared = client.get("/sign-in")
        assert calls == ["_update_remember_cookie"]
        assert any(c.startswith("remember_token=;") for c in cleared.headers.getlist("Set-Cookie"))
    finally:
        app.extensions["store"].close()


def test_a_page_that_leaves_the_session_as_it_came_does_not_save_it(client, make_user, monkeypatch):
    make_user("sam", "head", teams=(RDU,))
    sign_in(client, "sam")
    assert client.get("/").status_code == 200  # the session's CSRF token made and saved
    calls = _counted(monkeypatch, flask.sessions.SecureCookieSessionInterface, "save_session")
    again = client.get("/")
    assert again.status_code == 200 and calls == []
    assert again.headers["Vary"] == "Cookie" and "Set-Cookie" not in again.headers


def test_my_work_kept_looks_the_signed_in_person_up_twice(client, make_user, monkeypatch):
    """Once in the view, once for the key of what is kept (each through Flask-Login's proxy)."""
    make_user("sam", "head", teams=(RDU,))
    sign_in(client, "sam")
    first = client.get("/")
    calls = _counted(monkeypatch, flask_login.utils, "_get_user")
    again = client.get("/")
    assert again.status_code == 200 and without_tokens(again.text) == without_tokens(first.text)
    assert len(calls) == 2


def test_a_kept_list_is_found_by_its_query_string_and_bad_filters_are_refused_each_time(client, make_user,
                                                                                         monkeypatch):
    bearer = {"Authorization": f"Bearer {make_user('sam', 'head', teams=(RDU,))}"}
    calls = _counted(monkeypatch, search, "parse")
    answers = [client.get("/api/v1/documents?kind=eqia&per_page=5", headers=bearer) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200] and answers[0].data == answers[1].data
    assert calls == ["parse"]
    for _ in range(2):
        refused = client.get("/api/v1/documents?kind=nothing", headers=bearer)
        assert refused.status_code == 422 and "kind" in refused.json["details"]
    refused = client.get("/api/v1/documents?kind=eqia&per_page=0", headers=bearer)
    assert refused.status_code == 422 and "per_page" in refused.json["details"]
