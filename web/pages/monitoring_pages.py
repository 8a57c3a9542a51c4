"""Monitoring datasets: a new one from an uploaded CSV file, a draft's counts replaced by another,
and what the dataset page shows beside the counts (the analysis, the trends as charts).
Thin: parse, call, render."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import monitoring_service, settings_service
from web import monitoring_charts
from web.auth import page_user
from web.current import current_documents, current_store
from web.form_state import FormState, posted_version
from workflow import monitoring, policy, strands
from workflow.errors import Forbidden, Invalid, NotFound, WorkflowError
from workflow.kinds import monitoring_dataset

bp = Blueprint("monitoring", __name__)
LINES_ABOVE = "Correct the lines listed above, then upload the whole file again"


@bp.app_context_processor
def dataset_view():
    """For documents/_show_monitoring.html, which the shared document page includes."""
    return {"monitoring_view": _view}


def _view(fields):
    """The tables and trends of the dataset as the reader sees it (policy.view: some counts suppressed)."""
    flag_ratio = settings_service.monitoring_publication(current_store())["flag_ratio"]
    tables = monitoring.analyse(fields.get("rows") or [], fields.get("totals"), flag_ratio)
    trends = [(trend, monitoring_charts.trend_chart(
        f"trend-{i}", f"{trend.measure} by {strands.LABELS.get(trend.strand, trend.strand).lower()}, "
        f"{len(trend.periods)} periods", "A line for each group: its count in each period. The table after "
        "the chart gives the same numbers.", trend)) for i, trend in enumerate(monitoring.trends(tables))]
    return {"tables": tables, "trends": trends, "anchor": _anchor, "flag_ratio": flag_ratio,
            "strand_words": strands.LABELS}


def _anchor(table, figure):
    return monitoring.anchor({"measure": table.measure, "period": table.period, "strand": table.strand,
                              "group": figure.group})


def _form_page(template, f, error=None, status=200, **extra):
    return render_template(template, f=f, error=error, **extra), status


def _new_page(f, error=None, status=200):
    user = page_user()
    strand_set = strands.SETS[settings_service.strand_set(current_store())]  # a new dataset's strands
    return _form_page("monitoring/new.html", f, error, status, teams=sorted(user.teams), strand_set=strand_set)


def _refused(exc):
    """The form again with the refusal; a file's bad lines each in the error summary, by number."""
    lines = {key: message for key, message in exc.details.items() if key.startswith("line ")}
    if lines:
        listed = [f"{key[:1].upper()}{key[1:]}: {message}" for key, message in lines.items()]
        others = {key: message for key, message in exc.details.items() if key not in lines}
        exc = Invalid(exc.reason, {**others, "file": listed})
    f = FormState.posted(request.form, exc)
    if lines:
        f.errors["file"] = LINES_ABOVE
    return f, exc


def _uploaded():
    """The uploaded file's bytes (perhaps none), or None when no file was chosen."""
    file = request.files.get("file")
    return file.read() if file and file.filename else None


@bp.route("/monitoring/new", methods=["GET", "POST"])
@login_required
def new():
    user = page_user()
    if not policy.may_create(user, monitoring_dataset.NAME):
        raise Forbidden("Monitoring datasets are drafted by staff and team leaders, for their team")
    if request.method == "POST":
        form = request.form
        try:
            doc = monitoring_service.import_new(current_documents(), user, form.get("team", ""),
                                                form.get("title", ""), _uploaded(), form.get("fields.description", ""))
        except Forbidden as exc:
            return _new_page(FormState.posted(form, exc), exc, exc.status)
        except Invalid as exc:
            f, exc = _refused(exc)
            return _new_page(f, exc, exc.status)
        flash(f"Monitoring dataset created as a draft with {len(doc['fields']['rows'])} counts.")
        return redirect(url_for("pages.document", doc_id=doc["id"]))
    preset = {"team": list(user.teams)} if len(user.teams) == 1 else {}
    return _new_page(FormState(preset))


def _changeable(doc_id, user):
    """The dataset if `user` may change it now: 404 unseen or not a dataset, 403 not theirs, 409 its state."""
    doc, _ = current_documents().read(doc_id, user)
    if doc["kind"] != monitoring_dataset.NAME:
        raise NotFound("There is no such monitoring dataset")
    policy.check_edit(doc, user, ())
    return doc


@bp.route("/documents/<doc_id>/counts", methods=["GET", "POST"])
@login_required
def change(doc_id):
    user = page_user()
    doc = _changeable(doc_id, user)
    if request.method == "POST":
        form = request.form
        try:
            monitoring_service.change(current_documents(), doc_id, user, posted_version(form), form.get("title", ""),
                                      form.get("fields.description", ""), _uploaded())
        except NotFound:
            raise
        except Invalid as exc:
            f, exc = _refused(exc)
            return _form_page("monitoring/change.html", f, exc, exc.status, doc=doc)
        except WorkflowError as exc:
            return _form_page("monitoring/change.html", FormState.posted(form, exc), exc, exc.status, doc=doc)
        flash("Saved.")
        return redirect(url_for("pages.document", doc_id=doc_id))
    f = FormState({"title": [doc["title"]], "fields.description": [doc["fields"].get("description", "")]})
    return _form_page("monitoring/change.html", f, doc=doc)
