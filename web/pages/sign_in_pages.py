"""Signing in and out, and setting one's password through a one-time link
(services.sign_in_service)."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from services import sign_in_service
from web import form_state
from web.auth import SignedIn, client_address, now, session_id, with_retry_after
from web.current import current_store
from web.pages import oidc_pages
from web.security import COOKIE_DROPPED, PROVIDER_SIGN_OUT, secure_cookie_dropped
from workflow.accounts import PASSWORD_MAX
from workflow.errors import NotFound, WorkflowError

bp = Blueprint("auth", __name__)  # its endpoints (auth.sign_in ...) are named in every template


class SignInForm(FlaskForm):
    name = StringField("User name", validators=[DataRequired(), Length(max=64)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})


def _safe_next(target):
    """Only same-site paths, so the sign-in page cannot bounce people elsewhere. A backslash
    (read as "/" by browsers: "/\\host") or a control character (CR/LF would split the
    Location header; the server refuses to send it) sends them home instead."""
    target = target or ""
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(c) < 32 or ord(c) == 127 for c in target)):
        return url_for("home.index")
    return target


def _sign_in_page(form, error=None):
    return render_template("auth/sign_in.html", form=form, error=error,
                           passwords_off=sign_in_service.passwords_off(current_store()),
                           cookie_dropped=COOKIE_DROPPED if secure_cookie_dropped() else None,
                           provider_button=oidc_pages.sign_in_choice(), next_page=request.args.get("next"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    # The form's fields only: Flask-WTF would otherwise read a JSON body as the form, any type in any field.
    form = SignInForm(formdata=request.form)
    if not form.validate_on_submit():
        return _sign_in_page(form)
    try:
        user, new_session = sign_in_service.sign_in(current_store(), form.name.data, form.password.data,
                                                    client_address(), now(), replacing=session_id())
    except WorkflowError as exc:  # a wrong password (401), or too many (429)
        return with_retry_after(current_app.make_response((_sign_in_page(form, exc.reason), exc.status)), exc)
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    login_user(SignedIn(user, new_session))
    # The new session's CSRF secret goes into the cookie set now: otherwise the next page
    # adds it and sends the whole session cookie again.
    g.pop("csrf_token", None)
    generate_csrf()
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/sign-in/link/<secret>", methods=["GET", "POST"])
def set_password(secret):
    """A one-time link an administrator made (a new account, a reset): the person sets
    their own password; the link is then spent. A used or expired link says so, plainly."""
    holder = sign_in_service.link_holder(current_store(), secret)
    if holder is None:
        return render_template("auth/link_spent.html"), 404
    if request.method == "GET":
        return render_template("auth/set_password.html", name=holder, f=form_state.FormState(), error=None)
    try:
        # Whoever was signed in on this browser is not who set it: signed out.
        name = sign_in_service.set_password_by_link(current_store(), secret, request.form.get("new_password"),
                                                    request.form.get("confirm_password"), client_address(),
                                                    replacing=session_id())
    except NotFound:
        return render_template("auth/link_spent.html"), 404
    except WorkflowError as exc:
        page = render_template("auth/set_password.html", name=holder, f=form_state.FormState.posted(request.form, exc),
                               error=exc)
        return page, exc.status
    logout_user()
    session.clear()
    flash(f"Your password is set, {name}. Sign in with it now.")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    provider_end = session.get(PROVIDER_SIGN_OUT)
    sign_in_service.sign_out(current_store(), session_id())
    logout_user()
    session.clear()
    # A session from the identity provider ends there too (RP-initiated logout), when it has an
    # end-session endpoint; the pages' form-action allows that one origin (web/security.py).
    return redirect(provider_end or url_for("auth.sign_in"))
