"""The monitoring dashboard and the overdue list. Thin: what the reader sees, the figures, the page."""
import datetime as dt

from flask import Blueprint, render_template, request
from flask_login import login_required

from services import period_service
from web import charts
from web.auth import page_user
from web.current import current_documents, current_store
from workflow import dashboard, deadlines, periods

bp = Blueprint("dashboard", __name__)


@bp.context_processor
def chart_words():
    return {"charts": charts, "GROUPINGS": dashboard.GROUPINGS, "STATUS_WORDS": dashboard.WORDS,
            "period_label": periods.label}


def _today():
    return dt.datetime.now(dt.timezone.utc).date()


def _seen():
    """What the signed-in reader sees of every document: the only input to any figure."""
    return current_documents().seen_by(page_user())


@bp.route("/dashboard")
@login_required
def index():
    store = current_store()
    seen = _seen()
    choices = dashboard.period_choices(seen, [record["code"] for record in period_service.list_periods(store)])
    wanted = (request.args.get("period") or "").strip()
    if wanted and wanted not in choices:
        reason = (f"{wanted[:40]} is not a reporting period with progress to show" if periods.parse(wanted)
                  else "The period " + periods.check("period", wanted)["period"])
        return render_template("dashboard/index.html", error=reason, choices=choices, period=None), 400
    period = wanted or (choices[-1] if choices else None)
    figures = {}
    if period:
        figures = {grouping: dashboard.distribution(seen, period, grouping) for grouping in dashboard.GROUPINGS}
    return render_template("dashboard/index.html", error=None, choices=choices, period=period, figures=figures,
                           totals=dashboard.totals, trend=dashboard.trend(seen, choices, period_service.list_strategic(store)),
                           overdue=dashboard.overdue_counts(deadlines.overdue(seen, _today())))


@bp.route("/overdue")
@login_required
def overdue():
    teams = deadlines.by_team(deadlines.overdue(_seen(), _today()))
    return render_template("dashboard/overdue.html", teams=teams, today=_today().isoformat())
