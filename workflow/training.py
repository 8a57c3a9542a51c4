"""The EqIA training register: who was trained in Equality Impact Assessment (and
other equality training), when, and the figures the Board is given ("71 MPA
members of staff ... eight members in total", Report 13 to the EODB, 2007).

An entry is one training event: {name, group, course, date, team?, post?}. The
register holds people who may never sign in, so a person is known by their name
as written (spaces and case aside); an entry whose name is an account's user name
also gives that account its EqIA date (services/account_service.py). Pure: no Flask, no store.
"""
import csv
import datetime as dt
import hashlib
import io

from workflow import fields
from workflow.errors import Invalid

EQIA = "eqia"
GROUPS = {"staff": "staff", "member": "member", "board member": "member", "members": "member",
          "board": "member"}  # as a spreadsheet may say it -> as stored
GROUP_WORDS = {"staff": "Staff", "member": "Board member"}
REQUIRED = ("name", "group", "course", "date")
COLUMNS = (*REQUIRED, "team", "post")
MAX_TEXT = 100
_EQIA_WORDS = {EQIA, "equality impact assessment", "equality impact assessments"}
HEADER = ("the first line must name the columns " + fields.either(list(REQUIRED), "and")
          + " (and may name team and post)")
OWN_NAME = "Someone else must record your training: you cannot record your own"


def person(name):
    """The one identity of a name however it is typed: "Jane  SMITH" is "jane smith"."""
    return " ".join(str(name).split()).casefold()


def key(entry):
    """Stable per person, course and day, so importing the same file twice adds nothing."""
    text = "|".join((person(entry["name"]), person(entry["course"]), entry["date"]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def group_for_roles(roles):
    """Board members hold the eodb role; everyone else with an account is staff."""
    return "member" if "eodb" in roles else "staff"


def course_words(course):
    return "Equality Impact Assessment" if course == EQIA else course


def entered_by_self(name, entered_by):
    """Whether the person `name` is who records the entry: nobody records their own training."""
    return entered_by is not None and person(name) == person(entered_by)


def date_errors(date, field="date", today=None):
    """{field: what is wrong} unless `date` is a day written as ISO 8601 (2007-03-31) no later than today."""
    if not fields.is_date(date):
        return {field: "Enter the date trained as a real date, for example 2007-03-31"}
    if date > (today or dt.date.today()).isoformat():
        return {field: "The date trained must be today or earlier: record training once it has taken place"}
    return {}


def check(values, entered_by=None, today=None):
    """An entry from raw values ({column: text}), recorded by `entered_by` (a user name, or
    None when not known); Invalid naming each bad column."""
    clean = {column: " ".join(str(values.get(column) or "").split()) for column in COLUMNS}
    errors = {}
    if not clean["name"]:
        errors["name"] = "Enter the person's name"
    group = GROUPS.get(clean["group"].casefold())
    if group is None:
        errors["group"] = "Select staff or Board member"
    course = EQIA if clean["course"].casefold() in _EQIA_WORDS else clean["course"]
    if not course:
        errors["course"] = "Enter the course: EqIA, or the name of the equality course"
    errors.update(date_errors(clean["date"], today=today))
    if clean["name"] and entered_by_self(clean["name"], entered_by):
        errors["name"] = OWN_NAME
    for column in COLUMNS:
        if len(clean[column]) > MAX_TEXT:
            errors[column] = fields.too_long(column, MAX_TEXT)
    if errors:
        raise Invalid("Correct the training entry shown.", errors)
    entry = {"name": clean["name"], "group": group, "course": course, "date": clean["date"]}
    entry.update({column: clean[column] for column in ("team", "post") if clean[column]})
    if entered_by is not None:
        entry["entered_by"] = entered_by
    return entry


def _header(row):
    """{column: index} from the header row; Invalid if a required column is missing."""
    names = [cell.strip().casefold() for cell in row]
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        raise Invalid("The first line of the file does not name every column.",
                      {"header": f"{fields.sentence(HEADER)}; it does not name " + fields.either(missing, "and")})
    return {column: names.index(column) for column in COLUMNS if column in names}


def parse(text, entered_by=None, today=None):
    """(entries, bad rows) from CSV text with a header row, recorded by `entered_by`. Each
    bad row is a sentence such as "Line 7: Enter the date trained as a real date, for example 2007-03-31";
    line numbers are the file's own."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    entries, bad, columns = [], [], None
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank lines between rows are not mistakes
            if columns is None:
                try:
                    columns = _header(row)
                except Invalid as exc:
                    bad.append(f"Line {reader.line_num}: {exc.details['header']}")
                    return [], bad
                width = len(row)
                continue
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                bad.append(f"Line {reader.line_num}: It has {len(row)} values, "
                           f"but the first line names {width} columns")
                continue
            try:
                entries.append(check({column: row[i] if i < len(row) else "" for column, i in columns.items()},
                                     entered_by, today))
            except Invalid as exc:
                bad.append(f"Line {reader.line_num}: " + ". ".join(exc.details.values()))
    except csv.Error as exc:
        bad.append(f"Line {reader.line_num}: It cannot be read as CSV ({exc})")
    if columns is None:
        bad.append(f"The file is empty: {HEADER}")
    return entries, bad


def account_entry(name, roles, date, entered_by):
    """The EqIA entry of an account's training, recorded by `entered_by`: a Board member
    if they hold the eodb role."""
    return {"name": name, "group": group_for_roles(roles), "course": EQIA, "date": date, "entered_by": entered_by}


def from_accounts(user_records):
    """EqIA entries for active accounts with a training date, so that dates recorded
    before the register existed still count."""
    return [account_entry(r["name"], r.get("roles", ()), r["trained"], r.get("trained_by"))
            for r in user_records if r.get("trained") and not r.get("disabled")]


def earliest_eqia(entries):
    """{person: their first EqIA entry that the training rule counts}: one someone else
    recorded (an entry without `entered_by` was recorded before who entered it was kept)."""
    first = {}
    for entry in entries:
        if entry["course"] == EQIA and not entered_by_self(entry["name"], entry.get("entered_by")):
            who = person(entry["name"])
            if who not in first or entry["date"] < first[who]["date"]:
                first[who] = entry
    return first


def figures(entries, as_of, accounts=()):
    """People trained by `as_of` (a date): in EqIA, split staff and Board members, and
    per other course. Each person counts once; a person is a Board member if any
    of their entries says so. `accounts`: user records whose dates count too."""
    until = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
    groups, courses = {}, {}
    for entry in [*entries, *from_accounts(accounts)]:
        if entry["date"] > until:
            continue
        who = person(entry["name"])
        if entry["course"] == EQIA:
            groups[who] = "member" if "member" in (groups.get(who), entry["group"]) else "staff"
        else:
            courses.setdefault(entry["course"], set()).add(who)
    members = sum(1 for group in groups.values() if group == "member")
    return {"as_of": until, "staff": len(groups) - members, "members": members,
            "courses": {course: len(people) for course, people in sorted(courses.items())}}


def select(entries, group=None, course=None):
    """The register's rows for the page: newest first, then by name; optionally one group or course."""
    chosen = [e for e in entries if (not group or e["group"] == group) and (not course or e["course"] == course)]
    return sorted(sorted(chosen, key=lambda e: person(e["name"])), key=lambda e: e["date"], reverse=True)
