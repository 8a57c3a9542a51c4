"""Telling people: notices in the app, and e-mail through the outbox where a server is configured.

`Notifier` is the `notify` callable of services.document_service.Documents: it returns the
store operations to commit with the change, so a notice exists exactly when the
change happened, and sending mail never happens inside the change. Without an
SMTP host no outbox rows are made: mail queued for a server nobody configured
would reach people weeks late, about work long since done.
"""
import datetime as dt
import hashlib

from services import commits, outbox_service, plan_service
from services.account_service import USERS, KeptPeople, as_users
from services.document_service import DOCS
from store import Put
from workflow import cycle, notices, numbers, policy

NOTICES, SETTINGS = "notices", "settings"


def people(store):
    """(active people as Users, {name: e-mail address})."""
    records = [r for r in store.scan(USERS) if not r.get("disabled")]
    return as_users(store, records), {r["name"]: r["email"] for r in records if r.get("email")}


def _now():
    return dt.datetime.now(dt.timezone.utc)


def _notice_record(notice, at):
    return {"user": notice.user, "at": at, "event": notice.event, "document": notice.document,
            "title": notice.title, "message": notice.message, "item": notice.item, "read": False}


def _mail(address, notice, now, link_root):
    subject = f"Equality governance: {notice.title}" if notice.title else "Equality governance: reminder"
    return outbox_service.row(address, subject, _body([notice], link_root), now)


def _body(told, link_root):
    lines = [notice.message for notice in told]
    return "\n\n".join(lines + [f"Your notices: {link_root.rstrip('/')}/notices" if link_root else
                                "Sign in to the equality governance application to see your notices."])


class Notifier:
    def __init__(self, store, smtp, link_root=None, mail_queued=lambda: None):
        """`mail_queued()` is called when a change queues mail, so it can be tried once the change is answered."""
        self.store, self.smtp, self.link_root, self.mail_queued = store, smtp, link_root, mail_queued
        # Every change's notices are worked out against everyone, found through a directory
        # (workflow.notices.Directory): both kept until people change.
        self._people = KeptPeople(store)

    def __call__(self, before, after, entry):
        """The notices and mail of the change of `before` (the document as stored, which the change's
        Put expects at its version) to `after`, recorded by `entry`."""
        directory, addresses = self._people.get("everyone", self._directory, weight=lambda _: 1)
        told = notices.after_change(before, after, entry, directory)
        ops = [Put(NOTICES, _change_key(before, n), _notice_record(n, entry["at"])) for n in told]
        if self.smtp.configured:
            now = _now()
            mails = [Put(outbox_service.OUTBOX, _change_key(before, n),
                         _mail(addresses[n.user], n, now, self.link_root)) for n in told if n.user in addresses]
            if mails:
                self.mail_queued()
            ops += mails
        return ops

    def _directory(self):
        everyone, addresses = people(self.store)
        return notices.Directory(everyone), addresses


def _change_key(before, notice):
    """The key of a change's notice (and mail) to one person: the document, the version the change
    gives it and the person, each told at most once a change (workflow.notices.after_change). Two
    changes never give a document the same version, so the key is new without asking the store for
    one: on PostgreSQL a created key is an upsert of the collection's counter in the commit, about a
    tenth of the server's work on a transition."""
    return f"{before['id']}.{before['version'] + 1}.{notice.user}"


def reporting_cycle(store, seen, today):
    """The plans' reporting cycle, marked from the approved reports in `seen` (documents as seen)."""
    return plan_service.full_cycle(store, seen, today)


def remind(store, smtp, today, link_root=None):
    """The day's reminders as notices, and one e-mail per person; each (person, item)
    at most once a day, so a second run the same day adds nothing. Returns counts."""
    docs = store.scan(DOCS)
    everyone, addresses = people(store)
    heads = [person for person in everyone if person.has("head")]
    # Reports are a duty of the Head's office: every Head sees the same approved reports.
    seen = [shown for doc in docs if heads and (shown := policy.view(doc, heads[0]))]
    due = cycle.needing_attention(reporting_cycle(store, seen, today), today, dt.timedelta(days=14))
    by_person = {}
    for notice in notices.reminders(docs, everyone, today, due):
        by_person.setdefault(notice.user, []).append(notice)
    counts = {"notices": 0, "people": 0, "mails": 0}
    now, day = _now(), today.isoformat()
    for name, told in by_person.items():
        fresh = [n for n in told if store.get(NOTICES, _key(day, name, n.item)) is None]
        if not fresh:
            continue
        ops = [Put(NOTICES, _key(day, name, n.item), _notice_record(n, outbox_service.iso(now))) for n in fresh]
        if smtp.configured and name in addresses:
            items = "\n".join(n.item for n in fresh)
            key = _key(day, name, hashlib.sha256(items.encode()).hexdigest()[:16])
            ops.append(Put(outbox_service.OUTBOX, key, outbox_service.row(addresses[name], f"Equality governance: "
                                                          f"{len(fresh)} reminder{'s' * (len(fresh) != 1)}",
                                                          _body(fresh, link_root), now)))
        if commits.unless_done_elsewhere(lambda: store.commit(ops)) is None:
            continue  # a run at the same moment made them
        counts["notices"] += len(fresh)
        counts["people"] += 1
        counts["mails"] += len(ops) - len(fresh)
    return counts


def mine(store, user):
    """`user`'s notices, newest first."""
    return sorted(store.scan(NOTICES, {"user": user.name}), key=lambda n: (n["at"], _order(n)), reverse=True)


def _order(notice):
    """Within one second, newest first by the numbers in the key: a change's notice by its document, then
    the version the change gave it (_change_key); one keyed by the store's counter (an older notice, or
    `tell`'s) by that number; reminders (text keys) last."""
    document, _, rest = notice["id"].partition(".")
    return numbers.whole(document) or 0, numbers.whole(rest.partition(".")[0]) or 0


def unread_count(store, user):
    return sum(1 for n in store.scan(NOTICES, {"user": user.name}) if not n["read"])


def mark_all_read(store, user):
    """Mark every notice of `user` as read, in one commit; a notice arriving meanwhile
    makes it read them again, so none is ever said to be read unless it was."""
    def attempt():
        unread = [n for n in store.scan(NOTICES, {"user": user.name}) if not n["read"]]
        if unread:
            store.commit([Put(NOTICES, n["id"], {**n, "read": True}, expected_version=n["version"])
                          for n in unread])
    commits.retried(attempt, "your notices", only=NOTICES)


def reports_seen(store, user):
    """The progress reports as `user` may see them."""
    return [shown for doc in store.scan(DOCS, {"kind": "report"}) if (shown := policy.view(doc, user))]


def reports_due(store, user, today):
    """The plan's reports overdue or due soon, as `user` sees the approved ones."""
    return cycle.needing_attention(reporting_cycle(store, reports_seen(store, user), today), today)


def _key(day, name, item):
    return f"remind:{day}:{name}:{item}"


def tell(store, names, event, message, subject, smtp=None, link_root=None, mail_queued=lambda: None):
    """Store ops telling the active people `names` of something other than a document's
    change (a role granted, a sign-in link): a notice each, and an e-mail where a server is
    configured and they have an address. Committed with the change, like a document's."""
    everyone, addresses = people(store)
    now = _now()
    told = [notices.Notice(person.name, event, message) for person in everyone if person.name in set(names)]
    ops = [Put(NOTICES, None, _notice_record(notice, outbox_service.iso(now))) for notice in told]
    if smtp is not None and smtp.configured:
        ops += [Put(outbox_service.OUTBOX, None, outbox_service.row(addresses[n.user], f"Equality governance: {subject}",
                                                    _body([n], link_root), now)) for n in told if n.user in addresses]
        if len(ops) > len(told):
            mail_queued()
    return ops
