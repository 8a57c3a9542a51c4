"""Signing in and out: a password checked under the throttle (services.throttle_service),
a server-side session opened and closed, the person behind a session, a one-time link's
password set, and a password changed by its owner (throttled like a sign-in)."""
import datetime as dt

from services import (
    account_service,
    credential_service,
    outbox_service,
    settings_service,
    throttle_service,
)
from store import Put
from workflow.errors import WorkflowError


class WrongPassword(WorkflowError):
    """The name or the password is not right (which, is not said)."""
    status = 401

    def __init__(self):
        super().__init__("The user name or password is not right.")


class PasswordsOff(WorkflowError):
    """Local passwords are switched off and this is not the break-glass administrator's (or the
    password is wrong: the two are not told apart)."""
    status = 401


def kept_sessions(store):
    """Each session's record and its person, kept until sessions or people change
    (account_service.KeptPeople), so signing out, a password change, a deactivation or a
    deputy naming ended (each a commit, in any process) is seen by the next request. Keyed
    by digest, as the store keeps session ids."""
    return account_service.KeptPeople(store, items=4096, also=(credential_service.SESSIONS,))


def signed_in(kept, store, session_id, lifetime):
    """(the active User, when they signed in before this session) behind `session_id`,
    through `kept` (kept_sessions); None if the session is unknown, expired or its account off."""
    if not isinstance(session_id, str) or not session_id:
        return None
    record, user = kept.get(credential_service.digest(session_id), lambda: _session_and_user(store, session_id))
    # Expiry goes by the clock, not by the store: checked at every request.
    if user is None or not credential_service.session_alive(record, lifetime):
        return None
    return user, record.get("previous_visit")


def _session_and_user(store, session_id):
    """(the stored session record, its active User), or (None, None)."""
    record = credential_service.stored_session(store, session_id)
    user = account_service.find_user(store, record["user"]) if record else None
    return (record, user) if user else (None, None)


def sign_in(store, name, password, address, at, replacing=None):
    """(User, new session id) if `password` is right for `name`; else WrongPassword, or
    throttle_service.Throttled (and the password not even checked) while the name or the
    address `address` must wait at `at`. The session `replacing` (this browser's, if any) ends."""
    try:
        counted = throttle_service.attempt(store, name, address, at)
    except throttle_service.Throttled:
        account_service.spend_check_time(password)  # a refused attempt answers no faster
        raise
    user = account_service.check_password(store, name, password)
    refusal = settings_service.passwords_off(store)
    if refusal and (user is None or not settings_service.password_allowed(store, user.name)):
        # The same words for a wrong password and a right one: which name breaks glass is not told.
        raise PasswordsOff(refusal)
    if user is None:
        raise WrongPassword()  # the attempt counted as it began
    throttle_service.succeeded(store, counted)
    sign_out(store, replacing)
    return user, credential_service.open_session(store, user.name)


def passwords_off(store):
    """What the sign-in page says while local passwords are off (to use the provider); None while on."""
    return settings_service.passwords_off(store)


def sign_out(store, session_id):
    """End the session `session_id` (None: there is none)."""
    if session_id:
        credential_service.close_session(store, session_id)


def link_holder(store, secret):
    """The name of the person the one-time link `secret` is for; None if unknown, used or expired.
    Forbidden while local passwords are off, unless it is the break-glass administrator's."""
    link = credential_service.sign_in_link(store, secret)
    if link:
        settings_service.check_password_allowed(store, link["user"])
    return link and link["user"]


def set_password_by_link(store, secret, new, confirm, address, replacing=None):
    """The person sets their own password through a one-time link (account_service); their
    name. Whoever was signed in on this browser (`replacing`) is not who set it: signed out."""
    name = account_service.set_password_by_link(store, secret, new, confirm, address)
    sign_out(store, replacing)
    return name


def change_password(store, name, current, new, confirm, keep, address, at):
    """The person `name` changes their own password (account_service.change_password). The
    current password is asked for, so a borrowed session cannot guess it unthrottled: the
    attempt counts as a sign-in's does, Throttled while it must wait. Forbidden while local
    passwords are off, unless `name` is the break-glass administrator."""
    settings_service.check_password_allowed(store, name)
    counted = throttle_service.attempt(store, name, address, at)
    try:
        account_service.change_password(store, name, current, new, confirm, keep=keep, address=address)
    except WorkflowError as exc:
        if "current_password" not in exc.details:  # the current password was right
            throttle_service.succeeded(store, counted)
        raise
    throttle_service.succeeded(store, counted)


def mail_link(store, name, link, smtp, link_root, mail_queued=lambda: None):
    """Queue the one-time sign-in `link` (shown once: only its digest is stored) to `name`
    where they have an address, the site sends mail and knows its own address; whether it was."""
    address = (account_service.account_record(store, name) or {}).get("email")
    if not (address and smtp.configured and link_root):
        return False
    body = (f"Follow this link to set your password for the equality governance application. It works once, "
            f"within 24 hours:\n\n{link}\n\nIf you did not expect it, tell your administrator.")
    store.commit([Put(outbox_service.OUTBOX, None, outbox_service.row(
        address, "Equality governance: set your password", body, dt.datetime.now(dt.timezone.utc)))])
    mail_queued()
    return True
