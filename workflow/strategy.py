"""Key strategic objectives (the 2007 report's numbered Objectives 1..9) and how
the statuses of the objectives grouped under one roll up into its status."""
from workflow import fields, periods
from workflow.errors import Invalid
from workflow.kinds.objective import STATUSES, progress_for

# As numbered in Report 13 to the EODB, 6 December 2007.
STRATEGIC_2004 = (
    (1, "To achieve progress against all arrangements outlined in the Race Equality Scheme and to "
        "review and update the publication by May 2005."),
    (2, "To achieve and monitor the recommendations in the Best Value of Equalities Service Improvement Plan."),
    (3, "To overview and monitor the equalities budget spend and performance of the MPA & MPS by the "
        "Equalities Budget and Performance Monitoring Board."),
    (4, "To monitor closely all aspects of the Internal Audit report on diversity & the progress against "
        "each recommendation."),
    (5, "To achieve Level 5 of the Equalities Standard for Local Government (ESLG) by 2005."),
    (6, "To monitor the MPS performance and practices as set out in the Diversity Strategy, and the "
        "supporting action plans, including the local diversity plans."),
    (7, "To work in partnership with the MPS and GLA to promote women's safety."),
    (8, "To oversee the implementation of the Stop and Search Scrutiny recommendations and the proposed MPS "
        "implementation of Recommendation 61 of the Stephen Lawrence Inquiry Report."),
    (9, "To ensure that the MPA's internal equalities practices and performance are fully compliant with "
        "legislative requirements and good practice."),
)



def reported_periods(objectives):
    """Every period some of `objectives` has progress for, oldest first."""
    codes = {e["period"] for doc in objectives for e in doc["fields"].get("progress") or []
             if periods.parse(e.get("period"))}
    return sorted(codes, key=periods.sort_key)


def check_strategic(number, title):
    """Refuse a strategic objective whose number is not 1..99 or whose title is not one line of text."""
    errors = {}
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 99:
        errors["number"] = "Enter the number of the strategic objective as a whole number from 1 to 99"
    errors.update(fields.one_line("title", title, 500))
    if errors:
        raise Invalid("Correct the strategic objective's details shown.", errors)


_RANK = {status: rank for rank, status in enumerate(STATUSES)}  # red first: the worst


def roll_up(statuses):
    """A group's status is its weakest member's: one red objective makes the group red.

    Returns (status or None, {status: count}) over the statuses given (None ignored).
    """
    counts = {status: 0 for status in STATUSES}
    for status in statuses:
        if status in counts:
            counts[status] += 1
    known = [status for status in STATUSES if counts[status]]
    return (min(known, key=_RANK.get) if known else None), counts


def group(objectives, period):
    """The objectives (as seen) each with its entry for `period`, and their roll-up."""
    rows = [(shown, progress_for(shown["fields"], period) if period else None) for shown in objectives]
    status, counts = roll_up(entry.get("status") for _, entry in rows if entry)
    unreported = sum(1 for _, entry in rows if not (entry and entry.get("status")))
    return {"rows": rows, "status": status, "counts": counts, "unreported": unreported}
