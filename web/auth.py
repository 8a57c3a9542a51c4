"""Who is asking: session sign-in for pages, bearer tokens for the API."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from services import account_service, audit_service, memo, throttle_service, token_service

from web import form_state as forms
from web.security import COOKIE_DROPPED, secure_cookie_dropped
from workflow.errors import NotFound, WorkflowError

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Please sign in to see this page."


class Unauthorized(WorkflowError):
    status = 401


class SignedIn(UserMixin):
    """A signed-in person for Flask-Login; the id is the server-side session id."""

    def __init__(self, user, session_id, previous_visit=None):
        self.user = user
        self.session_id = session_id
        self.previous_visit = previous_visit  # when they signed in before this session

    def get_id(self):
        return self.session_id


def init_app(app):
    login_manager.init_app(app)
    # Each page needs the session's record and its person: kept until sessions or people
    # change, so signing out, a password change or a deactivation (each a commit, in any
    # process) is seen by the next request. Keyed by digest, as the store keeps session ids.
    store = app.extensions["store"]
    app.extensions["signed_in"] = memo.UntilChanged(
        store, items=4096, collections=(account_service.SESSIONS, *account_service.PERSON_FROM))
    # Who each bearer token stands for, kept until tokens or people change (services.memo):
    # revoking a token, deactivating an account or changing its roles is a commit, so
    # every process forgets at its next request, before it answers.
    app.extensions["api_tokens"] = memo.UntilChanged(store, collections=(account_service.TOKENS, *account_service.PERSON_FROM))


@login_manager.user_loader
def _load(session_id):
    if not isinstance(session_id, str) or not session_id:
        return None
    store = current_app.extensions["store"]
    record, user = current_app.extensions["signed_in"].get(
        account_service.digest(session_id), lambda: _session_and_user(store, session_id))
    # Expiry goes by the clock, not by the store: checked at every request.
    if user is None or not account_service.session_alive(record, current_app.config["SESSION_LIFETIME"]):
        return None
    return SignedIn(user, session_id, record.get("previous_visit"))


def _session_and_user(store, session_id):
    """(the stored session record, its active User), or (None, None)."""
    record = store.get(account_service.SESSIONS, account_service.digest(session_id))
    user = account_service.find_user(store, record["user"]) if record else None
    return (record, user) if user else (None, None)


def page_user():
    """The domain User behind the session, or None for the public."""
    return current_user.user if current_user.is_authenticated else None


def api_user():
    """The domain User behind the bearer token; Unauthorized otherwise."""
    if "api_user" not in g:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        user = record = None
        token = token.strip()
        if scheme.lower() == "bearer" and token:
            store = current_app.extensions["store"]
            user, record = current_app.extensions["api_tokens"].get(
                ("token", account_service.digest(token)), lambda: token_service.lookup(store, token))
        if user is None:
            raise Unauthorized("a valid bearer token is required",
                               {"Authorization": "send 'Bearer TOKEN' (python run.py token NAME)"})
        token_service.record_use(current_app.extensions["store"], record)
        g.api_user, g.api_token = user, record["id"]
    return g.api_user


class SignInForm(FlaskForm):
    name = StringField("User name", validators=[DataRequired(), Length(max=64)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)],
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


def now():
    """The time throttling goes by; tests set SIGN_IN_CLOCK rather than sleep."""
    return (current_app.config.get("SIGN_IN_CLOCK") or throttle_service.utc_now)()


def client_address():
    """Behind a reverse proxy this is the proxy's address unless the operator sets
    EQUALITY_PROXY_HOPS (web.security, SECURITY.md); X-Forwarded-For is never read
    directly, as anyone can send it."""
    return request.remote_addr


def acting():
    """The signed-in person as the audit log names them: who, and from which address."""
    return audit_service.Actor(page_user().name, client_address())


def with_retry_after(response, exc):
    response.headers["Retry-After"] = str(exc.seconds)
    return response


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    # The form's fields only: Flask-WTF would otherwise read a JSON body as the form, any type in any field.
    form = SignInForm(formdata=request.form)
    error = None
    if form.validate_on_submit():
        store, name, address, at = current_app.extensions["store"], form.name.data, client_address(), now()
        try:
            counted = throttle_service.attempt(store, name, address, at)
        except throttle_service.Throttled as exc:
            account_service.spend_check_time(form.password.data)  # the password is not even checked
            page = render_template("auth/sign_in.html", form=form, error=exc.reason)
            return with_retry_after(current_app.make_response((page, exc.status)), exc)
        user = account_service.check_password(store, name, form.password.data)
        if user:
            throttle_service.succeeded(store, counted)
            if current_user.is_authenticated:  # signing in again ends the session it replaces
                account_service.close_session(store, current_user.session_id)
            session.clear()  # a fresh session at sign-in: nothing carried over from before
            session_id = account_service.open_session(store, user.name)
            login_user(SignedIn(user, session_id))
            # The new session's CSRF secret goes into the cookie set now: otherwise the next page
            # adds it and sends the whole session cookie again.
            g.pop("csrf_token", None)
            generate_csrf()
            return redirect(_safe_next(request.args.get("next")))
        error = "The user name or password is not right."  # the attempt counted as it began
    return render_template("auth/sign_in.html", form=form, error=error,
                           cookie_dropped=COOKIE_DROPPED if secure_cookie_dropped() else None), 200 if not error else 401


@bp.route("/sign-in/link/<secret>", methods=["GET", "POST"])
def set_password(secret):
    """A one-time link an administrator made (a new account, a reset): the person sets
    their own password; the link is then spent. A used or expired link says so, plainly."""
    store = current_app.extensions["store"]
    link = account_service.sign_in_link(store, secret)
    if link is None:
        return render_template("auth/link_spent.html"), 404
    if request.method == "GET":
        return render_template("auth/set_password.html", name=link["user"], f=forms.FormState(), error=None)
    try:
        name = account_service.set_password_by_link(store, secret, request.form.get("new_password"),
                                             request.form.get("confirm_password"), client_address())
    except NotFound:
        return render_template("auth/link_spent.html"), 404
    except WorkflowError as exc:
        page = render_template("auth/set_password.html", name=link["user"], f=forms.FormState.posted(request.form, exc),
                               error=exc)
        return page, exc.status
    if current_user.is_authenticated:  # whoever was signed in on this browser is not who set it
        account_service.close_session(store, current_user.session_id)
        logout_user()
    session.clear()
    flash(f"Your password is set, {name}. Sign in with it now.")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    account_service.close_session(current_app.extensions["store"], current_user.session_id)
    logout_user()
    session.clear()
    return redirect(url_for("auth.sign_in"))
