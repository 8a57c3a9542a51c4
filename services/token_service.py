"""API tokens: issuing them, who a bearer token stands for, a person's list of them,
revoking them, and the day each was last used.

A token is kept only as the SHA-256 digest of its value (services.credential_service).
The digest is the token's key in the store and its id on the pages: knowing it
does not let anyone use the token.
"""
import datetime as dt
import logging
import secrets

from services import audit_service
from services.account_service import KeptPeople, account, find_user
from services.credential_service import TOKENS, digest
from store import Delete, Put, StoreError
from workflow.documents import now
from workflow.errors import Invalid, NotFound

log = logging.getLogger(__name__)


def issue_token(store, name, by=audit_service.COMMAND_LINE):
    """A new API token for `name` (`run.py token`); only its digest is kept. Invalid unless
    `name` is an active account."""
    if find_user(store, name) is None:
        raise Invalid("There is no such account.", {"name": f"There is no active account named {name}"})
    token = secrets.token_urlsafe(32)
    # The last four characters help the person tell their tokens apart (24 of 256 bits: no help to a guesser).
    audit_service.commit(store, [Put(TOKENS, digest(token), {"user": name, "created_at": now(), "hint": token[-4:]})],
                         [audit_service.entry(by, "account", name, "API token issued", hint=token[-4:])])
    return token


def kept_bearers(store):
    """Who each bearer token stands for, kept until tokens or people change (KeptPeople):
    revoking a token, deactivating an account, changing its roles or ending a deputy naming
    is a commit, so every process forgets at its next request, before it answers."""
    return KeptPeople(store, also=(TOKENS,))


def bearer(kept, store, token):
    """(User, token record) for a bearer token, through `kept` (kept_bearers); (None, None)
    if it is unknown, revoked or its account is off. The day of its use is recorded."""
    user, record = kept.get(("token", digest(token)), lambda: lookup(store, token)) if token else (None, None)
    if user is not None:
        record_use(store, record)
    return user, record


def for_person(store, name):
    """A person's tokens, newest first."""
    return sorted(store.scan(TOKENS, {"user": name}), key=lambda record: record["created_at"], reverse=True)


def lookup(store, token):
    """(User, token record) for a bearer token; (None, None) if it is unknown, revoked or its account is off."""
    record = store.get(TOKENS, digest(token)) if token else None
    user = find_user(store, record["user"]) if record else None
    return (user, record) if user else (None, None)


def record_use(store, record, today=None):
    """Remember the day a token was last used.

    At most one write a token a day, never one a request: the day is all a person
    needs to spot a token they no longer use. Best effort: an API call never fails
    because this could not be written.
    """
    today = today or dt.datetime.now(dt.timezone.utc).date().isoformat()
    if record.get("last_used") == today:
        return
    try:
        # Version-checked, so a token revoked meanwhile is not brought back.
        store.commit([Put(TOKENS, record["id"], {**record, "last_used": today}, expected_version=record["version"])])
    except StoreError as exc:  # Conflict included: another request has just recorded it
        log.info("token use not recorded: %s", exc)


def revoke(store, name, key, by):
    """`by` (the person) revokes one of `name`'s tokens; NotFound if `key` is not one of theirs."""
    record = store.get(TOKENS, key) if key else None
    if record is None or record["user"] != name:
        raise NotFound("There is no such token: it may have been revoked already.")
    audit_service.commit(store, [Delete(TOKENS, key)], [audit_service.entry(by, "account", name, "API token revoked",
                                                           hint=record.get("hint"))])


def revoke_all(store, name, by=audit_service.COMMAND_LINE):
    """Revoke every token of `name` (an administrator, `by`, does it); how many there were.
    NotFound if there is no such account."""
    name = account(store, name)["name"]
    ops = [Delete(TOKENS, record["id"]) for record in store.scan(TOKENS, {"user": name})]
    if ops:
        audit_service.commit(store, ops, [audit_service.entry(by, "account", name, "API tokens revoked", count=len(ops))])
    return len(ops)
