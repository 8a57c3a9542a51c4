"""Teams and their equality coordinators: the contact list (services.team_service)."""
from flask import Blueprint, render_template
from flask_login import login_required

from services import team_service
from web.current import current_store

bp = Blueprint("teams", __name__)


@bp.route("/teams")
@login_required
def index():
    """The contact list, read-only, for every signed-in person."""
    return render_template("account/teams.html", teams=team_service.contact_list(current_store()))
