"""The analysis of a monitoring dataset against figures worked out by hand.

The fixture is shaped like a council's recruitment monitoring for 2006-07 by the 2021 Census
broad ethnic groups, and its training monitoring by sex. Every expected number below is
written as the division a person would do on paper.
"""
import pytest

from workflow import monitoring

RECRUITMENT = {  # group: (applicants, shortlisted, appointed)
    "White": (400, 80, 20),
    "Asian, Asian British or Asian Welsh": (200, 30, 6),
    "Black, Black British, Black Welsh, Caribbean or African": (150, 18, 3),
    "Mixed or Multiple ethnic groups": (50, 10, 2),
    "Other ethnic group": (20, 4, 1),
    "Prefer not to say": (30, 6, 1),
}
ASIAN, BLACK = "Asian, Asian British or Asian Welsh", "Black, Black British, Black Welsh, Caribbean or African"
MIXED, OTHER = "Mixed or Multiple ethnic groups", "Other ethnic group"
TRAINING = {"Female": (60, 45), "Male": (40, 20)}  # applied for, received


def rows():
    made = []
    for group, counts in RECRUITMENT.items():
        for measure, n in zip(("Applicants", "Shortlisted", "Appointed"), counts):
            made.append({"measure": measure, "period": "2006-07", "strand": "race", "group": group, "count": n})
    for group, counts in TRAINING.items():
        for measure, n in zip(("Training applied for", "Training received"), counts):
            made.append({"measure": measure, "period": "2006-07 Q3", "strand": "sex", "group": group, "count": n})
    return made


def table(tables, measure):
    return next(t for t in tables if t.measure == measure)


def test_shares_are_each_groups_part_of_the_table_total():
    applicants = table(monitoring.analyse(rows()), "Applicants")
    assert applicants.total == 850  # 400 + 200 + 150 + 50 + 20 + 30
    assert applicants.figure("White").share == pytest.approx(400 / 850)
    assert applicants.figure(ASIAN).share == pytest.approx(200 / 850)
    assert applicants.figure("Prefer not to say").share == pytest.approx(30 / 850)
    assert sum(f.share for f in applicants.figures) == pytest.approx(1)


def test_the_first_stage_has_no_stage_rate_and_no_flag():
    applicants = table(monitoring.analyse(rows()), "Applicants")
    assert applicants.follows is None
    assert all(f.stage_rate is None and f.relative_rate is None and not f.flagged for f in applicants.figures)


def test_shortlisting_rates_relative_rates_and_flags():
    shortlisted = table(monitoring.analyse(rows()), "Shortlisted")
    assert shortlisted.follows == "Applicants"
    by_group = {f.group: f for f in shortlisted.figures}
    # stage rates: 80/400 = 0.2, 30/200 = 0.15, 18/150 = 0.12, 10/50 = 0.2, 4/20 = 0.2
    assert by_group["White"].stage_rate == pytest.approx(0.2)
    assert by_group[ASIAN].stage_rate == pytest.approx(0.15)
    assert by_group[BLACK].stage_rate == pytest.approx(0.12)
    # most favoured: 0.2; relative rates 0.15/0.2 = 0.75 and 0.12/0.2 = 0.6 fall below four-fifths
    assert by_group["White"].relative_rate == pytest.approx(1)
    assert by_group[ASIAN].relative_rate == pytest.approx(0.75)
    assert by_group[BLACK].relative_rate == pytest.approx(0.6)
    assert by_group[MIXED].relative_rate == pytest.approx(1)
    assert {g for g, f in by_group.items() if f.flagged} == {ASIAN, BLACK}


def test_appointment_at_exactly_four_fifths_is_not_flagged():
    appointed = table(monitoring.analyse(rows()), "Appointed")
    by_group = {f.group: f for f in appointed.figures}
    # stage rates: 20/80 = 1/4, 6/30 = 1/5, 3/18 = 1/6, 2/10 = 1/5, 1/4 = 1/4; most favoured 1/4
    assert by_group[ASIAN].relative_rate == pytest.approx(0.8)   # (1/5) / (1/4)
    assert by_group[BLACK].relative_rate == pytest.approx(2 / 3)  # (1/6) / (1/4)
    assert by_group[OTHER].relative_rate == pytest.approx(1)
    assert {g for g, f in by_group.items() if f.flagged} == {BLACK}


def test_a_group_that_did_not_say_is_neither_compared_nor_the_yardstick():
    # "Prefer not to say" shortlisted 6/30 = 0.2; were it the yardstick at appointment (1/6 < 1/4) nothing changes,
    # so give it the best rate of all and check the others are still measured against 1/4
    made = [dict(r, count=6) if (r["group"], r["measure"]) == ("Prefer not to say", "Appointed") else r
            for r in rows()]
    appointed = table(monitoring.analyse(made), "Appointed")
    not_said = appointed.figure("Prefer not to say")
    assert not_said.stage_rate == pytest.approx(1)  # 6/6
    assert not_said.relative_rate is None and not not_said.flagged
    assert appointed.figure(ASIAN).relative_rate == pytest.approx(0.8)


def test_the_flag_ratio_is_the_callers():
    shortlisted = table(monitoring.analyse(rows(), flag_ratio=0.7), "Shortlisted")
    assert {f.group for f in shortlisted.figures if f.flagged} == {BLACK}  # 0.6 < 0.7 <= 0.75


def test_training_received_against_applied_for():
    received = table(monitoring.analyse(rows()), "Training received")
    # 45/60 = 0.75 and 20/40 = 0.5; relative 0.5/0.75 = 2/3
    assert received.follows == "Training applied for"
    assert received.figure("Female").stage_rate == pytest.approx(0.75)
    assert received.figure("Male").relative_rate == pytest.approx(2 / 3)
    assert received.figure("Male").flagged and not received.figure("Female").flagged
    assert received.total == 65 and received.figure("Female").share == pytest.approx(45 / 65)


def suppressed(made, measure, groups):
    return [dict(r, count=None) if r["measure"] == measure and r["group"] in groups else r for r in made]


def test_nothing_is_computed_from_a_suppressed_count():
    made = suppressed(rows(), "Appointed", {OTHER, "Prefer not to say"})
    appointed = table(monitoring.analyse(made, totals=[
        {"measure": "Appointed", "period": "2006-07", "strand": "race", "count": 33}]), "Appointed")
    other = appointed.figure(OTHER)
    assert other.count is None and other.suppressed
    assert (other.share, other.stage_rate, other.relative_rate, other.flagged) == (None, None, None, False)
    # the others' shares rest on the published total; the yardstick is now White's 1/4 alone
    assert appointed.total == 33
    assert appointed.figure("White").share == pytest.approx(20 / 33)
    assert appointed.figure(BLACK).relative_rate == pytest.approx(2 / 3)


def test_without_a_published_total_a_table_with_a_suppressed_count_has_no_shares():
    made = suppressed(rows(), "Appointed", {OTHER, "Prefer not to say"})
    appointed = table(monitoring.analyse(made), "Appointed")
    assert appointed.total is None
    assert all(f.share is None for f in appointed.figures)
    assert appointed.figure("White").stage_rate == pytest.approx(0.25)  # 20/80: both counts published


def test_a_suppressed_earlier_stage_gives_the_later_stage_no_rate():
    made = suppressed(rows(), "Shortlisted", {OTHER})
    appointed = table(monitoring.analyse(made), "Appointed")
    assert appointed.figure(OTHER).count == 1
    assert appointed.figure(OTHER).stage_rate is None and appointed.figure(OTHER).relative_rate is None


def test_tables_read_in_pipeline_order_then_the_authoritys_own_measures():
    made = [{"measure": "Volunteers", "period": "2006-07", "strand": "age", "group": "16 to 24", "count": 9}]
    made += list(reversed(rows()))
    order = [(t.measure, t.period) for t in monitoring.analyse(made)]
    assert order == [("Applicants", "2006-07"), ("Shortlisted", "2006-07"), ("Appointed", "2006-07"),
                     ("Training applied for", "2006-07 Q3"), ("Training received", "2006-07 Q3"),
                     ("Volunteers", "2006-07")]
    applicants = table(monitoring.analyse(made), "Applicants")
    assert applicants.figures[-1].group == "Prefer not to say"  # known groups in order, not disclosed last


def test_an_authoritys_own_measure_is_counted_but_follows_no_stage():
    made = [{"measure": "Volunteers", "period": "2006-07", "strand": "age", "group": g, "count": n}
            for g, n in (("16 to 24", 9), ("25 to 34", 3))]
    volunteers = monitoring.analyse(made)[0]
    assert volunteers.follows is None and volunteers.figure("25 to 34").share == pytest.approx(3 / 12)


def test_known_names_match_whatever_their_case_and_others_are_kept():
    assert monitoring.canonical_measure("  stop AND  search ") == "Stop and search"
    assert monitoring.canonical_measure("Volunteers ") == "Volunteers"
    assert monitoring.canonical_group("race", "white and black caribbean") == "White and Black Caribbean"
    assert monitoring.canonical_group("disability", "NOT DISABLED") == "Not disabled"
    assert monitoring.canonical_group("age", "prefer not to say") == "Prefer not to say"
    assert monitoring.canonical_group("age", "Under 18") == "Under 18"


def test_the_census_ethnic_groups_are_all_there():
    assert len(monitoring.ETHNIC_CATEGORIES) == 19 and len(monitoring.ETHNIC_BROAD) == 5
    assert set(monitoring.GROUPS) >= {"race", "gender", "sex", "disability", "age", "sexual_orientation",
                                      "religion_belief", "gender_reassignment", "marriage_civil_partnership",
                                      "pregnancy_maternity"}
    assert all(groups[-2:] == monitoring.NOT_DISCLOSED for groups in monitoring.GROUPS.values())


def test_a_figure_is_found_and_anchored_by_its_address():
    tables = monitoring.analyse(rows())
    address = {"dataset": "d1", "measure": "Shortlisted", "period": "2006-07", "strand": "race", "group": BLACK}
    assert monitoring.find(tables, address).flagged
    assert monitoring.find(tables, dict(address, period="2007-08")) is None
    anchor = monitoring.anchor(address)
    assert anchor == monitoring.anchor(dict(address, dataset="d2"))  # an id on the dataset's own page
    assert anchor.startswith("figure-shortlisted-2006-07-race-black")
    assert " " not in anchor and anchor != monitoring.anchor(dict(address, group="Black-Black British"))
    assert monitoring.anchor(dict(address, group="A B")) != monitoring.anchor(dict(address, group="A-B"))
