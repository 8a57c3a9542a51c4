"""What a monitoring dataset's counts mean: each group's share, the rate between stages of a
pipeline (applicants -> shortlisted -> appointed), the relative rate of each group against the
most favoured one, and a flag where it falls below the four-fifths threshold.

Pure: rows in, tables out. A row whose `count` is None is a suppressed count (workflow.suppression):
nothing is computed from it, so a published rate never rests on a hidden number.
"""
import hashlib
import re
from dataclasses import dataclass
from fractions import Fraction

from workflow import periods, strands

FLAG_RATIO = 0.8  # the "four-fifths" rule of thumb for adverse impact; the Head may set another

NOT_DISCLOSED = ("Prefer not to say", "Not known")

# 2021 Census, England and Wales: the 5 broad ethnic groups, then the 19 categories within them.
ETHNIC_BROAD = ("Asian, Asian British or Asian Welsh", "Black, Black British, Black Welsh, Caribbean or African",
                "Mixed or Multiple ethnic groups", "White", "Other ethnic group")
ETHNIC_CATEGORIES = (
    "Bangladeshi", "Chinese", "Indian", "Pakistani", "Other Asian",
    "African", "Caribbean", "Other Black",
    "White and Asian", "White and Black African", "White and Black Caribbean", "Other Mixed or Multiple",
    "English, Welsh, Scottish, Northern Irish or British", "Irish", "Gypsy or Irish Traveller", "Roma",
    "Other White",
    "Arab", "Any other ethnic group")

_KNOWN_GROUPS = {
    "race": ETHNIC_CATEGORIES + ETHNIC_BROAD,
    "gender": ("Female", "Male", "Non-binary", "Another gender"),
    "sex": ("Female", "Male"),
    "disability": ("Disabled", "Not disabled"),
    "age": ("Under 16", "16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 and over"),
    "sexual_orientation": ("Straight or heterosexual", "Gay or lesbian", "Bisexual", "Another sexual orientation"),
    "religion_belief": ("No religion", "Buddhist", "Christian", "Hindu", "Jewish", "Muslim", "Sikh",
                        "Another religion or belief"),
    # 2021 Census questions on gender identity and legal partnership status
    "gender_reassignment": ("Gender identity the same as sex registered at birth",
                            "Gender identity different from sex registered at birth"),
    "marriage_civil_partnership": ("Never married or in a civil partnership", "Married", "In a civil partnership",
                                   "Separated", "Divorced or civil partnership dissolved",
                                   "Widowed or surviving civil partner"),
    "pregnancy_maternity": ("Pregnant or on maternity leave", "Not pregnant or on maternity leave"),
}
GROUPS = {strand: groups + NOT_DISCLOSED for strand, groups in _KNOWN_GROUPS.items()}

MEASURES = ("Staff in post", "Applicants", "Shortlisted", "Appointed", "Training applied for",
            "Training received", "Promotions", "Grievances", "Disciplinary cases", "Appraisal outcomes",
            "Leavers", "Complaints received", "Stop and search")

# Pipelines: each measure after the first is a stage reached from the one before it.
STAGES = (("Applicants", "Shortlisted", "Appointed"),
          ("Training applied for", "Training received"),
          ("Staff in post", "Promotions"))
FOLLOWS = {later: earlier for stages in STAGES for earlier, later in zip(stages, stages[1:])}


def _key(name):
    return " ".join(name.split()).casefold()


_MEASURE_BY_KEY = {_key(m): m for m in MEASURES}
_GROUP_BY_KEY = {strand: {_key(g): g for g in groups} for strand, groups in GROUPS.items()}


def canonical_measure(name):
    """A known measure in its house spelling, whatever its case; any other name is the authority's own."""
    return _MEASURE_BY_KEY.get(_key(name), name.strip())


def canonical_group(strand, name):
    """A known group of the strand in its house spelling; any other name is the authority's own."""
    return _GROUP_BY_KEY.get(strand, {}).get(_key(name), name.strip())


@dataclass(frozen=True)
class Figure:
    group: str
    count: object           # int, or None where suppressed
    share: object = None    # of the table's total: float or None
    stage_rate: object = None     # count / the same group's count at the stage before
    relative_rate: object = None  # stage_rate / the most favoured group's stage_rate
    flagged: bool = False

    @property
    def suppressed(self):
        return self.count is None


@dataclass(frozen=True)
class Table:
    measure: str
    period: str
    strand: str
    total: object      # published total, or the sum of the counts; None when it cannot be known
    follows: object    # the measure of the stage before, or None
    figures: tuple

    def figure(self, group):
        return next((f for f in self.figures if f.group == group), None)


def tables_of(shown, flag_ratio=FLAG_RATIO):
    """The analysed tables of a dataset as its reader sees it (`shown`: policy.view, so its rows
    and, where counts are suppressed, the published totals)."""
    fields = shown["fields"] or {}
    return analyse(fields.get("rows") or [], fields.get("totals"), flag_ratio)


def analyse(rows, totals=None, flag_ratio=FLAG_RATIO):
    """One Table per (measure, period, strand), in the order people read them."""
    counts = {}
    for row in rows:
        table = counts.setdefault((row["measure"], row["period"], row["strand"]), {})
        table[row["group"]] = row["count"]
    published = {(t["measure"], t["period"], t["strand"]): t["count"] for t in totals or ()}
    tables = [_table(key, counts, published.get(key), flag_ratio) for key in counts]
    return sorted(tables, key=_reading_order(rows))


def _table(key, counts, published_total, flag_ratio):
    measure, period, strand = key
    groups = counts[key]
    total = published_total if published_total is not None else _sum(groups.values())
    earlier = FOLLOWS.get(measure)
    before = counts.get((earlier, period, strand)) if earlier else None
    rates = {g: _rate(n, before.get(g)) for g, n in groups.items()} if before else {}
    best = max((r for g, r in rates.items() if r is not None and g not in NOT_DISCLOSED), default=None)
    threshold = Fraction(str(flag_ratio))  # exact, so a rate of exactly four-fifths is not flagged
    figures = []
    for group, n in groups.items():
        relative = _rate(rates.get(group), best) if group not in NOT_DISCLOSED else None
        figures.append(Figure(group, n, _float(_rate(n, total)), _float(rates.get(group)), _float(relative),
                              relative is not None and relative < threshold))
    order = _group_order(strand, groups)
    return Table(measure, period, strand, total, earlier if before else None,
                 tuple(sorted(figures, key=lambda f: order[f.group])))


def _sum(values):
    """The table's total, unknown once any count is suppressed."""
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def _rate(part, whole):
    """Exact; undefined where either is suppressed or nothing is there to divide by
    (no group got through at all: no group is favoured)."""
    return None if part is None or not whole else Fraction(part) / whole


def _float(value):
    return None if value is None else float(value)


def _group_order(strand, groups):
    known = GROUPS.get(strand, ())
    own = [g for g in groups if g not in known]
    listed = [g for g in known if g not in NOT_DISCLOSED] + own + list(NOT_DISCLOSED)
    return {g: i for i, g in enumerate(listed)}


def _reading_order(rows):
    """Known measures in pipeline order, the authority's own after them; periods in time; strands as listed."""
    first_seen = {}
    for row in rows:
        first_seen.setdefault(row["measure"], len(first_seen))

    def key(table):
        measure_rank = (MEASURES.index(table.measure) if table.measure in MEASURES
                        else len(MEASURES) + first_seen[table.measure])
        strand_rank = strands.ALL.index(table.strand) if table.strand in strands.ALL else len(strands.ALL)
        return measure_rank, periods.sort_key(table.period), strand_rank
    return key


def find(tables, figure):
    """The analysed figure a citation {"measure", "period", "strand", "group"} addresses, or None."""
    for table in tables:
        if (table.measure, table.period, table.strand) == (figure["measure"], figure["period"], figure["strand"]):
            return table.figure(figure["group"])
    return None


def anchor(figure):
    """The id of a figure on its dataset's page: readable, and unique even where two names slug alike."""
    parts = (figure["measure"], figure["period"], figure["strand"], figure["group"])
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")[:60]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:8]
    return f"figure-{slug}-{digest}"


@dataclass(frozen=True)
class Trend:
    measure: str
    strand: str
    periods: tuple
    series: tuple  # (group, (its Figure, or None where not counted, per period)), in their tables' order


def trends(tables):
    """Each measure and strand counted in more than one period: its groups' figures across the periods."""
    by_measure = {}
    for table in tables:  # already in time order within a measure and strand
        by_measure.setdefault((table.measure, table.strand), []).append(table)
    found = []
    for (measure, strand), over_time in by_measure.items():
        if len(over_time) < 2:
            continue
        groups = list(dict.fromkeys(f.group for table in over_time for f in table.figures))
        series = tuple((g, tuple(t.figure(g) for t in over_time)) for g in groups)
        found.append(Trend(measure, strand, tuple(t.period for t in over_time), series))
    return found
