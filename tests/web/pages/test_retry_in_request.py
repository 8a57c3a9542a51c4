"""A request that loses a commit to another process retries on the state it lost to
(store.Store.pinned), and says it succeeded only when it did."""
import contextlib

import pytest

from services import account_service, audit_service, credential_service, token_service
from services.notice_service import NOTICES
from services.storage import open_app_store
from store import Put, StoreError
from tests.conftest import PASSWORD
from web import create_app


@pytest.fixture
def app(store_url):
    app = create_app({"STORE": store_url, "TESTING": True, "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False,
                      "WTF_CSRF_ENABLED": False})
    yield app
    app.extensions["store"].close()


@pytest.fixture
def other(store_url):
    """The same store as another host sees it."""
    store = open_app_store(store_url)
    yield store
    with contextlib.suppress(StoreError):
        store.close()


class Meanwhile:
    """The app's store, where `before_commit` runs (another host writing) before each of
    the first `times` commits that write to `collection`."""

    def __init__(self, store, collection, before_commit, times):
        self.store, self.collection, self.before_commit, self.times = store, collection, before_commit, times

    def __getattr__(self, name):
        return getattr(self.store, name)

    def commit(self, ops):
        if self.times and any(op.collection == self.collection for op in ops):
            self.times -= 1
            self.before_commit()
        return self.store.commit(ops)


def _notices(store, name, count):
    store.commit([Put(NOTICES, None, {"user": name, "at": f"2025-03-05T09:00:0{n}+00:00", "event": "assess",
                                      "document": None, "title": f"Notice {n}", "message": "m", "item": f"item {n}",
                                      "read": False}) for n in range(count)])
    return [notice["id"] for notice in store.scan(NOTICES, {"user": name})]


def _signed_in(app, name):
    account_service.add_user(app.extensions["store"], name, PASSWORD, ["staff"], ["CLAMS"])
    client = app.test_client()
    assert client.post("/sign-in", data={"name": name, "password": PASSWORD}).status_code == 302
    return client


def _touch(store, key, **change):
    """Another host changes the notice `key` (another tab marks it read, say): its version moves on."""
    def touch():
        notice = store.get(NOTICES, key)
        store.commit([Put(NOTICES, key, {**notice, **change}, expected_version=notice["version"])])
    return touch


def test_marking_notices_read_retries_on_what_another_host_changed(app, other):
    client = _signed_in(app, "kim")
    keys = _notices(other, "kim", 3)
    app.extensions["store"] = Meanwhile(app.extensions["store"], NOTICES, _touch(other, keys[0], read=True), times=1)
    assert client.post("/notices/read").status_code == 302
    assert "All your notices are marked as read." in client.get("/notices").text
    assert all(notice["read"] for notice in other.scan(NOTICES, {"user": "kim"}))


def test_marking_notices_read_never_claims_success_when_no_write_held(app, other):
    client = _signed_in(app, "kim")
    keys = _notices(other, "kim", 3)
    app.extensions["store"] = Meanwhile(app.extensions["store"], NOTICES, _touch(other, keys[0], message="changed"),
                                      times=100)
    response = client.post("/notices/read")
    assert response.status_code == 503 and "Nothing was changed" in response.text
    assert "marked as read" not in client.get("/notices").text
    assert not any(notice["read"] for notice in other.scan(NOTICES, {"user": "kim"}))


def test_an_audited_change_retries_on_the_entry_another_host_logged_meanwhile(app, other):
    client = _signed_in(app, "kim")
    key = credential_service.digest(token_service.issue_token(other, "kim"))
    # Another host logs an audit entry (a token issued) while this request revokes one.
    app.extensions["store"] = Meanwhile(app.extensions["store"], credential_service.TOKENS,
                                      lambda: token_service.issue_token(other, "kim"), times=1)
    assert client.post(f"/account/tokens/{key}/revoke").status_code == 302
    assert other.get(credential_service.TOKENS, key) is None
    assert [entry["action"] for entry in audit_service.entries(other)][:2] == ["API token revoked", "API token issued"]
    assert audit_service.problem(other) is None


def test_signing_in_retries_when_the_same_person_signed_in_on_another_host_meanwhile(app, other):
    account_service.add_user(other, "kim", PASSWORD, ["staff"], ["CLAMS"])
    credential_service.open_session(other, "kim")  # kim signed in before: the visit record exists
    app.extensions["store"] = Meanwhile(app.extensions["store"], credential_service.VISITS,
                                        lambda: credential_service.open_session(other, "kim"), times=2)
    client = app.test_client()
    assert client.post("/sign-in", data={"name": "kim", "password": PASSWORD}).status_code == 302
    assert client.get("/account").status_code == 200
    assert len(other.scan(credential_service.SESSIONS, {"user": "kim"})) == 4  # the first, the other host's two, this one
