"""What teams write for a period beyond an objective's own progress: each lead team's
entry on a shared objective (workflow/shared.py), and the status and progress of a
Team Equality Plan's targets (workflow/target_progress.py). Thin: parse, call, render;
the rules are the services' and the workflow's, as for the API.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import progress_service
from web.auth import page_user
from web.current import current_documents
from web.form_state import FormState, line, posted_version, text
from web.pages.progress_pages import STATUS_CHOICES, TEXTS
from workflow import machine, periods, policy, shared, target_progress
from workflow.errors import NotFound, WorkflowError

bp = Blueprint("team_entry", __name__)


def _refused(exc, input_for):
    """Messages of `exc` by the input `input_for(path)` names, one per input, all in the summary."""
    errors, summary = {}, []
    for path, message in exc.details.items():
        if path == "version" or not isinstance(message, str):
            continue
        name = input_for(path)
        if name is not None:
            errors.setdefault(name, message)
        summary.append((None, message, name))
    return errors, summary


def _entry_input(path):
    """The input a refusal of a team's entry is about: its text, none for the team (the
    page offers only the teams one leads), else the evidence."""
    key = path.rpartition(".")[2]
    return None if key == "team" else f"entry.{key}" if key in shared.TEXTS else "entry.evidence"


@bp.route("/documents/<doc_id>/team-progress", methods=["GET", "POST"])
@login_required
def team_entry(doc_id):
    """A lead team's own entry for a period on an objective several teams lead."""
    user = page_user()
    documents = current_documents()
    doc, shown = progress_service.objective(documents, doc_id, user)
    choices = progress_service.writable_periods(documents, shown)
    teams = shared.teams_of(shown, user)  # as the reader knows it: a revision under way may name others
    source = request.form if request.method == "POST" else request.args
    code = line(source, "period") or (choices[-1] if choices else None)
    team = line(source, "team") or (teams[0] if teams else None)
    if request.method == "GET":
        if code not in choices or team not in teams:
            return _team_page(doc, shown, None, None, teams, choices, FormState())
        stored = shared.entry_of(shown["fields"].get(shared.FIELD), code, team) or {}
        values = {f"entry.{key}": [stored[key]] for key in shared.TEXTS if stored.get(key)}
        return _team_page(doc, shown, code, team, teams, choices, FormState(values))
    written = {key: text(request.form, f"entry.{key}") for key in shared.TEXTS}
    entry = {"period": code, "team": team, **{key: value for key, value in written.items() if value}}
    try:
        progress_service.write_team_entry(documents, doc_id, user, posted_version(request.form), entry)
    except NotFound:
        raise
    except WorkflowError as exc:
        values = {key: request.form.getlist(key) for key in request.form if key.startswith("entry.")}
        f = FormState(values, *_refused(exc, _entry_input))
        shown_code, shown_team = (code, team) if code in choices and team in teams else (None, None)
        return _team_page(doc, shown, shown_code, shown_team, teams, choices, f, exc, exc.status)
    flash(f"{team}'s entry for {periods.label(code)} saved. Readers see it once the Head approves this revision.")
    return redirect(url_for("pages.document", doc_id=doc_id))


def _team_page(doc, shown, code, team, teams, choices, f, error=None, status=200):
    return render_template("progress/team_entry.html", doc=shown, code=code, team=team, teams=teams,
                           choices=choices, f=f, error=error, texts=TEXTS,
                           editable=shown["state"] in machine.EDITABLE_STATES, shared=shared.is_shared(shown["fields"]),
                           may_revise="revise" in policy.actions(doc, page_user()),
                           may_manage=policy.may_manage_reporting(page_user())), status


def _target_input(path):
    """The input a refusal of a target's progress is about: "target.N.status" or "target.N.progress"."""
    parts = path.split(".")
    if len(parts) > 2 and parts[:2] == ["fields", "targets"] and parts[2].isdigit():
        return f"target.{parts[2]}." + ("progress" if parts[-1] == "progress" and len(parts) > 5 else "status")
    return "period"


@bp.route("/documents/<doc_id>/target-progress", methods=["GET", "POST"])
@login_required
def targets(doc_id):
    """Each target's status and progress for a period, on a team plan's working copy."""
    user = page_user()
    documents = current_documents()
    doc, shown = progress_service.team_plan(documents, doc_id, user)
    choices = progress_service.target_periods(documents, shown)
    rows = shown["fields"].get("targets") or []
    source = request.form if request.method == "POST" else request.args
    code = line(source, "period") or (choices[-1] if choices else None)
    if code not in choices:
        return _targets_page(doc, shown, None, choices, FormState())
    if request.method == "GET":
        values = {}
        for index, target in enumerate(rows):
            stored = target_progress.entry_for(target, code) or {}
            values.update({f"target.{index}.{key}": [stored[key]] for key in ("status", "progress") if stored.get(key)})
        return _targets_page(doc, shown, code, choices, FormState(values))
    updates = [{"status": line(request.form, f"target.{i}.status"),
                "progress": text(request.form, f"target.{i}.progress")} for i in range(len(rows))]
    try:
        progress_service.write_target_progress(documents, doc_id, user, posted_version(request.form), code,
                                               [{k: v for k, v in u.items() if v} for u in updates])
    except NotFound:
        raise
    except WorkflowError as exc:
        values = {key: request.form.getlist(key) for key in request.form if key.startswith("target.")}
        f = FormState(values, *_refused(exc, _target_input))
        return _targets_page(doc, shown, code, choices, f, exc, exc.status)
    flash(f"Progress on the targets for {periods.label(code)} saved."
          + (" Readers see it once the Head approves this revision." if doc.get("published") else ""))
    return redirect(url_for("pages.document", doc_id=doc_id))


def _targets_page(doc, shown, code, choices, f, error=None, status=200):
    user = page_user()
    return render_template("progress/targets.html", doc=shown, code=code, choices=choices, f=f, error=error,
                           targets=shown["fields"].get("targets") or [], statuses=STATUS_CHOICES,
                           editable=policy.editable(doc, user), may_revise="revise" in policy.actions(doc, user),
                           may_manage=policy.may_manage_reporting(user)), status
