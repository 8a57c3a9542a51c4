"""Who is asking: the person behind a page's session cookie or an API call's bearer token,
and from which address. The sign-in pages themselves are web.pages.sign_in_pages; what a
session or a token stands for is services.sign_in_service's and services.token_service's."""
from flask import current_app, g, request, session
from flask_login import LoginManager, UserMixin, current_user

from services import audit_service, sign_in_service, throttle_service, token_service
from web.current import current_store
from workflow.errors import WorkflowError

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
    _remember_cookie_when_asked(app)
    # Built on the app's store, once: each process forgets what a commit in any process changed.
    app.extensions["signed_in"] = sign_in_service.kept_sessions(app.extensions["store"])
    app.extensions["api_tokens"] = token_service.kept_bearers(app.extensions["store"])


def _remember_cookie_when_asked(app):
    """Flask-Login's remember-cookie hook, run only when it has something to do: when the session
    asks for it ("_remember") or the app refreshes the cookie on every request. This app never sets
    the cookie, so on nearly every request all the hook did was look the session up three times
    through Flask's proxies: here once, which still marks it read (every answer varies by cookie)."""
    hooks = app.after_request_funcs[None]
    position = hooks.index(login_manager._update_remember_cookie)

    def update_remember_cookie(response):
        if "_remember" in session._get_current_object() or app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
            return login_manager._update_remember_cookie(response)
        return response

    hooks[position] = update_remember_cookie


@login_manager.user_loader
def _load(session_id):
    found = sign_in_service.signed_in(current_app.extensions["signed_in"], current_store(), session_id,
                                      current_app.config["SESSION_LIFETIME"])
    return SignedIn(found[0], session_id, found[1]) if found else None


def page_user():
    """The domain User behind the session, or None for the public."""
    return current_user.user if current_user.is_authenticated else None


def session_id():
    """This browser's server-side session id; None for the public."""
    return current_user.session_id if current_user.is_authenticated else None


def api_user():
    """The domain User behind the bearer token; Unauthorized otherwise."""
    kept = g._get_current_object()  # once: each use of Flask's `g` (or `request`, `current_app`) looks it up anew
    if "api_user" not in kept:
        scheme, _, token = request.environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        token = token.strip()
        extensions = current_app.extensions
        user, record = (token_service.bearer(extensions["api_tokens"], extensions["store"], token)
                        if scheme.lower() == "bearer" else (None, None))
        if user is None:
            raise Unauthorized("a valid bearer token is required",
                               {"Authorization": "send 'Bearer TOKEN' (python run.py token NAME)"})
        kept.api_user, kept.api_token = user, record["id"]
    return kept.api_user


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
    """`response` to a throttled attempt (throttle_service.Throttled) says when to try again."""
    if isinstance(exc, throttle_service.Throttled):
        response.headers["Retry-After"] = str(exc.seconds)
    return response
