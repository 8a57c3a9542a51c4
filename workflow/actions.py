"""The actions a body agrees when it decides on an item ("Ensure all staff and Members are
trained ..."): what, the owner team, a due date. Pure.

An action is agreed with the decision (workflow.meetings.decide) and is open until a leader
of its owner team, or the Head, marks it done with a note. While open it comes back:
- as "Matters arising" at every later meeting of the body that agreed it (`matters_arising`);
- on My work of the owner team's leaders, and of the Head, once due within DUE_SOON (`due_for`);
- in the next progress report (`for_report`).
"""
import copy
import datetime as dt

from workflow import documents, fields, periods, policy
from workflow.errors import Forbidden, Invalid, StateConflict

DUE_SOON = dt.timedelta(days=14)
WHAT_LIMIT = 1000
MOST = 20  # actions agreed with one decision


def checked(rows, teams):
    """The actions `rows` ([{what, team, due}]) as they will be stored, rows left wholly blank
    dropped; Invalid naming each bad input ("actions.N.what", ...). `teams`: the known teams."""
    if rows is None:
        return []
    if not isinstance(rows, list) or len(rows) > MOST or not all(isinstance(row, dict) for row in rows):
        raise Invalid("Correct the actions.", {"actions": f"Give up to {MOST} actions, each with what, team and due"})
    kept, errors = [], {}
    for n, row in enumerate(rows):
        given = {key: row.get(key) for key in ("what", "team", "due")}
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in given.values()):
            continue
        errors.update(_row_errors(f"actions.{n}", given, teams))
        kept.append({key: value.strip() if isinstance(value, str) else value for key, value in given.items()})
    if errors:
        raise Invalid("Correct the actions shown.", errors)
    return kept


def _row_errors(path, row, teams):
    errors = {}
    what = row["what"]
    if not isinstance(what, str) or not what.strip():
        errors[f"{path}.what"] = "Enter what is to be done"
    elif len(what) > WHAT_LIMIT or "\x00" in what:
        errors[f"{path}.what"] = fields.too_long("what", WHAT_LIMIT) if len(what) > WHAT_LIMIT else \
            "Enter what is to be done as plain text"
    if row["team"] not in teams:
        errors[f"{path}.team"] = "Select the team that owns the action"
    errors.update(fields.date(f"{path}.due", row["due"].strip() if isinstance(row["due"], str) else row["due"]))
    return errors


def agreed(rows, meeting, item, user, at=None):
    """New action records for `rows` (from `checked`), agreed at `meeting` on agenda `item`."""
    at = at or documents.now()
    return [{**row, "body": meeting.get("body") or "eodb", "meeting": meeting["id"], "meeting_date": meeting["date"],
             "document": item["document"], "report": item["number"], "title": item["title"],
             "agreed_by": user.name, "agreed_at": at, "done": None,
             "history": [{"at": at, "by": user.name, "what": "agreed"}]} for row in rows]


def complete(action, user, note, at=None):
    """`action` marked done with `note`: by a leader of its owner team or the Head, once."""
    if not policy.may_complete_action(user, action):
        raise Forbidden("Only a team leader of the team that owns the action, or the Head, can mark it done.")
    if action.get("done"):
        raise StateConflict("The action is already done.", {"action": "The action was marked done already"})
    if not isinstance(note, str) or not note.strip():
        raise Invalid("Say what was done.", {"note": "Enter a note saying what was done"})
    if len(note) > WHAT_LIMIT or "\x00" in note:
        raise Invalid("Correct the note.", {"note": fields.too_long("note", WHAT_LIMIT)})
    at = at or documents.now()
    updated = copy.deepcopy(action)
    updated["done"] = {"note": note.strip(), "by": user.name, "at": at}
    updated["history"].append({"at": at, "by": user.name, "what": "done", "note": note.strip()})
    return updated


def is_open(action, on=None):
    """Whether `action` is open (on day `on`, an ISO date: not yet done by the end of the day before)."""
    done = action.get("done")
    return not done or (on is not None and done["at"][:10] >= on)


def _order(meeting):
    return meeting["date"], int(meeting["id"])


def matters_arising(meeting, every, actions):
    """The actions agreed at earlier meetings of `meeting`'s body (of `every` meeting) still open
    on its day, oldest first: its "Matters arising". An action done since then is still listed
    (with its note), so the meeting's record reads as it was."""
    body = meeting.get("body") or "eodb"
    earlier = {m["id"] for m in every if (m.get("body") or "eodb") == body and _order(m) < _order(meeting)}
    return sorted((a for a in actions if a["meeting"] in earlier and is_open(a, meeting["date"])),
                  key=lambda a: (a["meeting_date"], a["due"], int(a["id"])))


def due_for(actions, user, today):
    """The open actions on `user`'s My work: those of the teams they lead (every team for the
    Head) due within DUE_SOON or overdue, soonest due first."""
    horizon = (today + DUE_SOON).isoformat()
    return sorted((a for a in actions if not a.get("done") and a["due"] <= horizon
                   and (user.has("head") or user.leads(a["team"]))), key=lambda a: (a["due"], int(a["id"])))


def overdue(action, today):
    return not action.get("done") and action["due"] < today.isoformat()


def for_report(actions, period):
    """Rows for the progress report on `period` (a workflow.periods code): each action agreed by
    the period's end and not done before its start, in the order agreed:
    [{what, team, due, agreed (date), done (date or None), note}]."""
    start, end = (day.isoformat() for day in periods.bounds(period))
    rows = [a for a in actions if a["meeting_date"] <= end and is_open(a, start)]
    return [{"what": a["what"], "team": a["team"], "due": a["due"], "agreed": a["meeting_date"],
             "done": a["done"]["at"][:10] if a.get("done") and a["done"]["at"][:10] <= end else None,
             "note": a["done"]["note"] if a.get("done") and a["done"]["at"][:10] <= end else None}
            for a in sorted(rows, key=lambda a: (a["meeting_date"], int(a["id"])))]


REPORT_HEADING = "Matters arising: actions agreed by the Board"


def report_blocks(rows, label, day):
    """The progress report's part for the actions `rows` (from `for_report`), as workflow.reports
    blocks: a heading and a table, only when there are any. `day`: how the report writes a date."""
    if not rows:
        return []
    return [{"type": "heading", "level": 3, "text": REPORT_HEADING},
            {"type": "table", "caption": f"Actions agreed by the Board, open during {label}",
             "header": ["Action", "Owner team", "Agreed", "Due", "Done"],
             "rows": [[r["what"], r["team"], day(r["agreed"]), day(r["due"]),
                       f"{day(r['done'])}: {r['note']}" if r.get("done") else "Not yet"] for r in rows],
             "statuses": None}]

