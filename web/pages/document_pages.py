"""The document list and the document page with its transitions. Thin: parse, call, render."""
import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import approver_service
from services.citation_service import Citations
from services.consultation_service import Consultations
from web import form_state, fragments
from web.auth import page_user
from web.current import current_documents, current_store
from workflow import kinds, machine, policy, search, strands, tasks
from workflow.errors import Invalid, NotFound, WorkflowError
from workflow.kinds import objective
from workflow.users import TEAMS

bp = Blueprint("pages", __name__)
LIST_CHOICES = {"HEADINGS": objective.HEADINGS, "KIND_WORDS": {name: kind.LABEL for name, kind in kinds.KINDS.items()},
                "SORTS": {"updated": "Last updated", "title": "Title", "state": "State"}}


def input_id(name):
    return name.replace(".", "-")


def when(value):
    """ISO dates and times as people write them: 5 March 2025; March 2025; 5 March 2025, 14:03 UTC."""
    if not isinstance(value, str):
        return value
    try:
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01").strftime("%B %Y")
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return f"{day.day} {day:%B %Y}"
        moment = dt.datetime.fromisoformat(value)
        return f"{moment.day} {moment:%B %Y, %H:%M} {moment.tzname() or ''}".strip()
    except ValueError:
        return value


def words():
    return {"KINDS": kinds.KINDS, "WORDS": form_state.WORDS, "strand_set_of": strands.strand_set,
            "STATES": machine.STATES, "same": lambda items: {str(item): item for item in items}}


@bp.route("/documents")
@login_required
def index():
    user = page_user()
    teams = sorted(set(TEAMS) | set(user.teams))
    try:
        query = search.parse(request.args)
    except Invalid as exc:
        return render_template("documents/index.html", query=search.Query(), found=None, error=exc,
                               teams=teams, **LIST_CHOICES), 400
    found = current_documents().page(user, query, search.PER_PAGE)
    return render_template("documents/index.html", query=query, found=found, error=None,
                           teams=teams, **LIST_CHOICES)


def _document_page(doc_id, error=None):
    user = page_user()
    # Worked out once per state of the store; NotFound (not kept) when it is not visible.
    parts = fragments.kept_value(("document page", doc_id), lambda: _page_parts(doc_id, user))
    # Read only when the page's kept history is not.
    history_of = lambda: current_documents().history(doc_id, user)  # noqa: E731
    return render_template("documents/show.html", **parts, history_of=history_of, error=error)


def _page_parts(doc_id, user):
    """What the document page shows `user` of document `doc_id`, and what they may do with it."""
    doc, shown = current_documents().read(doc_id, user)
    # The parts and next step of what this person sees: the working copy, or the approved revision.
    seen = doc if policy.sees_working_copy(doc, user) else shown
    task_list, needed = tasks.task_list(seen, user)
    listed = {item.words for item in needed}
    # What else stands in the way of a step this person could take: conditions on them, not on the fields.
    pending = [(machine.BY_NAME[name], [words for words in unmet if words not in listed])
               for name, unmet in policy.pending(doc, user).items()]
    return {"doc": shown, "actions": [machine.BY_NAME[name] for name in policy.actions(doc, user)],
            "pending": [(t, unmet) for t, unmet in pending if unmet], "tasks": task_list, "needed": needed,
            "links": {item.words: item.link for item in needed if item.link},
            "next_step": tasks.next_step(seen, user), "editable": policy.editable(doc, user),
            # Never a dead end: said to whoever sees what awaits sign-off when no one could sign it off.
            "no_one_can_sign": approver_service.no_one_can_sign(current_store(), seen) if seen is doc else None,
            "assignment": current_documents().assignment(doc, user),
            "consultations": Consultations(current_store(), current_documents()).for_document(shown, user),
            "figures": Citations(current_documents()).shown(shown, user)}


@bp.route("/documents/<doc_id>")
@login_required
def document(doc_id):
    return fragments.kept_page(lambda: _document_page(doc_id))


def _act(doc_id, action, done):
    """Do `action()` on a document page's form: back to the page with `done(result)` said,
    or the page again with the refusal and its status (absent stays a plain 404)."""
    try:
        result = action()
    except NotFound:
        raise
    except WorkflowError as exc:
        return _document_page(doc_id, error=exc), exc.status
    flash(done(result))
    return redirect(url_for("pages.document", doc_id=doc_id))  # also for the review pages


@bp.route("/documents/<doc_id>/transitions/<name>", methods=["POST"])
@login_required
def fire(doc_id, name):
    form = request.form
    return _act(doc_id, lambda: current_documents().fire(
        doc_id, page_user(), name, form_state.posted_version(form), form.get("comment") or None),
        lambda doc: tasks.after_step(name, doc))


@bp.route("/documents/<doc_id>/assign", methods=["POST"])
@login_required
def assign(doc_id):
    form = request.form
    assignee = (form.get("assignee") or "").strip()
    return _act(doc_id, lambda: current_documents().assign(
        doc_id, page_user(), form_state.posted_version(form), assignee, (form.get("due") or "").strip() or None),
        lambda doc: f"Assigned to {assignee}. {tasks.next_step(doc)}")
