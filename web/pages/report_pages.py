"""Committee progress reports: generate a draft from approved content, edit its
text, read it as a page, PDF, Markdown or its status table as CSV. Thin: parse,
call workflow.reports, render. Every format renders what the viewer may see of
the report document (policy.view), so a Board member sees approved reports only.
"""
import datetime as dt

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import period_service
from services.account_service import TRAINING, USERS
from web.auth import page_user
from services.document_service import DOCS
from web.form_state import FormState, line, posted_version, text
from web.report_pdf import render_pdf
from workflow import fields as f
from workflow import numbers, periods, policy, reports
from workflow.errors import Forbidden, Invalid, NotFound, WorkflowError
from workflow.kinds.report import SECTION_TEXTS, TEAM, TEXTS
from workflow.strategy import STRATEGIC_2004
from web.current import current_documents

# The report's own templates are under templates/reports/; this folder adds the
# report's part of the shared document page (documents/_show_report.html), found
# by name after the app's own templates.
bp = Blueprint("reports", __name__, template_folder="../../templates/reports/for_documents")

UNIT = TEAM  # reports to the Board are prepared by the Race & Diversity Unit
FORMATS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
           "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


def period_choices(store):
    """Periods a report may cover: those opened, and any approved progress reports on."""
    seen = reports.seen_by_board(store.scan(DOCS))
    codes = {p["code"] for p in period_service.list_periods(store)}
    codes |= {e["period"] for d in seen if d["kind"] == "objective"
              for e in d["fields"].get("progress") or [] if periods.parse(e.get("period"))}
    return sorted(codes, key=periods.sort_key)


def generate(store, period, eqias_since=None, author_line=None, as_of=None):
    """(title, fields) of the progress report for `period`, from approved content only."""
    if periods.parse(period) is None:
        raise Invalid("not a reporting period", periods.check("period", period))
    if eqias_since and not f.is_date(eqias_since):
        raise Invalid("not a date", {"since": "must be a date YYYY-MM-DD"})
    as_of = as_of or dt.date.today()
    # A store whose strategic objectives were never loaded still reports against the 2007 nine.
    strategic = period_service.list_strategic(store) or [{"number": n, "title": t} for n, t in STRATEGIC_2004]
    fields = reports.build_progress_report(
        reports.seen_by_board(store.scan(DOCS)), strategic, period, eqias_since or None,
        reports.training_figures(store.scan(USERS), as_of, store.scan(TRAINING)), as_of, author_line)
    return reports.report_title(period), fields


def respond(fmt, title, fields, filename):
    """The report in `fmt` (md, html, pdf, csv): the one writer for pages and the API."""
    if fmt == "pdf":
        body, disposition = render_pdf(title, fields), "inline"
    elif fmt == "csv":
        body, disposition = reports.to_csv(fields), "attachment"
    elif fmt == "html":
        body, disposition = render_template("reports/standalone.html", title=title,
                                            blocks=reports.blocks(title, fields)), "inline"
    else:
        body, disposition = reports.to_markdown(title, fields), "attachment"
    extension = "status.csv" if fmt == "csv" else fmt
    return Response(body, content_type=FORMATS[fmt],
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}.{extension}"'})


def may_generate(user):
    try:
        policy.check_create(user, "report", UNIT)
    except WorkflowError:
        return False
    return True


def _report(doc_id):
    """(stored, shown) for a report the viewer may see; 404 otherwise."""
    doc, shown = current_documents().read(doc_id, page_user())
    if doc["kind"] != "report":
        raise NotFound("no such document")
    return doc, shown


@bp.before_app_request
def _report_pages_for_reports():
    """The shared new/edit document pages have no form for a report; its own pages do.
    Only a report the person may see is redirected, so nothing leaks about other ids."""
    args = request.view_args or {}
    if request.endpoint == "editing.new" and request.args.get("kind") == "report":
        return redirect(url_for("reports.generate"))  # "." here would be the editing blueprint
    if request.endpoint == "editing.edit" and numbers.is_id(str(args.get("doc_id", ""))):
        doc = current_documents().store.get(DOCS, args["doc_id"])
        if doc and doc["kind"] == "report" and policy.view(doc, page_user()) is not None:
            return redirect(url_for("reports.edit", doc_id=doc["id"]))
    return None


@bp.route("/reports")
@login_required
def index():
    found = current_documents().search(page_user(), kind="report")
    return render_template("reports/index.html", found=found, may_generate=may_generate(page_user()))


@bp.route("/reports/generate", methods=["GET", "POST"], endpoint="generate")
@login_required
def generate_page():
    user = page_user()
    if not may_generate(user):
        raise Forbidden("progress reports are generated by the Head or a team leader of the Race & Diversity Unit")
    store = current_documents().store
    choices = period_choices(store)
    if request.method == "GET":
        return _generate_form(choices, FormState({"fields.author_line": [reports.DEFAULT_AUTHOR],
                                                  "fields.period": choices[-1:]}))
    period, since = line(request.form, "fields.period"), line(request.form, "fields.eqias_since")
    meeting = line(request.form, "fields.meeting_date")
    try:
        if period not in choices:
            raise Invalid("choose the reporting period", {"fields.period": "choose one of the periods listed"})
        for name, value in (("fields.eqias_since", since), ("fields.meeting_date", meeting)):
            if value and not f.is_date(value):
                raise Invalid("a date is not valid", {name: "must be a date YYYY-MM-DD"})
        title, fields = generate(store, period, since, line(request.form, "fields.author_line"),
                                 dt.date.fromisoformat(meeting) if meeting else None)
        stored = current_documents().create(user, "report", title, UNIT,
                                            {**fields, **({"meeting_date": meeting} if meeting else {})})
    except Forbidden:
        raise
    except WorkflowError as exc:
        return _generate_form(choices, FormState.posted(request.form, exc), exc, exc.status)
    flash("Draft report generated from approved content. Edit its text, then send it for sign-off.")
    return redirect(url_for(".show", doc_id=stored["id"]))


def _generate_form(choices, state, error=None, status=200):
    return render_template("reports/generate.html", f=state, error=error,
                           choices={code: periods.label(code) for code in choices}), status


@bp.route("/reports/<doc_id>")
@login_required
def show(doc_id):
    doc, shown = _report(doc_id)
    return render_template("reports/show.html", doc=shown, blocks=reports.blocks(shown["title"], shown["fields"]),
                           editable=policy.editable(doc, page_user()))


def _format(doc_id, fmt):
    _, shown = _report(doc_id)
    period = shown["fields"].get("period")  # it names the file, in a header: only a period read as one
    name = f"progress-report-{(period if periods.parse(period) else shown['id']).replace(' ', '-')}"
    return respond(fmt, shown["title"], shown["fields"], name)


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
