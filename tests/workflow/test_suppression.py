"""Small counts are published so that nobody can be identified: hand-worked tables, and a
property test that attacks each published table by solving for every withheld count."""
import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from workflow import suppression
from workflow.suppression import suppress

PERIODS = ("2006-07", "2007-08")
STRANDS = ("race", "gender", "disability")


def table(counts, strand="race", measure="Applicants", period="2006-07"):
    return [{"measure": measure, "period": period, "strand": strand, "group": f"Group {i}", "count": count}
            for i, count in enumerate(counts)]


def published_counts(rows, threshold=5):
    shown, totals = suppress(rows, threshold)
    return [row["count"] for row in shown], [total["count"] for total in totals]


def test_a_count_below_the_threshold_and_the_next_smallest_are_withheld_and_the_total_given():
    assert published_counts(table([20, 3, 10, 40])) == ([20, None, None, 40], [73])


def test_zero_counts_are_withheld_and_more_until_the_withheld_ones_reach_the_threshold():
    # 0 + 0 tells nothing alone, but with the total it gives both away: the 9 goes too.
    assert published_counts(table([0, 30, 0, 9])) == ([None, 30, None, None], [39])


def test_a_table_whose_counts_are_all_small_publishes_none_of_them():
    assert published_counts(table([4, 4, 4])) == ([None, None, None], [12])


def test_a_total_below_the_threshold_is_withheld_too():
    assert published_counts(table([3])) == ([None], [None])
    assert published_counts(table([1, 2])) == ([None, None], [None])


def test_a_table_with_nothing_small_is_published_whole_without_a_total():
    assert published_counts(table([5, 12, 30])) == ([5, 12, 30], [])


def test_the_threshold_is_the_one_given():
    assert published_counts(table([9, 12, 30]), threshold=10) == ([None, None, 30], [51])
    assert published_counts(table([1, 12, 30]), threshold=1) == ([1, 12, 30], [])


def test_each_table_is_suppressed_on_its_own():
    rows = table([20, 2, 30]) + table([20, 30], strand="gender") + table([7, 8], period="2007-08")
    shown, totals = suppress(rows)
    assert [row["count"] for row in shown] == [None, None, 30, 20, 30, 7, 8]
    assert totals == [{"measure": "Applicants", "period": "2006-07", "strand": "race", "count": 52}]


def test_redacted_fields_keep_the_rest_and_add_the_totals():
    fields = {"description": "Recruitment", "strand_set": "cep2004", "rows": table([2, 30, 9])}
    seen = suppression.redacted(fields, 5)
    assert seen["description"] == "Recruitment" and seen["strand_set"] == "cep2004"
    assert [row["count"] for row in seen["rows"]] == [None, 30, None]
    assert seen["totals"] == [{"measure": "Applicants", "period": "2006-07", "strand": "race", "count": 41}]
    assert [row["count"] for row in fields["rows"]] == [2, 30, 9]  # the stored fields are untouched


# --- The attack: every published equation, solved exactly -----------------------------------------

def _equations(rows, shown, totals, totals_agree):
    """What a reader knows, as linear equations over the unknowns (each withheld count, and each
    population total not published): each table's counts sum to its total; where the same people
    are counted in every strand, every strand's table of a (measure, period) has the same total."""
    published_total = {suppression.table_of(t): t["count"] for t in totals}
    equations, unknowns = [], {}
    for i, (row, seen) in enumerate(zip(rows, shown)):
        if seen["count"] is None:
            unknowns[("cell", i)] = row["count"]
    tables = {}
    for i, row in enumerate(rows):
        tables.setdefault(suppression.table_of(row), []).append(i)
    for key, positions in tables.items():
        population = ("total", key[:2]) if totals_agree else ("total", key)
        true_total = sum(rows[i]["count"] for i in positions)
        known = published_total.get(key)
        coefficients, constant = {}, 0
        for i in positions:
            if shown[i]["count"] is None:
                coefficients[("cell", i)] = 1
            else:
                constant += shown[i]["count"]
        # The total is an unknown too, known where published or from another table's equation.
        unknowns[population] = true_total
        equations.append(({**coefficients, population: -1}, -constant))
        if known is not None:
            equations.append(({population: 1}, known))
    return equations, unknowns


def _null_space(equations, names):
    """A basis of the integer directions in which every equation still holds (exact: Fractions)."""
    rows = [[Fraction(coefficients.get(name, 0)) for name in names] for coefficients, _ in equations]
    pivots, r = [], 0
    for c in range(len(names)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [value / rows[r][c] for value in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                rows[i] = [a - rows[i][c] * b for a, b in zip(rows[i], rows[r])]
        pivots.append(c)
        r += 1
    basis = []
    for free in (c for c in range(len(names)) if c not in pivots):
        direction = [Fraction(0)] * len(names)
        direction[free] = Fraction(1)
        for row_index, c in enumerate(pivots):
            direction[c] = -rows[row_index][free]
        scale = math.lcm(*(value.denominator for value in direction))
        basis.append([int(value * scale) for value in direction])
    return basis


def worked_out(rows, shown, totals, totals_agree):
    """The withheld counts a reader can work out exactly: those for which no other non-negative
    whole-number solution of every published equation exists among the moves tried (each null-space
    direction and each sum or difference of two, both ways). A count passes only with such a second
    solution in hand, checked against every equation, so the check can fail but never wrongly pass."""
    equations, unknowns = _equations(rows, shown, totals, totals_agree)
    names = list(unknowns)
    truth = [unknowns[name] for name in names]
    basis = _null_space(equations, names)
    moves = basis + [[a + b for a, b in zip(d, e)] for d in basis for e in basis] + \
        [[a - b for a, b in zip(d, e)] for d in basis for e in basis]

    def solves(values):
        return all(v >= 0 for v in values) and all(
            sum(c * values[names.index(n)] for n, c in coefficients.items()) == rhs for coefficients, rhs in equations)

    assert solves(truth)
    found = []
    for k, name in enumerate(names):
        if name[0] != "cell":
            continue
        if not any(move[k] and solves([t + sign * m for t, m in zip(truth, move)])
                   for move in moves for sign in (1, -1)):
            found.append(rows[name[1]])
    return found


def test_the_attack_works_out_a_count_that_only_primary_suppression_would_leave_open():
    rows = table([20, 3, 10, 40])
    naive = [{**row, "count": None if row["count"] < 5 else row["count"]} for row in rows]
    totals = [{"measure": "Applicants", "period": "2006-07", "strand": "race", "count": 73}]
    assert worked_out(rows, naive, totals, True) == [rows[1]]


def test_the_attack_works_out_a_total_published_in_one_strand_used_in_another():
    # The gender table publishes everything; its total gives away the race table's only withheld count.
    rows = table([20, 3, 40]) + table([30, 33], strand="gender")
    shown = [{**row, "count": None if row["count"] == 3 else row["count"]} for row in rows]
    assert worked_out(rows, shown, [], True) == [rows[1]]


@st.composite
def datasets(draw):
    """Tables of small counts: for each (measure, period) one population counted by each of a
    few strands (totals agree) — or, if drawn so, each strand's table its own population."""
    totals_agree = draw(st.booleans())
    rows = []
    for measure in ("Applicants", "Appointed")[:draw(st.integers(1, 2))]:
        for period in PERIODS[:draw(st.integers(1, 2))]:
            population = draw(st.integers(0, 40))
            for strand in draw(st.lists(st.sampled_from(STRANDS), min_size=1, max_size=3, unique=True)):
                total = population if totals_agree else draw(st.integers(0, 40))
                cuts = sorted(draw(st.lists(st.integers(0, total), max_size=5)))
                counts = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
                rows += table(counts, strand, measure, period)
    return rows, totals_agree


@settings(max_examples=300, deadline=None)
@given(datasets(), st.integers(1, 10))
def test_no_small_count_is_published_and_no_withheld_count_can_be_worked_out(dataset, threshold):
    rows, totals_agree = dataset
    shown, totals = suppress(rows, threshold)
    published = [row["count"] for row in shown if row["count"] is not None]
    published += [total["count"] for total in totals if total["count"] is not None]
    assert all(count >= threshold for count in published)
    assert [{**row, "count": None} for row in shown] == [{**row, "count": None} for row in rows]
    assert worked_out(rows, shown, totals, totals_agree) == []


def test_redacting_what_is_already_redacted_changes_nothing():
    fields = {"rows": table([2, 30, 9])}
    once = suppression.redacted(fields, 5)
    assert suppression.redacted(once, 5) == once
