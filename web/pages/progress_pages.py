"""Progress for one reporting period on an objective, and carrying an objective
forward to a successor plan. Thin: parse, call, render.

Progress on an approved objective goes through sign-off like any change: a team
leader of the owning team starts an update (`revise`), writes it on the working
copy, and readers keep seeing the approved revision until the Head approves.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import period_service
from web.auth import page_user
from web.forms import FormState, compact, line, posted_version, text
from workflow import machine, periods, policy
from workflow.errors import Forbidden, Invalid, NotFound, StateConflict, WorkflowError
from web.current import current_documents

bp = Blueprint("progress", __name__)

TEXTS = (("evidence", "Evidence"), ("key_outcomes", "Key outcomes"),
         ("improvements", "Areas for improvement"), ("comment", "Overall comment"))
# The 2007 report's traffic light, with its own definitions beside each word.
STATUS_CHOICES = {"red": "Red — little or no progress", "amber": "Amber — partial achievement",
                  "amber_green": "Amber/Green", "green": "Green — achievement"}
# What a successor objective keeps: what it is and whom it serves, not how far it got.
CARRIED = ("heading", "theme", "action", "leads", "strands", "strategic")


def _objective(doc_id, user):
    """(stored, shown) for a visible objective; NotFound otherwise."""
    doc, shown = current_documents().read(doc_id, user)
    if doc["kind"] != "objective":
        raise NotFound("no such document")
    return doc, shown


def by_period(progress):
    """Progress entries, newest period first."""
    return sorted((e for e in progress or [] if periods.parse(e.get("period"))),
                  key=lambda e: periods.sort_key(e["period"]), reverse=True)


def _previous(progress, code):
    """The entry of the latest period before `code` (the one its status is compared with)."""
    return next((e for e in by_period(progress) if periods.sort_key(e["period"]) < periods.sort_key(code)), None)


def _choices(progress):
    """Periods one may write: those the Head opened, and any already written."""
    codes = {p["code"] for p in period_service.list_periods(current_documents().store)}
    codes |= {e["period"] for e in by_period(progress)}
    return sorted(codes, key=periods.sort_key)


def successors(doc_id, user):
    """Visible objectives carried forward from `doc_id` (the old one is never changed)."""
    return [d for d in current_documents().search(user, kind="objective")
            if d["fields"].get("carried_forward_from") == doc_id]


def _page(doc, shown, code, f=None, error=None, status=200):
    user = page_user()
    progress = shown["fields"].get("progress") or []
    entry = next((e for e in progress if e.get("period") == code), None)
    if f is None:
        f = FormState({f"entry.{key}": [str(value)] for key, value in (entry or {}).items()})
    return render_template(
        "progress/write.html", doc=shown, code=code, f=f, error=error, entry=entry,
        choices=_choices(progress), previous=_previous(progress, code) if code else None,
        editable=policy.editable(doc, user), may_revise="revise" in policy.actions(doc, user),
        published=doc["state"] in machine.PUBLISHED_STATES, texts=TEXTS, statuses=STATUS_CHOICES,
        may_manage=policy.may_manage_reporting(user)), status


@bp.route("/documents/<doc_id>/progress", methods=["GET", "POST"])
@login_required
def write(doc_id):
    """One period's progress; saving replaces that period's entry on the working copy."""
    user = page_user()
    doc, shown = _objective(doc_id, user)
    progress = shown["fields"].get("progress") or []
    if request.method == "GET":
        choices = _choices(progress)
        code = request.args.get("period") or (choices[-1] if choices else None)
        if code not in choices and code is not None:
            message = "choose one of the reporting periods listed"
            f = FormState({"entry.period": [code]}, {"entry.period": message},
                          [("Reporting period", message, "entry.period")])
            return _page(doc, shown, None, f, Invalid("there is no such reporting period"), 422)
        return _page(doc, shown, code)
    policy.check_edit(doc, user, ("progress",))
    entry = compact({"period": line(request.form, "entry.period"), "status": line(request.form, "entry.status"),
                     **{key: text(request.form, f"entry.{key}") for key, _ in (*TEXTS, ("reason", ""))}}) or {}
    code = entry.get("period")
    updated = [e for e in progress if e.get("period") != code]
    index = next((i for i, e in enumerate(progress) if e.get("period") == code), len(updated))
    updated.insert(index, entry)
    try:
        _check_entry(entry, _choices(progress))
        current_documents().edit(doc_id, user, posted_version(request.form), None, {"progress": updated})
    except NotFound:
        raise
    except WorkflowError as exc:
        return _page(doc, shown, code if code in _choices(progress) else None,
                     _refused(request.form, exc, index), exc, exc.status)
    flash(f"Progress for {periods.label(code)} saved."
          + (" Readers see it once the Head approves this revision." if doc.get("published") else ""))
    return redirect(url_for("pages.document", doc_id=doc_id))


def _check_entry(entry, choices):
    """What this page asks for before the objective's own rules are applied."""
    errors = {}
    if entry.get("period") not in choices:
        errors["fields.progress.new.period"] = "choose one of the reporting periods listed"
    if not entry.get("status"):
        errors["fields.progress.new.status"] = "choose the status: Red, Amber, Amber/Green or Green"
    if errors:
        raise Invalid("the progress entry is not complete", errors)


def _refused(form, exc, index):
    """The page again with what was typed, each message by its input. A message about
    another period's entry (its reason, once this one changes the order) goes by the status."""
    values = {key: form.getlist(key) for key in form.keys() if key.startswith("entry.")}
    errors, summary = {}, []
    for path, message in exc.details.items():
        if path == "version" or not isinstance(message, str):
            continue
        prefix, _, key = path.rpartition(".")
        mine = prefix in ("fields.progress.new", f"fields.progress.{index}")
        name = f"entry.{key}" if mine and key in ("period", "status", "reason", *dict(TEXTS)) else "entry.status"
        errors[name] = f"{errors[name]}; {message}" if name in errors else message
        summary.append((None, message, name))
    return FormState(values, errors, summary)


@bp.route("/documents/<doc_id>/progress/start", methods=["POST"])
@login_required
def start(doc_id):
    """Start a progress update on an approved objective: a new working revision."""
    user = page_user()
    doc, shown = _objective(doc_id, user)
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
    user = page_user()
    doc, _ = _objective(doc_id, user)
    if not user.leads(doc["team"]):
        raise Forbidden(f"only a team leader of {doc['team']} may carry this objective forward")
    if doc["state"] not in machine.PUBLISHED_STATES:
        raise StateConflict("only an approved objective is carried forward", {"state": doc["state"]})
    existing = successors(doc["id"], user)
    if existing:
        raise StateConflict(f"it is already carried forward to “{existing[0]['title']}”",
                            {"successor": existing[0]["id"]})
    approved = doc["published"]
    fields = {key: approved["fields"][key] for key in CARRIED if key in approved["fields"]}
    stored = current_documents().create(user, "objective", approved["title"], doc["team"],
                                        {**fields, "disposition": "open", "carried_forward_from": doc["id"]})
    flash("Carried forward: this is the new draft objective. The approved one is unchanged.")
    return redirect(url_for("pages.document", doc_id=stored["id"]))


@bp.app_template_global()
def objective_links(doc):
    """What the objective page shows beyond its own fields, as its reader may see it:
    progress newest first, the strategic objective, the carried-forward links both
    ways, the team targets serving it, and what the reader may do about progress."""
    user, service = page_user(), current_documents()
    fields = doc["fields"]
    predecessor = None
    if fields.get("carried_forward_from"):
        try:
            predecessor = service.read(fields["carried_forward_from"], user)[1]
        except NotFound:
            pass  # not visible to this reader: say nothing of it
    targets = [(plan, target) for plan in service.search(user, kind="team_plan")
               for target in plan["fields"].get("targets") or [] if doc["id"] in (target.get("objectives") or [])]
    strategic = next((s for s in period_service.list_strategic(service.store) if s["number"] == fields.get("strategic")), None)
    leads = user is not None and user.leads(doc["team"]) and doc["state"] in machine.PUBLISHED_STATES
    return {"progress": by_period(fields.get("progress")), "predecessor": predecessor,
            "successors": successors(doc["id"], user), "targets": targets, "strategic": strategic,
            "may_update": leads, "may_carry_forward": leads}
