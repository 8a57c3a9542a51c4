"""How monitoring data is published: the suppression threshold and the flag ratio, kept by the
Head of Race and Diversity (who publishes monitoring data) or an administrator.

Thin: parse the form, call services.publication_service (the rule of who may, the checks, the
audit and the restamping of every dataset live there), render.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import publication_service, settings_service
from web import form_state
from web.auth import acting, page_user
from web.current import current_store
from workflow import policy
from workflow.errors import Forbidden, WorkflowError

bp = Blueprint("publication", __name__)
NOT_YOURS = "Only the Head of Race and Diversity or an administrator can change how monitoring data is published."


@bp.route("/monitoring/publication", methods=["GET", "POST"])
@login_required
def settings():
    if not policy.may_set_publication(page_user()):
        raise Forbidden(NOT_YOURS)
    if request.method == "GET":
        return _page()
    form = request.form
    try:
        saved = publication_service.set_publication(current_store(), page_user(), form.get("threshold"),
                                                    form.get("flag_ratio"), form_state.posted_version(form), acting())
    except WorkflowError as exc:
        return _page(form_state.FormState.posted(form, exc), exc, exc.status)
    flash(f"Saved. Counts below {saved['threshold']} are now suppressed for everyone outside each dataset's team, "
          f"and relative rates below {saved['flag_ratio']:g} are flagged.")
    return redirect(url_for(".settings"))


def _page(f=None, error=None, status=200):
    stored = settings_service.monitoring_publication(current_store())
    f = f or form_state.FormState({"threshold": [str(stored["threshold"])], "flag_ratio": [f"{stored['flag_ratio']:g}"]})
    return render_template("publication/settings.html", f=f, error=error, stored=stored), status
