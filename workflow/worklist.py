"""What awaits a person: the sections of their "My work" page, as pure functions.

Every item comes from what the person sees of a document (`policy.view`'s, worked out by
`workflow.listed` from the fields a store keeps of every document), so nobody is shown (or
counted) a document they may not see. A document is listed once, in the first section
that claims it, so that the count in the navigation equals what the page lists.

My work reads no field that workflow.listed.FIELDS does not keep: worked out from those of
every document it is what the whole documents give (tests/workflow/test_worklist_kept.py), so
a store holding those alone in memory (PostgreSQL) reads no document whole for it.
"""
import datetime as dt
from dataclasses import dataclass, replace
from typing import Callable

from workflow import deadlines, deputies, listed, machine, meetings, policy, shared
from workflow.errors import Forbidden, Unmet


# What an item keeps of the view of its document: what My work shows. Not the view whole: My
# work is kept between requests, and a Head's lists thousands of items.
ITEM_KEYS = ("id", "kind", "title", "state", "team", "revision", "version")


@dataclass(frozen=True)
class Item:
    doc: dict  # ITEM_KEYS of what the person sees of the document (policy.view)
    at: str | None  # the date that matters in this section
    due: str | None = None
    overdue: bool = False
    returned: dict | None = None  # {by, at, comment} when it was sent back


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple
    left_out: int = 0  # items the section does not list (a Board member's first visit lists the latest few)


@dataclass(frozen=True)
class Agenda:
    """A Board meeting held today or before, with the items on its agenda still awaiting the Board's decision."""
    meeting: dict
    items: tuple  # its agenda items ({number, title, document, kind, revision}), in order
    today: bool  # held today


@dataclass(frozen=True)
class _Rule:
    key: str
    title: str
    applies: Callable  # (user) -> bool
    selects: Callable  # (doc, shown, user, since) -> bool
    at: Callable  # (doc) -> the date shown and sorted on
    newest_first: bool = False
    quiet: bool = False  # left out when empty: it applies to everyone, but rarely


def _anyone(user):
    return True


def _drafts_work(user):
    return any(user.has(role) for role in policy.TEAM_ROLES)


def _assignee(doc):
    return (doc.get("assignee") or {}).get("name")


def _is_assigned_to(doc, shown, user, since):
    return shown["state"] == "assessed" and _assignee(doc) == user.name


def _awaits_approver(doc, shown, user, since):
    # Only what this Head could sign off now: not their own work, and only once trained.
    # policy.actions' "approve" for one who sees the working copy (as all who see it assessed do).
    return shown["state"] == "assessed" and not _assignee(doc) and policy.could_sign_off(doc, user)


def _sent_back_to_author(doc, shown, user, since):
    return shown["state"] == "draft" and bool(doc.get("returned")) and doc["author"] == user.name


def _own_draft(doc, shown, user, since):
    return shown["state"] == "draft" and doc["author"] == user.name


def _sent_back_to_team(doc, shown, user, since):
    return shown["state"] == "draft" and bool(doc.get("returned")) and user.leads(doc["team"])


def _team_screened(doc, shown, user, since):
    return shown["state"] == "screened" and user.leads(doc["team"])


def _team_unassigned(doc, shown, user, since):
    return shown["state"] == "assessed" and not _assignee(doc) and user.leads(doc["team"])


def _approved_since(doc, shown, user, since):
    if shown["state"] not in machine.PUBLISHED_STATES or not doc.get("published"):
        return False
    # Inclusive: stamps are to the second, and an item approved in the second of the last
    # sign-in may not have been seen; listing it once more is better than missing it.
    return since is None or _moment(doc["published"]["approved_at"]) >= since


def _moment(value):
    """ISO text to an aware datetime, so stamps written with other offsets still compare."""
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _updated(doc):
    return doc.get("updated_at")


def _returned_at(doc):
    return doc["returned"].get("at")


RULES = (
    _Rule("assigned", "Assigned to you for sign-off", _anyone, _is_assigned_to, lambda d: d["assignee"].get("at"),
          quiet=True),
    _Rule("to_sign_off", "Waiting for sign-off, no approver assigned",
          lambda u: u.has("head") or u.has("chief_executive") or deputies.acting(u),
          _awaits_approver, _updated),
    _Rule("sent_back_to_you", "Sent back to you", _drafts_work, _sent_back_to_author, _returned_at, True),
    _Rule("drafts", "Your drafts", _drafts_work, _own_draft, _updated, True),
    _Rule("sent_back_to_team", "Sent back to your team", lambda u: u.has("team_leader"),
          _sent_back_to_team, _returned_at, True),
    _Rule("to_submit", "Screened: ready for your team to submit", lambda u: u.has("team_leader"),
          _team_screened, _updated),
    _Rule("no_approver", "Submitted by your team, no approver assigned yet", lambda u: u.has("team_leader"),
          _team_unassigned, _updated),
    _Rule("team_entry", "Objectives your team leads with others: an update is under way, write your team's entry",
          lambda u: u.has("team_leader"), lambda d, shown, u, since: shared.awaits_entry(d, shown, u), _updated,
          quiet=True),
    _Rule("approved_since", "Approved since your last visit", lambda u: u.has("eodb"),
          _approved_since, lambda d: d["published"]["approved_at"], True),
)


OVERDUE = "overdue"
BOARD = "board_decisions"
# A Board member's first visit has no "since": the latest few approved items, never the whole register.
FIRST_VISIT_SHOWN = 5


@dataclass(frozen=True)
class Work:
    """My work's `sections`, with what each document gives it (`parts`): {document id:
    (its item and the index of the rule that lists it, or None; its overdue items)},
    for the documents that give it anything. `rework` then looks again at the
    documents that changed, and at those alone."""
    user: object
    since: object
    day: dt.date
    parts: dict
    sections: list


def work(docs, user, previous_visit=None, today=None):
    """My work for `user` from the stored `docs`: its `sections`, each with its items.

    `previous_visit` (ISO time or None) bounds what is "new" for a Board member;
    `today` (a date, default today in UTC) decides which due dates are overdue.
    The Head and team leaders also get an OVERDUE section of `deadlines.Overdue` items.
    """
    day = today or dt.datetime.now(dt.timezone.utc).date()
    since = _moment(previous_visit) if previous_visit else None
    parts = {doc["id"]: part for doc in docs if (part := _part(doc, user, since, day))}
    return _assembled(user, since, day, parts)


def rework(before, changed):
    """`before` once the documents `changed` ({id: the stored document, or None once deleted}) changed."""
    parts = dict(before.parts)
    for doc_id, doc in changed.items():
        part = _part(doc, before.user, before.since, before.day) if doc else None
        if part:
            parts[doc_id] = part
        else:
            parts.pop(doc_id, None)
    return _assembled(before.user, before.since, before.day, parts)


def _part(doc, user, since, day):
    """What `doc` (whole, or the fields a store keeps of it) gives `user`'s My work: (its item
    and rule, its overdue items), or None."""
    shown = _shown(doc, user)
    if shown is None:
        return None
    # A document is listed once, in the first section that claims it.
    claimed = next(((i, _item(doc, shown, rule.at(doc), day.isoformat())) for i, rule in enumerate(RULES)
                    if rule.applies(user) and rule.selects(doc, shown, user, since)), None)
    watched = user.has("head") or user.leads(shown["team"])
    overdue = tuple(deadlines.overdue([shown], day)) if watched else ()
    return (claimed, overdue) if claimed or overdue else None


def _shown(doc, user):
    """What My work reads of policy.view(doc, user) — the id, kind, team, state, revision, title
    and version of the copy `user` sees, its fields with the statuses the Board agreed — from
    the fields a store keeps of `doc` as from the whole of it; None if they may not see it."""
    shown = listed.seen(doc, user)
    if shown is None:
        return None
    return policy.with_agreed_statuses({**shown, "fields": listed.seen_copy(doc, user).get("fields") or {}}, doc)


def _assembled(user, since, day, parts):
    listed = {}
    # In the store's order (document ids are its numeric keys), which equal dates keep.
    for doc_id in sorted((doc_id for doc_id, part in parts.items() if part[0]), key=int):
        index, item = parts[doc_id][0]
        listed.setdefault(index, []).append(item)
    sections = []
    for index, rule in enumerate(RULES):
        items = listed.get(index, [])
        if rule.applies(user) and (items or not rule.quiet):
            sections.append(_section(rule, _sorted(rule, items), since))
    if user.has("head") or user.has("team_leader"):
        sections.append(Section(OVERDUE, "Overdue",
                                tuple(deadlines.in_order(item for _, overdue in parts.values() for item in overdue))))
    return Work(user, since, day, parts, sections)


def _section(rule, items, since):
    if rule.key == "approved_since" and since is None:
        # The latest few: of items approved in the same second, the later made (higher id) first.
        latest = sorted(items, key=lambda item: (item.at or "", int(item.doc["id"])), reverse=True)
        return Section(rule.key, "Recently approved", tuple(latest[:FIRST_VISIT_SHOWN]),
                       max(0, len(items) - FIRST_VISIT_SHOWN))
    return Section(rule.key, rule.title, tuple(items))


def agendas(every, stored, user, today):
    """The meetings of `every` held by `today` whose agenda has items awaiting the Board's decision,
    longest waiting first, for a person who records the Board's decisions (a Board member, the Head).

    `stored`: {document id: the stored document} for the items on those agendas. An item awaits
    its decision while none is minuted for it and it is still the approved revision put on the
    agenda (workflow.meetings.decide refuses any other), and only if `user` may see it.
    """
    if not _records_decisions(user):
        return []
    found = []
    for meeting in sorted(every, key=lambda m: (m["date"], int(m["id"]))):
        if not meetings.held(meeting, today):
            continue
        decided = {decision["document"] for decision in meeting["decisions"]}
        waiting = tuple(item for item in sorted(meeting["items"], key=lambda i: i["number"])
                        if item["document"] not in decided and _decidable(stored.get(item["document"]), item, user))
        if waiting:
            found.append(Agenda(meeting, waiting, meeting["date"] == today.isoformat()))
    return found


def _records_decisions(user):
    """Whether `user` is one who records the Board's decisions (workflow.meetings.check_recorder);
    one not yet trained is still led to them: the meeting's page says what they lack."""
    try:
        meetings.check_recorder(user)
    except Forbidden:
        return False
    except Unmet:
        pass
    return True


def _decidable(doc, item, user):
    if doc is None or policy.view(doc, user) is None:
        return False
    published = doc.get("published") or {}
    return published.get("state") in machine.PUBLISHED_STATES and published.get("revision") == item["revision"]


def with_agendas(sections, awaiting):
    """My work's `sections` led by the Board meetings `awaiting` decisions (from `agendas`); an item
    on one of them is listed there alone, not again as newly approved."""
    if not awaiting:
        return sections
    on_agenda = {item["document"] for agenda in awaiting for item in agenda.items}
    board = Section(BOARD, "Board meetings awaiting decisions", tuple(awaiting))
    return [board, *(replace(section, items=tuple(i for i in section.items if i.doc["id"] not in on_agenda))
                     if section.key == "approved_since" else section for section in sections)]


ACTIONS_DUE = "actions_due"


def with_actions(sections, due):
    """My work's `sections` with the open actions `due` (workflow.actions.due_for) after the rest:
    what bodies agreed that the person's team owes soon, or owes already."""
    if not due:
        return sections
    return [*sections, Section(ACTIONS_DUE, "Actions agreed by the Board, due", tuple(due))]


def count(sections):
    """How many items await the person (each document once; a meeting counts its items awaiting a decision).

    Overdue items are shown but not counted: no transition waits on the reader for
    them, and an old plan's many missed deadlines would drown what does.
    """
    return sum(sum(len(item.items) for item in section.items) if section.key == BOARD else len(section.items)
               for section in sections if section.key != OVERDUE)


def _item(doc, shown, at, today):
    due = (doc.get("assignee") or {}).get("due") if shown["state"] == "assessed" else None
    returned = doc.get("returned") if shown["state"] == "draft" else None
    return Item({key: shown[key] for key in ITEM_KEYS}, at, due, bool(due) and due < today, returned)


def _sorted(rule, items):
    if rule.key == "assigned":  # soonest due first; those with no due date after them
        return sorted(items, key=lambda item: (item.due is None, item.due or "", item.at or ""))
    return sorted(items, key=lambda item: item.at or "", reverse=rule.newest_first)
