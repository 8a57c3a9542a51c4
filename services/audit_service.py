"""The audit log: every change to accounts, roles, teams, training records and settings.

Append-only and hash-chained like a document's history (workflow.chain): one chain,
the log "audit"/"log", whose entries are {at, actor, address, kind, subject, action,
details}. Each entry commits with the change it records, so neither exists without
the other. A head record (collection "audit", key "log": record collections and logs
have separate namespaces) counts the entries and is written, version-guarded, with
every append: two changes at once cannot both link to the same last entry, and a
log cut short at its end no longer matches its count (`problem`).
"""
from dataclasses import dataclass

from services import commits
from store import Append, Put
from workflow import chain, fields, policy
from workflow.documents import now
from workflow.errors import Forbidden

AUDIT, LOG = "audit", "log"
KINDS = {"account": "Account", "role": "Role", "team": "Team", "training": "Training record",
         "setting": "Setting", "action": "Board action", "deputy": "Deputy approver",
         "contact": "Contact for racism and harassment", "partner": "Partner or contractor",
         "complaint": "Complaint or compliment", "consultation": "Consultation"}
PER_PAGE = 50


@dataclass(frozen=True)
class Actor:
    """Who makes a change, and from which client address (None: not over the network)."""
    name: str
    address: str | None = None


# Changes made by an operator with the store at hand, not by a signed-in person.
COMMAND_LINE = Actor("command line")


def entry(actor, kind, subject, action, **details):
    """An audit entry: `kind` one of KINDS, `subject` the person, team or setting acted on."""
    return {"at": now(), "actor": actor.name, "address": actor.address, "kind": kind,
            "subject": subject, "action": action, "details": details}


def commit(store, ops, entries):
    """Commit `ops` with `entries` appended to the audit log, all or nothing; the stored
    records of the Puts in `ops`. A Conflict on anything but the log itself is the caller's."""
    def append():
        head = store.get(AUDIT, LOG)
        last, appends = store.log_last(AUDIT, LOG), []
        for item in entries:
            last = chain.link(item, last)
            appends.append(Append(AUDIT, LOG, last))
        count = (head["entries"] if head else 0) + len(appends)
        guard = Put(AUDIT, LOG, {"entries": count}, expected_version=head["version"] if head else None)
        return store.commit([*ops, *appends, guard])[:-1]
    return commits.retried(append, "the audit log", only=AUDIT)


def problem(store):
    """None if the audit log is intact, else (entry number from 1, or None, reason)."""
    log = store.log(AUDIT, LOG)
    if chain.unchained(log):  # every entry of this log is chained from the first
        return 1, chain.MISSING_HASH
    found = chain.verify(log)
    if found:
        return found[0] + 1, found[1]
    head = store.get(AUDIT, LOG)
    if len(log) != (head["entries"] if head else 0):
        return None, f"{len(log)} entries, but {head['entries'] if head else 0} were recorded: entries are missing"
    return None


def entries(store):
    """Every entry, newest first, each with its number in the chain (from 1)."""
    log = store.log(AUDIT, LOG)
    return [{**item, "number": number} for number, item in reversed(list(enumerate(log, 1)))]


@dataclass(frozen=True)
class Query:
    """The page's filters, as given (blank: any)."""
    person: str = ""
    actor: str = ""
    kind: str = ""
    since: str = ""
    until: str = ""
    page: int = 1

    def args(self, **changes):
        """The query-string arguments that differ from the defaults (for the page links)."""
        values = {**self.__dict__, **changes}
        return {key: value for key, value in values.items() if value and not (key == "page" and value == 1)}


def _day(text):
    """The day `text` names, written YYYY-MM-DD ("" for none); None if it is not one."""
    if not text:
        return ""
    return text if fields.is_date(text) else None


DAY_WORDS = {"since": "first day", "until": "last day"}


def query_errors(query):
    """{filter: what is wrong} for dates that are not dates, a kind that is not one, a range the wrong way."""
    errors = {}
    if query.kind and query.kind not in KINDS:
        errors["kind"] = "Select one of the kinds of change listed"
    for name in ("since", "until"):
        if _day(getattr(query, name)) is None:
            errors[name] = f"Enter the {DAY_WORDS[name]} as a real date, for example 2008-03-31"
    if not errors and query.since and query.until and query.since > query.until:
        errors["until"] = "The last day must be the same as or after the first day"
    return errors


def select(found, query):
    """The entries of `found` that match `query` (its filters already checked)."""
    person, actor = query.person.strip().casefold(), query.actor.strip().casefold()
    return [item for item in found
            if (not person or (item.get("subject") or "").casefold() == person)
            and (not actor or (item.get("actor") or "").casefold() == actor)
            and (not query.kind or item.get("kind") == query.kind)
            and (not query.since or item["at"][:10] >= query.since)
            and (not query.until or item["at"][:10] <= query.until)]


def read_log(store, user, query):
    """(the entries `query` selects, newest first; {filter: what is wrong}) for `user`, a Head
    or an administrator (Forbidden for anyone else). Every entry while a filter is wrong."""
    if not policy.may_read_audit_log(user):
        raise Forbidden("The audit log is for the Head of Race and Diversity and administrators.")
    errors = query_errors(query)
    return (entries(store) if errors else select(entries(store), query)), errors


def role_events(store, role):
    """{person: [(ISO time, held `role` after, held it before or None if untold)]}, oldest first, from
    the log: accounts created or edited (with the roles they then held) and confirmed grants and removals."""
    found = {}
    for item in store.log(AUDIT, LOG):
        details = item.get("details") or {}
        if item["kind"] == "account" and item["action"] in ("created", "edited") and "roles" in details:
            event = (item["at"], role in details["roles"], None)
        elif item["kind"] == "role" and item["action"] == "confirmed" and details.get("role") == role:
            granted = details.get("change") == "grant"
            event = (item["at"], granted, not granted)
        else:
            continue
        found.setdefault(item["subject"], []).append(event)
    return found
