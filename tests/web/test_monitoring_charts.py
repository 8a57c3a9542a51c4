"""The trend charts: each group told apart by more than colour, and a count not published is a gap."""
import re

from web.monitoring_charts import trend_chart
from workflow import monitoring


def chart(rows):
    [trend] = monitoring.trends(monitoring.analyse(rows))
    return str(trend_chart("t", "Applicants by race", "A line for each group", trend))


def rows(counts):
    return [{"measure": "Applicants", "period": period, "strand": "race", "group": group, "count": n}
            for group, by_period in counts.items() for period, n in by_period.items()]


def test_each_group_has_its_own_marker_and_its_name_and_last_count_written():
    svg = chart(rows({"White": {"2005-06": 400, "2006-07": 380}, "Indian": {"2005-06": 200, "2006-07": 1240}}))
    assert svg.count("<circle") == 2 and svg.count("<rect") == 2  # a circle per White point, a square per Indian
    assert ">White: 380</text>" in svg and ">Indian: 1,240</text>" in svg
    assert ">2005/06</text>" in svg and ">2006/07</text>" in svg
    assert 'role="img"' in svg and "<title id=\"t-title\">Applicants by race</title>" in svg


def test_a_suppressed_count_is_a_gap_not_a_point_at_zero():
    svg = chart(rows({"White": {"2005-06": 400, "2006-07": None, "2007-08": 380}}))
    assert svg.count("<circle") == 2  # 2005-06 and 2007-08 only
    # no two neighbouring periods are both published, so no line joins any of the points
    assert not re.findall(r'<line [^>]*stroke="#1d4f91"', svg)
    assert ">White: 380</text>" in svg
