"""Progress for one reporting period on an objective, and carrying an objective
forward to a successor plan. Thin: parse, call, render.

Progress on an approved objective goes through sign-off like any change: a team
leader of the owning team starts an update (`revise`), writes it on the working
copy, and readers keep seeing the approved revision until the Head approves.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import progress_service
from web.auth import page_user
from web.current import current_documents
from web.form_state import FormState, compact, line, posted_version, text
from workflow import machine, periods, policy, progress
from workflow.errors import Invalid, NotFound, WorkflowError
from workflow.kinds import objective

bp = Blueprint("progress", __name__)

TEXTS = (("evidence", "Evidence"), ("key_outcomes", "Key outcomes"),
         ("improvements", "Areas for improvement"), ("comment", "Overall comment"))
# The 2007 report's traffic light, each word with its definition where the report gives one.
STATUS_CHOICES = {status: word + (f" — {objective.STATUS_MEANINGS[status]}" if status in objective.STATUS_MEANINGS
                                  else "")
                  for status, word in objective.STATUS_WORDS.items()}
by_period = progress.by_period  # the meeting pages show progress in the same order
# The reason of the next period's entry, asked for on the page of an earlier period written after it.
FOLLOWING_REASON = "entry.following_reason"


def _page(doc, shown, code, f=None, error=None, status=200):
    user = page_user()
    entries = shown["fields"].get("progress") or []
    entry = next((e for e in entries if e.get("period") == code), None)
    after = progress.following(entries, code) if code else None
    if f is None:
        values = {f"entry.{key}": [str(value)] for key, value in (entry or {}).items()}
        if after and after.get("reason"):
            values[FOLLOWING_REASON] = [after["reason"]]
        f = FormState(values)
    return render_template(
        "progress/write.html", doc=shown, code=code, f=f, error=error, entry=entry,
        choices=progress_service.writable_periods(current_documents(), shown),
        previous=progress.previous(entries, code) if code else None, following=after,
        editable=policy.editable(doc, user), may_revise="revise" in policy.actions(doc, user),
        published=doc["state"] in machine.PUBLISHED_STATES, texts=TEXTS, statuses=STATUS_CHOICES,
        may_manage=policy.may_manage_reporting(user)), status


@bp.route("/documents/<doc_id>/progress", methods=["GET", "POST"])
@login_required
def write(doc_id):
    """One period's progress; saving replaces that period's entry on the working copy."""
    user = page_user()
    doc, shown = progress_service.objective(current_documents(), doc_id, user)
    choices = progress_service.writable_periods(current_documents(), shown)
    if request.method == "GET":
        code = request.args.get("period") or (choices[-1] if choices else None)
        if code not in choices and code is not None:
            message = "Select one of the reporting periods listed"
            f = FormState({"entry.period": [code]}, {"entry.period": message},
                          [("Reporting period", message, "entry.period")])
            return _page(doc, shown, None, f, Invalid("There is no such reporting period."), 422)
        return _page(doc, shown, code)
    entry = compact({"period": line(request.form, "entry.period"), "status": line(request.form, "entry.status"),
                     **{key: text(request.form, f"entry.{key}") for key, _ in (*TEXTS, ("reason", ""))}}) or {}
    code = entry.get("period")
    try:
        progress_service.write_entry(current_documents(), doc_id, user, posted_version(request.form), entry,
                                     following_reason=_following_reason(request.form))
    except NotFound:
        raise
    except WorkflowError as exc:
        updated, index = progress.with_entry(shown["fields"].get("progress"), entry)
        after = progress.following(updated, code) if code in choices else None
        places = {f"fields.progress.{index}": "entry", progress.NEW_ENTRY: "entry"}
        if after:  # the page shows the field for its reason
            places[f"fields.progress.{updated.index(after)}"] = "following"
        return _page(doc, shown, code if code in choices else None, _refused(request.form, exc, places), exc, exc.status)
    flash(f"Progress for {periods.label(code)} saved."
          + (" Readers see it once the Head approves this revision." if doc.get("published") else ""))
    return redirect(url_for("pages.document", doc_id=doc_id))


def _following_reason(form):
    """The next period's reason as typed ("" clears it), or None when the page did not ask."""
    return (text(form, FOLLOWING_REASON) or "") if FOLLOWING_REASON in form else None


def _input_for(path, places):
    """The input a message is about. `places` maps the error paths of the entry written to
    "entry" and of the next period's entry (whose reason the page asks for) to "following".
    A message about any other period's entry goes by the status, which caused it."""
    prefix, _, key = path.rpartition(".")
    if places.get(prefix) == "entry" and key in ("period", "status", "reason", *dict(TEXTS)):
        return f"entry.{key}"
    if places.get(prefix) == "following" and key == "reason":
        return FOLLOWING_REASON
    return "entry.status"


def _refused(form, exc, places):
    """The page again with what was typed, each message by its input (see _input_for)."""
    values = {key: form.getlist(key) for key in form.keys() if key.startswith("entry.")}
    errors, summary = {}, []
    for path, message in exc.details.items():
        if path == "version" or not isinstance(message, str):
            continue
        name = _input_for(path, places)
        errors[name] = f"{errors[name]}; {message}" if name in errors else message
        summary.append((None, message, name))
    return FormState(values, errors, summary)


@bp.route("/documents/<doc_id>/progress/start", methods=["POST"])
@login_required
def start(doc_id):
    """Start a progress update on an approved objective: a new working revision."""
    user = page_user()
    doc, shown = progress_service.objective(current_documents(), doc_id, user)
    code = request.form.get("period") or None
    try:
        current_documents().fire(doc_id, user, "revise", posted_version(request.form),
                                 "Progress update" + (f" for {periods.label(code)}" if periods.parse(code) else ""))
    except NotFound:
        raise
    except WorkflowError as exc:
        return _page(doc, shown, code if periods.parse(code) else None, error=exc, status=exc.status)
    flash("Progress update started. Readers keep seeing the approved objective until the Head approves the update.")
    return redirect(url_for(".write", doc_id=doc_id, period=code) if code else url_for(".write", doc_id=doc_id))


@bp.route("/documents/<doc_id>/carry-forward", methods=["POST"])
@login_required
def carry_forward(doc_id):
    """A new draft objective continuing an approved one in a successor plan."""
    stored = progress_service.carry_forward(current_documents(), doc_id, page_user())
    flash("Carried forward: this is the new draft objective. The approved one is unchanged.")
    return redirect(url_for("pages.document", doc_id=stored["id"]))


def objective_links(doc):
    """What the objective page shows beyond its own fields, as its reader may see it."""
    return progress_service.objective_links(current_documents(), doc, page_user())
