"""Signing in with the authority's identity provider (OpenID Connect, authorization code flow with
PKCE): start (state, nonce and PKCE verifier kept server-side, once), finish (the code exchanged,
the ID token's signature checked against the provider's keys and its iss, aud, exp, iat and nonce
checked by Authlib), then workflow.identity decides the account and the sign-in commits, audited.

Configuration comes from environment variables first, then the settings record "oidc"."""
import datetime as dt
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import warnings

import requests
from authlib.deprecate import AuthlibDeprecationWarning
from joserfc import errors as joserfc_errors

with warnings.catch_warnings():
    # Authlib 1.9 warns at import that authlib.jose moves to joserfc in 2.0, and forces the warning
    # on: every command-line run would print it to the operator (and to scripts reading stderr).
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.base_client import OAuthError
    from authlib.integrations.requests_client import OAuth2Session
    from authlib.jose import JsonWebKey, JsonWebToken
    from authlib.jose import errors as authlib_errors
    from authlib.oidc.core import CodeIDToken

from services import (
    account_service,
    audit_service,
    commits,
    credential_service,
    settings_service,
    sign_in_service,
    throttle_service,
)
from store import Conflict, Delete, Put
from workflow import identity
from workflow.errors import WorkflowError

STARTS = credential_service.OIDC_STARTS  # one record per sign-in begun: its state's digest -> nonce, PKCE verifier
SETTING = settings_service.OIDC  # the settings record an administrator edits (environment variables win)
START_LIFETIME = dt.timedelta(minutes=10)  # time to sign in at the provider
LEEWAY = 60  # seconds of clock difference with the provider tolerated on exp and iat
TIMEOUT = 10  # seconds to wait for the provider
SCOPE = "openid email profile"
# ID tokens are signed with the provider's published (public) keys: no shared-secret (HS*) algorithm.
ID_TOKENS = JsonWebToken(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"])
CLOCK_TROUBLE = ("The identity provider's answer has expired, or this server's clock and the provider's disagree. "
                 "Start again; if it happens again, tell your administrator.")


class ProviderTrouble(WorkflowError):
    """The provider could not be reached or did not accept this application."""
    status = 502


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    name: str
    groups_claim: str
    group_map: dict


def provider(store, environ):
    """The configured Provider (environment variables first, then the settings record), or None
    when the issuer, client id or secret is missing. A bad group map is Invalid, in plain words."""
    given = settings_service.oidc_configuration(store, environ)
    if not (given["issuer"] and given["client_id"] and given["client_secret"]):
        return None
    return Provider(given["issuer"].rstrip("/"), given["client_id"], given["client_secret"],
                    given["provider_name"] or "your identity provider",
                    given["groups_claim"], identity.parse_group_map(given["group_map"]))


def _fetched(url):
    """The provider's JSON document at `url`; ProviderTrouble if it cannot be had."""
    try:
        answer = requests.get(url, timeout=TIMEOUT)
        answer.raise_for_status()
        return answer.json()
    except (requests.RequestException, ValueError):
        raise ProviderTrouble("The identity provider cannot be reached just now. Try again in a few minutes, "
                              "or sign in with your password if you have one.") from None


def metadata(config):
    """The provider's discovery document; it must name the issuer configured."""
    found = _fetched(f"{config.issuer}/.well-known/openid-configuration")
    if found.get("issuer", "").rstrip("/") != config.issuer:
        raise ProviderTrouble("The identity provider answered as a different issuer; tell your administrator.")
    return found


def _client(config, redirect_uri, **kwargs):
    return OAuth2Session(config.client_id, config.client_secret, scope=SCOPE, redirect_uri=redirect_uri,
                         code_challenge_method="S256", **kwargs)


def begin(store, config, redirect_uri, next_page):
    """(the provider's authorization URL, the state) for a new sign-in; its nonce and PKCE
    verifier are kept server-side under the state's digest until finish spends them."""
    found = metadata(config)
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    url, _ = _client(config, redirect_uri).create_authorization_url(
        found["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier)
    # Sign-ins begun and never finished are cleared as new ones begin.
    abandoned = [Delete(STARTS, record["id"]) for record in store.scan(STARTS)
                 if dt.datetime.fromisoformat(record["created_at"]) + START_LIFETIME < throttle_service.utc_now()]
    store.commit([*abandoned, Put(STARTS, credential_service.digest(state), {
        "nonce": nonce, "verifier": verifier, "next": next_page, "created_at": _iso(throttle_service.utc_now())})])
    return url, state


def _spent_start(store, state):
    """The start record of `state`, deleted so that it serves once; Refused if it is unknown,
    spent or too old (a replayed or forged answer)."""
    key = credential_service.digest(state) if isinstance(state, str) and state else None
    record = store.get(STARTS, key) if key else None
    try:
        if record is not None:
            store.commit([Delete(STARTS, key, expected_version=record["version"])])
    except Conflict:  # another request spent it first
        record = None
    # Real time, not `at`: the start is this server's own record.
    if record is None or dt.datetime.fromisoformat(record["created_at"]) + START_LIFETIME < throttle_service.utc_now():
        raise identity.Refused("This sign-in answer has already been used, has expired or was not started here. "
                               "Start again from the sign-in page.")
    return record


def finish(store, config, answer, browser_state, redirect_uri, address, at=None, replacing=None):
    """Finish a sign-in from the provider's `answer` (the callback's query): (User, session id,
    ID token, the page to go to). `browser_state` is the state this browser started with; the
    session `replacing` (this browser's, if any) ends.
    Refused or ProviderTrouble, in plain words, with nothing changed but the spent start."""
    at = at or throttle_service.utc_now()
    state = answer.get("state")
    if answer.get("error"):
        # A refusal changes nothing, so it is told even when the provider leaves out the state.
        if browser_state:
            store.commit([Delete(STARTS, credential_service.digest(browser_state))])
        raise identity.Refused("Your identity provider did not let you sign in. If you should have access, ask "
                               "your administrator.")
    if not browser_state or state != browser_state:
        raise identity.Refused("This sign-in answer was not started in this browser. Start again from the "
                               "sign-in page.")
    start = _spent_start(store, state)
    found = metadata(config)
    claims = _verified_claims(config, found, _tokens(config, found, answer, start, redirect_uri), start, at)
    user, session_id = _signed_in(store, config, claims, address, at)
    sign_in_service.sign_out(store, replacing)
    return user, session_id, claims.id_token, start.get("next")


def _tokens(config, found, answer, start, redirect_uri):
    try:
        return _client(config, redirect_uri).fetch_token(
            found["token_endpoint"], code=answer.get("code") or "", code_verifier=start["verifier"],
            timeout=TIMEOUT)
    except OAuthError as exc:
        if exc.error == "invalid_client":
            raise ProviderTrouble("The identity provider did not accept this application's client id or secret. "
                                  "Tell your administrator.") from None
        raise identity.Refused("The identity provider did not accept this sign-in answer. Start again from the "
                               "sign-in page.") from None
    except (requests.RequestException, ValueError):
        raise ProviderTrouble("The identity provider cannot be reached just now. Try again in a few minutes.") from None


def _verified_claims(config, found, tokens, start, at):
    """The ID token's claims, its signature checked against the provider's published keys and its
    claims against this sign-in; Refused otherwise. (Authlib 1.9's jose raises joserfc's errors
    for some checks and its own for others: both are caught.)"""
    keys = JsonWebKey.import_key_set(_fetched(found["jwks_uri"]))
    options = {"iss": {"essential": True, "value": config.issuer},
               "aud": {"essential": True, "value": config.client_id}, "nonce": {"essential": True}}
    try:
        claims = ID_TOKENS.decode(tokens.get("id_token") or "", keys, claims_cls=CodeIDToken, claims_options=options,
                            claims_params={"nonce": start["nonce"], "client_id": config.client_id})
        claims.validate(now=int(at.timestamp()), leeway=LEEWAY)
    except (authlib_errors.ExpiredTokenError, joserfc_errors.ExpiredTokenError):
        raise identity.Refused(CLOCK_TROUBLE) from None
    except (authlib_errors.BadSignatureError, joserfc_errors.BadSignatureError):
        raise identity.Refused("The sign-in answer was not signed by your identity provider, so it was refused. "
                               "Start again from the sign-in page.") from None
    except (authlib_errors.JoseError, joserfc_errors.JoseError, ValueError) as exc:
        if _clock_trouble(exc):
            raise identity.Refused(CLOCK_TROUBLE) from None
        raise identity.Refused("The sign-in answer does not belong to this sign-in, so it was refused. Start "
                               "again from the sign-in page.") from None
    claims.id_token = tokens["id_token"]
    return claims


def _clock_trouble(exc):
    """Whether a token was refused as issued "in the future" (iat, nbf): the clocks disagree."""
    return isinstance(exc, authlib_errors.InvalidTokenError) or getattr(exc, "claim", None) in ("iat", "nbf")


def _signed_in(store, config, claims, address, at):
    """Commit what identity decides for `claims`, audited; (User, new session id)."""
    people = store.scan(account_service.USERS)
    how, record = identity.matching_account(people, config.issuer, claims)
    actor = audit_service.Actor(config.name, address)
    if how == "stale" and not record.get("oidc_unknown"):
        _committed(store, [Put(account_service.USERS, record["name"], {**record, "oidc_unknown": True},
                               expected_version=record["version"])],
                   [audit_service.entry(actor, "account", record["name"], "flagged unknown at provider")])
    identity.refusal(how, record)
    grant = identity.granted(claims, config.groups_claim, config.group_map)
    seen = _iso(at)
    if record is None:
        record = identity.new_account(claims, [p["name"] for p in people], config.issuer, grant, seen)
        entry = audit_service.entry(actor, "account", record["name"], "created at first sign-in with the provider",
                                    roles=record["roles"], teams=record["teams"])
        ops, entries = [Put(account_service.USERS, record["name"], record)], [entry]
    else:
        ops, entries = _update(record, identity.signed_in_record(record, config.issuer, claims, grant, seen),
                               how, actor)
    _committed(store, ops, entries)
    user = account_service.find_user(store, record["name"])
    return user, credential_service.open_session(store, user.name)


def _update(record, changed, how, actor):
    """(ops, audit entries) bringing `record` to `changed`. An account is written only when the
    sign-in changes it or it was last seen on another day (the sign-in itself is kept with the
    visits), so signing in seldom makes an administrator's open edit of it stale."""
    kept = ("roles", "teams", "oidc_sub", "oidc_issuer", "oidc_unknown")
    if all(record.get(k) == changed[k] for k in kept) and (record.get("oidc_last_seen") or "")[:10] == \
            changed["oidc_last_seen"][:10]:
        return [], []
    entries = [audit_service.entry(actor, "account", record["name"], "linked to the provider")] \
        if how == "email" else []
    if (record.get("roles"), record.get("teams")) != (changed["roles"], changed["teams"]):
        entries.append(audit_service.entry(actor, "account", record["name"], "given by the provider's groups",
                                           roles=changed["roles"], teams=changed["teams"]))
    return [Put(account_service.USERS, record["name"], changed, expected_version=record["version"])], entries


def _committed(store, ops, entries):
    # Another change to this account (or a new one of that name) at the same moment: sign in again.
    with commits.refused_if_changed("Your account changed while you were signing in. Sign in again.", {}):
        if ops:
            audit_service.commit(store, ops, entries)


def end_session_url(config, id_token, after):
    """Where to send the browser to end the provider's session too (RP-initiated logout), or None
    when the provider has no end_session_endpoint or cannot be reached."""
    try:
        endpoint = metadata(config).get("end_session_endpoint")
    except ProviderTrouble:
        return None
    if not endpoint:
        return None
    return f"{endpoint}{'&' if '?' in endpoint else '?'}" + urlencode(
        {"id_token_hint": id_token or "", "post_logout_redirect_uri": after, "client_id": config.client_id})


def _iso(at):
    return at.isoformat()
