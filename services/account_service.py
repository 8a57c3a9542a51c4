"""User accounts and their passwords, and the EqIA training register they follow.

Passwords are kept as Argon2 hashes, never as given. What a person holds besides a
password (sessions, API tokens, one-time sign-in links) is services.credential_service's;
signing in and out is services.sign_in_service's. The rules an account is held to are
workflow.accounts'.

Every change to an account or the training register is recorded in the audit log
(services.audit_service) in the commit that makes it. Granting or removing a powered role goes
through services.role_change_service, never straight through here, except add_user (see there).
"""
import functools

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from services import audit_service, commits, credential_service, memo, settings_service
from store import Put
from workflow import accounts, deputies, training
from workflow.documents import now
from workflow.errors import Invalid, NotFound, StateConflict
from workflow.users import User

USERS = "users"
TRAINING = "training"  # the EqIA training register: one record per training event
LINK_SPENT = "This link has been used or has expired: ask an administrator for a new one."
# What a person as the rules see them is read from (as_user): what is kept of people
# need be worked out again only when one of these changes, not at every commit.
PERSON_FROM = (USERS, settings_service.SETTINGS, deputies.DEPUTIES)
# Argon2id, memory-hard (64 MiB, 3 passes): RFC 9106's profile for when memory is scarce.
HASH_PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(HASH_PARAMETERS)


@functools.cache
def _dummy_hash(hasher):
    """Verified against when the name is unknown, so both cases take the same time. Made at its
    first use, not at import: a hash takes ~0.2 s, which every command-line run would pay."""
    return hasher.hash("not a password")


def prepare_sign_in():
    """Make the hash a sign-in under an unknown name is checked against now (at the application's
    start), so that the first such sign-in takes no longer than any other."""
    _dummy_hash(_hasher)



def add_user(store, name, password, roles, teams=(), trained=None, email=None, by=audit_service.COMMAND_LINE,
             proposed=(), extra=(), entries=()):
    """Create an account holding `roles` at once; StateConflict if the name is taken.

    It grants every role it is given, powered ones included: only the command line's
    bootstrap (services.role_change_service.add_from_command_line, which decides what it may
    grant), the demo loader and tests call it. `password` None: the person sets theirs through
    a sign-in link. `proposed`: roles asked for that await confirmation (for the log), whose
    `extra` ops and audit `entries` commit with the account."""
    accounts.check_account(name, roles or proposed, teams, trained)
    if accounts.email_errors(email):
        raise Invalid("Correct the email address shown.", accounts.email_errors(email))
    if password is not None and accounts.password_errors(password):
        raise Invalid("Correct the password shown.", accounts.password_errors(password))
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
    with commits.refused_if_changed(f"{name} already has an account", _taken(name)):
        return audit_service.commit(store, [Put(USERS, name, record), *ops, *extra], [created, *logged, *entries])[0]


def _taken(name):
    return {"name": f"{name} is taken: choose another name"}


def account_record(store, name):
    """The stored account, deactivated or not (for administration); None if absent."""
    return store.get(USERS, name) if isinstance(name, str) and name else None


def account(store, name):
    """The stored account, deactivated or not; NotFound if there is none."""
    record = account_record(store, name)
    if record is None:
        raise NotFound("There is no such account.")
    return record


class KeptPeople:
    """What is worked out from people as the rules see them (as_user, as_users), kept until
    their accounts, the settings or the deputy namings change (a commit, in any process) or
    the day (UTC) does: a naming takes effect on its first day with no commit to tell."""

    def __init__(self, store, items=100_000, also=()):
        """`also`: the other collections the kept values are read from (a session's, a token's)."""
        self._kept = memo.UntilChanged(store, items=items, collections=(*also, *PERSON_FROM))

    def get(self, key, compute, weight=None):
        return self._kept.get((deputies.today(), key), compute, weight=weight)


def as_user(store, record):
    """The person as the rules see them, under the authority's settings, with their naming
    as deputy approver in effect today."""
    deputy = deputies_in_effect(store.scan(deputies.DEPUTIES, {"person": record["name"]})).get(record["name"])
    return User.from_record(record, training_rule=settings_service.training_rule(store), deputy=deputy)


def as_users(store, records):
    """Several people as the rules see them (the settings and the namings read once)."""
    rule = settings_service.training_rule(store)
    named = deputies_in_effect(store.scan(deputies.DEPUTIES))
    return [User.from_record(record, training_rule=rule, deputy=named.get(record["name"])) for record in records]


def deputies_in_effect(namings):
    """{person: deputies.Deputy} of the stored `namings` in effect today. Read where every User
    is made, so the rules see a naming from every door."""
    day = deputies.today()
    return {record["person"]: deputies.Deputy.from_record(record) for record in namings
            if deputies.in_effect(record, day)}


def active_people(store):
    """Every active account, as stored."""
    return [record for record in store.scan(USERS) if not record.get("disabled")]


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
        _hasher.verify((record or {}).get("password_hash") or _dummy_hash(_hasher), password or "")
    except (VerificationError, InvalidHashError):
        return None
    return _active(store, record)


def spend_check_time(password):
    """Take as long as a password check, checking nothing: a refused sign-in answers no faster."""
    try:
        _hasher.verify(_dummy_hash(_hasher), password or "")
    except (VerificationError, InvalidHashError):
        pass


# --- Administration and self-service (the admin and account pages) ---------

def list_accounts(store):
    """Every account, by name, with when it last signed in."""
    visits = {visit["id"]: visit["last_sign_in"] for visit in store.scan(credential_service.VISITS)}
    return [{**record, "last_sign_in": visits.get(record["name"])}
            for record in sorted(store.scan(USERS), key=lambda record: record["name"].casefold())]


def _save(store, record, version, entries, extra=()):
    """Replace an account if it is still at `version` (the one the form was rendered with),
    with its audit `entries` and `extra` ops in the same commit."""
    with commits.refused_if_changed("someone else changed this account since you opened it; reload it",
                                    {"version": "the account has changed"}):
        [stored, *_] = audit_service.commit(
            store, [Put(USERS, record["name"], record, expected_version=version), *extra], entries)
    return stored


def update_account(store, by, name, version, roles, teams, trained, extra=(), entries=(), requested=None):
    """Set an account's roles, teams and training date; never the actor's own roles or
    training. `roles` are what the account is to hold now: services.role_change_service decides
    which of the `requested` roles wait for confirmation (and passes their `extra` ops and
    audit `entries`)."""
    record = account(store, name)
    accounts.check_account(name, roles if requested is None else requested, teams, trained)
    changed_roles = set(roles) != set(record["roles"])
    if changed_roles or entries:
        accounts.refuse_own_account(by.name, name, "change the roles of", "role")
    logged = list(entries)
    updated = {**record, "roles": sorted(set(roles)), "teams": sorted(set(teams))}
    if trained != record.get("trained"):
        accounts.refuse_own_account(by.name, name, "record the training of", "trained")
        updated.update(trained=trained, trained_by=by.name if trained else None)
        logged.append(audit_service.entry(by, "training", name, "account date set" if trained else "account date cleared",
                                          date=trained, before=record.get("trained"), entered_by=by.name))
    if changed_roles or updated["teams"] != record["teams"]:
        logged.append(audit_service.entry(by, "account", name, "edited", roles=updated["roles"], teams=updated["teams"],
                                          roles_before=record["roles"], teams_before=record["teams"]))
    return _save(store, updated, version, logged, extra)


def create_account(store, by, name, roles, teams=(), trained=None, proposed=(), extra=(), entries=()):
    """add_user for the admin form: no password (the person sets theirs through the one-time
    link returned with the record), every problem reported at once, a taken name as a field
    error. `proposed` roles await confirmation (services.role_change_service). The secret is None
    while local passwords are off: the person signs in through the identity provider."""
    errors = accounts.account_errors(name, [*roles, *proposed], teams, trained)
    if not errors and account_record(store, name) is not None:
        errors = _taken(name)
    if errors:
        raise Invalid("Correct the account's details shown.", errors)
    # While local passwords are off a new account signs in through the provider: no link to set one.
    secret, link_ops = (credential_service.link_ops(store, name, by, "new")
                        if settings_service.password_allowed(store, name) else (None, []))
    record = add_user(store, name, None, roles, teams, trained, by=by, proposed=proposed,
                      extra=[*link_ops, *extra], entries=entries)
    return record, secret


def reset_password(store, by, name):
    """An administrator resets a password: the old one stops working, every session and
    API token of the account ends, and the secret of a one-time link is returned for the
    person to set their own (nobody chooses another person's password)."""
    record = account(store, name)
    accounts.refuse_own_account(by.name, name, "reset the password of", "password")
    secret, ops = credential_service.renewal_ops(store, name, by, "reset")
    _save(store, {**record, "password_hash": None}, record["version"],
          [audit_service.entry(by, "account", name, "password reset", ended="sessions and API tokens")], ops)
    return secret


def _new_password_errors(new, confirm):
    errors = accounts.password_errors(new, "new_password")
    if new != confirm:
        errors["confirm_password"] = "Enter the same password as the new password"
    return errors


def set_password_by_link(store, secret, new, confirm, address=None):
    """The person sets their own password through a one-time link, which is then spent;
    their name. NotFound if the link is unknown, used or expired."""
    link = credential_service.sign_in_link(store, secret)
    if link is None:
        raise NotFound(LINK_SPENT)
    settings_service.check_password_allowed(store, link["user"])
    errors = _new_password_errors(new, confirm)
    if errors:
        raise Invalid("The password was not set: correct what is shown.", errors)
    record = account(store, link["user"])
    try:
        _save(store, {**record, "password_hash": _hasher.hash(new)}, record["version"],
              [audit_service.entry(audit_service.Actor(record["name"], address), "account", record["name"],
                                   "password set with a one-time link", purpose=link["purpose"],
                                   made_by=link["made_by"])],
              [credential_service.spend_link(link), *credential_service.ending_ops(store, record["name"])])
    except StateConflict:  # the link was spent meanwhile (or the account changed): it is used
        raise NotFound(LINK_SPENT) from None
    return record["name"]


def change_password(store, name, current, new, confirm, keep, address=None):
    """The person changes their own password; their other sessions and all their API
    tokens end (a token taken with the old password must not outlive it), `keep` stays."""
    errors = {}
    if check_password(store, name, current) is None:
        errors["current_password"] = "Enter your current password as it is now"
    errors.update(_new_password_errors(new, confirm))
    if errors:
        raise Invalid("The password was not changed: correct what is shown.", errors)
    record = account(store, name)
    _save(store, {**record, "password_hash": _hasher.hash(new)}, record["version"],
          [audit_service.entry(audit_service.Actor(name, address), "account", name, "password changed",
                               ended="other sessions and API tokens")],
          credential_service.ending_ops(store, name, keep=keep))


def set_email(store, name, email, by=audit_service.COMMAND_LINE):
    """Set (or, with None, remove) the address a person's notices are mailed to."""
    if accounts.email_errors(email):
        raise Invalid("Correct the email address shown.", accounts.email_errors(email))
    record = {key: value for key, value in account(store, name).items() if key != "email"}
    return _save(store, {**record, **({"email": email} if email else {})}, record["version"],
                 [audit_service.entry(by, "account", name, "e-mail address set" if email else "e-mail address removed")])


def set_active(store, by, name, active):
    """Deactivate (its sessions end, its tokens stop working) or reactivate an account."""
    record = account(store, name)
    accounts.refuse_own_account(by.name, name, "deactivate or reactivate")
    if not active and name == settings_service.local_passwords(store)["break_glass"]:
        # Whatever the setting, the break-glass account stays usable for when the provider fails.
        raise Invalid(f"{name} is the break-glass administrator: choose another one (Signing in) before "
                      "deactivating this account.", {"active": "the break-glass administrator stays active"})
    ended = credential_service.session_ops(store, name) if not active else []
    return _save(store, {**record, "disabled": not active}, record["version"],
                 [audit_service.entry(by, "account", name, "reactivated" if active else "deactivated")], ended)


# --- The training register --------------------------------------------------

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
    logged = [audit_service.entry(by, "training", entry["name"], "recorded", course=entry["course"],
                                  date=entry["date"], group=entry["group"], entered_by=entry.get("entered_by"))
              for entry in added.values()]
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
        raise Invalid("You cannot record your own training.", {"name": training.OWN_NAME})
    entries = [{**entry, "entered_by": by.name} for entry in entries]

    def record():  # an account or entry changed meanwhile: look again
        ops, logged = _register_ops(store, entries, by)
        audit_service.commit(store, ops, logged)
        return len(logged), len(entries) - len(logged)
    return commits.retried(record, "the training register")


def record_training(store, name, trained, by=audit_service.COMMAND_LINE):
    """Record that the account `name` was trained in Equality Impact Assessment on
    `trained`: an entry in the register, and the account's date if it is the first."""
    errors = training.date_errors(trained, "trained")
    if errors:
        raise Invalid("Correct the date trained shown.", errors)
    record = account(store, name)
    record_entries(store, [training.account_entry(name, record["roles"], trained, by.name)], by)
    return account(store, name)
