"""CSRF protection, the security headers every answer carries, and which proxy to believe."""
import os

from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def init_security(app):
    _trust_proxies(app)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


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
