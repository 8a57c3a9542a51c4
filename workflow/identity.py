"""Signing in with the authority's identity provider (OpenID Connect): which local account a
provider's verified claims stand for, what a first sign-in creates, and what the provider's
groups may grant. Pure rules: services.oidc_service verifies the ID token, asks here, commits."""
import json
import re

from workflow.accounts import NAME
from workflow.errors import Invalid, WorkflowError
from workflow.users import ROLES

DEFAULT_GROUPS_CLAIM = "groups"
# What a provider's group may grant. Sign-off and Board roles (head, chief_executive, eodb) and
# admin follow the product's two-person rule (DESIGN.md); smt is given by an administrator.
GRANTABLE = ("staff", "team_leader")
NAME_PART = re.compile(r"[^A-Za-z0-9._-]+")


class Refused(WorkflowError):
    """The provider's answer does not let this person in; nothing changes but a flag."""
    status = 403


def group_map_errors(group_map):
    """{field: message} for a group map ({provider group: {"team": ..., "role": ...}}); {} if sound."""
    if not isinstance(group_map, dict):
        return {"group_map": "Give the group map as pairs of a provider group and what it grants."}
    for group, grant in group_map.items():
        if not isinstance(grant, dict) or set(grant) - {"team", "role"}:
            return {"group_map": f"The group {group} must grant a team, a role, or both."}
        if "role" in grant and grant["role"] not in GRANTABLE:
            said = grant["role"] if grant["role"] in ROLES else "an unknown role"
            return {"group_map": f"The group {group} cannot grant {said}: a provider group may grant only "
                                 "staff or team leader."}
        if "team" in grant and not (isinstance(grant["team"], str) and grant["team"].strip()):
            return {"group_map": f"The group {group} names no team."}
    return {}


def parse_group_map(given):
    """The group map, given as JSON (OIDC_GROUP_MAP) or as stored; Invalid in plain words if it is
    not one or grants what no group may."""
    if not given:
        return {}
    try:
        group_map = json.loads(given) if isinstance(given, str) else given
    except ValueError:
        raise Invalid("The group map is not valid JSON.", {"group_map": "Write the group map as JSON."}) from None
    errors = group_map_errors(group_map)
    if errors:
        raise Invalid("Correct the group map.", errors)
    return group_map


def granted(claims, groups_claim, group_map):
    """(teams, roles) the provider's groups in `claims` grant under `group_map`: only the roles
    in GRANTABLE, whatever the map or the claims say."""
    groups = claims.get(groups_claim or DEFAULT_GROUPS_CLAIM) or ()
    if isinstance(groups, str):
        groups = (groups,)
    teams, roles = set(), set()
    for group in groups:
        grant = group_map.get(group) if isinstance(group, str) else None
        if not isinstance(grant, dict):
            continue
        if isinstance(grant.get("team"), str) and grant["team"].strip():
            teams.add(grant["team"].strip())
        if grant.get("role") in GRANTABLE:
            roles.add(grant["role"])
    return frozenset(teams), frozenset(roles)


def verified_email(claims):
    """The e-mail address the provider vouches for (email_verified true), lower-cased; else None."""
    email = claims.get("email")
    if claims.get("email_verified") is True and isinstance(email, str) and "@" in email:
        return email.strip().lower()
    return None


def matching_account(accounts, issuer, claims):
    """(how, record) for the account `claims` from `issuer` stand for among `accounts`:
    ("sub", r) when bound to this subject; ("email", r) when not yet bound and its e-mail is the
    provider's verified one (the subject is then bound, so this happens once); ("stale", r) when
    that e-mail's account is bound to another subject of this provider, one it no longer knows;
    (None, None) for nobody."""
    sub = claims["sub"]
    for record in accounts:
        if record.get("oidc_issuer") == issuer and record.get("oidc_sub") == sub:
            return "sub", record
    email = verified_email(claims)
    if email is None:
        return None, None
    for record in accounts:
        if (record.get("email") or "").strip().lower() != email:
            continue
        if not record.get("oidc_sub"):
            return "email", record
        if record.get("oidc_issuer") == issuer:
            return "stale", record
    return None, None


def refusal(how, record):
    """Refused when the matched account may not sign in; None when it may."""
    if how == "stale":
        raise Refused("Your account here is linked to a different identity at your provider. "
                      "An administrator has been told; ask them to check your account.")
    if record is not None and record.get("disabled"):
        raise Refused("Your account here has been deactivated. Ask an administrator if you need it back.")


def signed_in_record(record, issuer, claims, grant, at):
    """The account after a sign-in: bound to the subject, seen `at`, with what `grant` ((teams,
    roles) from granted) adds. Nothing is taken away: roles given here by hand stay."""
    teams, roles = grant
    return {**record, "oidc_issuer": issuer, "oidc_sub": claims["sub"], "oidc_last_seen": at,
            "oidc_unknown": False, "teams": sorted(set(record.get("teams", ())) | teams),
            "roles": sorted(set(record.get("roles", ())) | roles)}


def new_account(claims, taken, issuer, grant, at):
    """The account a first sign-in creates: a staff account (a team leader only if a group grants
    it) with no privileged role, named after the person's preferred name or e-mail, unlike any in
    `taken`."""
    teams, roles = grant
    record = {"name": account_name(claims, taken), "roles": sorted({"staff"} | roles), "teams": sorted(teams),
              "trained": None, "trained_by": None, "password_hash": None, "created_at": at}
    if verified_email(claims):
        record["email"] = verified_email(claims)
    return signed_in_record(record, issuer, claims, (frozenset(), frozenset()), at)


def account_name(claims, taken):
    """A user name for a new account: the preferred username or the e-mail's local part, kept to
    the characters names allow, numbered when `taken` has it."""
    wanted = claims.get("preferred_username") or (claims.get("email") or "").split("@")[0] or "user"
    base = NAME_PART.sub(".", str(wanted)).strip("._-")[:56] or "user"
    taken = {t.lower() for t in taken}
    name, number = base, 1
    while name.lower() in taken or not NAME.match(name):
        number += 1
        name = f"{base}{number}" if NAME.match(f"{base}{number}") else f"user{number}"
    return name
