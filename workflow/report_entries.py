"""Under each strategic objective of the progress report, what the teams wrote for the
period beyond the objectives' own progress: each lead team's entry on a shared objective
(workflow/shared.py) and the status and progress of the team plan targets serving its
objectives (workflow/target_progress.py). Built, like the rest of the report, from the
documents as the Board sees them (approved revisions only); workflow/reports.py calls
`attach` when it builds the report and `blocks` when it lays a section out.
"""
from functools import partial

from workflow import fields as f
from workflow.kinds.objective import (
    STATUS_WORDS,
    STATUSES,
    TEAM_ENTRY_TEXTS,
    TEAM_PROGRESS,
    progress_for,
)

LABELS = dict(zip(TEAM_ENTRY_TEXTS, ("Evidence", "Key Outcomes", "Areas for Improvement", "Overall comment")))
TEAMS_HEADING = "Lead teams' entries"
TARGETS_HEADING = "Team plan targets"
# What the report document keeps of them (workflow/kinds/report.py checks a section with these).
TEAM_ENTRY_SPEC = {"objective": f.text, "team": partial(f.text, limit=200), "period": f.text,
                   **{key: f.text for key in TEAM_ENTRY_TEXTS}}
TARGET_SPEC = {"objective": f.text, "team": partial(f.text, limit=200), "target": f.text, "period": f.text,
               "status": partial(f.choice, options=STATUSES, words=STATUS_WORDS), "progress": f.text}
SECTION_SPEC = {"team_entries": partial(f.records, spec=TEAM_ENTRY_SPEC),
                "targets": partial(f.records, spec=TARGET_SPEC)}


def _latest(entries, period):
    """The entry of `period`, else the latest of a period within it (as an objective's own progress)."""
    return progress_for({"progress": entries}, period)


def team_entries(objectives, period):
    """Each lead team's entry for `period` on `objectives`, objective by objective, team by team."""
    rows = []
    for doc in objectives:
        entries = doc["fields"].get(TEAM_PROGRESS) or []
        for team in sorted({e.get("team") for e in entries if e.get("team")}):
            entry = _latest([e for e in entries if e.get("team") == team], period)
            if entry:
                rows.append({"objective": doc["title"], "team": team,
                             **{key: entry[key] for key in ("period", *TEAM_ENTRY_TEXTS) if entry.get(key)}})
    return rows


def targets(objectives, plans, period):
    """The targets of the team plans `plans` serving `objectives`, each with its status and
    progress for `period` (targets with nothing reported for it are left out)."""
    titles = {doc["id"]: doc["title"] for doc in objectives}
    rows = []
    for plan in sorted(plans, key=lambda p: (p["team"], p["title"])):
        for target in plan["fields"].get("targets") or []:
            served = [titles[i] for i in target.get("objectives") or [] if i in titles]
            entry = _latest(target.get("progress") or [], period) if served else None
            if entry and entry.get("status") in STATUSES:
                rows.append({"objective": "; ".join(served), "team": plan["team"], "target": target.get("target") or "",
                             **{key: entry[key] for key in ("period", "status", "progress") if entry.get(key)}})
    return rows


def attach(sections, objectives, seen, period):
    """Add to each section (built for a strategic objective) the team entries and targets of
    its objectives; `seen`: every document as the Board sees it."""
    plans = [d for d in seen if d["kind"] == "team_plan"]
    for section in sections:
        linked = [d for d in objectives if d["fields"].get("strategic") == section["strategic"]]
        _add(section, linked, plans, period)
    return sections


def attach_to_others(rows, objectives, seen, period):
    """The same for each row of "Other objectives" (objectives linked to no strategic objective)."""
    plans = [d for d in seen if d["kind"] == "team_plan"]
    for row in rows:
        _add(row, [d for d in objectives if d["id"] == row["id"]], plans, period)
    return rows


def _add(part, objectives, plans, period):
    found = {"team_entries": team_entries(objectives, period), "targets": targets(objectives, plans, period)}
    part.update({key: rows for key, rows in found.items() if rows})


def blocks(section):
    """The team entries and targets of a section (or of a row of "Other objectives") as
    report blocks (see workflow.reports.blocks)."""
    out = []
    # Under "Other objectives" the headings name the objective: several follow one table there.
    about = "" if section.get("strategic") else f": {section.get('title')}"
    if section.get("team_entries"):
        out.append({"type": "heading", "level": 4, "text": TEAMS_HEADING + about})
        for entry in section["team_entries"]:
            parts = [f"##### {entry['team']}: {entry['objective']}"]
            parts += [f"**{words}:** {entry[key]}" for key, words in LABELS.items() if entry.get(key)]
            out.append({"type": "text", "text": "\n\n".join(parts)})
    if section.get("targets"):
        out.append({"type": "heading", "level": 4, "text": TARGETS_HEADING + about})
        served = f"Objective {section['strategic']}" if section.get("strategic") else section.get("title")
        out.append({"type": "table", "caption": f"{TARGETS_HEADING} serving {served}",
                    "header": ["Team", "Target", "Objective served", "Progress", "Status"],
                    "rows": [[t["team"], t["target"], t["objective"], t.get("progress") or "",
                              STATUS_WORDS[t["status"]]] for t in section["targets"]],
                    "statuses": [t["status"] for t in section["targets"]]})
    return out
