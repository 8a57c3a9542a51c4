"""What happens to a document: creation, edits and transitions, as pure functions.

Each returns the new document and the history entry to append; the caller
persists both in one commit. Nothing is persisted here, and an operation that
is refused raises before anything could be.
"""
import hashlib
import json
import time

from workflow import chain, compare, kinds, machine, policy, strands
from workflow import fields as f
from workflow.errors import Invalid, StateConflict
from workflow.kinds import eqia

TITLE_LIMIT = 300
CONTRIBUTORS = machine.CONTRIBUTORS


def copy_of(value):
    """A deep copy of a JSON value (dicts, lists, scalars): several times faster than
    copy.deepcopy, which a transition would otherwise spend most of its time in. Every change
    copies a document, whose dicts and lists hold mostly scalars: each is copied whole in one
    step (dict.copy, list.copy: the scalars taken over as they are), then only its nested
    dicts and lists replaced by copies (a third less time than building it item by item)."""
    kind = type(value)
    if kind is dict:
        copied = value.copy()
        for key, item in value.items():
            if type(item) in _NESTED:
                copied[key] = copy_of(item)
        return copied
    if kind is list:
        copied = value.copy()
        for index, item in enumerate(value):
            if type(item) in _NESTED:
                copied[index] = copy_of(item)
        return copied
    if kind is tuple:
        return tuple(copy_of(item) if type(item) in _NESTED else item for item in value)
    return value


_NESTED = frozenset({dict, list, tuple})  # the containers copy_of copies; anything else is shared


def now():
    """The time of a change, in UTC to the second, as datetime writes it in ISO 8601
    (2008-01-01T09:00:00+00:00): from time.gmtime, in half the time of
    datetime.now(timezone.utc).isoformat(timespec="seconds"); every change asks for it."""
    return time.strftime(_ISO_UTC, time.gmtime())


_ISO_UTC = "%Y-%m-%dT%H:%M:%S+00:00"


def content_hash(doc):
    """SHA-256 of exactly what is signed off: kind, title, team, revision and fields."""
    content = {key: doc[key] for key in ("kind", "title", "team", "revision", "fields")}
    return hashlib.sha256(chain.canonical(content)).hexdigest()


def entry(at, user, action, before, after, revision, comment=None, **extra):
    """One history line; history is only ever appended to."""
    return {"at": at, "actor": user.name, "action": action, "from": before, "to": after,
            "comment": comment, "revision": revision, **extra}


def contributed(doc, user):
    """Record `user` among those who wrote or changed the content of `doc`'s current
    revision (machine.WROTE_REVISION: none of them may sign it off). Every change of
    content passes here: creating, editing (pages, API, progress, evidence, reports)
    and starting a new revision, which begins a fresh list."""
    names = doc.setdefault(CONTRIBUTORS, [])
    if user.name not in names:
        names.append(user.name)
    heads = doc.setdefault(machine.HEAD_WROTE, [])
    if user.has("head") and user.name not in heads:
        heads.append(user.name)


def _check_title(title):
    return f.one_line("title", title, TITLE_LIMIT)


# Said above the list of each answer to correct, nothing having been saved.
FIX_ANSWERS = "Some answers need correcting; nothing was saved"


def _check_fields(kind, fields, current=None):
    if not isinstance(fields, dict):
        return {"fields": "Give the fields as named answers"}
    return {f"fields.{path}": message for path, message in kind.validate(fields, current).items()}


def create(user, kind_name, title, team, fields, at=None, strand_set=strands.DEFAULT):
    """A new draft, revision 1, authored by `user` for `team`. A new EqIA is
    screened against `strand_set` (the authority's setting) unless its fields name one."""
    if kind_name == eqia.NAME and isinstance(fields or {}, dict) and not (fields or {}).get(strands.FIELD):
        fields = {**(fields or {}), strands.FIELD: strand_set}
    errors = {}
    if not isinstance(kind_name, str) or kind_name not in kinds.KINDS:
        errors["kind"] = "Select the kind of document"
    if not isinstance(team, str) or not team:
        errors["team"] = "Select a team"
    errors.update(_check_title(title))
    if "kind" not in errors:
        errors.update(_check_fields(kinds.get(kind_name), fields if fields is not None else {}))
    if errors:
        raise Invalid(FIX_ANSWERS, errors)
    policy.check_create(user, kind_name, team)
    at = at or now()
    doc = {"kind": kind_name, "title": title.strip(), "team": team, "author": user.name,
           "state": "draft", "revision": 1, "fields": _tidied(kinds.get(kind_name), _without_nulls(fields or {})),
           "submitter": None, "published": None, "created_at": at, "updated_at": at}
    contributed(doc, user)
    return doc, entry(at, user, "create", None, "draft", 1)


def _tidied(kind, fields):
    """The fields as the kind stores them (a monitoring dataset's names in their house spelling)."""
    return kind.tidy(fields) if hasattr(kind, "tidy") else fields


def _without_nulls(fields):
    return {key: value for key, value in fields.items() if value is not None}


def edit(doc, user, title=None, changes=None, at=None):
    """Replace the given top-level `changes` keys of the fields (null clears one)."""
    changes = {} if changes is None else changes
    errors = {} if title is None else _check_title(title)
    kind = kinds.get(doc["kind"])
    errors.update(_check_fields(kind, changes, doc["fields"]))
    if errors:
        raise Invalid(FIX_ANSWERS, errors)
    # The title counts as a change too: a lead team's leader may change only their entries.
    policy.check_edit(doc, user, changes if title is None else {**changes, "title": title})
    changes = _tidied(kind, changes)
    updated = copy_of(doc)
    updated["fields"] = _without_nulls({**doc["fields"], **changes})
    changed = sorted(key for key in changes if doc["fields"].get(key) != changes[key])
    if title is not None and title.strip() != doc["title"]:
        updated["title"] = title.strip()
        changed.insert(0, "title")
    if changed:
        contributed(updated, user)
    at = at or now()
    updated["updated_at"] = at
    comment = "changed " + ", ".join(changed) if changed else "saved without changes"
    # The parts changed within each field too, so the history can say "the full assessment: evidence".
    parts = compare.changed_parts({"title": doc["title"], **doc["fields"]},
                                  {"title": updated["title"], **updated["fields"]}, changed)
    return updated, entry(at, user, "edit", doc["state"], doc["state"], doc["revision"], comment,
                          **({"changed": parts} if parts else {}))


def transition(doc, user, name, comment=None, at=None):
    """Fire `name` on `doc` as `user`; returns (document, history entry)."""
    policy.check_transition(doc, user, name, comment)
    updated = copy_of(doc)
    new_state = machine.fire(updated, name, user, comment)
    if new_state is None:  # the policy agreed and the machine did not: a rule is out of step
        raise StateConflict("That step could not be taken now; reload the document and try again")
    at = at or now()
    updated["state"] = new_state
    comment = comment.strip() if isinstance(comment, str) and comment.strip() else None
    extra = _AFTER.get(name, lambda *_: {})(updated, user, at, comment)  # sees when it was last changed
    updated["updated_at"] = at
    return updated, entry(at, user, name, doc["state"], new_state, updated["revision"], comment, **extra)


def _after_assess(doc, user, at, comment):
    doc["submitter"] = user.name
    return {}


def _after_send_back(doc, user, at, comment):
    doc["submitter"] = None
    doc["assignee"] = None
    # Kept on the document so the author's "My work" can say why without reading history.
    doc["returned"] = {"by": user.name, "at": at, "comment": comment}
    # What was sent back, kept (after "returned" is cleared by screening) until the next
    # send-back, so whoever reviews the resubmission sees what was corrected since.
    doc["sent_back"] = {"by": user.name, "at": at, "comment": comment, "revision": doc["revision"],
                        "title": doc["title"], "fields": copy_of(doc["fields"])}
    return {}


def _after_screen(doc, user, at, comment):
    doc["returned"] = None
    return {}


def assign(doc, user, assignee, due=None, at=None):
    """Name the approver a submitted document waits for, with an optional due date."""
    errors = {} if due in (None, "") else f.date("due", due)
    if errors:
        raise Invalid("Enter the due date as a real date, for example 2008-03-31", errors)
    policy.check_assign(doc, user, assignee)
    updated = copy_of(doc)
    at = at or now()
    updated["assignee"] = {"name": assignee.name, "due": due or None, "by": user.name, "at": at}
    comment = f"assigned to {assignee.name}" + (f", due {due}" if due else "")
    return updated, entry(at, user, "assign", doc["state"], doc["state"], doc["revision"], comment)


def _after_approve(doc, user, at, comment):
    doc["assignee"] = None
    digest = content_hash(doc)
    doc["published"] = {"revision": doc["revision"], "state": "approved", "title": doc["title"],
                        "fields": copy_of(doc["fields"]), "approved_by": user.name,
                        "approved_at": at, "submitter": doc["submitter"], "content_hash": digest}
    if machine.signs_as_deputy(doc, user):
        # Every sign-off a naming covers says so, with who named the deputy and for when.
        doc["published"]["as_deputy"] = user.deputy.as_recorded()
        return {"content_hash": digest, "as_deputy": user.deputy.as_recorded()}
    return {"content_hash": digest}


def _after_review(doc, user, at, comment):
    doc["published"]["state"] = "reviewed"
    return record_board_decision(doc, user, at)


def _after_revise(doc, user, at, comment):
    # Readers of the approved revision go on seeing it as it stood until the next approval
    # (policy.as_seen): its version and time of change must not move with the hidden work.
    doc["published"].update(version=doc["version"], updated_at=doc["updated_at"])
    doc["revision"] += 1
    doc["submitter"] = None
    # The new revision's writers start afresh: the team leader who starts it writes it;
    # the Board referring it back (its decision fires this) writes nothing.
    doc[CONTRIBUTORS] = []
    # A Head who authored the document still did; a Head who only changed the last revision did not write this one.
    doc[machine.HEAD_WROTE] = [name for name in doc.get(machine.HEAD_WROTE, ()) if name == doc["author"]]
    if not doc.get("board_decision"):
        contributed(doc, user)
    return record_board_decision(doc, user, at)


def record_board_decision(doc, user, at):
    """Move a Board decision being recorded onto the document's list of decisions."""
    pending = doc.pop("board_decision", None)
    if not pending:
        return {}
    # Which body decided: kept from when meetings belonged to bodies (workflow.bodies).
    decision = {key: pending[key] for key in ("meeting", "decision", "note", "body") if key in pending}
    doc.setdefault("decisions", []).append({**decision, "by": user.name, "at": at})
    return {"board": decision}


_AFTER = {"screen": _after_screen, "assess": _after_assess, "send_back": _after_send_back, "approve": _after_approve,
          "review": _after_review, "revise": _after_revise}


def matches(shown, query):
    """Case-insensitive search over what the reader sees: title and text fields."""
    needle = query.casefold()
    if needle in shown["title"].casefold():
        return True
    return needle in json.dumps(shown["fields"], ensure_ascii=False).casefold()
