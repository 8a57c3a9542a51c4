"""User accounts, API tokens and sign-in sessions, kept in the store.

Secrets are never stored as given: passwords as Argon2 hashes, API tokens
and session ids as SHA-256 digests (they are long random values, so a fast
hash is enough to make a stolen store useless for signing in).
"""
import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from store import Delete, Put
from workflow import fields
from workflow.documents import now
from workflow.errors import Invalid
from workflow.users import ROLES, User

USERS, TOKENS, SESSIONS = "users", "tokens", "sessions"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_hasher = PasswordHasher()
# Verified against when the name is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a password")


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_account(name, roles, teams, trained):
    errors = {}
    if not isinstance(name, str) or not NAME.match(name):
        errors["name"] = "must be 1-64 letters, digits, dots, dashes or underscores"
    if not roles:
        errors["role"] = "give at least one role: " + ", ".join(ROLES)
    for role in roles:
        if role not in ROLES:
            errors["role"] = f"{role!r} is not a role: use " + ", ".join(ROLES)
    for team in teams:
        if not team.strip() or len(team) > 100:
            errors["team"] = "team names are 1-100 characters"
    if trained is not None and not fields.is_date(trained):
        errors["trained"] = "must be a date YYYY-MM-DD"
    if errors:
        raise Invalid("the account is not valid", errors)


def add_user(store, name, password, roles, teams=(), trained=None):
    """Create an account; Conflict if the name is taken."""
    check_account(name, roles, teams, trained)
    if not password or len(password) < 8:
        raise Invalid("the password is too short", {"password": "must be at least 8 characters"})
    record = {"name": name, "roles": sorted(set(roles)), "teams": sorted(set(teams)),
              "trained": trained, "password_hash": _hasher.hash(password), "created_at": now()}
    [stored] = store.commit([Put(USERS, name, record)])
    return stored


def find_user(store, name):
    record = store.get(USERS, name) if isinstance(name, str) and name else None
    return User.from_record(record) if record else None


def check_password(store, name, password):
    """The User if `password` is right for `name`, else None."""
    record = store.get(USERS, name) if isinstance(name, str) and name else None
    try:
        _hasher.verify(record["password_hash"] if record else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return User.from_record(record) if record else None


def issue_token(store, name):
    """A new API token for `name`; only its digest is kept."""
    token = secrets.token_urlsafe(32)
    store.commit([Put(TOKENS, digest(token), {"user": name, "created_at": now()})])
    return token


def user_for_token(store, token):
    record = store.get(TOKENS, digest(token)) if token else None
    return find_user(store, record["user"]) if record else None


def open_session(store, name):
    """A server-side session: signing out deletes it, so a copied cookie dies with it.

    It also remembers when this person last signed in before, so pages can show
    what is new since their last visit.
    """
    session_id = secrets.token_urlsafe(32)
    account = store.get(USERS, name)
    at = now()
    store.commit([
        Put(SESSIONS, digest(session_id), {"user": name, "created_at": at,
                                           "previous_visit": account.get("last_sign_in")}),
        Put(USERS, name, {**account, "last_sign_in": at}, expected_version=account["version"]),
    ])
    return session_id


def session_record(store, session_id, lifetime):
    """The live session record, or None if unknown or older than `lifetime` (a timedelta)."""
    record = store.get(SESSIONS, digest(session_id)) if session_id else None
    if record is None:
        return None
    if dt.datetime.fromisoformat(record["created_at"]) + lifetime < dt.datetime.now(dt.timezone.utc):
        return None
    return record


def close_session(store, session_id):
    store.commit([Delete(SESSIONS, digest(session_id))])


def close_all_sessions(store, name, keep=None):
    """End every session of `name` (after a password change), except `keep`."""
    kept = digest(keep) if keep else None
    ops = [Delete(SESSIONS, record["id"]) for record in store.scan(SESSIONS, {"user": name})
           if record["id"] != kept]
    if ops:
        store.commit(ops)
