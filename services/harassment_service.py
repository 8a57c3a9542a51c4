"""Named contacts for racism and harassment in the store (workflow.harassment): listed for
everyone signed in, added, changed and removed by whom workflow.policy.may_keep_contact allows;
every change version-checked and written with its audit entry in one commit."""
from services import audit_service, commits, lookup, team_service
from store import Delete, Put
from workflow import harassment, numbers, policy
from workflow.errors import Forbidden, Invalid, NotFound

CONTACTS = "harassment_contacts"
NO_SUCH_CONTACT = "There is no such contact."
MAY_NOT_KEEP = ("Only the Head of Race and Diversity, or a team leader for their own team, can keep the contacts "
                "for racism and harassment.")
STALE = "Someone else changed this contact since you opened it, so nothing was saved; reload it and try again"


def every(store, user):
    """Every contact, grouped by team or site (workflow.harassment.by_place): for anyone signed in."""
    _signed_in(user)
    return harassment.by_place(store.scan(CONTACTS))


def load(store, contact_id, user):
    _signed_in(user)
    record = lookup.by_id_or_404(store, CONTACTS, contact_id, NO_SUCH_CONTACT)
    return record


def add(store, user, given, actor):
    """A new contact from `given` (workflow.harassment.checked), for a team or site `user` keeps."""
    _refuse_unless_keeps(user, given.get("team"))  # before the details: who may not add learns nothing of them
    details = harassment.checked(given, team_service.known_teams(store))
    [stored] = audit_service.commit(store, [Put(CONTACTS, None, details)],
                                    [_entry(actor, details, "added")])
    return stored


def save(store, user, contact_id, given, version, actor):
    """Contact `contact_id` changed to `given`, as it stood at `version`; `user` must keep it
    both where it was and where it goes."""
    record = load(store, contact_id, user)
    _refuse_unless_keeps(user, record.get("team"))
    details = harassment.checked(given, team_service.known_teams(store))
    _refuse_unless_keeps(user, details["team"])
    with commits.refused_if_changed(STALE, {"version": "stale"}):
        [stored] = audit_service.commit(store, [Put(CONTACTS, record["id"], details,
                                                    expected_version=_version(version))],
                                        [_entry(actor, details, "changed")])
    return stored


def remove(store, user, contact_id, version, actor):
    record = load(store, contact_id, user)
    _refuse_unless_keeps(user, record.get("team"))
    with commits.refused_if_changed(STALE, {"version": "stale"}):
        audit_service.commit(store, [Delete(CONTACTS, record["id"], expected_version=_version(version))],
                             [_entry(actor, record, "removed")])
    return record


def may_keep_some(user):
    """Whether `user` keeps any contact (the Head, a team leader), so the list offers to add one."""
    return user is not None and (user.has("head") or user.has("team_leader"))


def _version(value):
    number = numbers.whole(value, low=1)
    if number is None:
        raise Invalid("Reload the contact and try again.", {"version": "Give the contact's version as a whole number"})
    return number


def _entry(actor, details, action):
    return audit_service.entry(actor, "contact", details["name"], action, team=details.get("team"),
                               site=details.get("site"))


def _refuse_unless_keeps(user, team):
    """Forbidden unless `user` keeps contacts of `team` (as given, or stored; blank: a site's alone)."""
    if not policy.may_keep_contact(user, team.strip() or None if isinstance(team, str) else None):
        raise Forbidden(MAY_NOT_KEEP)


def _signed_in(user):
    if user is None:
        raise NotFound(NO_SUCH_CONTACT)
