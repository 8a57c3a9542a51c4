"""Board meetings in the store: load, decide (workflow.meetings), persist in one commit."""
import datetime as dt

from services import commits
from store import Put
from workflow import meetings, numbers, policy, worklist
from workflow.errors import Invalid, NotFound

MEETINGS = "meetings"
NO_SUCH_MEETING = "There is no such meeting."


class Meetings:
    def __init__(self, store, documents):
        self.store, self.documents = store, documents

    def list(self, user):
        """Every meeting, newest first: a meeting and its agenda carry approved items only."""
        _signed_in(user)
        return sorted(self.store.scan(MEETINGS), key=lambda m: (m["date"], int(m["id"])), reverse=True)

    def awaiting(self, user, today):
        """The meetings held by `today` with items awaiting the Board's decision that `user`
        records (workflow.worklist.agendas): My work's first section for the Board and the Head."""
        every = self.list(user)
        ids = {item["document"] for meeting in every if meetings.held(meeting, today) for item in meeting["items"]}
        return worklist.agendas(every, {doc_id: self.documents.stored(doc_id) for doc_id in ids}, user, today)

    def load(self, meeting_id, user):
        _signed_in(user)
        meeting = self.store.get(MEETINGS, str(meeting_id)) if numbers.is_id(str(meeting_id)) else None
        if meeting is None:
            raise NotFound(NO_SUCH_MEETING)
        return meeting

    def agenda(self, meeting_id, user):
        """(the meeting; its items in order, each {item, doc: as `user` sees it (None if they
        may not), decision}; the approved documents `user` may add to it)."""
        meeting = self.load(meeting_id, user)
        entries = [self._entry(meeting, item, user) for item in sorted(meeting["items"], key=lambda i: i["number"])]
        candidates = [d for d in self.documents.search(user, state="approved")
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

    def create(self, user, title, date, venue=None):
        [stored] = self.store.commit([Put(MEETINGS, None, meetings.new_meeting(user, title, date, venue))])
        return stored

    def add_item(self, meeting_id, user, doc_id):
        meeting = self.load(meeting_id, user)
        doc = self.documents.load(_doc_id(doc_id))
        updated = meetings.add_item(meeting, doc, user)
        with commits.refused_if_changed("Someone else changed the agenda since you opened it, so nothing was saved; reload it and try again", {"version": "stale"}):
            [stored] = self.store.commit([Put(MEETINGS, meeting["id"], updated, expected_version=meeting["version"])])
        return stored

    def decide(self, meeting_id, user, doc_id, decision, note=None, agreed=None, today=None):
        """Minute the Board's decision: the meeting, the document and its history in one commit."""
        meeting = self.load(meeting_id, user)
        doc = self.documents.load(_doc_id(doc_id))
        minuted, updated, entry = meetings.decide(meeting, doc, user, decision, note,
                                                  today or dt.date.today(), agreed)
        return self.documents.save(doc, updated, entry,
                                   [Put(MEETINGS, meeting["id"], minuted, expected_version=meeting["version"])])


def _signed_in(user):
    if user is None:
        raise NotFound(NO_SUCH_MEETING)


def _doc_id(value):
    number = numbers.whole(value, low=1)
    if number is None:
        raise Invalid("Choose an item for the agenda.", {"document": "Select an item from the list"})
    return str(number)
