"""A person's own account: what it holds, its API tokens, and changing its password."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from services import account_service, throttle_service, token_service

from web import form_state as forms
from web.auth import acting, client_address, now, page_user, with_retry_after
from workflow.errors import WorkflowError

bp = Blueprint("account", __name__)


@bp.app_context_processor
def role_options():
    return {"ROLE_WORDS": account_service.ROLE_WORDS}


@bp.app_template_filter("role_words")
def role_words(roles):
    return ", ".join(account_service.ROLE_WORDS.get(role, role) for role in roles)


@bp.route("/account")
@login_required
def show():
    store = current_app.extensions["store"]
    record = account_service.account_record(store, page_user().name)
    return render_template("account/show.html", account=record, tokens=token_service.for_person(store, record["name"]))


@bp.route("/account/tokens/<key>/revoke", methods=["POST"])
@login_required
def revoke_token(key):
    """Revoke one of the person's own API tokens; it stops working at once."""
    token_service.revoke(current_app.extensions["store"], page_user().name, key, acting())
    flash("The API token has been revoked: programs using it can no longer reach the API.")
    return redirect(url_for(".show"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    if request.method == "GET":
        return render_template("account/password.html", f=forms.FormState(), error=None)
    store, name, address, at = current_app.extensions["store"], page_user().name, client_address(), now()
    counted = None
    try:
        # The current password is asked for here too, so a borrowed session cannot guess it unthrottled.
        counted = throttle_service.attempt(store, name, address, at)
        account_service.change_password(store, name, request.form.get("current_password"), request.form.get("new_password"),
                                 request.form.get("confirm_password"), keep=current_user.session_id, address=address)
    except WorkflowError as exc:
        if counted and "current_password" not in exc.details:  # the current password was right
            throttle_service.succeeded(store, counted)
        page = render_template("account/password.html", f=forms.FormState.posted(request.form, exc), error=exc)
        response = current_app.make_response((page, exc.status))
        return with_retry_after(response, exc) if isinstance(exc, throttle_service.Throttled) else response
    throttle_service.succeeded(store, counted)
    flash("Your password has been changed. Anywhere else you were signed in has been signed out, "
          "and your API tokens no longer work.")
    return redirect(url_for(".show"))
