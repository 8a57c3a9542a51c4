"""Sessions at sign-in, cookie flags, security headers, error pages and password storage."""
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type, extract_parameters

from services import account_service
from tests.conftest import PASSWORD
from tests.web.browsing import sign_in
from web import create_app


@pytest.fixture
def kim(make_user):
    make_user("kim", "staff", teams=["CLAMS"])


def session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie and cookie.value


def test_sign_in_starts_a_new_session_carrying_nothing_over(client, kim):
    with client.session_transaction() as before:
        before["planted"] = "by whoever had this browser before"
    planted = session_cookie(client)
    assert client.post("/sign-in", data={"name": "kim", "password": PASSWORD}).status_code == 302
    assert session_cookie(client) != planted
    with client.session_transaction() as after:
        assert "planted" not in after and after["_user_id"]


def test_a_cookie_planted_before_sign_in_does_not_become_signed_in(app, client, kim):
    client.get("/sign-in")
    with client.session_transaction() as before:
        before["planted"] = "attacker"
    planted = session_cookie(client)
    assert client.post("/sign-in", data={"name": "kim", "password": PASSWORD}).status_code == 302
    assert client.get("/account").status_code == 200
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    response = attacker.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_signing_in_again_ends_the_session_it_replaces(app, client, store, kim):
    sign_in(client, "kim")
    copied = session_cookie(client)
    client.post("/sign-in", data={"name": "kim", "password": PASSWORD})  # no sign-out in between
    assert session_cookie(client) != copied
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/account").status_code == 302
    assert len(store.scan("sessions", {"user": "kim"})) == 1


def test_the_session_cookie_is_secure_httponly_and_samesite_lax(tmp_path):
    """As deployed: without the tests' SESSION_COOKIE_SECURE=False."""
    app = create_app({"STORE": str(tmp_path / "data"), "SECRET_KEY": "production-like", "WTF_CSRF_ENABLED": False})
    try:
        account_service.add_user(app.extensions["store"], "kim", PASSWORD, ["staff"])
        response = app.test_client().post("/sign-in", data={"name": "kim", "password": PASSWORD})
        assert response.status_code == 302
        [cookie] = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
        flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
        assert "secure" in flags and "httponly" in flags and flags["samesite"] == "SameSite=Lax"
    finally:
        app.extensions["store"].close()


# --- Headers on every kind of answer ----------------------------------------

def directives(csp):
    return {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}


@pytest.mark.parametrize("url, status, mimetype", [
    ("/sign-in", 200, "text/html"),                           # an HTML page
    ("/api/v1/openapi.json", 200, "application/json"),        # JSON
    ("/register", 200, "text/html"),                          # the public register
    ("/register.csv", 200, "text/csv"),
    ("/no/such/page", 404, "text/html"),                      # an error page
    ("/api/v1/me", 401, "application/json"),                  # an API refusal
    ("/static/style.css", 200, "text/css"),                   # a static file
])
def test_every_answer_carries_the_security_headers(client, url, status, mimetype):
    response = client.get(url)
    assert (response.status_code, response.mimetype) == (status, mimetype)
    csp = directives(response.headers["Content-Security-Policy"])
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[directive] and "'unsafe-eval'" not in csp[directive]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/sign-in", "/api/v1/me", "/api/v1/openapi.json"])
def test_an_answer_that_read_the_session_tells_caches_it_varies_by_cookie(client, url):
    """A shared cache must not hand one person's answer to another: whatever read the session
    (a page, the API's sign-in check) says so, with or without a cookie sent."""
    assert "cookie" in {v.lower() for v in client.get(url).vary}
    client.get("/sign-in")  # now with a session cookie
    assert "cookie" in {v.lower() for v in client.get(url).vary}


@pytest.fixture
def crashing_app(tmp_path):
    """The production configuration (not TESTING) with two routes that fail unexpectedly."""
    app = create_app({"STORE": str(tmp_path / "data"), "SECRET_KEY": "x"})

    def boom():
        raise RuntimeError("secret detail in /srv/app/web/module.py line 42")
    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    yield app
    app.extensions["store"].close()


@pytest.mark.parametrize("url, mimetype", [("/boom", "text/html"), ("/api/v1/boom", "application/json")])
def test_an_unexpected_error_answers_500_without_a_trace(crashing_app, url, mimetype):
    response = crashing_app.test_client().get(url)
    assert response.status_code == 500 and response.mimetype == mimetype
    for leak in ("Traceback", "RuntimeError", "secret detail", ".py", "line 42"):
        assert leak not in response.text
    assert "Something went wrong on our side" in response.text
    if mimetype == "application/json":
        assert response.json["error"] and response.json["details"] == {}
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- Passwords --------------------------------------------------------------

def test_passwords_are_stored_as_argon2id_and_never_as_given(app, store, kim):
    stored = account_service.account_record(store, "kim")["password_hash"]
    assert stored.startswith("$argon2id$") and extract_parameters(stored).type is Type.ID
    for path in Path(app.config["STORE"]).rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_the_production_hash_is_memory_hard():
    """Tests hash cheaply; what runs in production is Argon2id with at least OWASP's minimum memory."""
    assert account_service.HASH_PARAMETERS.type is Type.ID
    assert account_service.HASH_PARAMETERS.memory_cost >= 19 * 1024 and account_service.HASH_PARAMETERS.time_cost >= 2
    production = PasswordHasher.from_parameters(account_service.HASH_PARAMETERS)
    assert extract_parameters(account_service._dummy_hash(production)) == account_service.HASH_PARAMETERS


def test_the_hash_an_unknown_name_is_checked_against_is_made_when_the_app_starts(tmp_path):
    """Not at the first refused sign-in, which would then take longer than the rest (a name's absence shown)."""
    account_service._dummy_hash.cache_clear()
    create_app({"STORE": str(tmp_path / "data"), "SECRET_KEY": "t"}).extensions["store"].close()
    assert account_service._dummy_hash.cache_info().currsize == 1
