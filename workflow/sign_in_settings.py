"""How people sign in, as an administrator sets it: whether local passwords work for
everyone or only for the break-glass administrator, and the identity provider the
authority signs its staff in with (OpenID Connect; the protocol is workflow.identity's
and services.oidc_service's).

Pure rules over plain values: who may still use a password, when passwords may be
switched off, and which provider settings are well formed. services.sign_in_setting_service
saves them; services.sign_in_service and services.account_service enforce them.
"""
from urllib.parse import urlsplit

# The provider's settings, by the environment variable that sets each (it wins over the page).
PROVIDER_FIELDS = {"issuer": "OIDC_ISSUER", "client_id": "OIDC_CLIENT_ID", "client_secret": "OIDC_CLIENT_SECRET",
                   "provider_name": "OIDC_PROVIDER_NAME", "groups_claim": "OIDC_GROUPS_CLAIM",
                   "group_map": "OIDC_GROUP_MAP"}
# A claim may bring a team and one of these roles, never more (sign-off, Board and admin power
# follow the two-person rule: services.role_change_service).
MAPPED_ROLES = {"staff": "Staff", "team_leader": "Team leader"}
NEEDED = ("issuer", "client_id", "client_secret")  # without these there is no provider to sign in with
TEXT_MAX = 200
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")  # a provider on this machine (tests, a trial) may use http

PASSWORDS_OFF = ("Passwords are switched off here: sign in with {provider}. Only the break-glass "
                 "administrator may use a password.")


def password_allowed(name, passwords_on, break_glass):
    """Whether the account `name` may sign in with, set or change a password: everyone while
    local passwords are on; only the break-glass administrator `break_glass` while they are off."""
    return bool(passwords_on) or (bool(break_glass) and name == break_glass)


def passwords_off_message(provider_name):
    return PASSWORDS_OFF.format(provider=provider_name or "your organisation's identity provider")


def break_glass_errors(record, passwords_on):
    """What stops the account `record` (as stored; None if there is none) being the break-glass
    administrator: it must be an active administrator with a password of their own, or switching
    passwords off would leave nobody able to sign in when the provider fails. While passwords are
    on no break-glass account is needed, but one named must still qualify."""
    if record is None:
        return {"break_glass": "Choose the administrator who may still sign in with a password"} \
            if not passwords_on else {}
    if "admin" not in record.get("roles", ()):
        return {"break_glass": f"{record['name']} is not an administrator: choose an administrator"}
    if record.get("disabled"):
        return {"break_glass": f"{record['name']}'s account is deactivated: choose an active administrator"}
    if not record.get("password_hash"):
        return {"break_glass": f"{record['name']} has no password yet: choose an administrator who has set one"}
    return {}


def switch_off_errors(provider):
    """What stops local passwords being switched off: a provider to sign in with. `provider`: the
    settings in effect ({field: value}); without issuer, client id and secret nobody but the
    break-glass administrator could sign in at all."""
    missing = [field for field in NEEDED if not provider.get(field)]
    if missing:
        return {"local_passwords": "Set the identity provider's issuer, client ID and client secret first: "
                                   "with passwords off, everyone else signs in through it"}
    return {}


def issuer_errors(issuer):
    """An issuer is an https URL (http only for a provider on this machine), as discovery needs."""
    if not issuer:
        return {}
    parts = urlsplit(issuer)
    local = parts.hostname in LOCAL_HOSTS
    if len(issuer) > TEXT_MAX or not parts.hostname or parts.query or parts.fragment or \
            not (parts.scheme == "https" or (parts.scheme == "http" and local)):
        return {"issuer": "Enter the provider's issuer as an https address, for example "
                          "https://login.microsoftonline.com/TENANT/v2.0"}
    return {}


def text_errors(values):
    """Each of `values` ({field: text}) fits on one line and within TEXT_MAX characters."""
    return {field: f"Enter at most {TEXT_MAX} characters on one line" for field, value in values.items()
            if value and (len(value) > TEXT_MAX or any(ord(c) < 32 for c in value))}


def group_map_from_rows(rows, teams):
    """({provider group: {"team", "role"}}, errors keyed by row field) from the table's `rows`
    [(group, team, role)], in order; a row with no group is left out (how a row is removed).
    `teams`: the known team names a row may name."""
    mapped, errors = {}, {}
    for number, (group, team, role) in enumerate(rows):
        group, team, role = (group or "").strip(), (team or "").strip(), (role or "").strip()
        if not group:
            continue
        if len(group) > TEXT_MAX or any(ord(c) < 32 for c in group):
            errors[f"group.{number}"] = f"Enter the group's name or ID in at most {TEXT_MAX} characters"
        elif group in mapped:
            errors[f"group.{number}"] = f"{group} is mapped twice: keep one row for it"
        if team not in teams:
            errors[f"team.{number}"] = "Choose one of the teams"
        if role not in MAPPED_ROLES:
            errors[f"role.{number}"] = "Choose staff or team leader: other roles are never granted by a group"
        mapped[group] = {"team": team, "role": role}
    return (mapped, errors) if not errors else ({}, errors)
