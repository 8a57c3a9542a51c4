"""The Equality Standard for Local Government: five levels across four areas.

The CEP 2004 names them ("There are five achievement levels ... At each of
these five levels, there are four substantive areas"). Each of the 20 cells is
a `standard_cell` document; this module derives the levels from them.

The level achieved counts signed-off content only (a cell's `published`
revision): a draft claim, or a new revision in progress, never moves it. A
cell counts when its approved self-assessment is "met" with evidence; the
externally verified level is derived the same way, from cells an external
assessor has also verified — the two are kept apart because the 2007 report
shows them apart ("notionally achieved levels 1 & 2" by self-assessment, while
"formal assessment at level 3 will not occur until early – mid 2008").
"""
from workflow import fields as f

LEVELS = {
    1: "Commitment to a comprehensive equality policy",
    2: "Assessment and consultation",
    3: "Setting the equality objectives and targets",
    4: "Information systems and monitoring against targets",
    5: "Achieving and reviewing outcomes",
}
AREAS = {
    "leadership": "Leadership and Corporate Commitment",
    "consultation": "Consultation, Community Development and Scrutiny",
    "service": "Service Delivery and Customer Care",
    "employment": "Employment and Training",
}
SELF_ASSESSED = {"not_started": "Not started", "in_progress": "In progress", "met": "Met"}
VERIFICATION = {"not_verified": "Not verified", "verified": "Verified", "not_met": "Not met on verification"}

# The 2007 report, para 41: "DIALOG has indicated that the cost of external
# assessment of the ESLG is £7000.00 per level." CEP 2004: "achieving Level 5 by December 2005".
DEFAULT_SETTINGS = {"target_level": 5, "target_date": "2005-12-31", "cost_per_level": 7000}
MAX_COST = 1_000_000

# Where the seeds say what a cell requires; other cells get their level and area in words.
SEED_REQUIREMENTS = {
    (1, "leadership"): "Commit ourselves to promoting equality of opportunity; eliminating unlawful "
                       "discrimination and valuing diversity in everything we do (CEP 2004: a Level 1 "
                       "Equality Standard requirement, led by the MPA Chair, MPA Clerk and Chair of EODB).",
    (3, "leadership"): "The identification of a corporate group at senior and middle management to ensure "
                       "and drive through the changes required (2007 report, para 35).",
    (3, "employment"): "Evidence of setting and monitoring personal and business objectives; the carrying "
                       "out of an Equal Pay Audit (2007 report, para 35).",
}


def requirements(level, area):
    """The requirement text a new cell starts with."""
    return SEED_REQUIREMENTS.get((level, area)) or (
        f"Level {level} ({LEVELS[level].lower()}) in {AREAS[area]}: say what the Standard requires here.")


def position(fields):
    """(level, area) of a cell's fields, or None where either is missing."""
    level, area = fields.get("level"), fields.get("area")
    return (level, area) if level in LEVELS and area in AREAS else None


def has_evidence(fields):
    return not f.blank(fields.get("evidence"))


def meets(fields):
    """A cell counts as met by self-assessment: claimed met, with evidence."""
    return fields.get("self_assessed") == "met" and has_evidence(fields)


def verified(fields):
    """Met by self-assessment and confirmed by the external assessor."""
    return meets(fields) and (fields.get("verification") or {}).get("status") == "verified"


def approved_fields(doc):
    """The signed-off fields of a stored cell, or None if no revision was approved."""
    published = doc.get("published")
    return published["fields"] if published else None


def _level_by(docs, test):
    """The highest level L such that every area's cell meets `test` at every level up to L."""
    satisfied = set()
    for doc in docs:
        fields = approved_fields(doc)
        if fields and position(fields) and test(fields):
            satisfied.add(position(fields))
    reached = 0
    for level in LEVELS:
        if not all((level, area) in satisfied for area in AREAS):
            break
        reached = level
    return reached


def level_achieved(docs):
    """The level achieved by approved self-assessment (0: none yet)."""
    return _level_by(docs, meets)


def verified_level(docs):
    """The level confirmed by external verification (0: none yet)."""
    return _level_by(docs, verified)


def matrix(cells):
    """{level: {area: [cells]}}: `cells` are mappings with a level and an area (a
    cell's fields, or a summary of one), kept in the order given. A position
    normally holds one cell; a second filed there is shown, not hidden."""
    grid = {level: {area: [] for area in AREAS} for level in LEVELS}
    for cell in cells:
        where = position(cell)
        if where:
            grid[where[0]][where[1]].append(cell)
    return grid


def missing_positions(docs):
    """(level, area) positions no stored cell takes yet, in matrix order."""
    taken = {position(doc["fields"]) for doc in docs}
    return [(level, area) for level in LEVELS for area in AREAS if (level, area) not in taken]


def check_settings(settings):
    """{name: message} for what is wrong with the target and the cost per level."""
    errors = {}
    if settings.get("target_level") not in LEVELS:
        errors["target_level"] = "Select the target level, from 1 to 5"
    if not f.is_date(settings.get("target_date")):
        errors["target_date"] = "Enter the target date as a real date, for example 2008-03-31"
    cost = settings.get("cost_per_level")
    if isinstance(cost, bool) or not isinstance(cost, int) or not 0 <= cost <= MAX_COST:
        errors["cost_per_level"] = f"Enter the cost per level as a whole number of pounds from 0 to {MAX_COST:,}"
    return errors


def assessment_cost(settings, verified_to):
    """The cost of external assessment still to pay to reach the target: a level a time."""
    return max(0, settings["target_level"] - verified_to) * settings["cost_per_level"]
