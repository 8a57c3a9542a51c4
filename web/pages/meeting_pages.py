"""Board meeting pages: the list, arranging a meeting, its agenda of numbered reports and
the Board's decisions on them, and the Board box on each document page.

Thin: parse the form, call services.meeting_service (whose rules live in workflow/meetings.py), render.
A refusal re-renders the page with its reason and the error's status, never a 500.
"""
import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from web.auth import page_user
from web.current import current_meetings
from web.form_state import FormState, line, text
from web.pages.document_pages import when
from web.pages.progress_pages import STATUS_CHOICES, by_period
from workflow import meetings, policy
from workflow.errors import Forbidden, Unmet, WorkflowError

bp = Blueprint("meetings", __name__)

# The words beside each decision input, for the error summary (the field shows the message itself).
DECISION_FIELDS = {"decision": "The Board's decision", "note": "Note",
                   "agreed.period": "Period", "agreed.status": "Agreed status",
                   "agreed.reason": "Why the Board agrees a different status"}


def _today():
    # The same clock workflow.meetings.decide uses by default, so the form shows exactly when it may be used.
    return dt.date.today()


def decision_prefix(doc_id):
    """Each item's decision form has its own input names (so its own ids on the one page)."""
    return f"d{doc_id}."


def board_words():
    return {"board_history": board_history, "DECISION_WORDS": meetings.DECISION_WORDS,
            "decision_prefix": decision_prefix}


def board_history(doc):
    """The meetings `doc` (as shown to the reader) was on, newest first, each with the
    Board's decision if recorded: [{meeting, item, decision}]."""
    return current_meetings().history(doc["id"], page_user())


@bp.route("/meetings")
@login_required
def index():
    user = page_user()
    return render_template("meetings/index.html", **meetings.grouped(current_meetings().list(user), _today()),
                           may_arrange=policy.may_arrange_meetings(user))


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new():
    user = page_user()
    if not policy.may_arrange_meetings(user):
        raise Forbidden("Only the Head of Race and Diversity can arrange Board meetings.")
    if request.method == "GET":
        return render_template("meetings/new.html", f=FormState(), error=None)
    form = request.form
    try:
        made = current_meetings().create(user, line(form, "title") or "", line(form, "date") or "",
                                         line(form, "venue"))
    except WorkflowError as exc:
        return render_template("meetings/new.html", f=FormState.posted(form, exc), error=exc), exc.status
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
        meeting = current_meetings().add_item(meeting_id, page_user(), line(request.form, "document") or "")
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
                                  text(form, p + "note"), agreed, today=_today())
    except WorkflowError as exc:
        return _meeting_page(meeting_id, exc, deciding=(doc_id, _decision_state(form, exc, meeting, doc_id)))
    item = meetings.on_agenda(meeting, doc_id)
    flash(f"Recorded: report {item['number']} {meetings.DECISION_WORDS[form[p + 'decision']].lower()}.")
    # No #report anchor: scrolling to it would take the focus from the banner that says what was recorded.
    return redirect(url_for(".show", meeting_id=meeting_id))


def _decision_state(form, exc, meeting, doc_id):
    """The refused decision form as posted, each message by its input and in the summary."""
    p = decision_prefix(doc_id)
    item = meetings.on_agenda(meeting, doc_id)
    report = f"Report {item['number']}: " if item else ""
    errors = {p + path: message for path, message in exc.details.items()
              if path in DECISION_FIELDS}
    summary = [(report + DECISION_FIELDS[name[len(p):]], message, name) for name, message in errors.items()]
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
        candidates=candidates, adding=adding or FormState(), summary=(adding or deciding_state or FormState()),
        statuses=STATUS_CHOICES), status


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
