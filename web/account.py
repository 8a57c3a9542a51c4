"""A person's own account: what it holds, and changing its password."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from web import accounts, forms
from web.auth import page_user
from workflow.errors import WorkflowError

bp = Blueprint("account", __name__)


@bp.app_context_processor
def role_options():
    return {"ROLE_WORDS": accounts.ROLE_WORDS}


@bp.app_template_filter("role_words")
def role_words(roles):
    return ", ".join(accounts.ROLE_WORDS.get(role, role) for role in roles)


@bp.route("/account")
@login_required
def show():
    record = accounts.account_record(current_app.extensions["store"], page_user().name)
    return render_template("account/show.html", account=record)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    if request.method == "GET":
        return render_template("account/password.html", f=forms.FormState(), error=None)
    try:
        accounts.change_password(current_app.extensions["store"], page_user().name,
                                 request.form.get("current_password"), request.form.get("new_password"),
                                 request.form.get("confirm_password"), keep=current_user.session_id)
    except WorkflowError as exc:
        return render_template("account/password.html", f=forms.FormState.posted(request.form, exc),
                               error=exc), exc.status
    flash("Your password has been changed. Anywhere else you were signed in has been signed out.")
    return redirect(url_for(".show"))
