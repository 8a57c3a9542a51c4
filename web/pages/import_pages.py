"""The plan's imports, for the Head and administrators: each run of `import-plan` with the
notes it printed, and the objectives those notes concern. Thin: call, render."""
from flask import Blueprint, render_template
from flask_login import login_required

from services import import_service
from web.auth import page_user
from web.current import current_store

bp = Blueprint("imports", __name__)


@bp.route("/imports")
@login_required
def index():
    runs, noted = import_service.imports(current_store(), page_user())
    return render_template("imports/index.html", runs=runs, noted=noted)
