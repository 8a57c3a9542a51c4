"""The services of the application handling this request (built once in web/__init__.py)."""
from flask import current_app, g, has_request_context


def current_store():
    return current_app.extensions["store"]


def current_documents():
    return current_app.extensions["documents"]


def current_meetings():
    return current_app.extensions["meetings"]


def mail_settings():
    """(SMTP settings, the site's configured base URL or None), for a service that may queue
    mail: whatever it queues is tried once the request is answered."""
    mail_queued()
    return current_app.extensions["smtp"], current_app.config["BASE_URL"]


def mail_queued():
    """A committed change queued mail: web/pages/notice_pages.py tries it once the request is answered."""
    if has_request_context():
        g.outbox_waiting = True
