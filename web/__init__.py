"""The Flask application factory."""
import datetime as dt
import os

from flask import Flask
from werkzeug.routing import IntegerConverter

from services import account_service, outbox_service
from services.document_service import Documents
from services.meeting_service import Meetings
from services.notice_service import Notifier
from services.storage import open_app_store, signing_key
from web import auth, error_answers, fragments, health, hooks, links
from web.api import bp as api_bp
from web.current import mail_queued
from web.json_answers import JSONAnswers
from web.pages import (
    about_pages,
    bulk_pages,
    account_pages,
    action_pages,
    admin_pages,
    audit_pages,
    citation_pages,
    complaint_pages,
    consultation_pages,
    dashboard_pages,
    deputy_pages,
    document_pages,
    edit_pages,
    evidence_pages,
    guide_pages,
    harassment_pages,
    home_pages,
    import_pages,
    meeting_pages,
    monitoring_pages,
    notice_pages,
    oidc_pages,
    partner_pages,
    plan_pages,
    progress_pages,
    public_pages,
    publication_pages,
    report_pages,
    revision_pages,
    role_change_pages,
    sign_in_pages,
    standard_pages,
    strategic_pages,
    team_entry_pages,
    team_pages,
    training_pages,
)
from web.security import init_security, plain_http_trial
from web.templating import PageEnvironment
from workflow import numbers

DEFAULT_STORE = "instance"
MAX_BODY = 2 * 1024 * 1024


def create_app(test_config=None):
    """Build the app on the store named by config STORE (default ./instance, TinyDB)."""
    app = App(__name__, template_folder="../templates", static_folder="../static")
    app.url_map.converters["int"] = WholeNumber  # before any rule is added
    app.jinja_environment = PageEnvironment
    app.config.from_mapping(
        STORE=os.environ.get("EQUALITY_STORE", DEFAULT_STORE),
        BASE_URL=os.environ.get(links.ENV),
        MAX_CONTENT_LENGTH=MAX_BODY,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        **plain_http_trial(),  # SESSION_COOKIE_SECURE and REMEMBER_COOKIE_SECURE: on, except for a trial
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_LIFETIME=dt.timedelta(hours=10),  # a working day, then sign in again
    )
    if test_config:
        app.config.update(test_config)
    app.config["BASE_URL"] = links.checked(app.config["BASE_URL"])
    store = open_app_store(app.config["STORE"])
    app.extensions["store"] = store
    account_service.prepare_sign_in()  # made once here, not at import: see account_service._dummy_hash
    app.extensions["smtp"] = smtp = outbox_service.settings(app.config)
    app.extensions["documents"] = Documents(store, notify=Notifier(store, smtp, app.config["BASE_URL"], mail_queued))
    app.extensions["meetings"] = Meetings(store, app.extensions["documents"])
    app.config.setdefault("SECRET_KEY", None)
    _share_secret_key(app, store)
    fragments.init_app(app)
    hooks.register(app, store)  # every request hook and template helper, in order
    auth.init_app(app)
    init_security(app)
    error_answers.init_app(app)
    app.register_blueprint(sign_in_pages.bp)
    app.register_blueprint(oidc_pages.bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(home_pages.bp)
    app.register_blueprint(document_pages.bp)
    app.register_blueprint(edit_pages.bp)
    app.register_blueprint(revision_pages.bp)
    app.register_blueprint(guide_pages.bp)
    app.register_blueprint(account_pages.bp)
    app.register_blueprint(admin_pages.bp)
    app.register_blueprint(team_pages.bp)
    app.register_blueprint(harassment_pages.bp)
    app.register_blueprint(partner_pages.bp)
    app.register_blueprint(dashboard_pages.bp)
    app.register_blueprint(progress_pages.bp)
    app.register_blueprint(team_entry_pages.bp)
    app.register_blueprint(strategic_pages.bp)
    app.register_blueprint(report_pages.bp)
    app.register_blueprint(plan_pages.bp)
    app.register_blueprint(notice_pages.bp)
    app.register_blueprint(meeting_pages.bp)
    app.register_blueprint(publication_pages.bp)
    app.register_blueprint(action_pages.bp)
    app.register_blueprint(public_pages.bp)
    app.register_blueprint(standard_pages.bp)
    app.register_blueprint(training_pages.bp)
    app.register_blueprint(evidence_pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(role_change_pages.bp)
    app.register_blueprint(deputy_pages.bp)
    app.register_blueprint(audit_pages.bp)
    app.register_blueprint(about_pages.bp)
    app.register_blueprint(bulk_pages.bp)
    app.register_blueprint(import_pages.bp)
    app.register_blueprint(monitoring_pages.bp)
    app.register_blueprint(complaint_pages.bp)
    app.register_blueprint(consultation_pages.bp)
    app.register_blueprint(citation_pages.bp)
    return app


class App(Flask):
    """Flask, keeping what `ensure_sync` makes of each function: Flask asks it of every hook and
    view at every request (ten an API call, each through inspect), and what a function is cannot
    change. A callable that cannot be a key (unhashable) is asked each time, as Flask does."""

    MOST_KEPT = 1024  # far more than the app's hooks, views and handlers; a caller of new functions stops here
    json_provider_class = JSONAnswers

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync = {}

    def ensure_sync(self, func):
        try:
            return self._sync[func]
        except KeyError:
            made = super().ensure_sync(func)
            if len(self._sync) < self.MOST_KEPT:
                self._sync[func] = made
            return made
        except TypeError:
            return super().ensure_sync(func)


class WholeNumber(IntegerConverter):
    """`<int:...>` in a path, read by workflow.numbers: Werkzeug's own matches any script's
    digits (`/strategic/٣` would be objective 3); here only ASCII digits, within bounds."""

    regex = r"[0-9]{1,18}"

    def to_python(self, value):
        return numbers.whole(value)



def _share_secret_key(app, store):
    """The store's signing key, read when the store first answers rather than at start:
    a worker starts whatever the database is doing. Until then sessions open empty and
    each request asks again, before anything (CSRF) needs the key; a store that does not
    answer refuses the request (503, web/error_answers.py)."""
    if app.config["SECRET_KEY"]:
        return

    def read():
        app.config["SECRET_KEY"] = signing_key(store)

    app.extensions["secret_key"] = read  # web/security.py tries it as a session opens, web/hooks.py each request

