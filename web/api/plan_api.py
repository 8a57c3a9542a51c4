"""The API's equality plans: each plan's details, critical success factors, signed-off reviews
and reporting cycle (services.plan_service), read from approved documents only."""
import datetime as dt

from flask import jsonify

from services import notice_service, plan_service
from web.api import bp
from web.auth import api_user
from web.current import current_store
from workflow import plans


def _plan(plan):
    return {"key": plan.key, "title": plan.title, "period": plan.period, "first_year": plan.first_year,
            "last_year": plan.last_year, "adopted_by": plan.adopted_by, "adopted_on": plan.adopted_on.isoformat(),
            "factors": list(plan.factors), "supersedes": plan.supersedes, "successor": plan.successor,
            "ended_on": plan.ended_on.isoformat() if plan.ended_on else None}


def _review(doc):
    fields = doc["fields"]
    return {"id": doc["id"], "title": doc["title"], "due": fields.get("due"), "approved_at": doc.get("approved_at"),
            "assessments": fields.get("assessments") or [], "summary": fields.get("summary")}


@bp.get("/plans")
def list_plans():
    api_user()
    return jsonify({"items": [_plan(plan) for plan in plan_service.all_plans(current_store())]})


@bp.get("/plans/<key>")
def get_plan(key):
    """A plan with its signed-off reviews and its reporting cycle, marked from the reports the caller may see."""
    user, today = api_user(), dt.date.today()
    plan, _, seen = plan_service.plan(current_store(), key)
    items = plan_service.plan_cycle(current_store(), key, notice_service.reports_seen(current_store(), user), today)
    return jsonify({**_plan(plan), "reviews": [_review(doc) for doc in plans.reviews(plan, seen)],
                    "cycle": [{"key": item.key, "what": item.what, "audience": item.audience,
                               "due": item.due.isoformat(), "status": item.status} for item in items]})
