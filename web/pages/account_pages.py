"""A person's own account: what it holds, its API tokens, and changing its password."""
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required

from services import people_service, settings_service, sign_in_service, token_service
from web import form_state
from web.auth import (
    acting,
    client_address,
    now,
    page_user,
    session_id,
    with_retry_after,
)
from web.current import current_store
from workflow.errors import WorkflowError
from workflow.users import ROLE_WORDS

bp = Blueprint("account", __name__)


def role_options():
    return {"ROLE_WORDS": ROLE_WORDS}


def role_words(roles):
    return ", ".join(ROLE_WORDS.get(role, role) for role in roles)


@bp.route("/account")
@login_required
def show():
    record, tokens = people_service.own_account(current_store(), page_user().name)
    return render_template("account/show.html", account=record, tokens=tokens)


@bp.route("/account/tokens/<key>/revoke", methods=["POST"])
@login_required
def revoke_token(key):
    """Revoke one of the person's own API tokens; it stops working at once."""
    token_service.revoke(current_store(), page_user().name, key, acting())
    flash("The API token has been revoked: programs using it can no longer reach the API.")
    return redirect(url_for(".show"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    if request.method == "GET":
        # While local passwords are off the page says so rather than offering a form that refuses.
        settings_service.check_password_allowed(current_store(), page_user().name)
        return render_template("account/password.html", f=form_state.FormState(), error=None)
    try:
        sign_in_service.change_password(current_store(), page_user().name, request.form.get("current_password"),
                                        request.form.get("new_password"), request.form.get("confirm_password"),
                                        session_id(), client_address(), now())
    except WorkflowError as exc:
        page = render_template("account/password.html", f=form_state.FormState.posted(request.form, exc), error=exc)
        return with_retry_after(current_app.make_response((page, exc.status)), exc)
    flash("Your password has been changed. Anywhere else you were signed in has been signed out, "
          "and your API tokens no longer work.")
    return redirect(url_for(".show"))
