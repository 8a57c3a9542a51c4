"""Meeting pages: the list (by body), arranging a meeting of a body, its agenda of numbered
reports, its matters arising, the decisions on its reports and the actions agreed with them,
and the Board box on each document page.

Thin: parse the form, call services.meeting_service (whose rules live in workflow/meetings.py), render.
A refusal re-renders the page with its reason and the error's status, never a 500.
"""
import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import team_service
from web.auth import acting, page_user
from web.current import current_meetings, current_store
from web.form_state import FormState, line, text
from web.pages.document_pages import when
from web.pages.progress_pages import STATUS_CHOICES, by_period
from workflow import bodies, meetings, policy
from workflow.errors import Forbidden, Invalid, Unmet, WorkflowError

bp = Blueprint("meetings", __name__)

# The words beside each decision input, for the error summary (the field shows the message itself).
DECISION_FIELDS = {"decision": "The Board's decision", "note": "Note",
                   "agreed.period": "Period", "agreed.status": "Agreed status",
                   "agreed.reason": "Why the Board agrees a different status"}
ACTION_ROWS = 3  # rows for actions on each decision form; blank ones are ignored
ACTION_FIELDS = {"what": "what is to be done", "team": "owner team", "due": "due date"}


def _today():
    # The same clock workflow.meetings.decide uses by default, so the form shows exactly when it may be used.
    return dt.date.today()


def decision_prefix(doc_id):
    """Each item's decision form has its own input names (so its own ids on the one page)."""
    return f"d{doc_id}."


def board_words():
    return {"board_history": board_history, "DECISION_WORDS": meetings.DECISION_WORDS,
            "decision_prefix": decision_prefix, "body_name": body_name}


def body_name(meeting):
    """The name of the body `meeting` belongs to, as an administrator has set it."""
    return bodies.name(current_meetings().bodies(), bodies.of(meeting))


def board_history(doc):
    """The meetings `doc` (as shown to the reader) was on, newest first, each with the
    Board's decision if recorded: [{meeting, item, decision}]."""
    return current_meetings().history(doc["id"], page_user())


@bp.route("/meetings")
@login_required
def index():
    user, chosen = page_user(), request.args.get("body") or None
    try:
        listed, error = current_meetings().list(user, chosen), None
    except Invalid as exc:  # an unknown body in the address: say so, and list every meeting
        listed, error, chosen = current_meetings().list(user), exc, None
    f = FormState({"body": [chosen or ""]}, error.details if error else {})
    return render_template("meetings/index.html", **meetings.grouped(listed, _today()), f=f, error=error,
                           bodies=current_meetings().bodies(), chosen=chosen,
                           may_arrange=policy.may_arrange_meetings(user)), 422 if error else 200


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new():
    user = page_user()
    if not policy.may_arrange_meetings(user):
        raise Forbidden("Only the Head of Race and Diversity can arrange Board meetings.")
    names = current_meetings().bodies()
    if request.method == "GET":
        return render_template("meetings/new.html", f=FormState({"body": [bodies.EODB]}), error=None, bodies=names)
    form = request.form
    try:
        made = current_meetings().create(user, line(form, "title") or "", line(form, "date") or "",
                                         line(form, "venue"), line(form, "body"))
    except WorkflowError as exc:
        return render_template("meetings/new.html", f=FormState.posted(form, exc), error=exc,
                               bodies=names), exc.status
    flash(f"Meeting arranged: {made['title']}, {when(made['date'])}.")
    return redirect(url_for(".show", meeting_id=made["id"]))


@bp.route("/meetings/<meeting_id>")
@login_required
def show(meeting_id):
    return _meeting_page(meeting_id)


@bp.route("/meetings/<meeting_id>/items", methods=["POST"])
@login_required
def add_item(meeting_id):
    current_meetings().load(meeting_id, page_user())  # an unknown meeting is a plain 404
    try:
        meeting = current_meetings().add_item(meeting_id, page_user(), line(request.form, "document") or "",
                                              line(request.form, "number"))
    except WorkflowError as exc:
        return _meeting_page(meeting_id, exc, adding=FormState.posted(request.form, exc))
    item = meeting["items"][-1]
    flash(f"Added to the agenda as report {item['number']}: {item['title']}.")
    return redirect(url_for(".show", meeting_id=meeting_id))


@bp.route("/meetings/<meeting_id>/decisions", methods=["POST"])
@login_required
def decide(meeting_id):
    meeting = current_meetings().load(meeting_id, page_user())
    form = request.form
    doc_id = line(form, "document") or ""
    p = decision_prefix(doc_id)
    status, reason = line(form, p + "agreed.status"), text(form, p + "agreed.reason")
    # The agreed-status fieldset is optional: only a chosen status or a reason means the Board used it.
    agreed = {"period": line(form, p + "agreed.period"), "status": status, "reason": reason} \
        if status or reason else None
    try:
        current_meetings().decide(meeting_id, page_user(), doc_id, line(form, p + "decision"),
                                  text(form, p + "note"), agreed, today=_today(),
                                  agreed_actions=_actions_posted(form, p), actor=acting())
    except WorkflowError as exc:
        return _meeting_page(meeting_id, exc, deciding=(doc_id, _decision_state(form, exc, meeting, doc_id)))
    item = meetings.on_agenda(meeting, doc_id)
    flash(f"Recorded: report {item['number']} {meetings.DECISION_WORDS[form[p + 'decision']].lower()}.")
    # No #report anchor: scrolling to it would take the focus from the banner that says what was recorded.
    return redirect(url_for(".show", meeting_id=meeting_id))


def _actions_posted(form, p):
    """The action rows of a decision form: [{what, team, due}] (workflow.actions drops blank rows)."""
    return [{key: (text if key == "what" else line)(form, f"{p}actions.{n}.{key}") for key in ACTION_FIELDS}
            for n in range(ACTION_ROWS)]


def _field_words(path):
    """The words for an input of the decision form in the error summary (None: not one of its inputs)."""
    if path in DECISION_FIELDS:
        return DECISION_FIELDS[path]
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "actions" and parts[1].isdigit() and parts[2] in ACTION_FIELDS:
        return f"Action {int(parts[1]) + 1}: {ACTION_FIELDS[parts[2]]}"
    return None


def _decision_state(form, exc, meeting, doc_id):
    """The refused decision form as posted, each message by its input and in the summary."""
    p = decision_prefix(doc_id)
    item = meetings.on_agenda(meeting, doc_id)
    report = f"Report {item['number']}: " if item else ""
    errors = {p + path: message for path, message in exc.details.items() if _field_words(path)}
    summary = [(report + _field_words(name[len(p):]), message, name) for name, message in errors.items()]
    values = {key: form.getlist(key) for key in form.keys() if key.startswith(p)}
    return FormState(values, errors, summary)


def _meeting_page(meeting_id, error=None, adding=None, deciding=None):
    """The meeting, its agenda and decisions; `adding` / `deciding` (doc id, FormState) re-show a refused form."""
    user = page_user()
    meeting, entries, candidates = current_meetings().agenda(meeting_id, user)
    deciding_id, deciding_state = deciding or (None, None)
    # For an objective, the periods a status may be agreed for, newest first.
    items = [{**entry, "periods": by_period(entry["doc"]["fields"].get("progress"))
              if entry["doc"] and entry["doc"]["kind"] == "objective" else [],
              "form": deciding_state if entry["item"]["document"] == deciding_id else FormState()}
             for entry in entries]
    status = error.status if error else 200
    may_decide, recorder_unmet = _recorder(user)
    return render_template(
        "meetings/show.html", meeting=meeting, items=items, error=error, held=meetings.held(meeting, _today()),
        may_decide=may_decide, recorder_unmet=recorder_unmet, may_arrange=policy.may_arrange_meetings(user),
        candidates=candidates, adding=adding or FormState({"number": [str(meetings.next_number(meeting))]}),
        summary=(adding or deciding_state or FormState()), statuses=STATUS_CHOICES,
        matters_arising=current_meetings().matters_arising(meeting), action_rows=range(ACTION_ROWS),
        teams={team: team for team in team_service.known_teams(current_store())}), status


def _recorder(user):
    """(whether `user` may record the Board's decisions, the reason a Board member or the
    Head may not yet): the check workflow.meetings.decide makes, asked before the form is offered."""
    try:
        meetings.check_recorder(user)
    except Forbidden:
        return False, None
    except Unmet as exc:
        return False, exc.reason
    return True, None
