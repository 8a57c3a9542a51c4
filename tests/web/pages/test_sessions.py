"""Server-side sessions: they expire, and they remember the previous visit."""
import datetime as dt

from services import account_service, credential_service
from tests.conftest import PASSWORD
from tests.web.browsing import sign_in


def test_a_session_older_than_its_lifetime_is_refused(app, client, make_user):
    make_user("kim", "staff", teams=["CLAMS"])
    assert sign_in(client, "kim").status_code == 302
    assert client.get("/documents").status_code == 200
    app.config["SESSION_LIFETIME"] = dt.timedelta(seconds=0)
    response = client.get("/documents")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_wrong_credentials_get_a_clear_message(client, make_user):
    make_user("kim", "staff")
    for name, password in (("kim", "wrong password"), ("nobody", PASSWORD)):
        response = client.post("/sign-in", data={"name": name, "password": password})
        assert response.status_code == 401 and "The user name or password is not right." in response.text


def test_each_session_remembers_when_its_person_signed_in_before(app, store, make_user):
    make_user("kim", "staff")
    first = credential_service.open_session(store, "kim")
    assert credential_service.session_record(store, first, dt.timedelta(hours=1))["previous_visit"] is None
    second = credential_service.open_session(store, "kim")
    record = credential_service.session_record(store, second, dt.timedelta(hours=1))
    assert record["previous_visit"] == store.get("sessions", credential_service.digest(first))["created_at"]


def test_a_password_change_keeps_only_the_session_it_was_made_in(store, make_user):
    make_user("kim", "staff")
    sessions = [credential_service.open_session(store, "kim") for _ in range(3)]
    account_service.change_password(store, "kim", PASSWORD, "a new long password", "a new long password", keep=sessions[0])
    alive = [s for s in sessions if credential_service.session_record(store, s, dt.timedelta(hours=1))]
    assert alive == sessions[:1]
