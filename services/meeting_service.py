"""Meetings of the bodies in the store: load, decide (workflow.meetings), persist in one commit."""
import datetime as dt

from services import action_service, audit_service, commits, lookup, settings_service, team_service
from store import Put
from workflow import actions, bodies, meetings, numbers, policy, worklist
from workflow.errors import Invalid, NotFound

MEETINGS = "meetings"
NO_SUCH_MEETING = "There is no such meeting."


class Meetings:
    def __init__(self, store, documents):
        self.store, self.documents = store, documents
        self.actions = action_service.Actions(store)  # agreed with the decisions minuted here

    def list(self, user, body=None):
        """Every meeting (of `body`, a key of bodies(), if given), newest first: a meeting and its
        agenda carry approved (or reviewed) items only."""
        _signed_in(user)
        if body:
            bodies.checked_key(self.bodies(), body)
        return sorted((m for m in self.store.scan(MEETINGS) if not body or bodies.of(m) == body),
                      key=lambda m: (m["date"], int(m["id"])), reverse=True)

    def bodies(self):
        """The bodies meetings belong to: {key: name} (services.settings_service)."""
        return settings_service.bodies(self.store)

    def matters_arising(self, meeting):
        """The open actions agreed at earlier meetings of `meeting`'s body (workflow.actions)."""
        return actions.matters_arising(meeting, self.store.scan(MEETINGS), self.actions.every())

    def awaiting(self, user, today):
        """The meetings held by `today` with items awaiting the Board's decision that `user`
        records (workflow.worklist.agendas): My work's first section for the Board and the Head."""
        every = self.list(user)
        ids = {item["document"] for meeting in every if meetings.held(meeting, today) for item in meeting["items"]}
        return worklist.agendas(every, {doc_id: self.documents.stored(doc_id) for doc_id in ids}, user, today)

    def load(self, meeting_id, user):
        _signed_in(user)
        meeting = lookup.by_id_or_404(self.store, MEETINGS, meeting_id, NO_SUCH_MEETING)
        return meeting

    def agenda(self, meeting_id, user):
        """(the meeting; its items in order, each {item, doc: as `user` sees it (None if they
        may not), decision, actions agreed with it}; the approved or reviewed documents `user` may add to it)."""
        meeting = self.load(meeting_id, user)
        agreed = [a for a in self.actions.every() if a["meeting"] == meeting["id"]]
        entries = [{**self._entry(meeting, item, user),
                    "actions": [a for a in agreed if a["document"] == item["document"]]}
                   for item in sorted(meeting["items"], key=lambda i: i["number"])]
        candidates = [d for state in ("approved", "reviewed") for d in self.documents.search(user, state=state)
                      if not meetings.on_agenda(meeting, d["id"])] if policy.may_arrange_meetings(user) else []
        return meeting, entries, candidates

    def _entry(self, meeting, item, user):
        try:
            stored, shown = self.documents.read(item["document"], user)
        except NotFound:
            return {"item": item, "doc": None, "decision": None}
        return {"item": item, "doc": shown, "decision": meetings.minuted(meeting, stored)}

    def history(self, doc_id, user):
        """The meetings document `doc_id` was on, newest first, each with the Board's decision
        if recorded: [{meeting, item, decision}]; none for nobody signed in."""
        if user is None:
            return []
        stored = self.documents.load(doc_id)
        return [{"meeting": m, "item": item, "decision": meetings.minuted(m, stored)}
                for m in self.list(user) if (item := meetings.on_agenda(m, stored["id"]))]

    def create(self, user, title, date, venue=None, body=None):
        made = meetings.new_meeting(user, title, date, venue, body=body, names=self.bodies())
        [stored] = self.store.commit([Put(MEETINGS, None, made)])
        return stored

    def add_item(self, meeting_id, user, doc_id, number=None):
        """Put the document on the agenda as report `number` (the next one if not given)."""
        meeting = self.load(meeting_id, user)
        doc = self.documents.load(_doc_id(doc_id))
        updated = meetings.add_item(meeting, doc, user, number=number)
        with commits.refused_if_changed("Someone else changed the agenda since you opened it, so nothing was saved; reload it and try again", {"version": "stale"}):
            [stored] = self.store.commit([Put(MEETINGS, meeting["id"], updated, expected_version=meeting["version"])])
        return stored

    def decide(self, meeting_id, user, doc_id, decision, note=None, agreed=None, today=None, agreed_actions=None,
               actor=None):
        """Minute the body's decision, with the actions it agreed ([{what, team, due}]): the meeting,
        the document and its history, the actions and their audit entries in one commit.
        `actor`: the audit_service.Actor (the user, with no address, if not given)."""
        meeting = self.load(meeting_id, user)
        doc = self.documents.load(_doc_id(doc_id))
        teams = team_service.known_teams(self.store)
        try:
            minuted, updated, entry = meetings.decide(meeting, doc, user, decision, note,
                                                      today or dt.date.today(), agreed, names=self.bodies())
        except Invalid as exc:  # the form's other mistakes said at once, with the actions' own
            raise Invalid(exc.reason, {**_action_errors(agreed_actions, teams), **exc.details}) from None
        # Checked once the decision may be recorded: who may not record it learns nothing from its actions.
        rows = actions.checked(agreed_actions, teams)
        made = actions.agreed(rows, meeting, meetings.on_agenda(meeting, doc["id"]), user, entry["at"])
        puts, audited = action_service.created(made, actor or audit_service.Actor(user.name))
        return self.documents.save(doc, updated, entry,
                                   [Put(MEETINGS, meeting["id"], minuted, expected_version=meeting["version"]),
                                    *puts], audited)


def _action_errors(rows, teams):
    try:
        actions.checked(rows, teams)
    except Invalid as exc:
        return exc.details
    return {}


def _signed_in(user):
    if user is None:
        raise NotFound(NO_SUCH_MEETING)


def _doc_id(value):
    number = numbers.whole(value, low=1)
    if number is None:
        raise Invalid("Choose an item for the agenda.", {"document": "Select an item from the list"})
    return str(number)
