"""Objectives several teams lead ("All Teams", "All staff", two units named): each lead
team's leaders write their own team's entry for a period; nobody else's, nothing else;
the report shows each team's entry under the objective, from approved revisions only.
Team plan targets carry a status per period, shown under the objective they serve."""
import datetime as dt

import pytest

from workflow import documents, policy, reports, shared, target_progress
from workflow.errors import Forbidden, Invalid, StateConflict
from workflow.kinds import objective
from workflow.strategy import STRATEGIC_2004
from workflow.users import User

RDU, HR, PP = "Race & Diversity Unit", "Human Resources", "Planning & Performance"
RDU_LEAD = User("rita", frozenset({"team_leader"}), frozenset({RDU}), "2006-05-10")
HR_LEAD = User("lee", frozenset({"team_leader"}), frozenset({HR}), "2006-05-10")
HR_STAFF = User("sam", frozenset({"staff"}), frozenset({HR}))
PP_LEAD = User("pat", frozenset({"team_leader"}), frozenset({PP}), "2006-05-10")
# A team added after the plan was imported: "All Teams" is every team, present and future.
NEW_LEAD = User("nia", frozenset({"team_leader"}), frozenset({"Equalities Forum Support"}))
HEAD = User("hana", frozenset({"head"}), frozenset({RDU}), "2006-03-01")
BOARD = User("bea", frozenset({"eodb"}))
PERIOD = "2007-08"


def objective_doc(leads, state="draft", **fields):
    doc, _ = documents.create(RDU_LEAD, "objective", "Mainstream equality into every team", RDU, {
        "heading": "The MPA as a Public Authority", "action": "Each team reports on its equality work",
        "strands": ["race"], "deadline": "Ongoing", "outcomes": "Reports", "leads": leads, "strategic": 1,
        **fields}, at="2007-06-01T10:00:00+00:00")
    doc.update(id="7", version=1)
    if state == "approved":
        for user, name in ((RDU_LEAD, "screen"), (RDU_LEAD, "assess"), (HEAD, "approve")):
            doc, _ = documents.transition(doc, user, name)
    return doc


def entry(team, **texts):
    return {"period": PERIOD, "team": team, **(texts or {"evidence": f"{team} trained its managers"})}


@pytest.mark.parametrize("leads", [["All Teams"], ["All staff (Professional Appraisal)"], ["All Team Leaders"]])
def test_every_team_leads_an_all_teams_objective_including_a_team_added_later(leads):
    doc = objective_doc(leads)
    for user, team in ((HR_LEAD, HR), (PP_LEAD, PP), (RDU_LEAD, RDU), (NEW_LEAD, "Equalities Forum Support")):
        assert shared.teams_of(doc, user) == [team]
    assert shared.teams_of(doc, HR_STAFF) == []  # staff do not write the team's entry
    assert shared.teams_of(doc, HEAD) == []


def test_a_named_lead_is_its_team_by_the_plans_name_for_it_and_only_named_teams_write():
    doc = objective_doc(["Human Recourses", "Race & Diversity"])  # the plan's spellings
    assert shared.teams_of(doc, HR_LEAD) == [HR] and shared.teams_of(doc, RDU_LEAD) == [RDU]
    assert shared.teams_of(doc, PP_LEAD) == []
    with pytest.raises(Forbidden):
        shared.check_entry(doc, PP_LEAD, entry(PP), [PERIOD])


def test_an_objective_one_team_leads_has_no_team_entries():
    doc = objective_doc([HR])
    assert not shared.is_shared(doc["fields"]) and shared.teams_of(doc, HR_LEAD) == []
    # Posts the plan names are the co-ordinating unit's: one team, not three.
    assert not shared.is_shared({"leads": ["MPA Chair", "MPA Clerk", "Chair of EODB"]})
    assert shared.lead_teams({"leads": ["MPA Chair", HR]}) == (False, {RDU, HR})
    with pytest.raises(StateConflict):
        shared.check_entry(doc, HR_LEAD, entry(HR), [PERIOD])


def test_a_lead_teams_leader_writes_their_own_entry_on_the_working_copy_and_nothing_else():
    doc = objective_doc(["All Teams"])
    assert policy.view(doc, PP_LEAD) is not None  # the draft is theirs to report on
    shared.check_entry(doc, PP_LEAD, entry(PP), [PERIOD])
    written, _ = documents.edit(doc, PP_LEAD, changes={"team_progress": [entry(PP)]})
    both, _ = documents.edit(written, HR_LEAD, changes={"team_progress": [entry(PP), entry(HR)]})
    assert [e["team"] for e in both["fields"]["team_progress"]] == [PP, HR]
    for changes in ({"team_progress": [entry(PP, evidence="HR did nothing"), entry(HR)]},  # another team's entry
                    {"team_progress": [entry(HR)]},  # removing another team's entry
                    {"action": "Something else"},  # any other field
                    {"team_progress": [entry(PP), entry(HR, evidence="Updated")], "leads": [HR]}):
        with pytest.raises(Forbidden):
            documents.edit(both, HR_LEAD, changes=changes)
    with pytest.raises(Forbidden):  # nor the title
        documents.edit(both, HR_LEAD, title="Renamed", changes={"team_progress": [entry(PP), entry(HR)]})
    assert not policy.editable(both, HR_LEAD)  # the objective's own edit form is not theirs


def test_a_team_entry_needs_a_team_they_lead_an_opened_period_words_and_an_update_under_way():
    doc = objective_doc(["All Teams"])
    with pytest.raises(Invalid) as refused:
        shared.check_entry(doc, HR_LEAD, entry(PP), [PERIOD])
    assert "Select a team you lead" in str(refused.value.details)
    with pytest.raises(Invalid) as refused:
        shared.check_entry(doc, HR_LEAD, {"period": "2009-10", "team": HR}, [PERIOD])
    assert set(refused.value.details) == {"fields.team_progress.new.period", "fields.team_progress.new.evidence"}
    approved = objective_doc(["All Teams"], state="approved")
    with pytest.raises(StateConflict) as refused:
        shared.check_entry(approved, HR_LEAD, entry(HR), [PERIOD])
    assert f"Ask a team leader of {RDU} to start one" in str(refused.value)


def test_the_kind_refuses_two_entries_of_one_team_for_one_period():
    errors = objective.validate({"team_progress": [entry(HR), entry(HR, comment="again")]})
    assert errors == {"team_progress.1.period": f"{HR} already has an entry for {PERIOD}: change that one instead"}
    assert objective.validate({"team_progress": [entry(HR), entry(PP)]}) == {}


def approved_with(doc, user, changes):
    """`doc` revised, changed by `user`, submitted by the owning team and approved by the Head."""
    doc, _ = documents.transition(doc, RDU_LEAD, "revise")
    doc, _ = documents.edit(doc, user, changes=changes)
    for who, name in ((RDU_LEAD, "screen"), (RDU_LEAD, "assess"), (HEAD, "approve")):
        doc, _ = documents.transition(doc, who, name)
    return doc


def team_plan(objective_id, progress):
    doc, _ = documents.create(HR_LEAD, "team_plan", "HR equality plan", HR, {
        "period": PERIOD, "coordinator": "A. Person",
        "targets": [{"target": "Train all HR managers", "objectives": [objective_id], "progress": progress},
                    {"target": "Nothing reported", "objectives": [objective_id]}]})
    doc.update(id="8", version=1)
    return doc


def build(stored):
    strategic = [{"number": n, "title": t} for n, t in STRATEGIC_2004]
    return reports.build_progress_report(reports.seen_by_board(stored), strategic, PERIOD, None,
                                         {"staff": 0, "members": 0}, dt.date(2008, 4, 30))


def test_the_report_shows_each_lead_teams_approved_entry_and_each_targets_status_under_its_objective():
    doc = objective_doc(["All Teams"], state="approved", progress=[{"period": PERIOD, "status": "amber"}])
    doc = approved_with(doc, PP_LEAD, {"team_progress": [entry(PP, key_outcomes="PP reviewed its KPIs")]})
    plan = team_plan(doc["id"], [{"period": PERIOD, "status": "green", "progress": "All 12 managers trained"}])
    for user, name in ((HR_LEAD, "screen"), (HR_LEAD, "assess"), (HEAD, "approve")):
        plan, _ = documents.transition(plan, user, name)
    # Written since, not yet approved: not the Board's to read.
    doc, _ = documents.transition(doc, RDU_LEAD, "revise")
    doc, _ = documents.edit(doc, HR_LEAD, changes={"team_progress": [
        entry(PP, key_outcomes="PP reviewed its KPIs"), entry(HR, evidence="Unapproved HR words")]})

    fields = build([doc, plan])
    section = fields["sections"][0]
    assert section["team_entries"] == [{"objective": doc["title"], "team": PP, "period": PERIOD,
                                         "key_outcomes": "PP reviewed its KPIs"}]
    assert section["targets"] == [{"objective": doc["title"], "team": HR, "target": "Train all HR managers",
                                   "period": PERIOD, "status": "green", "progress": "All 12 managers trained"}]
    assert all("team_entries" not in s and "targets" not in s for s in fields["sections"][1:])
    markdown = reports.to_markdown("Report", fields)
    part = markdown[markdown.index("### Objective 1"):markdown.index("### Objective 2")]
    assert part.index("#### Lead teams' entries") < part.index(f"##### {PP}: {doc['title']}") \
        < part.index("PP reviewed its KPIs") < part.index("**Status: Amber**")
    assert "| Human Resources | Train all HR managers |" in part and "| All 12 managers trained | Green |" in part
    assert "Unapproved HR words" not in markdown and "Nothing reported" not in markdown
    from workflow.kinds import report
    assert report.validate(fields) == {}  # a generated draft keeps them when stored


def test_a_targets_progress_per_period_replaces_its_own_entry_and_keeps_the_others():
    targets = [{"target": "A", "progress": [{"period": "2006-07", "status": "red"}]}, {"target": "B"}]
    written = target_progress.with_period(targets, PERIOD, [{"status": "amber", "progress": "Half"}, {}])
    assert written == [{"target": "A", "progress": [{"period": "2006-07", "status": "red"},
                                                    {"period": PERIOD, "status": "amber", "progress": "Half"}]},
                       {"target": "B"}]
    cleared = target_progress.with_period(written, "2006-07", [{}, {"status": "green"}])
    assert cleared == [{"target": "A", "progress": [{"period": PERIOD, "status": "amber", "progress": "Half"}]},
                       {"target": "B", "progress": [{"period": "2006-07", "status": "green"}]}]
    with pytest.raises(Invalid) as refused:
        target_progress.check(PERIOD, [PERIOD], [{"progress": "Words without a status"}, {}], targets)
    assert "fields.targets.0.progress.new.status" in refused.value.details
    with pytest.raises(Invalid):
        target_progress.check("2010-11", [PERIOD], [{"status": "green"}], targets)


def test_the_team_plan_edit_form_keeps_each_targets_progress():
    stored = {"targets": [{"target": "A", "progress": [{"period": PERIOD, "status": "red"}]},
                          {"target": "B", "progress": [{"period": PERIOD, "status": "green"}]}]}
    reordered = target_progress.kept_on_edit(stored, {"targets": [{"target": "B"}, {"target": "A"}]})
    assert [t["progress"][0]["status"] for t in reordered["targets"]] == ["green", "red"]
    reworded = target_progress.kept_on_edit(stored, {"targets": [{"target": "A, reworded"}, {"target": "B"}]})
    assert reworded["targets"][0]["progress"] == stored["targets"][0]["progress"]
    removed = target_progress.kept_on_edit(stored, {"targets": [{"target": "C"}]})
    assert removed == {"targets": [{"target": "C"}]}  # a new target starts with no progress


def test_my_work_asks_each_lead_teams_leader_for_their_entry_while_an_update_is_under_way():
    from workflow import worklist

    def listed(docs, user):
        return {section.key: [item.doc["id"] for item in section.items]
                for section in worklist.work(docs, user, today=dt.date(2007, 11, 1)).sections}

    approved = objective_doc(["All Teams"], state="approved")
    assert "team_entry" not in listed([approved], PP_LEAD)  # nothing under way: nothing asked
    revising, _ = documents.transition(approved, RDU_LEAD, "revise")
    assert listed([revising], PP_LEAD)["team_entry"] == ["7"]
    assert listed([revising], NEW_LEAD)["team_entry"] == ["7"]
    assert "team_entry" not in listed([revising], HR_STAFF)
    assert "team_entry" not in listed([objective_doc([HR])], HR_LEAD)  # one team leads it: no team entry


def test_an_objective_linked_to_no_strategic_objective_shows_its_teams_entries_under_other_objectives():
    doc = objective_doc(["All Teams"], state="approved", strategic=None)
    doc = approved_with(doc, HR_LEAD, {"team_progress": [entry(HR, comment="HR appraisals now cover equality")]})
    assert "strategic" not in doc["fields"]
    fields = build([doc])
    assert fields["other_objectives"][0]["team_entries"] == [
        {"objective": doc["title"], "team": HR, "period": PERIOD, "comment": "HR appraisals now cover equality"}]
    markdown = reports.to_markdown("Report", fields)
    other = markdown[markdown.index("### Other objectives"):markdown.index("### Status summary")]
    assert f"#### Lead teams' entries: {doc['title']}" in other and "HR appraisals now cover equality" in other
    from workflow.kinds import report
    assert report.validate(fields) == {}
