"""The authority's own choices about how the rules apply, kept in the store's
settings collection so that every process serving it agrees:

- the EqIA training rule (on unless an admin switches it off);
- the strand set new EqIAs are screened against (each EqIA keeps its own; workflow.strands);
- the authority's contact details, shown to the public (workflow.contact);
- the bodies meetings belong to (workflow.bodies);
- how monitoring datasets are published: the suppression threshold and the flag ratio;
- how people sign in: local passwords on or off, the break-glass administrator, and the
  identity provider (workflow.sign_in_settings; services.sign_in_setting_service sets them).

Each is saved with the version the admin saw, so two admins cannot cross, and
recorded in the audit log (services.audit_service).
"""
import os

from services import audit_service, commits
from store import Put
from workflow import bodies as body_list
from workflow import contact as contact_details
from workflow import fields, identity, monitoring, sign_in_settings, strands, suppression
from workflow.documents import now
from workflow.errors import Forbidden, Invalid

SETTINGS, TRAINING_RULE, STRAND_SET, CONTACT, BODIES = "settings", "training_rule", "strand_set", "contact", "bodies"
MONITORING_PUBLICATION = "monitoring_publication"
LOCAL_PASSWORDS, OIDC = "local_passwords", "oidc"


def _save(store, key, record, version, by, logged=None):
    """`logged`: what the audit log says was set (the record's value unless given)."""
    with commits.refused_if_changed("someone else changed this setting since you opened the page; reload it",
                                    {"version": "the setting has changed"}):
        [stored] = audit_service.commit(store, [Put(SETTINGS, key, record, expected_version=version)],
                                        [audit_service.entry(by, "setting", key, "set",
                                                             value=record.get("on", record.get("value")) if logged is None else logged)])
    return stored


def training_rule(store):
    """Whether nobody untrained in EqIA may sign off or record a Board decision (on unless switched off)."""
    record = store.get(SETTINGS, TRAINING_RULE)
    return True if record is None else record["on"]


def set_training_rule(store, on, by, version=None):
    """`by`: the audit_service.Actor switching it."""
    return _save(store, TRAINING_RULE, {"on": bool(on), "by": by.name, "at": now()}, version, by)


def training_rule_record(store):
    """Who last switched the rule, and when (None while it has never been switched)."""
    return store.get(SETTINGS, TRAINING_RULE)


def strand_set(store):
    """The name of the set new EqIAs are screened against (the 2004 plan's until an admin changes it)."""
    record = store.get(SETTINGS, STRAND_SET)
    return record["value"] if record and record.get("value") in strands.SETS else strands.DEFAULT


def set_strand_set(store, value, version, by=audit_service.COMMAND_LINE):
    """Choose the set for new EqIAs; `version` is the setting's as the admin saw it (None: never saved)."""
    if value not in strands.SETS:
        raise Invalid("Choose a strand set.", {"strand_set": "Select a strand set: " + fields.either(
            [chosen.title for chosen in strands.SETS.values()])})
    return _save(store, STRAND_SET, {"value": value}, version, by)


def strand_set_version(store):
    record = store.get(SETTINGS, STRAND_SET)
    return record["version"] if record else None


def contact(store):
    """The authority's contact details: {unit, address, email, phone} (the defaults until an admin sets them)."""
    record = store.get(SETTINGS, CONTACT)
    return {name: record.get(name, "") for name in contact_details.DEFAULT} if record else dict(contact_details.DEFAULT)


def set_contact(store, unit, address, email, phone, version, by=audit_service.COMMAND_LINE):
    """Set the contact details; `version` is the setting's as the admin saw it (None: never saved)."""
    details = contact_details.checked(unit, address, email, phone)
    return _save(store, CONTACT, details, version, by, logged=[value for value in details.values() if value])


def contact_version(store):
    record = store.get(SETTINGS, CONTACT)
    return record["version"] if record else None


def bodies(store):
    """The bodies meetings belong to: {key: name}, in order (the four defaults until an admin changes them)."""
    record = store.get(SETTINGS, BODIES)
    return {**body_list.DEFAULT, **dict(record["value"])} if record else dict(body_list.DEFAULT)


def set_bodies(store, names, added, version, by=audit_service.COMMAND_LINE):
    """Rename bodies (`names`: {key: new name}) and add one named `added`; none is removed.
    `version`: the setting's as the admin saw it (None: never saved)."""
    value = body_list.renamed(bodies(store), names, added)
    return _save(store, BODIES, {"value": list(value.items())}, version, by, logged=list(value.values()))


def bodies_version(store):
    record = store.get(SETTINGS, BODIES)
    return record["version"] if record else None


def monitoring_publication(store):
    """How monitoring datasets are published: {"threshold": counts below it are suppressed,
    "flag_ratio": relative rates below it are flagged, "version": None while never saved}
    (services.publication_service sets them)."""
    record = store.get(SETTINGS, MONITORING_PUBLICATION) or {}
    return {"threshold": record.get("threshold", suppression.THRESHOLD),
            "flag_ratio": record.get("flag_ratio", monitoring.FLAG_RATIO), "version": record.get("version")}


def local_passwords(store):
    """{"on": whether everyone may sign in with a password (on until an admin switches it off),
    "break_glass": the administrator who still may when off (None), "by", "at", "version"}."""
    record = store.get(SETTINGS, LOCAL_PASSWORDS) or {}
    return {"on": record.get("value", "on") != "off", "break_glass": record.get("break_glass"),
            "by": record.get("by"), "at": record.get("at"), "version": record.get("version")}


def password_allowed(store, name):
    """Whether `name` may sign in with, set or change a password now (workflow.sign_in_settings)."""
    setting = local_passwords(store)
    return sign_in_settings.password_allowed(name, setting["on"], setting["break_glass"])


def passwords_off(store):
    """What the sign-in page says while local passwords are off (to use the provider); None while on."""
    if local_passwords(store)["on"]:
        return None
    return sign_in_settings.passwords_off_message(oidc_configuration(store)["provider_name"])


def check_password_allowed(store, name):
    """Forbidden, saying to use the provider, unless `name` may sign in with, set or change a password now."""
    if not password_allowed(store, name):
        raise Forbidden(passwords_off(store))


def oidc_stored(store):
    """The identity provider's settings as an administrator saved them ({} while never saved),
    the client secret included: never to be shown back."""
    return store.get(SETTINGS, OIDC) or {}


def oidc_configuration(store, environ=None, stored=None):
    """The identity provider's settings in effect: {field: value} for each of
    sign_in_settings.PROVIDER_FIELDS (an environment variable, when set, wins over the page; the
    group map as given: JSON text from OIDC_GROUP_MAP, or the page's mapping, which
    workflow.identity reads and checks), and "from_environment": the fields the environment sets.
    `stored`: the page's settings to read instead of those saved (to check a change before saving it)."""
    environ = os.environ if environ is None else environ
    stored = oidc_stored(store) if stored is None else stored
    found = {field: environ[variable] for field, variable in sign_in_settings.PROVIDER_FIELDS.items()
             if environ.get(variable)}
    settings = {field: stored.get(field) or None for field in sign_in_settings.PROVIDER_FIELDS}
    settings.update(found)
    settings["group_map"] = settings["group_map"] or {}
    settings["groups_claim"] = settings["groups_claim"] or identity.DEFAULT_GROUPS_CLAIM
    return {**settings, "from_environment": sorted(found)}


def overview(store):
    """The settings as stored: the training rule (on or off, and who last switched it),
    the strand set's name and its version (None while never saved)."""
    return {"training_rule": training_rule(store), "training_rule_record": training_rule_record(store),
            "strand_set": strand_set(store), "strand_set_version": strand_set_version(store)}
