"""A session cookie this process has verified is not verified again (web.session_cookies): what a
browser sees stays the same, an expired or altered cookie is still refused."""
import time

from itsdangerous import URLSafeTimedSerializer

from tests.conftest import RDU
from tests.web.browsing import sign_in


def _verifications(monkeypatch):
    calls = []
    real = URLSafeTimedSerializer.loads

    def counted(self, *args, **kwargs):
        calls.append(args[0])
        return real(self, *args, **kwargs)
    monkeypatch.setattr(URLSafeTimedSerializer, "loads", counted)
    return calls


def test_a_session_cookie_is_verified_once_and_refused_once_expired_or_altered(app, client, make_user, monkeypatch):
    make_user("sam", "head", teams=(RDU,))
    sign_in(client, "sam")
    assert client.get("/").status_code == 200  # the session's CSRF token made and saved: its cookie final
    verified = _verifications(monkeypatch)
    assert all(_signed_in(client) for _ in range(3))
    assert len(verified) <= 1  # none if the cookie came back unchanged from the page before
    cookie = client.get_cookie("session").value
    client.set_cookie("session", cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB"))  # its signature altered
    assert not _signed_in(client)
    client.set_cookie("session", cookie)
    assert _signed_in(client)
    lifetime = app.permanent_session_lifetime.total_seconds()
    monkeypatch.setattr(time, "time", lambda real=time.time: real() + lifetime + 1)  # itsdangerous's clock too
    assert not _signed_in(client)


def _signed_in(client):
    page = client.get("/")
    assert page.status_code == 200
    return "Sign out" in page.text
