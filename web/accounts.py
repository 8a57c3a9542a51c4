"""User accounts, API tokens and sign-in sessions, kept in the store.

Secrets are never stored as given: passwords as Argon2 hashes, API tokens
and session ids as SHA-256 digests (they are long random values, so a fast
hash is enough to make a stolen store useless for signing in).
"""
import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from store import Conflict, Delete, Put, StoreError
from web import settings
from workflow import fields, training
from workflow.documents import now
from workflow.errors import Forbidden, Invalid, NotFound, StateConflict
from workflow.users import ROLES, User

USERS, TOKENS, SESSIONS, VISITS = "users", "tokens", "sessions", "visits"
TRAINING = "training"  # the EqIA training register: one record per training event
# What a person as the rules see them is read from (as_user): what is kept of people
# need be worked out again only when one of these changes, not at every commit.
PERSON_FROM = (USERS, settings.SETTINGS)
ATTEMPTS = 5
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[^@\s<>,;]+\.[^@\s<>,;]{2,}$")  # also bars header injection
# Argon2id, memory-hard (64 MiB, 3 passes): RFC 9106's profile for when memory is scarce.
HASH_PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(HASH_PARAMETERS)
# Verified against when the name is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a password")


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def valid_team_name(team):
    return not fields.one_line("team", team, 100)


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
        if not valid_team_name(team):
            errors["team"] = "team names are 1-100 characters on one line"
    if trained is not None and not fields.is_date(trained):
        errors["trained"] = "must be a date YYYY-MM-DD"
    if errors:
        raise Invalid("the account is not valid", errors)


def email_errors(email):
    """None clears the address; otherwise one plausible address (notices are mailed to it)."""
    if email is None or (isinstance(email, str) and EMAIL.fullmatch(email)):
        return {}
    return {"email": "must be an e-mail address like name@example.org"}


def add_user(store, name, password, roles, teams=(), trained=None, email=None):
    """Create an account; Conflict if the name is taken."""
    check_account(name, roles, teams, trained)
    if email_errors(email):
        raise Invalid("the account is not valid", email_errors(email))
    if not password or len(password) < 8:
        raise Invalid("the password is too short", {"password": "must be at least 8 characters"})
    entries = [training.account_entry(name, roles, trained)] if trained else []
    ops, _ = _register_ops(store, entries)
    # Someone the register already lists as trained is trained from their first EqIA there.
    trained = training.earliest_eqia([*store.scan(TRAINING), *entries]).get(training.person(name))
    record = {"name": name, "roles": sorted(set(roles)), "teams": sorted(set(teams)),
              "trained": trained, "password_hash": _hasher.hash(password), "created_at": now()}
    if email is not None:
        record["email"] = email
    return store.commit([Put(USERS, name, record), *ops])[0]


def account_record(store, name):
    """The stored account, deactivated or not (for administration); None if absent."""
    return store.get(USERS, name) if isinstance(name, str) and name else None


def as_user(store, record):
    """The person as the rules see them, under the authority's settings."""
    return User.from_record(record, training_rule=settings.training_rule(store))


def as_users(store, records):
    """Several people as the rules see them (the settings read once)."""
    rule = settings.training_rule(store)
    return [User.from_record(record, training_rule=rule) for record in records]


def _active(store, record):
    # Every way in (password, session, token) reaches a User through here or
    # check_password, so a deactivated account stops working everywhere at once.
    return as_user(store, record) if record and not record.get("disabled") else None


def find_user(store, name):
    return _active(store, account_record(store, name))


def check_password(store, name, password):
    """The User if `password` is right for `name`, else None."""
    record = account_record(store, name)
    try:
        # An account restored from a backup without secrets has no hash until an admin sets a password.
        _hasher.verify((record or {}).get("password_hash") or _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return _active(store, record)


def spend_check_time(password):
    """Take as long as a password check, checking nothing: a refused sign-in answers no faster."""
    try:
        _hasher.verify(_DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        pass


def issue_token(store, name):
    """A new API token for `name`; only its digest is kept."""
    token = secrets.token_urlsafe(32)
    # The last four characters help the person tell their tokens apart (24 of 256 bits: no help to a guesser).
    store.commit([Put(TOKENS, digest(token), {"user": name, "created_at": now(), "hint": token[-4:]})])
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
    # Visits are kept apart from the account so that signing in never makes an
    # administrator's open edit of that account stale.
    for _ in range(5):  # two sign-ins of one person at the same instant: retry the loser
        visit, at = store.get(VISITS, name), now()
        try:
            store.commit([
                Put(SESSIONS, digest(session_id), {"user": name, "created_at": at,
                                                   "previous_visit": visit and visit["last_sign_in"]}),
                Put(VISITS, name, {"last_sign_in": at}, expected_version=visit and visit["version"]),
            ])
            return session_id
        except Conflict:
            continue
    raise StoreError(f"could not record the sign-in of {name}; try again")


def session_record(store, session_id, lifetime):
    """The live session record, or None if unknown or older than `lifetime` (a timedelta)."""
    record = store.get(SESSIONS, digest(session_id)) if session_id else None
    return record if record is not None and session_alive(record, lifetime) else None


def session_alive(record, lifetime):
    """Whether the session `record` is younger than `lifetime` (a timedelta), now."""
    return dt.datetime.fromisoformat(record["created_at"]) + lifetime >= dt.datetime.now(dt.timezone.utc)


def close_session(store, session_id):
    store.commit([Delete(SESSIONS, digest(session_id))])


def close_all_sessions(store, name, keep=None):
    """End every session of `name` (after a password change), except `keep`."""
    kept = digest(keep) if keep else None
    ops = [Delete(SESSIONS, record["id"]) for record in store.scan(SESSIONS, {"user": name})
           if record["id"] != kept]
    if ops:
        store.commit(ops)


# --- Administration and self-service (the admin and account pages) ---------

ROLE_WORDS = {"staff": "Staff", "team_leader": "Team leader", "head": "Head of Race and Diversity",
              "eodb": "Board member (EODB)", "smt": "Senior Management Team", "admin": "Administrator"}
PASSWORD_MAX = 1024  # the sign-in form accepts no longer, so no longer may be set


def password_errors(password, field="password"):
    if not password or len(password) < 8:
        return {field: "must be at least 8 characters"}
    if len(password) > PASSWORD_MAX:
        return {field: f"must be at most {PASSWORD_MAX} characters"}
    return {}


def generate_password():
    """A one-time password for an administrator to pass on."""
    return secrets.token_urlsafe(12)


def list_accounts(store):
    """Every account, by name, with when it last signed in."""
    visits = {visit["id"]: visit["last_sign_in"] for visit in store.scan(VISITS)}
    return [{**record, "last_sign_in": visits.get(record["name"])}
            for record in sorted(store.scan(USERS), key=lambda record: record["name"].casefold())]


def create_account(store, name, password, roles, teams=(), trained=None):
    """add_user for a form: every problem reported at once, a taken name as a field error."""
    errors = password_errors(password)
    try:
        check_account(name, roles, teams, trained)
    except Invalid as exc:
        errors = {**exc.details, **errors}
    if errors:
        raise Invalid("the account is not valid", errors)
    try:
        return add_user(store, name, password, roles, teams, trained)
    except Conflict:
        raise Invalid("the account is not valid", {"name": f"{name} is taken: choose another name"})


def _existing(store, name):
    record = account_record(store, name)
    if record is None:
        raise NotFound("there is no such account")
    return record


def _save(store, record, version):
    """Replace an account if it is still at `version` (the one the form was rendered with)."""
    try:
        [stored] = store.commit([Put(USERS, record["name"], record, expected_version=version)])
    except Conflict:
        raise StateConflict("someone else changed this account since you opened it; reload it",
                            {"version": "the account has changed"})
    return stored


def _not_self(actor, name, what, field=None):
    # An administrator has no sign-off power; changing their own roles would let
    # them grant it to themselves, so another administrator must do it. Their own
    # password and status go the same way: no admin bypasses the current-password
    # check or locks themselves out.
    if actor == name:
        raise Forbidden(f"You cannot {what} your own account; ask another administrator.",
                        {field: f"you cannot {what} your own account"} if field else None)


def update_account(store, actor, name, version, roles, teams, trained):
    """Set an account's roles, teams and training date; never the actor's own roles."""
    record = _existing(store, name)
    check_account(name, roles, teams, trained)
    if set(roles) != set(record["roles"]):
        _not_self(actor, name, "change the roles of", "role")
    return _save(store, {**record, "roles": sorted(set(roles)), "teams": sorted(set(teams)),
                         "trained": trained}, version)


def reset_password(store, actor, name, password):
    """An administrator sets a new password; every session of the account ends."""
    record = _existing(store, name)
    _not_self(actor, name, "reset the password of", "password")
    errors = password_errors(password)
    if errors:
        raise Invalid("the password is not valid", errors)
    _save(store, {**record, "password_hash": _hasher.hash(password)}, record["version"])
    close_all_sessions(store, name)


def _register_ops(store, entries):
    """(ops, how many are new): put the `entries` the register lacks, and bring each
    account named in an EqIA entry to its earliest EqIA date, so the approval rule
    (which reads the account) follows the register."""
    present = {record["id"] for record in store.scan(TRAINING)}
    new = {}
    for entry in entries:
        new.setdefault(training.key(entry), entry)
    ops = [Put(TRAINING, key, entry) for key, entry in new.items() if key not in present]
    first = training.earliest_eqia(entries)
    for record in store.scan(USERS):
        date = first.get(training.person(record["name"]))
        if date and (not record.get("trained") or date < record["trained"]):
            ops.append(Put(USERS, record["name"], {**record, "trained": date}, expected_version=record["version"]))
    return ops, sum(1 for key in new if key not in present)


def record_entries(store, entries):
    """Add checked training `entries` to the register in one commit, with the accounts
    they name; returns (added, already present). Entries already there add nothing."""
    for _ in range(ATTEMPTS):
        ops, added = _register_ops(store, entries)
        try:
            store.commit(ops)
        except Conflict:  # an account or entry changed meanwhile: look again
            continue
        return added, len(entries) - added
    raise StoreError("the register kept changing while recording; nothing was recorded, try again")


def record_training(store, name, trained):
    """Record that the account `name` was trained in Equality Impact Assessment on
    `trained`: an entry in the register, and the account's date if it is the first."""
    if not fields.is_date(trained):
        raise Invalid("the training date is not valid", {"trained": "must be a date YYYY-MM-DD"})
    record = _existing(store, name)
    record_entries(store, [training.account_entry(name, record["roles"], trained)])
    return _existing(store, name)


def set_email(store, name, email):
    """Set (or, with None, remove) the address a person's notices are mailed to."""
    if email_errors(email):
        raise Invalid("the e-mail address is not valid", email_errors(email))
    record = {key: value for key, value in _existing(store, name).items() if key != "email"}
    return _save(store, {**record, **({"email": email} if email else {})}, record["version"])


def set_active(store, actor, name, active):
    """Deactivate (its sessions end, its tokens stop working) or reactivate an account."""
    record = _existing(store, name)
    _not_self(actor, name, "deactivate or reactivate")
    stored = _save(store, {**record, "disabled": not active}, record["version"])
    if not active:
        close_all_sessions(store, name)
    return stored


def change_password(store, name, current, new, confirm, keep):
    """The person changes their own password; their other sessions end, `keep` stays."""
    errors = {}
    if check_password(store, name, current) is None:
        errors["current_password"] = "is not your current password"
    errors.update(password_errors(new, "new_password"))
    if new != confirm:
        errors["confirm_password"] = "does not match the new password"
    if errors:
        raise Invalid("the password was not changed", errors)
    record = _existing(store, name)
    _save(store, {**record, "password_hash": _hasher.hash(new)}, record["version"])
    close_all_sessions(store, name, keep=keep)
