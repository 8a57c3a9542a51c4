"""Who must be told what: after a change to a document, and by the daily reminders. Pure.

Every message is worded from the document as its reader may know it (`policy.as_seen`, what
`policy.view` shows them), and nobody is told of a document they may not see, nor of their own action.
"""
from dataclasses import dataclass

from workflow import deadlines, deputies, machine, policy, strands
from workflow.meetings import DECISION_WORDS


@dataclass(frozen=True)
class Notice:
    user: str  # the name of the person told
    event: str  # submitted | screened | sent_back | assigned | approved | board | overdue | review_due | reports
    message: str
    document: str | None = None
    title: str | None = None
    item: str | None = None  # reminders: what the reminder is about, so it is sent once a day


class Directory:
    """Everyone who may be told, found as a change's notices ask for them: a team's leaders,
    people by name, those who could sign off. Made once for a state of the accounts
    (services.notice_service keeps it until people change), so a change asks only the people
    it may concern, not every account. Each list keeps the order of `people`."""

    def __init__(self, people):
        self.people = list(people)
        self._place, self._leaders = {}, {}
        for place, person in enumerate(self.people):
            self._place.setdefault(person.name, place)
            for team in person.teams:
                if person.leads(team):
                    self._leaders.setdefault(team, []).append(person)
        # Who might sign off, whatever the day: the approve rule itself decides which of them may.
        self._signers = [person for person in self.people if person.has("head") or person.has("chief_executive")
                         or getattr(person, "deputy", None) is not None]

    def leaders(self, team):
        return self._leaders.get(team, [])

    def named(self, names):
        return [self.people[place] for place in sorted(self._place[name] for name in names if name in self._place)]

    def signers(self):
        return self._signers


def _leaders(doc, people):
    return people.leaders(doc["team"])


def _named(names, people):
    return people.named(names)


def _could_approve(doc, people):
    # The approve rule itself decides (a Head, the Chief Executive for what a Head wrote, or a
    # deputy approver while named; trained, neither author nor submitter).
    return [person for person in people.signers() if (person.has("head") or person.has("chief_executive")
                                                      or deputies.acting(person))
            and "approve" in policy.actions(doc, person)]


def _submitted(before, after, entry, people):
    return _could_approve(after, people), "submitted", "{title} was submitted for sign-off by {actor} and awaits your approval."


def _screened(before, after, entry, people):
    return _leaders(after, people), "screened", "{title} was screened by {actor} and awaits your team's submission."


def _sent_back(before, after, entry, people):
    told = _named({after["author"], before.get("submitter")}, people)
    return told, "sent_back", "{title} was sent back to draft by {actor}: {comment}"


def _assigned(before, after, entry, people):
    assignee = (after.get("assignee") or {})
    due = f" by {assignee['due']}" if assignee.get("due") else ""
    return _named({assignee.get("name")}, people), "assigned", "{title} is assigned to you for sign-off" + due + "."


def _approved(before, after, entry, people):
    return _named({after["author"]}, people), "approved", "{title} was signed off by {actor}."


def _board(before, after, entry, people):
    board = entry["board"]
    words = DECISION_WORDS.get(board["decision"], board["decision"]).lower()
    note = f" Note: {board['note'].strip()}" if (board.get("note") or "").strip() else ""
    told = _named({after["author"]}, people) + _leaders(after, people)
    return told, "board", "The Board " + words + " {title}." + note


_EVENTS = {"assess": _submitted, "screen": _screened, "send_back": _sent_back, "assign": _assigned,
           "approve": _approved}


def after_change(before, after, entry, people):
    """The notices a change calls for: [Notice], at most one per person, never to the actor.
    `people`: everyone who may be told, as a Directory."""
    if before is None or "id" not in after:
        return []  # a new draft concerns only its author, who made it
    decide = _board if entry.get("board") else _EVENTS.get(entry["action"])
    if decide is None:
        return []
    told, event, template = decide(before, after, entry, people)
    notices, seen = [], set()
    for person in told:
        if person.name == entry["actor"] or person.name in seen:
            continue
        # The document as they may know it (the title policy.view would show them), not the whole
        # view: a notice needs only whether they see it and its title there.
        shown = policy.as_seen(after, person)
        if shown is None:
            continue
        seen.add(person.name)
        message = template.format(title=f"“{shown['title']}”", actor=entry["actor"],
                                  comment=entry.get("comment") or "no comment given")
        notices.append(Notice(person.name, event, message, after["id"], shown["title"]))
    return notices


def reminders(docs, people, today, reports_due=()):
    """The day's reminders: overdue objectives and mitigation actions, and approved EqIAs
    past their review date, to the owning team's team leaders; reports due to every Head.

    `reports_due` are workflow.cycle.Due items not done and due soon or overdue.
    """
    notices = []
    for person in people:
        seen = [shown for doc in docs if person.leads(doc["team"]) and (shown := policy.view(doc, person))]
        notices += [_overdue(person, item) for item in deadlines.overdue(seen, today)]
        notices += [_review(person, shown, date) for shown in seen
                    if (date := _review_date(shown)) and date < today.isoformat()]
        if person.has("head") and reports_due:
            notices.append(_reports(person, reports_due, today))
    return notices


def _overdue(person, item):
    if item.kind == "objective":
        status = "no progress reported" if item.status == deadlines.NO_REPORT else f"latest status: {item.status}"
        message = f"Overdue: the objective “{item.title}” was due by {item.deadline} ({status})."
        key = f"objective:{item.doc_id}"
    else:
        strand = strands.LABELS.get(item.strand, item.strand or "no strand named").lower()
        message = (f"Overdue: the mitigation action “{item.action}” ({strand}) of “{item.title}” "
                   f"was due by {item.deadline} and is not done.")
        key = f"mitigation:{item.doc_id}:{item.strand}:{item.deadline}"
    return Notice(person.name, "overdue", message, item.doc_id, item.title, key)


def _review_date(shown):
    if shown["kind"] != "eqia" or shown["state"] not in machine.PUBLISHED_STATES:
        return None
    date = (shown["fields"] or {}).get("review_date")
    return date if isinstance(date, str) else None


def _review(person, shown, date):
    return Notice(person.name, "review_due", f"The EqIA “{shown['title']}” was due for review on {date}.",
                  shown["id"], shown["title"], f"review:{shown['id']}:{date}")


def _reports(person, due, today):
    # One notice for the whole cycle: a plan running since 2004 has dozens of missed
    # reports, and one line per report would bury every other notice.
    late = [item for item in due if item.due < today]
    soon = [item for item in due if item.due >= today]
    parts = [f"{len(late)} overdue (the latest: {late[-1].what}, due {late[-1].due.isoformat()})"] if late else []
    parts += [f"{item.what}, due {item.due.isoformat()}" for item in soon]
    return Notice(person.name, "reports", "Reports due: " + "; ".join(parts) + ".", item="reports")
