"""Naming and ending deputy approvers (workflow.deputies holds the rules).

A Head names a trained person who may, from one date to another, sign off what a Head
may sign off; any Head may end a naming early. Each naming and each ending is in the
audit log, and the person named is told.
"""
from services import account_service, audit_service, commits, notice_service
from store import Put
from workflow import deputies
from workflow.documents import now
from workflow.errors import Forbidden, NotFound

DEPUTIES = deputies.DEPUTIES


def _check_reader(user):
    if user is None or not (user.has("head") or user.has("admin")):
        raise Forbidden("Deputy approvers are named by the Head of Race and Diversity.")


def namings(store, user):
    """Every naming, the latest first (for Heads, who name them, and administrators)."""
    _check_reader(user)
    return sorted(store.scan(DEPUTIES), key=lambda record: record["named_at"], reverse=True)


def name(store, head, by, person_name, start, end, smtp=None, link_root=None, mail_queued=lambda: None):
    """Head `head` (acting as `by`, audit_service.Actor) names `person_name` deputy approver
    from `start` to `end` (ISO dates, inclusive): the stored naming."""
    person = account_service.find_user(store, (person_name or "").strip() or None)
    deputies.check_naming(head, person, start, end, deputies.today())
    record = deputies.naming(head, person, start, end, now())
    span = deputies.span(start, end)
    ops = [Put(DEPUTIES, None, record),
           *notice_service.tell(store, {person.name}, "roles",
                                f"{head.name} named you deputy approver for {deputies.ACTING_FOR}, {span}: "
                                "in those days you may sign off what a Head may sign off.",
                                "you were named deputy approver", smtp, link_root, mail_queued)]
    stored = audit_service.commit(store, ops, [audit_service.entry(by, "deputy", person.name, "named",
                                                                   **{"from": start, "to": end})])
    return stored[0]


def end(store, head, by, key, smtp=None, link_root=None, mail_queued=lambda: None):
    """Head `head` (acting as `by`) ends the naming `key` at once: the naming as ended."""
    record = store.get(DEPUTIES, key) if isinstance(key, str) and key else None
    if record is None:
        raise NotFound("There is no such naming.")
    deputies.check_ending(head, record)
    ended = {**record, "ended_by": head.name, "ended_at": now()}
    ops = [Put(DEPUTIES, key, ended, expected_version=record["version"]),
           *notice_service.tell(store, {record["person"]} - {head.name}, "roles",
                                f"{head.name} ended your naming as deputy approver "
                                f"({deputies.span(record['from'], record['to'])}).", "your naming as deputy ended",
                                smtp, link_root, mail_queued)]
    with commits.refused_if_changed("the naming changed meanwhile; reload the page and try again",
                                    {"naming": "changed"}):
        stored = audit_service.commit(store, ops, [audit_service.entry(by, "deputy", record["person"], "ended",
                                                                       **{"from": record["from"], "to": record["to"]})])
    return stored[0]


def candidates(store, head):
    """The names of the active accounts `head` could name deputy approver (workflow.deputies.check_naming)."""
    people = account_service.as_users(store, account_service.active_people(store))
    # The same refusals as check_naming, so that nothing offered is refused.
    return [person.name for person in people if person.name != head.name and person.trained
            and not person.has("head") and not person.has("eodb")]
