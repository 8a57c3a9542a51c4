"""Over plain HTTP to anything but localhost, browsers drop the Secure session cookie and
sign-in fails with "The form has expired": the sign-in page says what is wrong and what to do."""
import pytest

from tests.conftest import PASSWORD
from web import create_app
from web.security import PLAIN_HTTP_TRIAL, plain_http_trial

WARNING = "This site was opened over plain HTTP"


@pytest.fixture
def app_config():
    return {"SESSION_COOKIE_SECURE": True, "WTF_CSRF_ENABLED": True}  # as served


@pytest.mark.parametrize("base", ["http://192.168.1.20:5000", "http://equality.internal", "http://10.0.0.5"])
def test_the_sign_in_page_says_why_signing_in_fails_over_plain_http(client, base):
    page = client.get("/sign-in", base_url=base)
    assert WARNING in page.text and "https://" in page.text and PLAIN_HTTP_TRIAL in page.text


@pytest.mark.parametrize("base", ["https://equality.internal", "http://localhost:5000", "http://127.0.0.1:5000",
                                  "http://[::1]:5000", "http://app.localhost"])
def test_no_warning_over_https_or_to_this_computer(client, base):
    assert WARNING not in client.get("/sign-in", base_url=base).text


def test_a_sign_in_whose_cookie_was_dropped_is_told_why_rather_than_that_the_form_expired(client, make_user):
    make_user("kim", "staff")
    refused = client.post("/sign-in", data={"name": "kim", "password": PASSWORD, "csrf_token": "x"},
                          base_url="http://equality.internal")
    assert refused.status_code == 400
    assert WARNING in refused.text and "The form has expired or was not sent" not in refused.text


def test_the_form_has_expired_elsewhere_still_says_so(client, make_user):
    refused = client.post("/sign-in", data={"name": "kim", "password": PASSWORD}, base_url="https://equality.internal")
    assert refused.status_code == 400 and "The form has expired" in refused.text and WARNING not in refused.text


def test_no_warning_when_the_trial_setting_turned_the_secure_flag_off(client, app):
    app.config["SESSION_COOKIE_SECURE"] = False
    assert WARNING not in client.get("/sign-in", base_url="http://equality.internal").text


@pytest.mark.parametrize("value, secure", [("1", False), ("yes", False), ("", True), ("0", True), (None, True)])
def test_the_trial_setting_alone_turns_the_secure_flag_off(value, secure):
    environ = {} if value is None else {PLAIN_HTTP_TRIAL: value}
    assert plain_http_trial(environ) == {"SESSION_COOKIE_SECURE": secure, "REMEMBER_COOKIE_SECURE": secure}


def test_the_application_reads_the_trial_setting(tmp_path, monkeypatch):
    monkeypatch.setenv(PLAIN_HTTP_TRIAL, "1")
    app = create_app({"STORE": str(tmp_path / "data"), "SECRET_KEY": "test"})
    assert app.config["SESSION_COOKIE_SECURE"] is False
    app.extensions["store"].close()
