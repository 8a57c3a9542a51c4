"""Signing in with the authority's identity provider, in Debian's Chromium, against a real OpenID
Connect provider (oidc-provider-mock) this test starts on a free port and stops afterwards."""
import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from services import account_service, audit_service, credential_service
from tests import oidc_provider

GROUPS = {"hr-leads": {"team": "Human Resources", "role": "team_leader"}}


@pytest.fixture(scope="module")
def provider():
    running = oidc_provider.started()
    yield running
    oidc_provider.stopped(running)


@pytest.fixture(autouse=True)
def configured(provider, monkeypatch):
    for name, value in {"OIDC_ISSUER": provider.issuer, "OIDC_CLIENT_ID": "equality",
                        "OIDC_CLIENT_SECRET": "a secret", "OIDC_PROVIDER_NAME": "Authority ID",
                        "OIDC_GROUP_MAP": json.dumps(GROUPS)}.items():
        monkeypatch.setenv(name, value)


def at_provider(someone, sub, check_sign_in_page=False):
    """`someone` starts at the sign-in page and signs in as `sub` at the provider."""
    page = someone.page
    page.goto("/sign-in")
    if check_sign_in_page:
        someone.checked("sign-in-with-provider")
    page.get_by_role("link", name="Sign in with Authority ID").click()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    return page


def record(live_app, name):
    return account_service.account_record(live_app.extensions["store"], name)


def sessions_of(live_app, name):
    return live_app.extensions["store"].scan(credential_service.SESSIONS, {"user": name})


def test_first_sign_in_creates_a_staff_account_and_maps_groups(person, provider, live_app):
    provider.user("b-ann", preferred_username="ann.oidc", email="ann.oidc@example.org", email_verified=True,
                  groups=["hr-leads", "Head of Race and Diversity"])
    someone = person("ann.oidc")
    page = at_provider(someone, "b-ann", check_sign_in_page=True)
    expect(page.locator(".who")).to_contain_text("ann.oidc")
    made = record(live_app, "ann.oidc")
    assert (made["roles"], made["teams"], made["oidc_sub"]) == (["staff", "team_leader"], ["Human Resources"], "b-ann")
    assert made["password_hash"] is None


def test_second_sign_in_is_the_same_account(person, provider, live_app):
    provider.user("b-bo", preferred_username="bo.oidc")
    at_provider(person("bo.oidc"), "b-bo")
    count = len(live_app.extensions["store"].scan(account_service.USERS))
    page = at_provider(person("bo.oidc"), "b-bo")
    expect(page.locator(".who")).to_contain_text("bo.oidc")
    assert len(live_app.extensions["store"].scan(account_service.USERS)) == count
    assert len(sessions_of(live_app, "bo.oidc")) == 2


def test_sign_out_ends_the_session_here_and_at_the_providers_end_session(person, provider, live_app):
    provider.user("b-cy", preferred_username="cy.oidc")
    someone = person("cy.oidc")
    page = at_provider(someone, "b-cy")
    kept = someone.context.cookies()
    page.get_by_role("button", name="Sign out").click()
    # Straight on to the provider's end-session page, with our id_token_hint: the pages' form-action allows it.
    expect(page.get_by_role("button", name="End session")).to_be_visible()
    assert sessions_of(live_app, "cy.oidc") == []
    assert "Recommended parameter" not in page.content()
    page.get_by_role("button", name="End session").click()
    expect(page).to_have_url(f"{someone.page.url.split('/sign-in')[0]}/sign-in")
    # The cookie kept from before signing out opens nothing.
    someone.context.add_cookies(kept)
    page.goto("/")
    expect(page.locator(".who")).to_have_count(0)


def test_a_deactivated_account_cannot_sign_in(person, provider, live_app):
    provider.user("b-di", preferred_username="di.oidc")
    at_provider(person("di.oidc"), "b-di")
    account_service.set_active(live_app.extensions["store"], audit_service.COMMAND_LINE, "di.oidc", False)
    someone = person("di.oidc")
    page = at_provider(someone, "b-di")
    expect(page.get_by_role("alert")).to_contain_text("deactivated")
    expect(page.locator(".who")).to_have_count(0)
    someone.checked("deactivated")


def test_a_user_the_provider_refuses_cannot_sign_in(person, live_app):
    page = person("refused").page
    page.goto("/sign-in")
    page.get_by_role("link", name="Sign in with Authority ID").click()
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("alert")).to_contain_text("did not let you sign in")
    expect(page.locator(".who")).to_have_count(0)


def test_a_forged_id_token_is_refused(person, provider, live_app):
    provider.user("b-ed", preferred_username="ed.oidc")
    provider.forging = True
    try:
        page = at_provider(person("ed.oidc"), "b-ed")
        expect(page.get_by_role("alert")).to_contain_text("not signed by your identity provider")
    finally:
        provider.forging = False
    assert record(live_app, "ed.oidc") is None


def test_a_replayed_state_is_refused(person, provider, live_app):
    provider.user("b-fi", preferred_username="fi.oidc")
    someone = person("fi.oidc")
    answers = []
    someone.page.on("request", lambda request: answers.append(request.url) if "/oidc/callback" in request.url
                    else None)
    someone.page.goto("/sign-in")
    someone.page.get_by_role("link", name="Sign in with Authority ID").click()
    before = someone.context.cookies()  # the browser's cookie as it went to the provider, state and all
    someone.page.get_by_placeholder("sub").fill("b-fi")
    someone.page.get_by_role("button", name="Authorize").click()
    expect(someone.page.locator(".who")).to_contain_text("fi.oidc")
    # Someone who copied the cookie and the provider's answer replays both in another browser.
    thief = person("thief")
    thief.context.add_cookies(before)
    thief.page.goto(answers[0])
    expect(thief.page.get_by_role("alert")).to_contain_text("already been used")
    expect(thief.page.locator(".who")).to_have_count(0)
    assert len(sessions_of(live_app, "fi.oidc")) == 1


def test_an_expired_token_is_refused(person, provider, live_app):
    provider.user("b-gus", preferred_username="gus.oidc")
    # This server's clock two hours ahead of the provider's: the ID token (an hour's life) has expired.
    live_app.config["SIGN_IN_CLOCK"] = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    try:
        page = at_provider(person("gus.oidc"), "b-gus")
        expect(page.get_by_role("alert")).to_contain_text("expired")
    finally:
        live_app.config.pop("SIGN_IN_CLOCK")
    assert record(live_app, "gus.oidc") is None
