"""Committee progress reports: generate a draft from approved content, edit its
text, read it as a page, PDF, Markdown or its status table as CSV. Thin: parse,
call services.report_service, render. Every format renders what the viewer may see of
the report document (policy.view), so a Board member sees approved reports only.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import report_service
from web.auth import page_user
from web.current import current_documents, current_store
from web.form_state import FormState, line, posted_version, text
from web.report_formats import respond
from workflow import numbers, periods, policy, reports
from workflow.errors import NO_SUCH_DOCUMENT, Forbidden, NotFound, WorkflowError
from workflow.kinds.report import SECTION_TEXTS, TEXTS

# The report's own templates are under templates/reports/; this folder adds the
# report's part of the shared document page (documents/_show_report.html), found
# by name after the app's own templates.
bp = Blueprint("reports", __name__, template_folder="../../templates/reports/for_documents")

# The generate form's inputs, by the names report_service gives its refusals (the API's parameters).
GENERATE_INPUTS = {"period": "fields.period", "since": "fields.eqias_since", "meeting_date": "fields.meeting_date"}


def _report(doc_id):
    """(stored, shown) for a report the viewer may see; 404 otherwise."""
    doc, shown = current_documents().read(doc_id, page_user())
    if doc["kind"] != "report":
        raise NotFound(NO_SUCH_DOCUMENT)
    return doc, shown


def to_report_pages():
    """Before the shared new/edit document pages (web/hooks.py), which have no form for a report; its own pages do.
    Only a report the person may see is redirected, so nothing leaks about other ids."""
    args = request.view_args or {}
    if request.endpoint == "editing.new" and request.args.get("kind") == "report":
        return redirect(url_for("reports.generate"))  # "." here would be the editing blueprint
    if request.endpoint == "editing.edit" and numbers.is_id(str(args.get("doc_id", ""))):
        doc = report_service.visible_report(current_store(), args["doc_id"], page_user())
        if doc is not None:
            return redirect(url_for("reports.edit", doc_id=doc["id"]))
    return None


@bp.route("/reports")
@login_required
def index():
    found = current_documents().search(page_user(), kind="report")
    return render_template("reports/index.html", found=found, may_generate=reports.may_generate(page_user()))


@bp.route("/reports/generate", methods=["GET", "POST"], endpoint="generate")
@login_required
def generate_page():
    user = page_user()
    if not reports.may_generate(user):
        raise Forbidden(report_service.MAY_NOT_GENERATE)
    choices = report_service.period_choices(current_store())
    if request.method == "GET":
        latest = [code for code in choices if not periods.span(code)][-1:]  # a plan period only when chosen
        return _generate_form(choices, FormState({"fields.author_line": [reports.DEFAULT_AUTHOR],
                                                  "fields.period": latest}))
    form = request.form
    try:
        stored = report_service.generate_draft(
            current_documents(), user, line(form, "fields.period"), line(form, "fields.eqias_since"),
            line(form, "fields.author_line"), line(form, "fields.meeting_date"))
    except Forbidden:
        raise
    except WorkflowError as exc:
        exc = type(exc)(exc.reason, {GENERATE_INPUTS.get(key, key): message for key, message in exc.details.items()})
        return _generate_form(choices, FormState.posted(form, exc), exc, exc.status)
    flash("Draft report generated from approved content. Edit its text, then send it for sign-off.")
    return redirect(url_for(".show", doc_id=stored["id"]))


def _generate_form(choices, state, error=None, status=200):
    return render_template("reports/generate.html", f=state, error=error,
                           choices={code: periods.label(code) for code in choices}), status


@bp.route("/reports/<doc_id>")
@login_required
def show(doc_id):
    doc, shown = _report(doc_id)
    fields = report_service.as_placed(current_store(), shown)
    return render_template("reports/show.html", doc=shown, blocks=reports.blocks(shown["title"], fields),
                           editable=policy.editable(doc, page_user()))


def _format(doc_id, fmt):
    _, shown = _report(doc_id)
    period = shown["fields"].get("period")  # it names the file, in a header: only a period read as one
    name = f"progress-report-{(period if periods.reportable(period) else shown['id']).replace(' ', '-')}"
    return respond(fmt, shown["title"], report_service.as_placed(current_store(), shown), name)


@bp.route("/reports/<doc_id>.pdf")
@login_required
def pdf(doc_id):
    return _format(doc_id, "pdf")


@bp.route("/reports/<doc_id>.md")
@login_required
def markdown(doc_id):
    return _format(doc_id, "md")


@bp.route("/reports/<doc_id>/status.csv")
@login_required
def status_csv(doc_id):
    return _format(doc_id, "csv")


def _changes(form, fields):
    """The report's text from its edit form. Only inputs that were sent change (an
    emptied one clears its field); a section keeps what the form does not show."""
    def posted(name, read, stored):
        return read(form, name) if name in form else stored

    sections = [{**s, **{key: posted(f"fields.sections.{i}.{key}", text, s.get(key)) for key in SECTION_TEXTS},
                 "status": posted(f"fields.sections.{i}.status", line, s.get("status"))}
                for i, s in enumerate(fields.get("sections") or [])]
    changes = {key: posted(f"fields.{key}", line, fields.get(key)) for key in ("author_line", "number", "meeting_date")}
    changes.update({key: posted(f"fields.{key}", text, fields.get(key)) for key in TEXTS})
    changes["number"] = numbers.or_as_sent(changes["number"])
    return {**changes, "sections": sections}


@bp.route("/reports/<doc_id>/edit", methods=["GET", "POST"])
@login_required
def edit(doc_id):
    user = page_user()
    doc, _ = _report(doc_id)
    policy.check_edit(doc, user, ())
    if request.method == "POST":
        try:
            current_documents().edit(doc_id, user, posted_version(request.form), request.form.get("title"),
                                     _changes(request.form, doc["fields"]))
        except NotFound:
            raise
        except WorkflowError as exc:
            return _edit_form(doc, FormState.posted(request.form, exc), exc, exc.status)
        flash("Report saved.")
        return redirect(url_for(".show", doc_id=doc_id))
    values = {"title": [doc["title"]]}
    values.update({f"fields.{k}": [str(v)] for k, v in doc["fields"].items() if isinstance(v, (str, int))})
    for i, s in enumerate(doc["fields"].get("sections") or []):
        values.update({f"fields.sections.{i}.{k}": [str(s[k])] for k in (*SECTION_TEXTS, "status") if s.get(k)})
    return _edit_form(doc, FormState(values))


def _edit_form(doc, state, error=None, status=200):
    return render_template("reports/edit.html", doc=doc, f=state, error=error), status
