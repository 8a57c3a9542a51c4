"""The API's published figures: the progress report, the Equality Standard, training."""
import datetime as dt

from flask import jsonify, request

from services import report_service, standard_service, training_service
from web.api import bp
from web.auth import api_user
from web.current import current_store
from web.report_formats import check_format, respond


@bp.get("/reports/progress")
def progress_report():
    """The progress report for ?period=, generated now from approved content only (not stored),
    for those who may write reports; everyone else reads the signed-off reports."""
    user = api_user()
    fmt = check_format(request.args.get("format") or "md")
    period = request.args.get("period") or ""
    title, fields = report_service.progress_report(current_store(), user, period, request.args.get("since"))
    return respond(fmt, title, fields, f"progress-report-{period.replace(' ', '-')}")


@bp.get("/standard")
def equality_standard():
    """The Equality Standard self-assessment: cells as the caller may see them, and the levels."""
    return jsonify(standard_service.overview(current_store(), api_user()))


@bp.get("/training/figures")
def training_figures():
    """How many staff and Board members are trained in EqIA (and in other courses) by ?as_of= (default today)."""
    as_of = request.args.get("as_of") or dt.date.today().isoformat()
    return jsonify(training_service.figures(current_store(), api_user(), as_of))
