"""The rules an account is held to, one place each: its name, roles, teams, e-mail address
and password, a team's name and coordinator, and that nobody administers their own account.

Pure: no Flask, no store. The application layer (services.account_service,
services.team_service, services.role_change_service) calls these from every door: the admin
pages, a person's own account page, the sign-in link, the command line and the demo loader.
"""
import re

from workflow import fields, training
from workflow.errors import Forbidden, Invalid
from workflow.users import ROLE_WORDS, ROLES

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[^@\s<>,;]+\.[^@\s<>,;]{2,}$")  # also bars header injection
PASSWORD_MIN = 8
PASSWORD_MAX = 1024  # the sign-in form accepts no longer, so no longer may be set
TEAM_MAX = 100
TEAM_NAME = (f"Enter a team name of 1 to {TEAM_MAX} characters on one line, "
             "without line breaks, tabs or other control characters")


def team_name_errors(team, field="team"):
    """{field: what is wrong} unless `team` is a team's name: one line of 1-100 characters."""
    return {field: TEAM_NAME} if fields.one_line(field, team, TEAM_MAX) else {}


def coordinator_errors(coordinator):
    """A team's coordinator (a user name or a post holder): blank clears it, else one line."""
    return fields.one_line("coordinator", coordinator, TEAM_MAX) if coordinator else {}


def account_errors(name, roles, teams, trained):
    """{field: what is wrong} with an account's name, `roles`, `teams` and EqIA training date."""
    errors = {}
    if not isinstance(name, str) or not NAME.match(name):
        errors["name"] = ("Enter a name of 1 to 64 letters, digits, dots, dashes or underscores, "
                          "starting with a letter or digit")
    if not roles or any(role not in ROLES for role in roles):
        errors["role"] = "Select at least one role from: " + ", ".join(ROLE_WORDS[role] for role in ROLES)
    for team in teams:
        errors.update(team_name_errors(team))
    if trained is not None:
        errors.update(training.date_errors(trained, "trained"))
    return errors


def check_account(name, roles, teams, trained):
    """Invalid, with every problem at once, unless the account is valid."""
    errors = account_errors(name, roles, teams, trained)
    if errors:
        raise Invalid("Correct the account's details shown.", errors)


def email_errors(email):
    """None clears the address; otherwise one plausible address (notices are mailed to it)."""
    if email is None or (isinstance(email, str) and EMAIL.fullmatch(email)):
        return {}
    return {"email": "Enter an email address in the correct format, like name@example.org"}


def password_errors(password, field="password"):
    """{field: what is wrong} unless `password` is PASSWORD_MIN to PASSWORD_MAX characters."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        return {field: f"Enter a password of at least {PASSWORD_MIN} characters"}
    if len(password) > PASSWORD_MAX:
        return {field: f"Password must be {PASSWORD_MAX:,} characters or fewer"}
    return {}


def refuse_own_account(actor, name, what, field=None):
    """Forbidden if `actor` would `what` ("change the roles of") their own account `name`.

    An administrator has no sign-off power; changing their own roles would let them grant
    it to themselves, so another administrator must do it. Their own password, training and
    status go the same way: no admin bypasses the current-password check, certifies their
    own training or locks themselves out."""
    if actor == name:
        raise Forbidden(f"You cannot {what} your own account; ask another administrator.",
                        {field: f"You cannot {what} your own account; ask another administrator"} if field else None)
