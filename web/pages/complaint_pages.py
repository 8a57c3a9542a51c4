"""The complaints and compliments log: the list with complaints by strand per year, each
entry's page, recording and changing an entry, and counting a team's log into a draft
monitoring dataset. Thin: parse, call services.complaint_service (rules in
workflow/complaints.py and workflow/policy.py), render.
"""
import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import complaint_service, team_service
from web.auth import acting, page_user
from web.current import current_documents, current_store
from web.form_state import FormState, line, text
from workflow import complaints, policy, strands
from workflow.errors import Invalid, WorkflowError

bp = Blueprint("complaints", __name__)
LINES = ("kind", "received", "channel", "team", "outcome", "closed", "name", "contact", "reference")


def _given(form):
    """The entry's answers as posted: one-line inputs trimmed, the summary as written."""
    return {**{key: line(form, key) for key in LINES}, "summary": text(form, "summary"),
            "strands": form.getlist("strands")}


def _filled(entry):
    """A stored entry as the form's values."""
    values = {key: [entry.get(key) or ""] for key in LINES if key in entry}
    values.update({key: [value] for key, value in (entry.get("person") or {}).items()})
    return {**values, "summary": [entry.get("summary") or ""], "strands": list(entry.get("strands") or ())}


def _choices(user):
    """What the pages offer `user`: the teams they keep entries of and count, the strands, the words."""
    teams = team_service.known_teams(current_store())
    chosen = complaint_service.strand_set(current_store())
    return {"kept_teams": {team: team for team in teams if policy.may_keep_complaint(user, team)},
            "counted_teams": {team: team for team in teams if policy.may_count_complaints(user, team)},
            "strand_words": {strand: strands.LABELS[strand] for strand in chosen.strands},
            "kinds": complaints.KINDS, "channels": complaints.CHANNELS, "outcomes": complaints.OUTCOMES,
            "not_closed": complaints.OPEN, "all_strands": strands.LABELS}


@bp.route("/complaints")
@login_required
def index():
    return _index()


def _index(f=None, error=None):
    user, store = page_user(), current_store()
    team, kind = request.args.get("team") or None, request.args.get("kind") or None
    try:
        entries = complaint_service.log(store, user, team, kind)
    except Invalid as exc:  # an unknown kind in the address: say so, and list both
        entries, kind, error = complaint_service.log(store, user, team), None, error or exc
        f = f or FormState.posted(request.args, exc)
    return render_template("complaints/index.html", entries=entries, by_strand=complaint_service.by_strand(store, user),
                           team=team, kind=kind, teams=team_service.known_teams(store), f=f or FormState(),
                           error=error, **_choices(user)), error.status if error else 200


@bp.route("/complaints/new", methods=["GET", "POST"])
@login_required
def new():
    user = page_user()
    complaint_service.teams_kept(current_store(), user)  # 404 for those who do not read the log, 403 if not a keeper
    if request.method == "GET":
        return _form(None, FormState({"kind": ["complaint"], "received": [dt.date.today().isoformat()]}))
    try:
        stored = complaint_service.add(current_store(), user, acting(), _given(request.form), dt.date.today())
    except WorkflowError as exc:
        return _form(None, FormState.posted(request.form, exc), exc)
    flash("The entry is recorded in the log.")
    return redirect(url_for(".show", complaint_id=stored["id"]))


@bp.route("/complaints/<complaint_id>")
@login_required
def show(complaint_id):
    user = page_user()
    entry = complaint_service.entry(current_store(), complaint_id, user)
    return render_template("complaints/show.html", entry=entry, sees_person=policy.sees_complainant(user, entry),
                           may_keep=policy.may_keep_complaint(user, entry["team"]), **_choices(user))


@bp.route("/complaints/<complaint_id>/edit", methods=["GET", "POST"])
@login_required
def edit(complaint_id):
    user, store = page_user(), current_store()
    entry = complaint_service.for_editing(store, complaint_id, user)
    if request.method == "GET":
        return _form(entry, FormState(_filled(entry)))
    try:
        complaint_service.edit(store, user, acting(), complaint_id, request.form.get("version", "none"),
                               _given(request.form), dt.date.today())
    except WorkflowError as exc:  # a bad answer, a team not theirs, a stale version: said on the form
        return _form(entry, FormState.posted(request.form, exc), exc)
    flash("The entry is changed.")
    return redirect(url_for(".show", complaint_id=complaint_id))


def _form(entry, f, error=None):
    return render_template("complaints/form.html", entry=entry, f=f, error=error, **_choices(page_user())), \
        error.status if error else 200


@bp.route("/complaints/dataset", methods=["POST"])
@login_required
def dataset():
    user = page_user()
    try:
        doc = complaint_service.make_dataset(current_store(), current_documents(), user, line(request.form, "team"),
                                             line(request.form, "period"))
    except WorkflowError as exc:  # a bad period, nothing to count, a team not theirs: said on the log page
        return _index(FormState.posted(request.form, exc), exc)
    flash("A draft monitoring dataset now holds the counts: check it, then send it for sign-off.")
    return redirect(url_for("pages.document", doc_id=doc["id"]))
