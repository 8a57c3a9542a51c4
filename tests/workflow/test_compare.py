"""Revision comparison names each changed field, however deep."""
from workflow.compare import differences


def test_differences_name_each_changed_added_and_removed_leaf():
    before = {"title": "Recruitment", "fields": {
        "subject": "old", "screening": {"age": {"impact": "neutral", "evidence": "e"}},
        "full_assessment": {"mitigations": [{"strand": "age", "owner": "HR"}]}, "strands": ["race"]}}
    after = {"title": "Recruitment 2008", "fields": {
        "subject": "old", "screening": {"age": {"impact": "negative", "evidence": "e"}},
        "full_assessment": {"mitigations": [{"strand": "age", "owner": "Head of HR"}]},
        "strands": ["race", "age"], "review_date": "2009-01-01"}}
    assert differences(before, after) == [
        {"field": "title", "before": "Recruitment", "after": "Recruitment 2008"},
        {"field": "screening.age.impact", "before": "neutral", "after": "negative"},
        {"field": "full_assessment.mitigations.0.owner", "before": "HR", "after": "Head of HR"},
        {"field": "strands", "before": ["race"], "after": ["race", "age"]},
        {"field": "review_date", "before": None, "after": "2009-01-01"},
    ]


def test_identical_revisions_have_no_differences():
    same = {"title": "t", "fields": {"a": {"b": [1, 2]}}}
    assert differences(same, same) == []
