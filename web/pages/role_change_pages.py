"""The Role changes page: the proposals awaiting a decision under the two-person rule, and
confirming or declining one (services.role_change_service holds the rule)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import role_change_service
from web import links
from web.auth import acting, page_user
from web.current import current_store, mail_settings
from workflow.errors import Invalid, StateConflict

bp = Blueprint("powers", __name__)


@bp.route("/role-changes")
@login_required
def index():
    waiting, decidable = role_change_service.waiting(current_store(), page_user())
    return render_template("powers/index.html", proposals=waiting, decidable=decidable)


@bp.route("/role-changes/<key>", methods=["POST"])
@login_required
def decide_page(key):
    try:
        decided, secret = role_change_service.decide(current_store(), page_user(), acting(), key,
                                                     request.form.get("decision"), *mail_settings())
    except Invalid as exc:
        flash(exc.reason)
        return redirect(url_for(".index"))
    except StateConflict as exc:
        flash(f"Nothing was changed: {exc.reason}.")
        return redirect(url_for(".index"))
    if secret:
        return render_template("powers/link_given.html", proposal=decided,
                               link=links.absolute("auth.set_password", secret=secret))
    flash(f"You {decided['status']} the proposal to {role_change_service.sentence(decided)}.")
    return redirect(url_for(".index"))
