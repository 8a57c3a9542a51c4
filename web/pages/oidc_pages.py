"""Signing in with the authority's identity provider (services.oidc_service): the start, which
sends the browser to the provider, and the callback, which finishes. Every refusal is a plain
page; nothing is changed by one."""
import os

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from services import oidc_service
from web.auth import SignedIn, client_address, now, session_id
from web.current import current_store
from web.security import PROVIDER_SIGN_OUT
from web.pages import sign_in_pages
from workflow.errors import WorkflowError

bp = Blueprint("oidc", __name__)
STATE = "oidc_state"  # kept in this browser's session


def configured():
    """The configured provider, or None (also when its configuration is unusable: the sign-in page
    then offers passwords only, and the administration page says what is wrong)."""
    try:
        return oidc_service.provider(current_store(), os.environ)
    except WorkflowError:
        return None


def _trouble(exc):
    return render_template("auth/oidc_error.html", error=exc.reason), exc.status


@bp.route("/sign-in/oidc")
def start():
    config = configured()
    if config is None:
        return _trouble(WorkflowError("Signing in with an identity provider is not set up here. "
                                      "Sign in with your user name and password.", None))
    try:
        url, state = oidc_service.begin(current_store(), config, url_for("oidc.callback", _external=True),
                                        sign_in_pages._safe_next(request.args.get("next")))
    except WorkflowError as exc:
        return _trouble(exc)
    session[STATE] = state
    return redirect(url)


@bp.route("/sign-in/oidc/callback")
def callback():
    config = configured()
    if config is None:
        return _trouble(WorkflowError("Signing in with an identity provider is not set up here.", None))
    try:
        user, new_session, id_token, next_page = oidc_service.finish(
            current_store(), config, request.args, session.pop(STATE, None),
            url_for("oidc.callback", _external=True), client_address(), now(), replacing=session_id())
    except WorkflowError as exc:
        return _trouble(exc)
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    login_user(SignedIn(user, new_session))
    sign_out_there = oidc_service.end_session_url(config, id_token, url_for("auth.sign_in", _external=True))
    if sign_out_there:  # signing out here goes on to end the provider's session too
        session[PROVIDER_SIGN_OUT] = sign_out_there
    g.pop("csrf_token", None)
    generate_csrf()
    return redirect(sign_in_pages._safe_next(next_page))


def provider_name():
    """The provider's name as people know it, or None when none is configured."""
    config = configured()
    return config.name if config else None


def sign_in_choice():
    """The words on the provider's button on the sign-in page, or None when none is configured."""
    name = provider_name()
    return f"Sign in with {name}" if name else None

