"""The committee progress report (Report 13 to the EODB, 6 December 2007, is its
shape): built from approved content only, laid out once as blocks, and written
out as Markdown and CSV here (HTML and PDF walk the same blocks elsewhere).

Pure: no Flask, no store. "Approved content only" means every document is read
as a Board member would read it (policy.view), the one visibility rule.
"""
import datetime as dt

from workflow import (actions, partners, periods, policy, report_entries, report_paragraphs, report_texts, spreadsheet,
                      strands, strategy)
from workflow.errors import WorkflowError
from workflow.kinds.objective import STATUS_WORDS, STATUSES, progress_for
from workflow.kinds.report import SECTION_TEXTS, TEAM
from workflow.report_paragraphs import CLOSING_PARAS, FUTURE, SECTION_PARAS, para
from workflow.training import figures as trained_by
from workflow.users import User

BOARD_READER = User("board-reader", frozenset({"eodb"}))
UNIT = TEAM  # reports to the Board are prepared by the Race & Diversity Unit
DEFAULT_AUTHOR = "By: the Chief Executive"
NOT_REPORTED = "Not reported"
OTHER_HEADING = "Other objectives"
OTHER_INTRO = ("Approved objectives not yet linked to a strategic objective, with their status for {label}. "
               "They are not counted in any strategic objective's status above.")
# The seed's order for the counts sentence: best first.
COUNT_ORDER = ("green", "amber_green", "amber", "red")
_NUMBERS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve")

RACE_IMPACT = ("This report shows continued progress, throughout the work of the Authority, in progressing the "
               "duties of the Race Relations (Amendment) Act 2000 and the requirements of other equalities "
               "legislation. However, there is still much to be achieved.")
FINANCIAL = ("The cost of all the work covered by this paper comes within the overall budget allocation of the "
             "Authority as covered in the Budget and Equalities return to the GLA.")
TRAFFIC_LIGHTS = ("To assist members assess progress against these objectives a 'traffic light system' of red "
                  "(little or no progress against objective); amber (partial achievement) and green "
                  "(achievement) is used.")
# The 2007 report's headings (its "Progress Against Corporate Objectives" and "Future ..." are its own words).
PROGRESS_HEADING = "Progress Against Corporate Objectives"
FUTURE_HEADING = "Future Corporate Equality Objectives"
CLOSING_HEADINGS = (("E. Background papers", "background_papers", report_texts.NO_PAPERS),
                    ("F. Contact details", "contact_details", ""), ("Footnotes", "footnotes", report_texts.NO_PAPERS))


def may_generate(user):
    """Whether `user` may generate a draft progress report (as creating a report document)."""
    try:
        policy.check_create(user, "report", UNIT)
    except WorkflowError:
        return False
    return True


def seen_by_board(stored_docs):
    """Every stored document as the Board sees it (approved revisions only), with
    the date its shown revision was approved."""
    seen = []
    for doc in stored_docs:
        shown = policy.view(doc, BOARD_READER)
        if shown is not None:
            seen.append({**shown, "approved_at": (doc["published"].get("approved_at") or "")[:10]})
    return seen


def training_figures(user_records, as_of, entries=()):
    """People trained in EqIA by `as_of`, as the report gives them: staff and Board
    members, from the training register `entries` and the accounts' own dates."""
    counted = trained_by(entries, as_of, accounts=user_records)
    return {key: counted[key] for key in ("staff", "members", "as_of")}


def _texts(rows, key):
    """One objective's text as written; several objectives' texts each under its title."""
    if len(rows) == 1:
        return rows[0][1].get(key)
    parts = [f"##### {doc['title']}\n\n{entry[key]}" for doc, entry in rows if entry.get(key)]
    return "\n\n".join(parts) or None


def _section(number, title, objectives, period):
    grouped = strategy.group(objectives, period)
    rows = [(doc, entry) for doc, entry in grouped["rows"] if entry]
    rated = sum(grouped["counts"].values())
    section = {"strategic": number, "title": title, "status": grouped["status"], "rolled_up_from": rated,
               **{key: _texts(rows, key) for key in SECTION_TEXTS}}
    notes = []
    if rated > 1:
        notes.append(f"Status rolled up from {rated} objectives: the weakest status counts.")
    if not objectives:
        notes.append("No approved objective is linked to this strategic objective.")
    elif grouped["unreported"]:
        notes.append(f"{grouped['unreported']} of its {len(objectives)} objectives reported no progress "
                     f"for {periods.label(period)}.")
    if notes:
        section["comment"] = "\n\n".join(filter(None, (section["comment"], *notes)))
    return section


def _unlinked(objectives, strategic, period):
    """Approved objectives linked to none of `strategic`, each with its status for `period`:
    listed on their own rather than left out of the report."""
    numbers = {s["number"] for s in strategic}
    rows = []
    for doc in objectives:
        if doc["fields"].get("strategic") in numbers:
            continue
        entry = progress_for(doc["fields"], period) or {}
        rows.append({"id": doc["id"], "title": doc["title"], "team": doc["team"],
                     **({"heading": doc["fields"]["heading"]} if doc["fields"].get("heading") else {}),
                     **({"status": entry["status"]} if entry.get("status") in STATUSES else {}),
                     **{key: entry[key] for key in SECTION_TEXTS if entry.get(key)}})
    return rows


def build_progress_report(seen, strategic, period, eqias_since, training, today, author_line=DEFAULT_AUTHOR):
    """The report's fields for `period` from `seen` (documents as seen_by_board gives them),
    `strategic` ([{number, title}]), EqIAs approved since `eqias_since` (ISO date or None) and by
    the period's end: the report gives the figures as at its period's end."""
    objectives = [d for d in seen if d["kind"] == "objective"]
    sections = [_section(s["number"], s["title"], [d for d in objectives if d["fields"].get("strategic") == s["number"]],
                         period) for s in strategic]
    report_entries.attach(sections, objectives, seen, period)
    period_end = periods.bounds(period)[1].isoformat()
    eqias = sorted((d for d in seen if d["kind"] == "eqia" and (not eqias_since or d["approved_at"] >= eqias_since)
                    and d["approved_at"] <= period_end), key=lambda d: (d["approved_at"], d["title"]))
    label = periods.label(period)
    fields = {"period": period, "author_line": author_line or DEFAULT_AUTHOR, "sections": sections,
              "eqia_appendix": [{"id": d["id"], "title": d["title"], "team": d["team"], "approved_at": d["approved_at"],
                                 strands.FIELD: strands.strand_set(d["fields"]).name} for d in eqias],
              "other_objectives": report_entries.attach_to_others(_unlinked(objectives, strategic, period),
                                                                  objectives, seen, period),
              "training": {"as_of": today.isoformat(), **training},
              "race_equality_impact": RACE_IMPACT, "financial_implications": FINANCIAL,
              **report_texts.standing(UNIT, [d["fields"] for d in seen if d["kind"] == "standard_cell"])}
    fields["summary"] = (f"This report asks members to endorse the progress made towards achieving the Corporate "
                         f"Equality Objectives for {label}. It also highlights areas of improvement and invites "
                         f"members to agree the actions needed to meet the agreed objectives.\n\n"
                         f"{counts_sentence(fields)}")
    fields["recommendations"] = report_texts.recommendations(label)
    if eqias_since:
        fields["eqias_since"] = eqias_since
    fields["background"] = _supporting(fields, label)
    return fields


def agenda_place(every_meeting, doc_id):
    """{"number", "meeting_date"} of the report `doc_id` on the latest meeting whose agenda
    has it (its "Report: 13" is the meeting's item number), or {} when it is on none."""
    placed = [(m["date"], item["number"]) for m in every_meeting for item in m.get("items") or []
              if item.get("document") == doc_id]
    if not placed:
        return {}
    date, number = max(placed)
    return {"number": number, "meeting_date": date}


def report_title(period):
    return f"Corporate equalities objectives: progress {periods.label(period)}"


def status_word(status):
    return STATUS_WORDS.get(status, NOT_REPORTED)


def status_summary(fields):
    """{"rows": [(number, title, status word, status)], "counts": {status or None: n}}."""
    rows = [(s.get("strategic"), s.get("title") or "", status_word(s.get("status")), s.get("status"))
            for s in fields.get("sections") or []]
    counts = {status: 0 for status in (*STATUSES, None)}
    for *_, status in rows:
        counts[status if status in counts else None] += 1
    return {"rows": rows, "counts": counts}


def counts_sentence(fields):
    """As the report would say it: "Of the nine objectives, 3 are Green, 3 Amber/Green, 3 Amber and none Red."""
    counts = status_summary(fields)["counts"]
    total = sum(counts.values())
    parts = [f"{counts[s] or 'none'} {STATUS_WORDS[s]}" for s in COUNT_ORDER]
    parts[0] = parts[0].replace(" ", " is " if counts[COUNT_ORDER[0]] == 1 else " are ", 1)
    sentence = f"Of the {_NUMBERS[total] if total < len(_NUMBERS) else total} objectives, " \
               f"{', '.join(parts[:-1])} and {parts[-1]}"
    sentence += f"; {counts[None]} not reported." if counts[None] else "."
    return sentence + _others_sentence(fields.get("other_objectives") or [])


def _others_sentence(others):
    """The objectives not linked to a strategic objective, counted so none goes unnoticed."""
    if not others:
        return ""
    unreported = sum(1 for o in others if o.get("status") not in STATUSES)
    tail = f", {unreported} of them not reported" if unreported else ""
    return (f" A further {_plural(len(others), 'approved objective', 'approved objectives')} not yet linked to a "
            f"strategic objective {'is' if len(others) == 1 else 'are'} listed under {OTHER_HEADING}{tail}.")


def _day(iso):
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def blocks(title, fields):
    """The report in the seed's order, as blocks every format writes out:
    {"type": "heading", "level", "text"} | {"type": "text", "text" (Markdown)} |
    {"type": "para", "number", "key", "label", "text", "numbered" (Markdown)} |
    {"type": "meta", "lines"} | {"type": "status", "status", "word"} |
    {"type": "table", "caption", "header", "rows", "statuses"}.
    Paragraphs are numbered through the report and references to them resolved
    (workflow.report_paragraphs)."""
    label = periods.label(fields["period"]) if periods.reportable(fields.get("period")) else "the period"
    meta = [f"Report: {fields['number']}" if fields.get("number") else None,
            f"Date: {_day(fields.get('meeting_date'))}" if fields.get("meeting_date") else None,
            fields.get("author_line") or DEFAULT_AUTHOR]
    background = report_paragraphs.split(fields.get("background") or _supporting(fields, label))
    out = [_heading(1, title), {"type": "meta", "lines": [line for line in meta if line]},
           _heading(2, "Summary"), _text(fields.get("summary") or ""),
           _heading(2, "A. Recommendations"), _text(fields.get("recommendations") or ""),
           _heading(2, "B. Supporting information"),
           *(para(f"background-{i}", words) for i, words in enumerate(background, start=1)),
           _heading(3, PROGRESS_HEADING), para(report_paragraphs.TRAFFIC_LIGHTS, TRAFFIC_LIGHTS)]
    for s in fields.get("sections") or []:
        out += _objective_blocks(s)
    out += _other_blocks(fields.get("other_objectives") or [], label)
    summary = status_summary(fields)
    out += [_heading(3, "Status summary"), _text(counts_sentence(fields)),
            {"type": "table", "caption": f"Status of each strategic objective, {label}",
             "header": ["Objective", "Title", "Status"],
             "rows": [[str(n), t, word] for n, t, word, _ in summary["rows"]],
             "statuses": [status for *_, status in summary["rows"]]}]
    if fields.get("ongoing_aims"):
        out.append(_text(fields["ongoing_aims"]))
    out += [para(key, fields.get(name) or report_texts.NONE_RECORDED, words) for name, key, words in CLOSING_PARAS]
    out += actions.report_blocks(fields.get("board_actions") or [], label, _day)
    out += partners.report_blocks(fields.get("partner_checks"), label, _day)
    out += [_heading(3, FUTURE_HEADING), para(FUTURE[1], fields.get(FUTURE[0]) or report_texts.NONE_RECORDED),
            _heading(2, "C. Race and equality impact"), _text(fields.get("race_equality_impact") or ""),
            _heading(2, "D. Financial implications"), _text(fields.get("financial_implications") or "")]
    for heading, name, empty in CLOSING_HEADINGS:
        out += [_heading(2, heading), _text(fields.get(name) or empty)]
    out += _appendix_blocks(fields)
    return report_paragraphs.number_through(out)


def _heading(level, text):
    return {"type": "heading", "level": level, "text": text}


def _text(value):
    return {"type": "text", "text": value}


def _objective_blocks(section):
    """One strategic objective: Evidence, Key Outcomes and Areas for Improvement as numbered
    paragraphs, then the overall comment and the status, as the seed has them."""
    number = section.get("strategic")
    out = [_heading(3, f"Objective {number}: {section.get('title') or ''}")]
    out += [para(report_paragraphs.section_key(number, key), section.get(key) or "None reported.", words)
            for key, words in SECTION_PARAS]
    out.append(_text(f"**Overall comment:** {section.get('comment') or 'None reported.'}"))
    out += report_entries.blocks(section)
    out.append({"type": "status", "status": section.get("status"), "word": status_word(section.get("status"))})
    return out


def _appendix_blocks(fields):
    since = f" since {_day(fields['eqias_since'])}" if fields.get("eqias_since") else ""
    appendix = fields.get("eqia_appendix") or []
    out = [_heading(2, f"Appendix 1: Equality Impact Assessments carried out{since}")]
    if appendix:
        out.append({"type": "table", "caption": f"Approved Equality Impact Assessments{since}",
                    "header": ["Equality Impact Assessment", "Team", "Approved", "Screened against"],
                    # An entry without a set is from a report made before sets existed: 2004's.
                    "rows": [[e["title"], e["team"], _day(e["approved_at"]), strands.strand_set(e).title]
                             for e in appendix], "statuses": None})
    else:
        out.append(_text(f"No Equality Impact Assessment was approved{since}."))
    return out


def _other_blocks(others, label):
    """The "Other objectives" part of blocks(): a table of them all, then, under each plan
    heading, the texts of those that reported progress; only when there are any."""
    if not others:
        return []
    out = [_heading(3, OTHER_HEADING), _text(OTHER_INTRO.format(label=label)),
           {"type": "table", "caption": f"Objectives not yet linked to a strategic objective, {label}",
            "header": ["Objective", "Team", "Status"],
            "rows": [[o["title"], o["team"], status_word(o.get("status"))] for o in others],
            "statuses": [o.get("status") for o in others]}]
    by_heading = {}
    for other in others:
        if any(other.get(key) for key in SECTION_TEXTS):
            by_heading.setdefault(other.get("heading") or "Without a heading", []).append(other)
    for heading, group in by_heading.items():
        out.append(_heading(4, heading))
        out += [_text(_other_text(other)) for other in group]
    out += [block for other in others for block in report_entries.blocks(other)]
    return out


def _other_text(other):
    words = (*SECTION_PARAS, ("comment", "Overall comment"))
    lines = [f"**{other['title']}** ({other['team']}). Status: {status_word(other.get('status'))}."]
    lines += [f"**{name}:** {other[key]}" for key, name in words if other.get(key)]
    return "\n\n".join(lines)


def _supporting(fields, label):
    training = fields.get("training") or {}
    count = len(fields.get("eqia_appendix") or [])
    since = f" since {_day(fields['eqias_since'])}" if fields.get("eqias_since") else " to date"
    if periods.reportable(fields.get("period")):  # the figures are as at the period's end
        since = f"{since.replace(' to date', '')} by {_day(periods.bounds(fields['period'])[1].isoformat())}"
    lines = [f"This report updates members on progress against the key strategic objectives for {label}, "
             f"the key outcomes and the outstanding areas for improvement.",
             f"{_plural(count, 'Equality Impact Assessment (EqIA) has', 'Equality Impact Assessments (EqIAs) have')}"
             f" been carried out{since} (see Appendix 1)."]
    if training:
        lines.append(f"As of {_day(training.get('as_of'))}, "
                     f"{_plural(training.get('staff', 0), 'member of staff', 'members of staff')} and "
                     f"{_plural(training.get('members', 0), 'Board member', 'Board members')} have been trained "
                     f"in how to conduct Equality Impact Assessments.")
    return "\n\n".join(lines)


def _plural(n, one, many):
    return f"{n} {one if n == 1 else many}"


def _md_cell(value):
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(title, fields):
    lines = []
    for block in blocks(title, fields):
        kind = block["type"]
        if kind == "heading":
            lines.append("#" * block["level"] + " " + block["text"])
        elif kind == "text":
            lines.append(block["text"])
        elif kind == "para":
            lines.append(block["numbered"])
        elif kind == "meta":
            lines.append("  \n".join(block["lines"]))
        elif kind == "status":
            lines.append(f"**Status: {block['word']}**")
        else:
            rows = [block["header"], ["---"] * len(block["header"]), *block["rows"]]
            lines.append("\n".join("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows))
    return "\n\n".join(lines) + "\n"


def to_csv(fields):
    """The status summary table: one row per strategic objective, then one per objective
    not yet linked to one (its Objective column says so)."""
    rows = [(number, title, word) for number, title, word, _ in status_summary(fields)["rows"]]
    rows += [(OTHER_HEADING, o["title"], status_word(o.get("status"))) for o in fields.get("other_objectives") or []]
    return "".join(spreadsheet.lines([("Objective", "Title", "Status"), *rows]))
