"""What runs around every view, registered in one place: the request hooks in the order
they run, and every filter, global and value the templates are given.

The functions live beside what they serve (a page module's words with its pages); only
here are they attached to the app, so what a template can name and what a request
passes through before and after its view is read in one file.
"""
from flask import g, request

from web import fragments, json_depth, links, plain_text, security
from web.markdown import render_markdown
from web.pages import (
    account_pages,
    bulk_pages,
    document_pages,
    edit_pages,
    evidence_pages,
    home_pages,
    meeting_pages,
    notice_pages,
    plan_pages,
    progress_pages,
    report_pages,
    revision_pages,
    standard_pages,
    strategic_pages,
)
from web.security import EXEMPT_BLUEPRINTS, csrf
from workflow import compare, deputies, periods, policy

FILTERS = {
    "markdown": render_markdown,
    "input_id": document_pages.input_id,
    "when": document_pages.when,
    "role_words": account_pages.role_words,
    "field_words": compare.field_words,
    "edit_words": compare.edit_words,
    "period_label": periods.label,  # 2007/08, 2007/08 Q3, 2004 – 2007
    "deputy_words": deputies.signed_as,
}
GLOBALS = {
    "absolute_url": links.absolute,
    "kept": fragments.kept,
    "csrf_token": fragments.csrf_token,  # replaces CSRFProtect's: it refuses to be kept in a page part
    "evidence_document": standard_pages.evidence_document,
    "evidence_file": evidence_pages.evidence_file,
    "objective_links": progress_pages.objective_links,
    "strategic_choices": strategic_pages.strategic_choices,
    "sent_back_to": revision_pages.sent_back_to,
    "bulk_to_sign_off": bulk_pages.to_sign_off,
    "may_read_complaints": policy.may_read_complaints,
}
CONTEXT = (
    lambda: {"csrf_token": fragments.csrf_token},
    document_pages.words,
    standard_pages.words,
    meeting_pages.board_words,
    evidence_pages.upload_words,
    home_pages.my_work_count,
    account_pages.role_options,
    notice_pages.unread_count,
    notice_pages.reports_due,
)

# The shared new/edit document pages hand a report, a plan's review or succession over to its
# own pages: hooks of the editing blueprint alone (attached once, as it is made), so no other
# request, the API's above all, passes through them.
edit_pages.bp.before_request(report_pages.to_report_pages)
edit_pages.bp.before_request(plan_pages.to_plan_pages)


def register(app, store):
    """Before each view, in this order: the store pinned to one state (its catch-up started
    as the request arrives), the signing key read once the store answers, CSRFProtect's
    check, then bodies too deep or holding NUL refused. After it: any mail the request
    queued tried, then the security headers (Flask runs these last-registered first)."""
    _pin_store_per_request(app, store)
    _read_signing_key(app)
    _check_csrf(app)
    app.before_request(json_depth.refuse_deep_json)  # before any view parses a body
    app.before_request(plain_text.refuse_nul)
    app.after_request(security.headers)
    app.after_request(notice_pages.send_waiting_mail)
    _register_template_helpers(app)


def _read_signing_key(app):
    """Each request until the store first answers (the app itself, not Flask's `current_app`:
    each use of that proxy looks the app up anew, and this runs before every view)."""
    @app.before_request
    def read_signing_key():
        if not app.config["SECRET_KEY"]:
            app.extensions["secret_key"]()  # web/__init__.py: the store's key, once it answers


def _check_csrf(app):
    """CSRFProtect's check, asked only of the methods it checks and outside the blueprints
    exempted whole (web.security.exempt_blueprint: the API). Flask-WTF's hook finds a GET or
    an API call exempt last, after asking the request and the app for its endpoint, blueprint
    and view (each a lookup through Flask's proxies: 20,000 instructions an API read, 57,000
    a page, 35,000 an API write), when the method and the blueprint's name answer for most
    requests. Any other request goes through its hook whole, its own exemptions included."""
    before = list(app.before_request_funcs.get(None, ()))
    csrf.init_app(app)
    hooks = app.before_request_funcs[None]
    (position, flask_wtf_hook), = ((i, hook) for i, hook in enumerate(hooks) if hook not in before)

    def csrf_protect():
        asked = request._get_current_object()  # once: each use of Flask's `request` looks it up anew
        if asked.method in app.config["WTF_CSRF_METHODS"] and asked.blueprint not in EXEMPT_BLUEPRINTS:
            return flask_wtf_hook()  # the methods as CSRFProtect.protect reads them
        return None

    hooks[position] = csrf_protect


def _register_template_helpers(app):
    """After CSRFProtect.init_app, whose csrf_token global and context value these replace."""
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(GLOBALS)
    for values in CONTEXT:
        app.context_processor(values)


def _pin_store_per_request(app, store):
    """A request reads one state of the store: it catches up with other processes'
    commits at its first read instead of at every read (store.Store.pinned). That
    catch-up starts as the request arrives (store.Store.read_ahead)."""
    @app.before_request
    def pin():
        g.store_pin = store.pinned().__enter__()

    @app.teardown_request
    def unpin(_exc):
        pin = g.pop("store_pin", None)
        if pin is not None:
            pin.__exit__(None, None, None)

    serve = app.wsgi_app
    # A static file reads nothing of the store: no look sent for it, whose answer its end would
    # wait for (on PostgreSQL, a round trip and the server's work for each stylesheet and script).
    static = f"{app.static_url_path}/"

    def reading_ahead(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(static):
            return serve(environ, start_response)
        store.read_ahead()
        try:
            return serve(environ, start_response)
        finally:
            store.read_done()

    app.wsgi_app = reading_ahead
