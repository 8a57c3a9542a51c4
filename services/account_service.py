"""User accounts, API tokens and sign-in sessions, kept in the store.

Secrets are never stored as given: passwords as Argon2 hashes, API tokens,
session ids and one-time sign-in links as SHA-256 digests (they are long random
values, so a fast hash is enough to make a stolen store useless for signing in).

Every change to an account or the training register is recorded in the audit log
(services.audit_service) in the commit that makes it. Granting or removing a powered role goes
through web.pages.role_change_pages, never straight through here, except add_user (see there).
"""
import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from store import Conflict, Delete, Put, StoreError
from services import audit_service, settings_service
from workflow import fields, training
from workflow.documents import now
from workflow.errors import Forbidden, Invalid, NotFound, StateConflict
from workflow.users import ROLES, User

USERS, TOKENS, SESSIONS, VISITS = "users", "tokens", "sessions", "visits"
SIGN_IN_LINKS = "sign_in_links"  # one-time links to set one's own password, by digest
LINK_LIFETIME = dt.timedelta(hours=24)
TRAINING = "training"  # the EqIA training register: one record per training event
# What a person as the rules see them is read from (as_user): what is kept of people
# need be worked out again only when one of these changes, not at every commit.
PERSON_FROM = (USERS, settings_service.SETTINGS)
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
    if trained is not None:
        errors.update(training.date_errors(trained, "trained"))
    if errors:
        raise Invalid("the account is not valid", errors)


def email_errors(email):
    """None clears the address; otherwise one plausible address (notices are mailed to it)."""
    if email is None or (isinstance(email, str) and EMAIL.fullmatch(email)):
        return {}
    return {"email": "must be an e-mail address like name@example.org"}


def add_user(store, name, password, roles, teams=(), trained=None, email=None, by=audit_service.COMMAND_LINE,
             proposed=(), extra=(), entries=()):
    """Create an account holding `roles` at once; Conflict if the name is taken.

    It grants every role it is given, powered ones included: only the command line's
    bootstrap (web.pages.role_change_pages.add_from_command_line, which decides what it may grant), the
    demo loader and tests call it. `password` None: the person sets theirs through a
    sign-in link. `proposed`: roles asked for that await confirmation (for the log), whose
    `extra` ops and audit `entries` commit with the account."""
    check_account(name, roles or proposed, teams, trained)
    if email_errors(email):
        raise Invalid("the account is not valid", email_errors(email))
    if password is not None and (not password or len(password) < 8):
        raise Invalid("the password is too short", {"password": "must be at least 8 characters"})
    recorded = [training.account_entry(name, roles, trained, by.name)] if trained else []
    ops, logged = _register_ops(store, recorded, by)
    # Someone the register already lists as trained is trained from their first EqIA there.
    first = training.earliest_eqia([*store.scan(TRAINING), *recorded]).get(training.person(name))
    record = {"name": name, "roles": sorted(set(roles)), "teams": sorted(set(teams)),
              "trained": first and first["date"], "trained_by": first and first.get("entered_by"),
              "password_hash": _hasher.hash(password) if password else None, "created_at": now()}
    if email is not None:
        record["email"] = email
    created = audit_service.entry(by, "account", name, "created", roles=record["roles"], teams=record["teams"],
                          awaiting_confirmation=sorted(set(proposed)))
    return audit_service.commit(store, [Put(USERS, name, record), *ops, *extra], [created, *logged, *entries])[0]


def account_record(store, name):
    """The stored account, deactivated or not (for administration); None if absent."""
    return store.get(USERS, name) if isinstance(name, str) and name else None


def as_user(store, record):
    """The person as the rules see them, under the authority's settings."""
    return User.from_record(record, training_rule=settings_service.training_rule(store))


def as_users(store, records):
    """Several people as the rules see them (the settings read once)."""
    rule = settings_service.training_rule(store)
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


def issue_token(store, name, by=audit_service.COMMAND_LINE):
    """A new API token for `name` (`run.py token`); only its digest is kept."""
    token = secrets.token_urlsafe(32)
    # The last four characters help the person tell their tokens apart (24 of 256 bits: no help to a guesser).
    audit_service.commit(store, [Put(TOKENS, digest(token), {"user": name, "created_at": now(), "hint": token[-4:]})],
                 [audit_service.entry(by, "account", name, "API token issued", hint=token[-4:])])
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


def _session_ops(store, name, keep=None):
    """Delete every session of `name` but `keep`."""
    kept = digest(keep) if keep else None
    return [Delete(SESSIONS, record["id"]) for record in store.scan(SESSIONS, {"user": name})
            if record["id"] != kept]


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


def list_accounts(store):
    """Every account, by name, with when it last signed in."""
    visits = {visit["id"]: visit["last_sign_in"] for visit in store.scan(VISITS)}
    return [{**record, "last_sign_in": visits.get(record["name"])}
            for record in sorted(store.scan(USERS), key=lambda record: record["name"].casefold())]


def _existing(store, name):
    record = account_record(store, name)
    if record is None:
        raise NotFound("there is no such account")
    return record


def _save(store, record, version, entries, extra=()):
    """Replace an account if it is still at `version` (the one the form was rendered with),
    with its audit `entries` and `extra` ops in the same commit."""
    try:
        [stored, *_] = audit_service.commit(store, [Put(USERS, record["name"], record, expected_version=version), *extra],
                                    entries)
    except Conflict:
        raise StateConflict("someone else changed this account since you opened it; reload it",
                            {"version": "the account has changed"})
    return stored


def refuse_self(actor, name, what, field=None):
    # An administrator has no sign-off power; changing their own roles would let
    # them grant it to themselves, so another administrator must do it. Their own
    # password, training and status go the same way: no admin bypasses the
    # current-password check, certifies their own training or locks themselves out.
    if actor == name:
        raise Forbidden(f"You cannot {what} your own account; ask another administrator.",
                        {field: f"you cannot {what} your own account"} if field else None)


def update_account(store, by, name, version, roles, teams, trained, extra=(), entries=(), requested=None):
    """Set an account's roles, teams and training date; never the actor's own roles or
    training. `roles` are what the account is to hold now: web.pages.role_change_pages decides which of
    the `requested` roles wait for confirmation (and passes their `extra` ops and audit
    `entries`)."""
    record = _existing(store, name)
    check_account(name, roles if requested is None else requested, teams, trained)
    changed_roles = set(roles) != set(record["roles"])
    if changed_roles or entries:
        refuse_self(by.name, name, "change the roles of", "role")
    logged = list(entries)
    updated = {**record, "roles": sorted(set(roles)), "teams": sorted(set(teams))}
    if trained != record.get("trained"):
        refuse_self(by.name, name, "record the training of", "trained")
        updated.update(trained=trained, trained_by=by.name if trained else None)
        logged.append(audit_service.entry(by, "training", name, "account date set" if trained else "account date cleared",
                                  date=trained, before=record.get("trained"), entered_by=by.name))
    if changed_roles or updated["teams"] != record["teams"]:
        logged.append(audit_service.entry(by, "account", name, "edited", roles=updated["roles"], teams=updated["teams"],
                                  roles_before=record["roles"], teams_before=record["teams"]))
    return _save(store, updated, version, logged, extra)


def _ending_ops(store, name, keep=None):
    """Delete every session of `name` but `keep`, and every API token of theirs: what a
    change of password, or a reset, ends."""
    return _session_ops(store, name, keep) + [Delete(TOKENS, record["id"])
                                              for record in store.scan(TOKENS, {"user": name})]


def _link_ops(store, name, by, purpose):
    """(link secret, ops): a new one-time sign-in link for `name`, replacing any other;
    only its digest is stored."""
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
    secret, link_ops = _link_ops(store, name, by, purpose)
    return secret, [*link_ops, *_ending_ops(store, name)]


def create_account(store, by, name, roles, teams=(), trained=None, proposed=(), extra=(), entries=()):
    """add_user for the admin form: no password (the person sets theirs through the one-time
    link returned with the record), every problem reported at once, a taken name as a field
    error. `proposed` roles await confirmation (web.pages.role_change_pages)."""
    try:
        check_account(name, [*roles, *proposed], teams, trained)
    except Invalid as exc:
        raise Invalid("the account is not valid", exc.details)
    if account_record(store, name) is not None:
        raise Invalid("the account is not valid", {"name": f"{name} is taken: choose another name"})
    secret, link_ops = _link_ops(store, name, by, "new")
    try:
        record = add_user(store, name, None, roles, teams, trained, by=by, proposed=proposed,
                          extra=[*link_ops, *extra], entries=entries)
    except Conflict:
        raise Invalid("the account is not valid", {"name": f"{name} is taken: choose another name"})
    return record, secret


def reset_password(store, by, name):
    """An administrator resets a password: the old one stops working, every session and
    API token of the account ends, and the secret of a one-time link is returned for the
    person to set their own (nobody chooses another person's password)."""
    record = _existing(store, name)
    refuse_self(by.name, name, "reset the password of", "password")
    secret, link_ops = _link_ops(store, name, by, "reset")
    _save(store, {**record, "password_hash": None}, record["version"],
          [audit_service.entry(by, "account", name, "password reset", ended="sessions and API tokens")],
          [*link_ops, *_ending_ops(store, name)])
    return secret


def sign_in_link(store, secret):
    """The live link record for `secret`; None if unknown, used or expired."""
    record = store.get(SIGN_IN_LINKS, digest(secret)) if isinstance(secret, str) and secret else None
    if record is None or dt.datetime.fromisoformat(record["expires_at"]) <= dt.datetime.now(dt.timezone.utc):
        return None
    return record


def set_password_by_link(store, secret, new, confirm, address=None):
    """The person sets their own password through a one-time link, which is then spent;
    their name. NotFound if the link is unknown, used or expired."""
    link = sign_in_link(store, secret)
    if link is None:
        raise NotFound("this link has been used or has expired")
    errors = password_errors(new, "new_password")
    if new != confirm:
        errors["confirm_password"] = "does not match the new password"
    if errors:
        raise Invalid("the password was not set", errors)
    record = _existing(store, link["user"])
    try:
        # The link is deleted at its version: of two uses at once, one is refused.
        _save(store, {**record, "password_hash": _hasher.hash(new)}, record["version"],
              [audit_service.entry(audit_service.Actor(record["name"], address), "account", record["name"],
                           "password set with a one-time link", purpose=link["purpose"], made_by=link["made_by"])],
              [Delete(SIGN_IN_LINKS, link["id"], expected_version=link["version"]),
               *_ending_ops(store, record["name"])])
    except StateConflict:
        raise NotFound("this link has been used or has expired")
    return record["name"]


def _register_ops(store, entries, by):
    """(ops, audit entries): put the `entries` the register lacks, and bring each account
    named in an EqIA entry someone else recorded to its earliest such date, so the approval
    rule (which reads the account) follows the register."""
    present = {record["id"] for record in store.scan(TRAINING)}
    new = {}
    for entry in entries:
        new.setdefault(training.key(entry), entry)
    added = {key: entry for key, entry in new.items() if key not in present}
    ops = [Put(TRAINING, key, entry) for key, entry in added.items()]
    logged = [audit_service.entry(by, "training", entry["name"], "recorded", course=entry["course"], date=entry["date"],
                          group=entry["group"], entered_by=entry.get("entered_by")) for entry in added.values()]
    first = training.earliest_eqia(entries)
    for record in store.scan(USERS):
        found = first.get(training.person(record["name"]))
        if found and (not record.get("trained") or found["date"] < record["trained"]):
            ops.append(Put(USERS, record["name"], {**record, "trained": found["date"],
                                                   "trained_by": found.get("entered_by")},
                           expected_version=record["version"]))
    return ops, logged


def record_entries(store, entries, by=audit_service.COMMAND_LINE):
    """Add checked training `entries` to the register in one commit, with the accounts
    they name, as recorded by `by`; returns (added, already present). Entries already
    there add nothing. Nobody records their own training: Invalid, and nothing is added."""
    own = [entry["name"] for entry in entries if training.entered_by_self(entry["name"], by.name)]
    if own:
        raise Invalid("you cannot record your own training",
                      {"name": "is your own name: someone else must record your training"})
    entries = [{**entry, "entered_by": by.name} for entry in entries]
    for _ in range(ATTEMPTS):
        ops, logged = _register_ops(store, entries, by)
        try:
            audit_service.commit(store, ops, logged)
        except Conflict:  # an account or entry changed meanwhile: look again
            continue
        return len(logged), len(entries) - len(logged)
    raise StoreError("the register kept changing while recording; nothing was recorded, try again")


def record_training(store, name, trained, by=audit_service.COMMAND_LINE):
    """Record that the account `name` was trained in Equality Impact Assessment on
    `trained`: an entry in the register, and the account's date if it is the first."""
    errors = training.date_errors(trained, "trained")
    if errors:
        raise Invalid("the training date is not valid", errors)
    record = _existing(store, name)
    record_entries(store, [training.account_entry(name, record["roles"], trained, by.name)], by)
    return _existing(store, name)


def set_email(store, name, email, by=audit_service.COMMAND_LINE):
    """Set (or, with None, remove) the address a person's notices are mailed to."""
    if email_errors(email):
        raise Invalid("the e-mail address is not valid", email_errors(email))
    record = {key: value for key, value in _existing(store, name).items() if key != "email"}
    return _save(store, {**record, **({"email": email} if email else {})}, record["version"],
                 [audit_service.entry(by, "account", name, "e-mail address set" if email else "e-mail address removed")])


def set_active(store, by, name, active):
    """Deactivate (its sessions end, its tokens stop working) or reactivate an account."""
    record = _existing(store, name)
    refuse_self(by.name, name, "deactivate or reactivate")
    ended = _session_ops(store, name) if not active else []
    return _save(store, {**record, "disabled": not active}, record["version"],
                 [audit_service.entry(by, "account", name, "reactivated" if active else "deactivated")], ended)


def change_password(store, name, current, new, confirm, keep, address=None):
    """The person changes their own password; their other sessions and all their API
    tokens end (a token taken with the old password must not outlive it), `keep` stays."""
    errors = {}
    if check_password(store, name, current) is None:
        errors["current_password"] = "is not your current password"
    errors.update(password_errors(new, "new_password"))
    if new != confirm:
        errors["confirm_password"] = "does not match the new password"
    if errors:
        raise Invalid("the password was not changed", errors)
    record = _existing(store, name)
    _save(store, {**record, "password_hash": _hasher.hash(new)}, record["version"],
          [audit_service.entry(audit_service.Actor(name, address), "account", name, "password changed",
                       ended="other sessions and API tokens")],
          _ending_ops(store, name, keep=keep))
