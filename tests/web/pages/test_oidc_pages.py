"""The identity provider's sign-in pages when something is wrong: each a plain page, never a 500,
nothing changed; the button only when a provider is configured; the flag on the people list."""
import pytest

from services import account_service
from store import Put
from tests.web.browsing import sign_in


@pytest.fixture
def provider_at(monkeypatch):
    def configure(issuer):
        monkeypatch.setenv("OIDC_ISSUER", issuer)
        monkeypatch.setenv("OIDC_CLIENT_ID", "equality")
        monkeypatch.setenv("OIDC_CLIENT_SECRET", "a secret")
        monkeypatch.setenv("OIDC_PROVIDER_NAME", "Authority ID")
    return configure


def test_the_sign_in_page_offers_the_provider_only_when_one_is_configured(client, provider_at, monkeypatch):
    for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert "Sign in with" not in client.get("/sign-in").text
    assert client.get("/sign-in/oidc").status_code == 400
    provider_at("http://127.0.0.1:9")
    page = client.get("/sign-in").text
    assert "Sign in with Authority ID" in page and "a secret" not in page


def test_an_unreachable_provider_is_a_plain_page(client, provider_at, store):
    provider_at("http://127.0.0.1:9")
    answer = client.get("/sign-in/oidc")
    assert answer.status_code == 502 and "cannot be reached" in answer.text and "Traceback" not in answer.text


@pytest.mark.parametrize("query", ["", "?state=forged&code=x", "?code=x", "?state=&code=x", "?state[]=1"])
def test_an_answer_this_browser_did_not_start_is_refused_plainly(client, provider_at, store, query):
    provider_at("http://127.0.0.1:9")
    people = len(store.scan(account_service.USERS))
    answer = client.get("/sign-in/oidc/callback" + query)
    assert answer.status_code == 403 and "not started in this browser" in answer.text
    assert len(store.scan(account_service.USERS)) == people


def test_the_people_list_flags_an_account_the_provider_no_longer_knows(client, make_user, store):
    make_user("root", "admin")
    make_user("kim", "staff")
    kim = account_service.account(store, "kim")
    store.commit([Put(account_service.USERS, "kim", {**kim, "oidc_unknown": True}, expected_version=kim["version"])])
    sign_in(client, "root")
    page = client.get("/admin/users").text
    assert page.count("Not known to the identity provider") == 1


@pytest.mark.parametrize("sign_out_there, allowed", [
    ("https://id.example.org:8443/logout?id_token_hint=x", "form-action 'self' https://id.example.org:8443;"),
    ("https://id.example.org; script-src *", "form-action 'self' https://id.example.org;"),
    ("javascript:alert(1)", "form-action 'self';"), (None, "form-action 'self';")])
def test_only_the_providers_sign_out_origin_is_added_to_where_forms_may_go(client, sign_out_there, allowed):
    """A session from the provider signs out there too: the pages let the sign-out form's redirect reach
    that origin, and nothing the provider's address could carry becomes another directive."""
    client.get("/sign-in")  # a session cookie to keep the address in
    with client.session_transaction() as session:
        session["oidc_sign_out"] = sign_out_there
    policy = client.get("/sign-in").headers["Content-Security-Policy"]
    assert allowed in policy and "script-src 'self';" in policy and policy.count("script-src") == 1
