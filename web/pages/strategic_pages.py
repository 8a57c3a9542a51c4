"""Key strategic objectives with the rolled-up status of the objectives under each,
and the reporting periods. Thin: parse, call, render.

Every count is made over what the viewer may see (Documents.search applies
policy.view): a Board member's roll-up counts approved revisions only.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import period_service
from web.auth import page_user
from web.current import current_documents, current_store
from web.form_state import FormState
from workflow import numbers, periods, policy, strategy
from workflow.errors import Forbidden, Invalid, WorkflowError

bp = Blueprint("strategic", __name__)


def _visible_objectives():
    return current_documents().search(page_user(), kind="objective")


def _manager():
    user = page_user()
    period_service.check_keeper(user)
    return user


def strategic_choices():
    """{number: words} for the objective form's "Strategic objective" select."""
    return {str(s["number"]): f"{s['number']}. {s['title'][:90]}{'…' if len(s['title']) > 90 else ''}"
            for s in period_service.list_strategic(current_store())}


@bp.route("/strategic")
@login_required
def index():
    objectives = _visible_objectives()
    reported = strategy.reported_periods(objectives)
    choices = sorted({p["code"] for p in period_service.list_periods(current_store())} | set(reported),
                     key=periods.sort_key)
    code, error, status = request.args.get("period") or (reported[-1] if reported else None), None, 200
    if code is not None and code not in choices:
        error, code, status = "choose one of the periods listed", (reported[-1] if reported else None), 422
    groups = [(s, strategy.group([d for d in objectives if d["fields"].get("strategic") == s["number"]], code))
              for s in period_service.list_strategic(current_store())]
    numbers = {s["number"] for s, _ in groups}
    unlinked = [d for d in objectives if d["fields"].get("strategic") not in numbers]
    return render_template("strategic/index.html", groups=groups, code=code, choices=choices, error=error,
                           unlinked=unlinked, may_manage=policy.may_manage_reporting(page_user())), status


@bp.route("/strategic/<int:number>")
@login_required
def show(number):
    record = period_service.strategic(current_store(), number)
    objectives = [d for d in _visible_objectives() if d["fields"].get("strategic") == number]
    columns = [(code, strategy.group(objectives, code)) for code in strategy.reported_periods(objectives)]
    return render_template("strategic/show.html", record=record, objectives=objectives, columns=columns,
                           may_manage=policy.may_manage_reporting(page_user()))


def _form_refused(form, exc, labels):
    """A small form again with what was typed: each message by its input and in the summary."""
    values = {key: form.getlist(key) for key in labels if key in form}
    details = {k: v for k, v in exc.details.items() if k in labels and isinstance(exc, Invalid)}
    if not details:
        details = {next(iter(labels)): exc.reason}
    return FormState(values, details, [(labels[k], v, k) for k, v in details.items()])


@bp.route("/strategic/new", methods=["GET", "POST"])
@login_required
def new():
    user = _manager()
    labels = {"number": "Number", "title": "Title"}
    if request.method == "POST":
        number = numbers.or_as_sent((request.form.get("number") or "").strip())
        try:
            period_service.add_strategic(current_store(), user, number, request.form.get("title", ""))
        except WorkflowError as exc:
            return render_template("strategic/form.html", record=None, f=_form_refused(request.form, exc, labels),
                                   error=exc), exc.status
        flash(f"Strategic objective {number} added.")
        return redirect(url_for(".show", number=number))
    return render_template("strategic/form.html", record=None, f=FormState(), error=None)


@bp.route("/strategic/<int:number>/edit", methods=["GET", "POST"])
@login_required
def edit(number):
    user = _manager()
    record = period_service.strategic(current_store(), number)
    if request.method == "POST":
        version = numbers.whole(request.form.get("version") or "", low=1)
        try:
            period_service.retitle_strategic(current_store(), user, number, request.form.get("title", ""), version)
        except WorkflowError as exc:
            return render_template("strategic/form.html", record=record, error=exc,
                                   f=_form_refused(request.form, exc, {"title": "Title"})), exc.status
        flash(f"Strategic objective {number} saved.")
        return redirect(url_for(".show", number=number))
    return render_template("strategic/form.html", record=record, f=FormState({"title": [record["title"]]}), error=None)


@bp.route("/strategic/seed", methods=["POST"])
@login_required
def seed():
    """Load the 2007 report's nine objectives into a list that has none."""
    _manager()
    period_service.seed_strategic(current_store())
    flash("The nine key strategic objectives of the 2007 report are loaded.")
    return redirect(url_for(".index"))


@bp.route("/periods", methods=["GET", "POST"], endpoint="periods")
@login_required
def periods_page():
    f, error, status = FormState(), None, 200
    if request.method == "POST":
        try:
            code = period_service.add_period(current_store(), page_user(), request.form.get("code") or "")["code"]
        except Forbidden:
            raise
        except WorkflowError as exc:
            f, error, status = _form_refused(request.form, exc, {"code": "Period"}), exc, exc.status
        else:
            flash(f"Reporting period {periods.label(code)} is open.")
            return redirect(url_for(".periods"))
    return render_template("strategic/periods.html", periods=period_service.list_periods(current_store()),
                           f=f, error=error, may_manage=policy.may_manage_reporting(page_user())), status
