"""Consultations: the list, each consultation's page, and the form that records or changes one
(who was consulted, when, how, what they said, what changed, the EqIAs and objectives it informed).

Thin: parse, call services.consultation_service (rules in workflow/consultations.py and
workflow/policy.py), render.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services.consultation_service import NOT_YOURS, Consultations
from web.auth import acting, page_user
from web.current import current_documents, current_store
from web.form_state import FormState, line, text
from workflow import consultations, policy
from workflow.errors import Forbidden, WorkflowError

bp = Blueprint("consultations", __name__)
CONSULTED = "consulted"
EMPTY_ROWS = 3  # blank rows for more groups consulted, each time the form is shown


def _service():
    return Consultations(current_store(), current_documents())


@bp.route("/consultations")
@login_required
def index():
    user = page_user()
    listed = _service().list(user)
    return render_template("consultations/index.html", consultations=listed, may_record=bool(_service().teams(user)),
                           types=consultations.TYPES, methods=consultations.METHODS)


@bp.route("/consultations/<consultation_id>")
@login_required
def show(consultation_id):
    user = page_user()
    consultation = _service().load(consultation_id, user)
    return render_template("consultations/show.html", c=consultation, informed=_service().informed(consultation, user),
                           may_edit=policy.may_keep_consultation(user, consultation["team"]),
                           types=consultations.TYPES, methods=consultations.METHODS)


@bp.route("/consultations/new", methods=["GET", "POST"])
@login_required
def new():
    user = page_user()
    _service().list(user)  # only those who read consultations reach the form (others: not found)
    teams = _service().teams(user)
    if not teams:
        raise Forbidden(NOT_YOURS)
    if request.method == "GET":
        return _form(None, FormState({"team": teams[:1]}))
    try:
        stored = _service().create(user, _values(request.form), acting())
    except WorkflowError as exc:
        return _form(None, _posted(exc), exc)
    flash("The consultation is recorded.")
    return redirect(url_for(".show", consultation_id=stored["id"]))


@bp.route("/consultations/<consultation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(consultation_id):
    user = page_user()
    consultation = _service().load(consultation_id, user)
    if not policy.may_keep_consultation(user, consultation["team"]):
        raise Forbidden(NOT_YOURS)
    if request.method == "GET":
        return _form(consultation, FormState(_form_values(consultation)))
    try:
        _service().edit(consultation_id, user, request.form.get("version", "none"), _values(request.form), acting())
    except WorkflowError as exc:
        return _form(consultation, _posted(exc), exc)
    flash("The consultation is saved.")
    return redirect(url_for(".show", consultation_id=consultation_id))


def _values(form):
    """The posted form as workflow.consultations.KEYS; the rows of groups left wholly blank are skipped."""
    return {"title": line(form, "title"), "team": line(form, "team"), "consulted": _consulted(form),
            "start": line(form, "start"), "end": line(form, "end"),
            "methods": [m for m in form.getlist("methods") if m], "responses": text(form, "responses"),
            "changes": text(form, "changes"), "informed": [i for i in form.getlist("informed") if i]}


def _filled(form):
    """The form's numbers of the rows of groups consulted that hold anything, in order."""
    return sorted({int(key.split(".")[1]) for key in form.keys()
                   if key.startswith(CONSULTED + ".") and key.count(".") == 2 and key.split(".")[1].isdigit()
                   and form.get(key, "").strip()})


def _consulted(form):
    # A name with its type chosen is a row; "Not given" for the type is refused by the rules.
    return [{"name": line(form, f"{CONSULTED}.{n}.name"), "type": line(form, f"{CONSULTED}.{n}.type")}
            for n in _filled(form)]


def _posted(exc):
    """The posted form again with `exc`'s messages, each row's message at the row it was typed in."""
    filled = _filled(request.form)
    for path in list(exc.details):
        parts = path.split(".")
        if parts[0] == CONSULTED and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(filled):
            exc.details[".".join([CONSULTED, str(filled[int(parts[1])]), *parts[2:]])] = exc.details.pop(path)
    return FormState.posted(request.form, exc)


def _form_values(consultation):
    values = {key: [consultation[key]] for key in ("title", "team", "start", "end", "responses", "changes")
              if consultation.get(key)}
    for i, party in enumerate(consultation["consulted"]):
        values[f"{CONSULTED}.{i}.name"], values[f"{CONSULTED}.{i}.type"] = [party["name"]], [party["type"]]
    return {**values, "methods": consultation["methods"], "informed": consultation.get("informed") or []}


def _form(consultation, f, error=None):
    user = page_user()
    rows = max([int(k.split(".")[1]) for k in f.values if k.startswith(CONSULTED + ".")], default=-1) + 1
    documents = [d for kind in consultations.INFORMS for d in current_documents().search(user, kind=kind)]
    return render_template("consultations/form.html", c=consultation, f=f, error=error,
                           teams={t: t for t in _service().teams(user)},
                           rows=rows + EMPTY_ROWS, types=consultations.TYPES, methods=consultations.METHODS,
                           documents={d["id"]: f"{d['title']} ({'EqIA' if d['kind'] == 'eqia' else 'objective'})"
                                      for d in documents}), error.status if error else 200
