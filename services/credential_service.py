"""What a person holds besides a password: sign-in sessions, API tokens and one-time
sign-in links. Each is a long random value kept only as its SHA-256 digest (a fast hash
is enough for values that long to make a stolen store useless for signing in).

This module makes, finds and ends them, and knows no accounts: services.account_service
(a reset, a deactivation, a new password), services.sign_in_service (signing in and out)
and services.token_service (issuing and revoking tokens) decide whose.
"""
import datetime as dt
import hashlib
import secrets

from services import commits
from store import Delete, Put
from workflow.documents import now

TOKENS, SESSIONS, VISITS = "tokens", "sessions", "visits"
SIGN_IN_LINKS = "sign_in_links"  # one-time links to set one's own password, by digest
OIDC_STARTS = "oidc_starts"  # sign-ins begun at the identity provider (services.oidc_service)
LINK_LIFETIME = dt.timedelta(hours=24)


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def open_session(store, name):
    """A server-side session for `name`: signing out deletes it, so a copied cookie dies with it.

    It also remembers when this person last signed in before, so pages can show
    what is new since their last visit.
    """
    session_id = secrets.token_urlsafe(32)

    def record():
        # Visits are kept apart from the account so that signing in never makes an
        # administrator's open edit of that account stale.
        visit, at = store.get(VISITS, name), now()
        store.commit([
            Put(SESSIONS, digest(session_id), {"user": name, "created_at": at,
                                               "previous_visit": visit and visit["last_sign_in"]}),
            Put(VISITS, name, {"last_sign_in": at}, expected_version=visit and visit["version"]),
        ])
    # Two sign-ins of one person at the same instant: the loser reads the winner's visit and retries.
    commits.retried(record, f"the sign-ins of {name}", only=VISITS)
    return session_id


def session_alive(record, lifetime):
    """Whether the session `record` is younger than `lifetime` (a timedelta), now."""
    return dt.datetime.fromisoformat(record["created_at"]) + lifetime >= dt.datetime.now(dt.timezone.utc)


def stored_session(store, session_id):
    """The stored record of the session `session_id`, alive or not; None if unknown."""
    return store.get(SESSIONS, digest(session_id)) if isinstance(session_id, str) and session_id else None


def session_record(store, session_id, lifetime):
    """The live session record, or None if unknown or older than `lifetime` (a timedelta)."""
    record = stored_session(store, session_id)
    return record if record is not None and session_alive(record, lifetime) else None


def close_session(store, session_id):
    store.commit([Delete(SESSIONS, digest(session_id))])


def session_ops(store, name, keep=None):
    """Delete every session of `name` but `keep`."""
    kept = digest(keep) if keep else None
    return [Delete(SESSIONS, record["id"]) for record in store.scan(SESSIONS, {"user": name})
            if record["id"] != kept]


def sessions_but_ops(store, name):
    """Delete every session of everyone but `name` (None: everyone's)."""
    return [Delete(SESSIONS, record["id"]) for record in store.scan(SESSIONS) if record["user"] != name]


def ending_ops(store, name, keep=None):
    """Delete every session of `name` but `keep`, and every API token of theirs: what a
    change of password, or a reset, ends."""
    return session_ops(store, name, keep) + [Delete(TOKENS, record["id"])
                                             for record in store.scan(TOKENS, {"user": name})]


def link_ops(store, name, by, purpose):
    """(link secret, ops): a new one-time sign-in link for `name`, made by `by` (an
    audit_service.Actor), replacing any other; only its digest is stored."""
    secret, at = secrets.token_urlsafe(32), dt.datetime.now(dt.timezone.utc)
    ops = [Delete(SIGN_IN_LINKS, record["id"]) for record in store.scan(SIGN_IN_LINKS, {"user": name})]
    ops.append(Put(SIGN_IN_LINKS, digest(secret), {
        "user": name, "purpose": purpose, "made_by": by.name, "created_at": at.isoformat(timespec="seconds"),
        "expires_at": (at + LINK_LIFETIME).isoformat(timespec="seconds")}))
    return secret, ops


def renewal_ops(store, name, by, purpose):
    """(link secret, ops): every session and API token of `name` ends and a new one-time
    link is made for `by` to hand over (the account's password is cleared by its caller,
    in the same commit as the account's other changes)."""
    secret, made = link_ops(store, name, by, purpose)
    return secret, [*made, *ending_ops(store, name)]


def sign_in_link(store, secret):
    """The live link record for `secret`; None if unknown, used or expired."""
    record = store.get(SIGN_IN_LINKS, digest(secret)) if isinstance(secret, str) and secret else None
    if record is None or dt.datetime.fromisoformat(record["expires_at"]) <= dt.datetime.now(dt.timezone.utc):
        return None
    return record


def spend_link(link):
    """The op deleting the link at its version: of two uses at once, one is refused."""
    return Delete(SIGN_IN_LINKS, link["id"], expected_version=link["version"])

