"""The API's published figures: the progress report, the Equality Standard, training."""
import datetime as dt

from flask import jsonify, request

from web.api import bp
from web.auth import api_user
from web.current import current_store
from web.pages import report_pages, standard_pages, training_pages
from workflow.errors import Invalid


@bp.get("/reports/progress")
def progress_report():
    """The progress report for ?period=, generated now from approved content only (not stored)."""
    api_user()
    fmt = request.args.get("format") or "md"
    if fmt not in report_pages.FORMATS:
        raise Invalid("unknown format", {"format": "must be one of " + ", ".join(report_pages.FORMATS)})
    period = request.args.get("period") or ""
    title, fields = report_pages.generate(current_store(), period, request.args.get("since"))
    return report_pages.respond(fmt, title, fields, f"progress-report-{period.replace(' ', '-')}")


@bp.get("/standard")
def equality_standard():
    """The Equality Standard self-assessment: cells as the caller may see them, and the levels."""
    return jsonify(standard_pages.overview(current_store(), api_user()))


@bp.get("/training/figures")
def training_figures():
    """How many staff and Board members are trained in EqIA (and in other courses) by ?as_of= (default today)."""
    as_of = request.args.get("as_of") or dt.date.today().isoformat()
    return jsonify(training_pages.figures(current_store(), api_user(), as_of))
