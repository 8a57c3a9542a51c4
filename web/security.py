"""CSRF protection, the security headers every answer carries, and which proxy to believe."""
import os
import re
from urllib.parse import urlsplit

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from itsdangerous import BadSignature
from werkzeug.middleware.proxy_fix import ProxyFix

from services.storage import StoreError
from web.session_cookies import VerifiedCookies

csrf = CSRFProtect()
# The blueprints exempted whole (exempt_blueprint), by the name a request gives its blueprint.
EXEMPT_BLUEPRINTS = set()

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
HEADERS = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
           ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"))
_HEADERS = tuple((name.lower(), name, value) for name, value in HEADERS)  # as headers() looks them up
# In a session from the identity provider: where signing out sends the browser next (the provider's
# end-session endpoint), which the pages' form-action must allow for the sign-out form's redirect.
PROVIDER_SIGN_OUT = "oidc_sign_out"
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")  # nothing that could end a CSP directive
# Browsers treat these as secure even over plain HTTP, and keep a Secure cookie for them.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
PLAIN_HTTP_TRIAL = "EQUALITY_PLAIN_HTTP_TRIAL"
COOKIE_DROPPED = ("This site was opened over plain HTTP (an http:// address). Your browser does not keep the "
                  "secure sign-in cookie over plain HTTP, so signing in here fails with \"The form has "
                  "expired\". Open the site's https:// address instead. For a trial on a private network only, "
                  f"the operator can allow plain HTTP with {PLAIN_HTTP_TRIAL}=1 (see SECURITY.md).")


class _Sessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per key
    rather than at every request (Flask builds it anew to open and to save each one)."""

    _made = None  # (keys, the cookies verified by their serializer: web.session_cookies)

    def get_signing_serializer(self, app):
        verified = self._verified(app)
        return None if verified is None else verified.serializer

    def _verified(self, app):
        if not app.secret_key and "secret_key" in app.extensions:
            try:
                app.extensions["secret_key"]()  # web/__init__.py: the store's key, read once it answers
            except StoreError:
                return None  # no session yet: the request's first read answers 503 (web/error_answers.py)
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = self._made
        if made is None or made[0] != keys:
            made = self._made = (keys, VerifiedCookies(super().get_signing_serializer(app)))
        return made[1]

    def open_session(self, app, request):
        """Flask's, but a request without a Cookie header opens an empty session without asking
        for the cookies (Werkzeug reads every header of the request to gather them), and a
        cookie this process verified before is not verified again (web.session_cookies)."""
        verified = self._verified(app)
        if verified is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app)) if "HTTP_COOKIE" in request.environ else None
        if not cookie:
            return self.session_class()
        try:
            return self.session_class(verified.loads(cookie, int(app.permanent_session_lifetime.total_seconds())))
        except BadSignature:
            return self.session_class()

    def save_session(self, app, session, response):
        """Flask's, but for a session whose cookie stays as it came (an API call's empty one, a page's
        unchanged one that is not refreshed) all Flask would do is add "Vary: Cookie" if it was read:
        added here without parsing and rewriting a Vary header that is not there (Werkzeug's
        response.vary does both)."""
        if session.modified or (session and self.should_set_cookie(app, session)):
            super().save_session(app, session, response)
        elif session.accessed:
            if any(name.lower() == "vary" for name, _ in response.headers):
                response.vary.add("Cookie")
            else:
                response.headers.add("Vary", "Cookie")


def exempt_blueprint(blueprint):
    """Flask-WTF's exemption of every view of `blueprint`, its name noted as well: web/hooks.py
    then lets its requests by without asking Flask-WTF, which finds a blueprint exempt only after
    looking the request's endpoint and blueprint up through Flask's proxies (some 35,000
    instructions an API write). Both are told here at once, so neither exempts what the other checks."""
    csrf.exempt(blueprint)
    EXEMPT_BLUEPRINTS.add(blueprint.name)
    return blueprint


def _with_session_cookie(asked):
    """Did `asked` (the request) bring a session cookie (whether still valid or not)?"""
    return "HTTP_COOKIE" in asked.environ and current_app.config["SESSION_COOKIE_NAME"] in asked.cookies


def init_security(app):
    _trust_proxies(app)
    app.session_interface = _Sessions()


def headers(response):
    """The security headers of every answer (web/hooks.py), each unless the view set its own.
    Asked once each: what the view set (one pass: Werkzeug's get and setdefault raise and
    catch an exception for every header that is missing), whether a session cookie came."""
    given, present = response.headers, {name.lower() for name, _ in response.headers}
    asked = request._get_current_object()  # once: each use of Flask's `request` looks it up anew
    with_cookie = _with_session_cookie(asked)
    if with_cookie and "content-security-policy" not in present and (csp := _with_provider_sign_out()):
        given.add("Content-Security-Policy", csp)
        present.add("content-security-policy")
    for lower, name, value in _HEADERS:
        if lower not in present:
            given.add(name, value)
    # Whatever answers a signed-in person or a token (pages, exports, the API, files) may be
    # theirs alone: no browser or proxy keeps a copy, nor of any page. The style sheets are the
    # same for everyone. (An Authorization header counts whether valid or not.)
    private = (with_cookie or "HTTP_AUTHORIZATION" in asked.environ) and asked.endpoint != "static"
    if "cache-control" not in present:
        if private or response.mimetype == "text/html":
            given.add("Cache-Control", "no-store")
    elif private and "no-store" not in given["Cache-Control"]:
        given["Cache-Control"] = "no-store"
    return response


def _with_provider_sign_out():
    """The policy with the provider's end-session origin added to form-action, for a session
    from the identity provider whose sign-out goes on there; else None (the usual policy).
    Asked only when a session cookie came (reading one would make every answer vary by cookie)."""
    origin = _ORIGIN.match(session.get(PROVIDER_SIGN_OUT) or "")
    return CSP.replace("form-action 'self'", f"form-action 'self' {origin[0]}") if origin else None


def secure_cookie_dropped():
    """Will the browser drop the session cookie this answer sets? It is marked Secure, and
    browsers keep a Secure cookie over plain HTTP only from localhost: sign-in and every
    form would then fail, for a reason nobody could guess from "the form has expired"."""
    host = (urlsplit("//" + request.host).hostname or "").lower()
    return (current_app.config.get("SESSION_COOKIE_SECURE") and request.scheme == "http"
            and host not in LOCAL_HOSTS and not host.endswith(".localhost"))


def plain_http_trial(environ=None):
    """Cookie settings for EQUALITY_PLAIN_HTTP_TRIAL=1: cookies without the Secure flag, so a
    trial may run over plain HTTP on a private network. Never in service: over plain HTTP
    anyone on the network can read the session cookie and the password as they pass."""
    environ = os.environ if environ is None else environ
    secure = (environ.get(PLAIN_HTTP_TRIAL) or "").strip().lower() not in ("1", "true", "yes", "on")
    return {"SESSION_COOKIE_SECURE": secure, "REMEMBER_COOKIE_SECURE": secure}


def _trust_proxies(app):
    """Behind N reverse proxies (PROXY_HOPS, or EQUALITY_PROXY_HOPS), take the client's
    address from the last N X-Forwarded-For entries, which those proxies wrote.

    Off by default: without a proxy anyone can send X-Forwarded-For, and believing
    it would let one client pose as many and slip past sign-in throttling.
    https://werkzeug.palletsprojects.com/en/stable/middleware/proxy_fix/
    """
    hops = int(app.config.get("PROXY_HOPS") or os.environ.get("EQUALITY_PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
