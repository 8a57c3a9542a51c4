"""Reviewing a document: comparing two revisions, comparing a resubmission with what was
sent back, checking what a sign-off will sign, and sending it back."""
from flask import Blueprint, render_template, request
from flask_login import login_required

from services.document_service import approved_revisions
from web import form_state, fragments
from web.auth import page_user
from web.current import current_documents, current_store
from web.pages.document_pages import _act
from workflow import fields, numbers, policy, tasks
from workflow.compare import differences
from workflow.documents import content_hash
from workflow.errors import Invalid, Unmet

bp = Blueprint("revisions", __name__)
SAY_WHY = "Enter why you are sending it back"


def _pick(name, readable, default):
    value = request.args.get(name, "")
    if not value:
        return default
    number = numbers.whole(value)
    if number not in readable:
        raise Invalid("There is no such revision.",
                      {name: "Select a revision you may read: " + fields.either([str(n) for n in readable])})
    return number


@bp.route("/documents/<doc_id>/compare")
@login_required
def compare(doc_id):
    user = page_user()
    documents = current_documents()
    doc, shown = documents.read(doc_id, user)
    approved = approved_revisions(current_store(), doc)
    readable = policy.readable_revisions(doc, user, approved)
    # Each approved revision as this reader may know it (a dataset's small counts suppressed).
    versions = {number: policy.counts_as_seen(doc, approved[number], user) if number in approved else doc
                for number in readable}
    older = _pick("from", readable, readable[max(len(readable) - 2, 0)])
    newer = _pick("to", readable, readable[-1])
    changes = differences(versions[older], versions[newer]) if len(readable) > 1 else None
    return render_template("documents/compare.html", doc=shown, readable=readable, approved=approved,
                           older=older, newer=newer, changes=changes, sent_back=policy.sent_back_of(doc, user))


def sent_back_to(doc_id):
    """The last send-back of document `doc_id` that the person signed in may see (policy.sent_back_of):
    READ-ONLY, worked out once per state of the store for the several parts of a page that ask."""
    def sent_back():
        user = page_user()
        doc, _ = current_documents().read(doc_id, user)
        return policy.sent_back_of(doc, user)
    return fragments.kept_value(("sent back", doc_id), sent_back)


@bp.route("/documents/<doc_id>/compare/sent-back")
@login_required
def compare_sent_back(doc_id):
    """The working copy against what was last sent back, field by field: what was corrected."""
    user = page_user()
    doc, shown = current_documents().read(doc_id, user)
    sent = policy.sent_back_of(doc, user)
    changes = differences(sent, doc) if sent and "fields" in sent else None
    return render_template("documents/compare_sent_back.html", doc=shown, sent=sent, changes=changes)


@bp.route("/documents/<doc_id>/sign-off")
@login_required
def sign_off(doc_id):
    """What a sign-off will sign (title, revision, the content hash the approval records),
    shown before it is done; the form posts the version shown, so a change since is refused."""
    user = page_user()
    doc, shown = current_documents().read(doc_id, user)
    policy.check_transition(doc, user, "approve")  # anyone who could not sign it off gets the reason
    return render_template("documents/sign_off.html", doc=shown, content_hash=content_hash(doc),
                           sent_back=policy.sent_back_of(doc, user))


@bp.route("/documents/<doc_id>/send-back", methods=["POST"])
@login_required
def send_back(doc_id):
    form = request.form
    comment = (form.get("comment") or "").strip() or None

    def send():
        try:
            return current_documents().fire(doc_id, page_user(), "send_back", form_state.posted_version(form), comment)
        except Unmet as exc:  # a send-back's one condition: the comment saying why
            raise Invalid(SAY_WHY, {"comment": SAY_WHY}) from exc

    return _act(doc_id, send, lambda doc: tasks.after_step("send_back", doc))
