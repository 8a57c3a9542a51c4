"""Who a session belongs to is kept between requests, but never past a change to it:
a signed-out, expired or deactivated session's cookie opens nothing, whichever
process served the sign-out."""
import datetime as dt

from flask.sessions import SecureCookieSessionInterface

from services import account_service, audit_service
from tests.web.browsing import sign_in
from web import create_app


def cookie_of(client):
    return client.get_cookie("session").value


def copied(app, cookie):
    """A client sending a copy of `cookie` (say, stolen), without its owner's later changes."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def test_a_signed_out_sessions_cookie_opens_no_page(app, client, make_user):
    make_user("kim", "staff")
    assert sign_in(client, "kim").status_code == 302
    cookie = cookie_of(client)
    for _ in range(2):  # the session is known to this process now, and its My work page kept
        assert copied(app, cookie).get("/documents").status_code == 200
        assert "<h1>My work</h1>" in copied(app, cookie).get("/").text
    assert client.post("/sign-out").status_code == 302
    response = copied(app, cookie).get("/documents")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert "<h1>My work</h1>" not in copied(app, cookie).get("/").text  # the public's front page instead


def test_a_sign_out_in_another_process_ends_the_session_here(app, tmp_path, client, make_user):
    make_user("kim", "staff")
    assert sign_in(client, "kim").status_code == 302
    cookie = cookie_of(client)
    assert copied(app, cookie).get("/documents").status_code == 200
    other = create_app({"STORE": app.config["STORE"], "TESTING": True, "SECRET_KEY": "test",
                        "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False})
    try:
        assert copied(other, cookie).post("/sign-out").status_code == 302
    finally:
        other.extensions["store"].close()
    assert copied(app, cookie).get("/documents").status_code == 302


def test_a_deactivated_persons_open_session_stops_at_once(app, client, store, make_user):
    make_user("kim", "staff")
    make_user("root", "admin")
    assert sign_in(client, "kim").status_code == 302
    assert client.get("/documents").status_code == 200
    account_service.set_active(store, audit_service.Actor("root"), "kim", False)
    assert client.get("/documents").status_code == 302


def test_a_kept_session_still_expires_by_the_clock(app, client, make_user):
    make_user("kim", "staff")
    assert sign_in(client, "kim").status_code == 302
    assert client.get("/documents").status_code == 200
    app.config["SESSION_LIFETIME"] = dt.timedelta(seconds=0)  # no commit: only the clock says so
    assert client.get("/documents").status_code == 302


def test_a_session_id_not_in_the_store_opens_nothing(app, make_user):
    make_user("kim", "staff")
    forged = SecureCookieSessionInterface().get_signing_serializer(app).dumps(
        {"_user_id": "not-a-session", "_fresh": True})
    assert copied(app, forged).get("/documents").status_code == 302


def test_a_change_of_roles_is_seen_at_the_next_page_of_an_open_session(app, client, store, make_user):
    make_user("kim", "staff", teams=["CLAMS"])
    make_user("root", "admin")
    assert sign_in(client, "kim").status_code == 302
    assert client.get("/admin/users").status_code == 403  # who kim is, kept for this session now
    record = account_service.account_record(store, "kim")
    account_service.update_account(store, audit_service.Actor("root"), "kim", record["version"], ["staff", "admin"], ["CLAMS"], None)
    assert client.get("/admin/users").status_code == 200
