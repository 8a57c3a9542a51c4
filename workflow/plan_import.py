"""Read a Corporate Equality Plan's objectives table (the format of the 2004 plan)
into adopted objectives: text in, documents and a report out. Pure: no store.

The table is tab-separated, one header row repeated at every page break. The
Action cell holds headings ("The MPA as a ... aims to:"), italic theme lines
and a list of actions; the other cells hold one entry per line (<p>), which do
not always line up with the actions. A row whose Action cell is empty carries
on the previous row's actions; a theme row with entries of its own speaks for
the actions that follow under that theme.
"""
import calendar
import copy
import hashlib
import re
from dataclasses import dataclass, field
from html import unescape

from workflow import documents
from workflow import fields as f
from workflow.errors import Invalid
from workflow.kinds import objective
from workflow.users import User

PLAN = "Corporate Equality Plan 2004"
IMPORTER = User("import-plan")  # not a person: the history says the plan was adopted, not who clicked
HEADER = "Action\tDeadlines\tOutcomes/Evidence\tLead Responsibility"
COLUMNS = ("deadline", "outcomes", "leads")
TITLE_LENGTH = 90

# The plan names leads loosely (unit names, post holders, a typo); an objective is owned
# by the team of its first lead, so every name the plan uses for a unit maps to its team.
LEAD_TEAMS = {alias: team for team, aliases in {
    "Administration & Treasury": ("Administration & Treasury",), "CLAMS": ("CLAMS",),
    "Community Engagement": ("Community Engagement", "Community Engagement & Administration"),
    "Human Resources": ("Human Resources", "Human Recourses"), "Internal Audit": ("Internal Audit",),
    "Planning & Performance": ("Planning & Performance",),
    "Press & Communications": ("Press & Communications", "Press & Communications Unit",
                               "Head of Press & Communications"),
    "Race & Diversity Unit": ("Race & Diversity Unit", "Race & Diversity"),
}.items() for alias in aliases}
# Leads that are no one team: the Head of Race and Diversity's unit co-ordinates the plan.
COORDINATOR = "Race & Diversity Unit"
NOT_A_TEAM = ("All Teams", "All staff", "All Team Leaders", "MPA Chair", "MPA Clerk", "Chair of EODB")

_HEADING = re.compile(r"^The MPA as (?:a|an) (.+?) aims to:?$")
_TAG = re.compile(r"<(/?)(\w+)[^>]*>")
_BLOCKS, _STYLES = ("ul", "li", "p"), ("i", "b")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}


@dataclass
class Action:
    heading: str
    theme: str | None
    text: str
    line: int
    values: dict = field(default_factory=dict)  # column -> deadline text, outcomes text, leads list
    ref: str = ""
    # column -> the entries of its row that no action of the row is paired with: shown on each of them
    row: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)  # the import's notes that concern this action, in words


@dataclass
class Plan:
    actions: list
    notes: list  # what could not be placed, in words, in the order of the table


@dataclass
class _Segment:
    """A row and its continuation rows, or a theme row's entries: actions plus column entries."""
    line: int
    actions: list = field(default_factory=list)
    entries: dict = field(default_factory=lambda: {c: [] for c in COLUMNS})
    fallback: bool = False  # a theme row's entries: used only where an action's own row says nothing


def _refuse(line, message):
    raise Invalid("the file is not a Corporate Equality Plan objectives table that can be imported",
                  {f"line {line}" if line else "file": message})


def decode(data):
    """The file's text; binary or non-UTF-8 files are refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(None, "is not UTF-8 text")
    if "\x00" in text:
        _refuse(None, "is binary, not text")
    return text


def _blocks(cell, line):
    """[(kind, text, italic)] of a cell: kind 'li', 'p', or 'text' for words outside both."""
    blocks, stack, current, loose, pos = [], [], None, None, 0
    for match in [*_TAG.finditer(cell), None]:
        text = unescape(cell[pos:match.start() if match else len(cell)])
        if "<" in text or ">" in text:
            _refuse(line, "a tag is cut off (is the table cut short?)")
        if current is None and text.strip() and loose is None:
            loose = ["text", "", None]
            blocks.append(loose)
        target = current or loose
        if target is not None:
            target[1] += text
            if text.strip():
                target[2] = (target[2] is not False) and "i" in stack
        if match is None:
            break
        closing, tag = match[1], match[2].lower()
        if tag not in _BLOCKS + _STYLES:
            _refuse(line, f"unexpected <{tag}> in a cell")
        if tag in _BLOCKS:
            loose = None
        if not closing:
            stack.append(tag)
            if tag in ("li", "p"):
                current = [tag, "", None]
                blocks.append(current)
        elif not stack or stack.pop() != tag:
            _refuse(line, f"</{tag}> closes nothing (is the table cut short?)")
        elif tag in ("li", "p"):
            current = None
        pos = match.end()
    if stack:
        _refuse(line, f"<{stack[-1]}> is never closed (is the table cut short?)")
    return [(kind, " ".join(text.split()), bool(italic)) for kind, text, italic in blocks]


def _event(block, line):
    """('heading' | 'theme' | 'action', text) of an Action cell's block, or None if blank."""
    kind, text, italic = block
    text = text.lstrip("▪•*· ").strip()
    heading = _HEADING.match(text)
    if heading:
        name = text[:heading.start(1)] + heading[1]
        if name not in objective.HEADINGS:
            _refuse(line, f'unknown heading "{text}"')
        return "heading", name
    if not text:
        return None
    return ("theme" if italic and kind != "li" else "action"), text


def _is_header(cells):
    return [c.strip() for c in cells] == HEADER.split("\t")


def _table(text):
    """(line number, cells) of every row of the objectives table, page-break headers left out."""
    if not text.strip():
        _refuse(None, "is empty")
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _is_header(line.split("\t"))), None)
    if start is None:
        _refuse(None, "holds no objectives table (no header row "
                      "'Action / Deadlines / Outcomes/Evidence / Lead Responsibility')")
    for number, line in enumerate(lines[start + 1:], start + 2):
        cells = line.split("\t")
        if not line.strip() or _is_header(cells):
            continue
        if len(cells) != 4:
            _refuse(number, f"a row has {len(cells)} cells, not 4 (is the table cut short?)")
        yield number, cells


def parse(text):
    """The plan's actions, each with its heading, theme, ref and column values, and the notes."""
    heading = theme = block = group = None
    actions, segments, per_heading = [], [], {}
    for number, cells in _table(text):
        events = [e for e in (_event(b, number) for b in _blocks(cells[0], number)) if e]
        entries = {column: [t for _, t, _ in _blocks(cell, number)] or [""]
                   for column, cell in zip(COLUMNS, cells[1:])}
        filled = any(any(values) for values in entries.values())
        if not events:  # carries on the actions above it
            if filled and not (block or group):
                _refuse(number, "a row carries on from no action")
            for column, values in entries.items() if filled else ():
                (block or group).entries[column].extend(values)
            continue
        block = _Segment(number, entries=entries) if any(k == "action" for k, _ in events) else None
        segments += [block] if block else []
        for kind, value in events:
            if kind == "heading":
                heading, theme, group = value, None, None
                per_heading.setdefault(heading, 0)
            elif kind == "theme":
                theme, group = value, None
            elif heading is None:
                _refuse(number, "an action comes before any 'The MPA as ... aims to:' heading")
            else:
                action = Action(heading, theme, value, number)
                actions.append(action)
                per_heading[heading] += 1
                for segment in (block, group):
                    if segment:
                        segment.actions.append(action)
        if not block and filled:
            group = _Segment(number, entries=entries, fallback=True)
            segments.append(group)
    empty = [name for name, count in per_heading.items() if not count]
    if not actions or empty:
        _refuse(None, f"no actions under {empty[0] if empty else 'any heading'} (is the table cut short?)")
    notes = sorted(_place(segments) + _finish(actions), key=lambda note: note[0])
    for line, text, concerned, own in notes:
        for action in concerned:
            action.notes.append(f"line {line}: {own}")
    return Plan(actions, [f"line {line}: {text}" for line, text, _, _ in notes])


def _match(column, entries, n):
    """(one value or None per action, the entries the row keeps for all of its actions or None,
    why they did not line up or None). Entries go to actions only where the row pairs them: one
    entry per action, or one entry for the whole row; otherwise none is any one action's own."""
    filled = [e for e in entries if e]
    if not filled:
        return [None] * n, None, None
    if len(entries) == n:
        return [e or None for e in entries], None, None
    if len(filled) in (1, n):  # one entry speaks for the whole row
        return filled * (n // len(filled)), None, None
    said = "; ".join(f'"{e}"' for e in filled)
    counted = f"{len(filled)} deadlines" if column == "deadline" else f"{len(filled)} {column} entries"
    return [None] * n, filled, f"{counted} for {n} actions ({said}): kept on the row, shown on each of its actions"


def _place(segments):
    """Give each action its column values, own row first, then its theme row's; entries that
    pair with no one action stay on the row (Action.row)."""
    notes = []
    for segment in sorted(segments, key=lambda s: s.fallback):
        n = len(segment.actions)
        for column in COLUMNS if n else ():
            values, kept, why = _match(column, segment.entries[column], n)
            needed = [a for a in segment.actions if column not in a.values and column not in a.row]
            for action, value in zip(segment.actions, values):
                if value is not None and action in needed:
                    action.values[column] = value
            for action in needed if kept else ():
                action.row[column] = kept
            if why and needed:
                first = segment.actions[0]
                where = f"({first.heading}{' / ' + first.theme if first.theme else ''}) "
                notes.append((segment.line, f"{where}{why}: " + "; ".join(title(a.text, 40) for a in needed),
                              needed, f"{where}{why}"))
    return notes


def _finish(actions):
    """Convert deadlines, split leads, give refs; notes on what could not be converted."""
    notes, refs = [], set()
    for action in actions:
        said = action.values.pop("deadline", None)
        if said is not None:
            action.values["deadline"] = deadline(said)
            if action.values["deadline"] is None:
                del action.values["deadline"]
                action.row.setdefault("deadline", [said])  # kept as the plan says it, not dropped
                why = f'deadline "{said}" is not a date, a month or Ongoing: kept as the plan says it'
                notes.append((action.line, f"{why}, not as a deadline of {title(action.text, 40)}", [action], why))
        action.values["leads"] = leads(action.values.get("leads", ""))
        for lead in action.values["leads"]:
            if _bare(lead) not in _KNOWN:
                why = f'lead "{lead}" is not a known team or post (owned by {team_of(lead)})'
                notes.append((action.line, f"{why}: {title(action.text, 40)}", [action], why))
        key = "\n".join((action.heading, action.theme or "", action.text))
        ref = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        action.ref = ref if ref not in refs else f"{ref}-{action.line}"  # the same action twice stays twice
        refs.add(action.ref)
    return notes


def deadline(said):
    """'December 2004' -> '2004-12', 'ongoing' -> 'Ongoing', ISO kept; None if unreadable."""
    said = " ".join(said.split())
    if said.lower() == "ongoing":
        return "Ongoing"
    if not f.deadline("", said):
        return said
    month = re.fullmatch(r"(?:([0-9]{1,2}) )?([A-Za-z]+),? ([0-9]{4})", said)
    if not month or month[2].lower() not in _MONTHS:
        return None
    iso = f"{month[3]}-{_MONTHS[month[2].lower()]:02}" + (f"-{int(month[1]):02}" if month[1] else "")
    return iso if not f.deadline("", iso) else None


_KNOWN = {*LEAD_TEAMS, *NOT_A_TEAM}


def _bare(lead):
    """A lead without its parenthesis: 'All staff (Professional Appraisal)' -> 'All staff'."""
    return re.sub(r"\s*\(.*\)$", "", lead).strip()


def _split_known(part):
    """'Human Recourses & CLAMS' -> both names, when every piece is a known lead; else None."""
    if _bare(part) in _KNOWN:
        return [part]
    pieces = part.split(" & ")
    for i in range(1, len(pieces)):
        head, rest = " & ".join(pieces[:i]), _split_known(" & ".join(pieces[i:]))
        if head in _KNOWN and rest:
            return [head, *rest]
    return None


def leads(said):
    """The leads a cell names, as it names them: split at commas and at '&' between known names."""
    found = []
    for part in (p.strip() for p in re.split(r"[,;]", said)):
        found += (_split_known(part) or [part]) if part else []
    return list(dict.fromkeys(found))


def team_of(lead):
    return LEAD_TEAMS.get(_bare(lead), COORDINATOR)


def title(text, limit=TITLE_LENGTH):
    """`text` cut at a word boundary to about `limit` characters."""
    if len(text) <= limit:
        return text
    return text[:limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


@dataclass(frozen=True)
class Adoption:
    """Who adopted the plan and when: its objectives are approved as of then, by that body."""
    body: str
    on: str  # ISO date


def adoption(body, on):
    """The Adoption `body` and `on` name (both or neither: None), or Invalid naming each bad one."""
    if body is None and on is None:
        return None
    errors = {**f.one_line("adopted_by", body or "", 200), **f.date("adopted_on", on or "")}
    if not errors and not "1900" <= on <= "2200":
        errors["adopted_on"] = "Enter the date of adoption between 1900 and 2200"
    if errors:
        raise Invalid("Give both the body that adopted the plan and the date it did, for example "
                      '--adopted-by "EODB" --adopted-on 2004-05-20', errors)
    return Adoption(body.strip(), on)


def _source(action):
    """Where the objective comes from: the plan, its ref, what its row says for all its actions, notes."""
    source = {"plan": PLAN, "ref": action.ref}
    if action.row:
        source["row"] = {column: list(entries) for column, entries in action.row.items()}
    if action.notes:
        source["notes"] = list(action.notes)
    return source


def adopted(action, source_name, at, adopted_by=None):
    """The approved objective document for `action` and its one history entry, "adopt";
    approved as of the plan's adoption (`adopted_by`, an Adoption) when it is known."""
    fields = {"heading": action.heading, "theme": action.theme, "action": action.text,
              **action.values, "source": _source(action)}
    fields = {key: value for key, value in fields.items() if value not in (None, [])}
    errors = objective.validate(fields)
    if errors:
        _refuse(action.line, "; ".join(f"{path}: {message}" for path, message in errors.items()))
    lead = (fields.get("leads") or leads(", ".join(action.row.get("leads", ()))) or [""])[0]
    doc = {"kind": objective.NAME, "title": title(action.text), "team": team_of(lead),
           "author": IMPORTER.name, "state": "approved", "revision": 1, "fields": fields,
           "submitter": None, "created_at": at, "updated_at": at}
    digest = documents.content_hash(doc)
    approved_at = f"{adopted_by.on}T00:00:00+00:00" if adopted_by else at
    doc["published"] = {"revision": 1, "state": "approved", "title": doc["title"],
                        "fields": copy.deepcopy(fields), "approved_by": IMPORTER.name,
                        "approved_at": approved_at, "submitter": None, "content_hash": digest}
    comment = f"Adopted in the {PLAN} (imported from {source_name})"
    if adopted_by:
        doc["published"]["adopted_by"] = adopted_by.body
        comment = f"Adopted by the {adopted_by.body} on {adopted_by.on} in the {PLAN} (imported from {source_name})"
    return doc, documents.entry(at, IMPORTER, "adopt", None, "approved", 1, comment, content_hash=digest)
