"""Setting how people sign in: local passwords on or off with the break-glass administrator,
and the identity provider's settings (workflow.sign_in_settings holds the rules). Only an
administrator; each change is saved with the version the administrator saw and recorded in
the audit log, the client secret never (the log says only whether it was set).

The settings are read through services.settings_service (local_passwords, oidc_configuration).
"""
from services import (
    account_service,
    audit_service,
    commits,
    credential_service,
    settings_service,
    team_service,
)
from store import Put
from workflow import policy, sign_in_settings
from workflow.documents import now
from workflow.errors import Forbidden, Invalid

NOT_YOURS = "Only an administrator can change how people sign in."
ON_OFF = ("on", "off")


def _entitled(user):
    if not policy.may_set_sign_in(user):
        raise Forbidden(NOT_YOURS)


def _commit(store, key, record, version, by, extra=(), **logged):
    with commits.refused_if_changed("someone else changed how people sign in since you opened the page; reload it",
                                    {"version": "the setting has changed"}):
        [stored, *_] = audit_service.commit(
            store, [Put(settings_service.SETTINGS, key, record, expected_version=version), *extra],
            [audit_service.entry(by, "setting", key, "set", **logged)])
    return stored


def set_local_passwords(store, user, choice, break_glass, version, by, environ=None):
    """Switch local passwords on or off (`choice` "on" | "off") with the break-glass administrator
    `break_glass` (a user name; blank for none while on), as `user` (`by`: the audit Actor).
    Switching off needs an active administrator with a password to break glass, and a provider
    for everyone else (`environ`: the environment its settings may come from); it ends every
    session but the break-glass administrator's."""
    _entitled(user)
    if choice not in ON_OFF:
        raise Invalid("Choose whether local passwords work.", {"local_passwords": "Select on or off"})
    on, name = choice == "on", (break_glass or "").strip() or None
    record = account_service.account_record(store, name) if name else None
    errors = ({"break_glass": f"There is no account named {name}"} if name and record is None
              else sign_in_settings.break_glass_errors(record, on))
    if not on:
        errors = {**sign_in_settings.switch_off_errors(settings_service.oidc_configuration(store, environ)), **errors}
    if errors:
        raise Invalid("Nothing was changed: correct what is shown.", errors)
    # Switching off ends every session but the break-glass administrator's, so that nobody signed in
    # with a password stays signed in; they come back through the provider.
    ended = credential_service.sessions_but_ops(store, name) \
        if not on and settings_service.local_passwords(store)["on"] else []
    return _commit(store, settings_service.LOCAL_PASSWORDS,
                   {"value": choice, "break_glass": name, "by": by.name, "at": now()}, version, by, ended,
                   value=choice, break_glass=name, **({"ended": "every other session"} if ended else {}))


def set_provider(store, user, values, group_rows, version, by, environ=None):
    """Save the identity provider's settings: `values` {issuer, client_id, provider_name,
    groups_claim, client_secret, remove_secret} as typed (a blank secret keeps the one saved),
    `group_rows` [(provider group, team, role)] the mapping's table. The secret is write-only.
    While local passwords are off the provider cannot be left unusable (`environ` as above)."""
    _entitled(user)
    text = {field: (values.get(field) or "").strip() for field in ("issuer", "client_id", "provider_name",
                                                                   "groups_claim")}
    secret = values.get("client_secret") or ""
    group_map, errors = sign_in_settings.group_map_from_rows(group_rows, team_service.known_teams(store))
    errors.update(sign_in_settings.text_errors({**text, "client_secret": secret}))
    errors.update(sign_in_settings.issuer_errors(text["issuer"]))
    if errors:
        raise Invalid("Nothing was changed: correct what is shown.", errors)
    kept = settings_service.oidc_stored(store).get("client_secret")
    secret = None if values.get("remove_secret") else (secret or kept)
    record = {**text, "client_secret": secret, "group_map": group_map, "by": by.name, "at": now()}
    if not settings_service.local_passwords(store)["on"]:  # the provider is then the only way in for most
        errors = sign_in_settings.switch_off_errors(settings_service.oidc_configuration(store, environ, record))
        if errors:
            raise Invalid("Nothing was changed: local passwords are off, so the provider's issuer, client ID "
                          "and client secret must stay set.", errors)
    secret_words = "removed" if kept and not secret else "set" if secret != kept else "unchanged"
    return _commit(store, settings_service.OIDC, record, version, by, **text, client_secret=secret_words,
                   group_map=group_map)
