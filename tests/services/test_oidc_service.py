"""Signing in with a real OpenID Connect provider (oidc-provider-mock on a free port), at the
service: the code exchanged, the ID token verified, the account found, bound or created."""
import base64
import datetime as dt
import hashlib
import json
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from services import (
    account_service,
    audit_service,
    backup_service,
    credential_service,
    oidc_service,
    settings_service,
)
from store import Put
from tests import oidc_provider
from workflow.errors import Invalid
from workflow.identity import Refused

CALLBACK = "http://app.test/sign-in/oidc/callback"
GROUPS = {"hr-staff": {"team": "Human Resources", "role": "staff"},
          "hr-leads": {"team": "Human Resources", "role": "team_leader"}}


@pytest.fixture(scope="module")
def provider():
    running = oidc_provider.started()
    yield running
    oidc_provider.stopped(running)


def config(provider, secret="secret", **changes):
    return {"OIDC_ISSUER": provider.issuer, "OIDC_CLIENT_ID": "equality", "OIDC_CLIENT_SECRET": secret,
             "OIDC_PROVIDER_NAME": "Authority ID", "OIDC_GROUP_MAP": json.dumps(GROUPS), **changes}


def sign_in(store, provider, sub, environ=None, at=None, replay=False):
    """Begin, sign in as `sub` at the provider, finish: what finish returns."""
    chosen = oidc_service.provider(store, environ or config(provider))
    url, state = oidc_service.begin(store, chosen, CALLBACK, "/")
    answer = httpx.post(url, data={"sub": sub})
    query = dict(parse_qsl(urlsplit(answer.headers["location"]).query))
    done = oidc_service.finish(store, chosen, query, state, CALLBACK, "192.0.2.1", at=at)
    if replay:
        oidc_service.finish(store, chosen, query, state, CALLBACK, "192.0.2.1", at=at)
    return done


def test_first_sign_in_creates_a_staff_account_with_mapped_teams_and_no_powered_role(store, provider):
    provider.user("s-ann", email="Ann@Example.org", email_verified=True, preferred_username="ann",
                  groups=["hr-leads", "heads"])
    user, session_id, id_token, _ = sign_in(store, provider, "s-ann")
    record = account_service.account_record(store, "ann")
    assert (user.name, record["roles"], record["teams"]) == ("ann", ["staff", "team_leader"], ["Human Resources"])
    assert record["oidc_sub"] == "s-ann" and record["oidc_issuer"] == provider.issuer
    assert credential_service.stored_session(store, session_id)["user"] == "ann" and id_token


def test_a_group_map_granting_a_powered_role_is_refused_at_configuration(store, provider):
    for role in ("head", "chief_executive", "eodb", "admin", "smt"):
        powered = json.dumps({"heads": {"team": "Race & Diversity Unit", "role": role}})
        with pytest.raises(Invalid, match="group map"):
            oidc_service.provider(store, config(provider, OIDC_GROUP_MAP=powered))


def test_second_sign_in_finds_the_same_account_by_subject(store, provider):
    provider.user("s-bo", email="bo@example.org", email_verified=True, preferred_username="bo")
    sign_in(store, provider, "s-bo")
    provider.user("s-bo", email="bo.new@example.org", email_verified=True, preferred_username="bob")
    user, *_ = sign_in(store, provider, "s-bo")
    assert user.name == "bo" and len(store.scan(account_service.USERS)) == 1


def test_a_verified_email_binds_an_existing_account_once(store, provider):
    account_service.add_user(store, "cy.local", "a long password", ["head"], email="cy@example.org")
    provider.user("s-cy", email="cy@example.org", email_verified=True)
    user, *_ = sign_in(store, provider, "s-cy")
    assert user.name == "cy.local" and account_service.account_record(store, "cy.local")["oidc_sub"] == "s-cy"
    # Another subject with the same address is not that person: the account is flagged, not taken.
    provider.user("s-cy-2", email="cy@example.org", email_verified=True)
    with pytest.raises(Refused):
        sign_in(store, provider, "s-cy-2")
    assert account_service.account_record(store, "cy.local")["oidc_unknown"] is True


def test_an_unverified_email_binds_nothing(store, provider):
    account_service.add_user(store, "di.local", "a long password", ["head"], email="di@example.org")
    provider.user("s-di", email="di@example.org", email_verified=False, preferred_username="di")
    user, *_ = sign_in(store, provider, "s-di")
    assert user.name != "di.local" and account_service.account_record(store, "di.local").get("oidc_sub") is None


def test_a_deactivated_account_cannot_sign_in(store, provider):
    provider.user("s-ed", preferred_username="ed")
    sign_in(store, provider, "s-ed")
    account_service.set_active(store, audit_service.COMMAND_LINE, "ed", False)
    with pytest.raises(Refused, match="deactivated"):
        sign_in(store, provider, "s-ed")


def test_a_replayed_answer_is_refused(store, provider):
    provider.user("s-fi", preferred_username="fi")
    with pytest.raises(Refused, match="already been used"):
        sign_in(store, provider, "s-fi", replay=True)


@pytest.mark.parametrize("forging", [True, "HS256", "unknown key"])
def test_a_forged_signature_is_refused_and_creates_nobody(store, provider, forging):
    provider.user("s-gus", preferred_username="gus")
    provider.forging = forging
    try:
        with pytest.raises(Refused, match="not signed by your identity provider|does not belong"):
            sign_in(store, provider, "s-gus")
    finally:
        provider.forging = False
    assert account_service.account_record(store, "gus") is None


@pytest.mark.parametrize("skew", [dt.timedelta(hours=2), -dt.timedelta(hours=2)])
def test_an_expired_token_or_one_from_the_future_is_refused_as_clock_trouble(store, provider, skew):
    """Two hours ahead of the provider the ID token (an hour's life) has expired; two hours behind,
    it was issued in the future."""
    provider.user("s-hal", preferred_username="hal")
    with pytest.raises(Refused, match="expired, or this server's clock and the provider's disagree"):
        sign_in(store, provider, "s-hal", at=dt.datetime.now(dt.UTC) + skew)
    assert account_service.account_record(store, "hal") is None


def test_a_small_clock_difference_is_tolerated(store, provider):
    provider.user("s-hap", preferred_username="hap")
    user, *_ = sign_in(store, provider, "s-hap", at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30))
    assert user.name == "hap"


def test_a_wrong_client_secret_is_refused_plainly_and_creates_nobody(store, provider):
    client_id, _ = provider.registered(CALLBACK)
    provider.user("s-ivy", preferred_username="ivy")
    with pytest.raises(oidc_service.ProviderTrouble, match="client id or secret"):
        sign_in(store, provider, "s-ivy", environ=config(provider, OIDC_CLIENT_ID=client_id, secret="wrong"))
    assert account_service.account_record(store, "ivy") is None


def test_an_unreachable_provider_says_so(store, provider):
    with pytest.raises(oidc_service.ProviderTrouble, match="cannot be reached"):
        sign_in(store, provider, "s-jo", environ=config(provider, OIDC_ISSUER="http://127.0.0.1:9"))


def test_a_backup_keeps_no_client_secret_and_no_sign_in_begun(store, provider):
    store.commit([Put(settings_service.SETTINGS, oidc_service.SETTING,
                      {"issuer": provider.issuer, "client_id": "equality", "client_secret": "s3cret"})])
    chosen = oidc_service.provider(store, {})
    assert chosen.client_secret == "s3cret"  # the settings record serves when no variable is set
    oidc_service.begin(store, chosen, CALLBACK, "/")
    for with_secrets in (False, True):
        records, _ = backup_service.contents(store, with_secrets=with_secrets)
        assert oidc_service.STARTS not in records
        [saved] = [r for r in records["settings"] if r["id"] == oidc_service.SETTING]
        assert ("client_secret" in saved) is with_secrets and saved["client_id"] == "equality"


def test_a_new_group_adds_its_role_and_a_same_day_sign_in_leaves_the_account_alone(store, provider):
    provider.user("s-kit", preferred_username="kit")
    sign_in(store, provider, "s-kit")
    version = account_service.account(store, "kit")["version"]
    sign_in(store, provider, "s-kit")  # nothing new: an administrator's open edit of kit stays current
    assert account_service.account(store, "kit")["version"] == version
    provider.user("s-kit", preferred_username="kit", groups=["hr-leads"])
    user, *_ = sign_in(store, provider, "s-kit")
    assert user.roles == {"staff", "team_leader"} and user.teams == {"Human Resources"}


def test_the_authorization_request_carries_state_nonce_and_an_s256_pkce_challenge(store, provider):
    url, state = oidc_service.begin(store, oidc_service.provider(store, config(provider)), CALLBACK, "/")
    start = store.get(oidc_service.STARTS, credential_service.digest(state))
    asked = dict(parse_qsl(urlsplit(url).query))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(start["verifier"].encode()).digest()).rstrip(b"=").decode()
    assert (asked["state"], asked["nonce"]) == (state, start["nonce"])
    assert (asked["code_challenge"], asked["code_challenge_method"]) == (challenge, "S256")


def test_an_id_token_for_another_nonce_is_refused(store, provider):
    provider.user("s-lou", preferred_username="lou")
    chosen = oidc_service.provider(store, config(provider))
    url, state = oidc_service.begin(store, chosen, CALLBACK, "/")
    key = credential_service.digest(state)
    start = store.get(oidc_service.STARTS, key)
    store.commit([Put(oidc_service.STARTS, key, {**start, "nonce": "x" * 43}, expected_version=start["version"])])
    query = dict(parse_qsl(urlsplit(httpx.post(url, data={"sub": "s-lou"}).headers["location"]).query))
    with pytest.raises(Refused, match="does not belong to this sign-in"):
        oidc_service.finish(store, chosen, query, state, CALLBACK, "192.0.2.1")
    assert account_service.account_record(store, "lou") is None
