"""Committee progress reports: generated from approved content only (workflow.reports),
for the page (a draft report document) and the API (the report itself, not stored) alike.

Both doors check what they are given here, so the same bad period or date gets the
same refusal, under the same name, from each: `period`, `since` (the date from which
EqIAs are listed) and, for a draft, `meeting_date`.
"""
import datetime as dt

from services import lookup, period_service
from services.action_service import ACTIONS
from services.account_service import TRAINING, USERS
from services.document_service import DOCS
from services.meeting_service import MEETINGS
from services.partner_service import PARTNERS
from workflow import actions, cycle, partners, periods, policy, reports
from workflow import fields as f
from workflow.errors import Forbidden, Invalid
from workflow.strategy import STRATEGIC_2004

NOT_A_CHOICE = "Select one of the periods opened for reporting or reported on, or a plan period"
MAY_NOT_GENERATE = "Only the Head or a team leader of the Race & Diversity Unit can make progress reports."
PLAN_YEARS = 3  # the Corporate Equality Plan 2004 ran three years: 2004-05 to 2006-07


def period_choices(store):
    """Periods a report may cover: those opened, any approved progress reports on, and the
    plan periods (three financial years from the plan's adoption) that include one of them."""
    seen = reports.seen_by_board(store.scan(DOCS))
    codes = {p["code"] for p in period_service.list_periods(store)}
    codes |= {e["period"] for d in seen if d["kind"] == "objective"
              for e in d["fields"].get("progress") or [] if periods.parse(e.get("period"))}
    return sorted(codes | _plan_periods(codes), key=periods.sort_key)


def _plan_periods(codes):
    # The plan's first year is that of its adoption (May 2004: 2004-05); slice D's plan record
    # (its own period) is the better source once plans are kept.
    first = int(periods.containing(cycle.ADOPTED)[:4])
    years = {periods.parse(code)[0] for code in codes}
    starts = range(first, max(years, default=first) + 1, PLAN_YEARS)
    return {periods.span_code(start, start + PLAN_YEARS - 1) for start in starts
            if years & set(range(start, start + PLAN_YEARS))}


def _checked(store, period, eqias_since, meeting_date=None):
    """Invalid naming each of the inputs that is wrong; nothing if all are right."""
    errors = periods.check_reportable("period", period)
    if not errors and period not in period_choices(store):
        errors = {"period": NOT_A_CHOICE}
    for name, field, value in (("since", "eqias_since", eqias_since), ("meeting_date", "meeting_date", meeting_date)):
        if value and not f.is_date(value):
            errors[name] = f"Enter the {f.name(field)} as a real date, for example 2008-03-31"
    if errors:
        raise Invalid("The report cannot be made for these choices: correct what is shown.", errors)


def _build(store, period, eqias_since, author_line, as_of):
    # A store whose strategic objectives were never loaded still reports against the 2007 nine.
    strategic = period_service.list_strategic(store) or [{"number": n, "title": t} for n, t in STRATEGIC_2004]
    fields = reports.build_progress_report(
        reports.seen_by_board(store.scan(DOCS)), strategic, period, eqias_since or None,
        reports.training_figures(store.scan(USERS), as_of, store.scan(TRAINING)), as_of, author_line)
    fields["board_actions"] = actions.for_report(store.scan(ACTIONS), period)
    checks = partners.for_report(store.scan(PARTNERS), period, as_of.isoformat())
    if checks:
        fields["partner_checks"] = checks
    return reports.report_title(period), fields


def _as_at(period, meeting_date=None):
    """The day the report's figures are counted at: the period's end, or the meeting's date
    (or today) when that comes first, since nothing later is known yet."""
    known = dt.date.fromisoformat(meeting_date) if meeting_date else dt.date.today()
    return min(periods.bounds(period)[1], known)


def progress_report(store, user, period, eqias_since=None, author_line=None):
    """(title, fields) of the progress report for `period`, from approved content only, made
    now for someone who may write reports (everyone else reads the signed-off ones)."""
    if not reports.may_generate(user):
        raise Forbidden(MAY_NOT_GENERATE)
    _checked(store, period, eqias_since)
    return _build(store, period, eqias_since, author_line, _as_at(period))


def generate_draft(documents, user, period, eqias_since=None, author_line=None, meeting_date=None):
    """The progress report for `period` stored as a new draft report document, for the
    Unit to edit and send for sign-off; figures as at the period's end (or the meeting's date)."""
    if not reports.may_generate(user):
        raise Forbidden(MAY_NOT_GENERATE)
    _checked(documents.store, period, eqias_since, meeting_date)
    title, fields = _build(documents.store, period, eqias_since, author_line, _as_at(period, meeting_date))
    return documents.create(user, "report", title, reports.UNIT,
                            {**fields, **({"meeting_date": meeting_date} if meeting_date else {})})


def as_placed(store, shown):
    """The report's fields as shown: its agenda number and date are those of the meeting
    it is on, when it is on one (what was typed in the draft is kept otherwise)."""
    return {**shown["fields"], **reports.agenda_place(store.scan(MEETINGS), shown["id"])}


def visible_report(store, doc_id, user):
    """The stored report `doc_id` if `user` may see it, else None (nothing said about other ids)."""
    doc = lookup.by_id(store, DOCS, doc_id)
    return doc if doc and doc["kind"] == "report" and policy.view(doc, user) is not None else None
