"""The pages every footer links to, open to anyone: the accessibility statement (written from
web/accessibility_checks.py, the checks the tests run), the privacy notice and the contact page
(the details an administrator sets, services.settings_service.contact)."""
from flask import Blueprint, render_template

from services import settings_service
from web import accessibility_checks
from web.current import current_store

bp = Blueprint("about", __name__)


def _contact():
    return settings_service.contact(current_store())


@bp.route("/accessibility")
def accessibility():
    return render_template("about/accessibility.html", checks=accessibility_checks, contact=_contact())


@bp.route("/privacy")
def privacy():
    return render_template("about/privacy.html", contact=_contact())


@bp.route("/contact")
def contact():
    return render_template("about/contact.html", contact=_contact())
