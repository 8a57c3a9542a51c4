"""The page that cites monitoring figures as evidence: from an EqIA's full assessment, or from an
objective's progress entry for a period. The flagged figures are offered first.

Thin: parse, call services.citation_service (rules in workflow/citations.py and workflow/policy.py), render.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services.citation_service import Citations
from web.auth import page_user
from web.current import current_documents
from web.form_state import FormState, line, posted_version
from workflow import citations, policy
from workflow.errors import NO_SUCH_DOCUMENT, NotFound, WorkflowError

bp = Blueprint("citations", __name__)


@bp.route("/documents/<doc_id>/figures", methods=["GET", "POST"])
@login_required
def cite(doc_id):
    user = page_user()
    doc, _ = current_documents().read(doc_id, user)
    if not policy.editable(doc, user):
        raise NotFound(NO_SUCH_DOCUMENT)  # nothing to add to: the page is for those who may edit it
    period = line(request.values, "period")
    if request.method == "POST":
        try:
            _service().save(doc_id, user, posted_version(request.form), period,
                                               request.form.getlist("figures"), set(request.form.getlist("offered")))
        except NotFound:
            raise
        except WorkflowError as exc:
            return _page(doc, period, FormState.posted(request.form, exc), exc)
        flash("The figures cited are saved.")
        return redirect(url_for("pages.document", doc_id=doc_id))
    return _page(doc, period, None)


def _service():
    return Citations(current_documents())


def _page(doc, period, f, error=None):
    """The figures offered: every flagged one, those of the dataset chosen, and those already cited."""
    service = _service()
    _, cited = service.place(doc, period)
    chosen = line(request.values, "dataset")
    every = service.candidates(page_user())
    cited_values = {citations.value(c) for c in cited}
    offered = [c for c in every if c["figure"].flagged or c["citation"]["dataset"] == chosen
               or citations.value(c["citation"]) in cited_values]
    datasets = {c["citation"]["dataset"]: c["title"] for c in every}
    f = f or FormState({"figures": sorted(cited_values), "dataset": [chosen or ""]})
    return render_template("citations/choose.html", doc=doc, period=period, f=f, error=error, offered=offered,
                           datasets=datasets, value=citations.value), error.status if error else 200
