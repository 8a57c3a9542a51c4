"""Partners and contractors in the store (workflow.partners): listed for everyone signed in,
added, changed and checked by whom workflow.policy.may_keep_partner allows; every change
version-checked and written with its audit entry in one commit."""
import datetime as dt

from services import audit_service, commits, lookup, team_service
from store import Put
from workflow import numbers, partners, policy
from workflow.documents import now
from workflow.errors import Forbidden, Invalid, NotFound

PARTNERS = "partners"
NO_SUCH_PARTNER = "There is no such partner or contractor."
MAY_NOT_KEEP = ("Only the staff and team leaders of the team that owns the contract, or the Head, "
                "can keep a partner's details and checks.")
STALE = "Someone else changed this partner since you opened it, so nothing was saved; reload it and try again"


def every(store, user):
    """Every partner, A-Z by name: for anyone signed in."""
    _signed_in(user)
    return sorted(store.scan(PARTNERS), key=lambda p: (p["name"].casefold(), int(p["id"])))


def load(store, partner_id, user):
    _signed_in(user)
    record = lookup.by_id_or_404(store, PARTNERS, partner_id, NO_SUCH_PARTNER)
    return record


def due(store, user, today):
    """The checks due soon or overdue of the partners `user` keeps (My work)."""
    return partners.due_for(store.scan(PARTNERS), user, today)


def add(store, user, given, actor):
    """A new partner from `given` (workflow.partners.checked), for a team `user` keeps partners of."""
    _refuse_unless_keeps(user, given.get("team"))  # before the details: who may not add learns nothing of them
    details = partners.checked(given, team_service.known_teams(store))
    made = {**details, "checks": [], "added_by": user.name, "added_at": now()}
    [stored] = audit_service.commit(store, [Put(PARTNERS, None, made)], [_entry(actor, made, "added")])
    return stored


def save(store, user, partner_id, given, version, actor):
    """Partner `partner_id`'s details changed to `given`, as it stood at `version`; `user` must
    keep it both for the team that owns it and for the team it goes to."""
    record = load(store, partner_id, user)
    _refuse_unless_keeps(user, record["team"])
    details = partners.checked(given, team_service.known_teams(store))
    _refuse_unless_keeps(user, details["team"])
    return _put(store, record, {**record, **details}, version, _entry(actor, details, "changed"))


def record_check(store, user, partner_id, given, version, actor, today=None):
    """A compliance check of partner `partner_id` recorded, as it stood at `version`."""
    record = load(store, partner_id, user)
    _refuse_unless_keeps(user, record["team"])
    check = partners.checked_check(given, today or dt.date.today())
    updated = partners.with_check(record, check, user.name, now())
    return _put(store, record, updated, version,
                _entry(actor, record, "checked", date=check["date"], outcome=check["outcome"],
                       next_due=check["next_due"]))


def _put(store, record, updated, version, entry):
    expected = numbers.whole(version, low=1)
    if expected is None:
        raise Invalid("Reload the page and try again.", {"version": "Give the partner's version as a whole number"})
    with commits.refused_if_changed(STALE, {"version": "stale"}):
        [stored] = audit_service.commit(store, [Put(PARTNERS, record["id"], updated, expected_version=expected)],
                                        [entry])
    return stored


def _entry(actor, details, action, **more):
    return audit_service.entry(actor, "partner", details["name"], action, team=details["team"], **more)


def _refuse_unless_keeps(user, team):
    """Forbidden unless `user` keeps partners of `team` (as given, or stored)."""
    if not policy.may_keep_partner(user, team.strip() if isinstance(team, str) else None):
        raise Forbidden(MAY_NOT_KEEP)


def _signed_in(user):
    if user is None:
        raise NotFound(NO_SUCH_PARTNER)
