"""import-plan: the Corporate Equality Plan 2004's objectives table becomes adopted objectives.

Every expected number and value below was read off the seed by hand
(data/corporate-equality-plan-2004.txt, the table after "## Corporate Equality
Objectives"), not taken from the parser's output.
"""
import subprocess
import sys
from pathlib import Path

import pytest

from services.demo_service import load_demo
from services.document_service import DOCS, HISTORY, REVISIONS
from services.import_service import import_plan
from services.storage import open_app_store
from workflow import documents, plan_import, policy
from workflow.errors import Invalid
from workflow.users import User

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "data" / "corporate-equality-plan-2004.txt"
REPORT_2007 = ROOT.parent / "shared" / "seeds" / "equalities-objectives-progress-report-2007.txt"

# Counted by hand: the <li> items of the Action column under each "The MPA as ... aims to:".
# Public Authority 4 + 6 + 5 + 3; Service Provider 3 + 7; Policy Maker 6;
# Exemplary Employer 6 + 3 + 1 + 1 + 2 + 6 + 6; Communicator 3; Purchaser 2 + 2.
PER_HEADING = {
    "The MPA as a Public Authority": 18,
    "The MPA as a Service Provider": 10,
    "The MPA as a Policy Maker": 6,
    "The MPA as an Exemplary Employer": 25,
    "The MPA as a Communicator": 3,
    "The MPA as a Purchaser of Goods and Services": 4,
}


def run(*args):
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def imported(tmp_path):
    store = open_app_store(str(tmp_path / "data"))
    report = import_plan(store, PLAN.read_text(encoding="utf-8"), PLAN.name)
    yield store, report
    store.close()


def by_action(store, start):
    [doc] = [d for d in store.scan(DOCS) if d["fields"]["action"].startswith(start)]
    return doc


def test_importing_the_plan_creates_every_action_of_its_table_under_its_heading(imported):
    """66 actions, as counted by hand, each an objective under the right heading."""
    store, report = imported
    docs = store.scan(DOCS)
    assert report.per_heading == PER_HEADING and report.created == 66 == len(docs)
    counted = {}
    for doc in docs:
        counted[doc["fields"]["heading"]] = counted.get(doc["fields"]["heading"], 0) + 1
    assert counted == PER_HEADING
    assert {doc["state"] for doc in docs} == {"approved"} and {doc["kind"] for doc in docs} == {"objective"}


# (start of the action, theme, deadline or None, leads, owning team, outcomes or None), by hand.
SPOT_CHECKS = [
    # the first row: under the explicit first heading and its theme
    ("Commit ourselves to promoting equality of opportunity", "Corporate Commitment", "2004-12",
     ["MPA Chair", "MPA Clerk", "Chair of EODB"], "Race & Diversity Unit",
     "Level 1 Equality Standard for Local Government requirement"),
    ("Publicise our equality values", "Corporate Commitment", "2004-12",
     ["Head of Press & Communications"], "Press & Communications", None),
    # 6 actions, 4 deadlines ("Ongoing" x3, "April 2005"): no deadline rather than a guessed one
    ("Publish our 'comments, complaints and compliments' policy", "Accountability", None, ["CLAMS"], "CLAMS",
     "Policy exists and website includes pages for compliments, comments and complaints; "
     "Policy published in appropriate formats"),
    ("Strive to ensure we are accessible", "Accountability", None,
     ["Community Engagement & Administration"], "Community Engagement", None),
    # an action before the theme line of its own cell keeps the theme in force
    ("Conduct effective audit reviews", "Accountability", None, ["Internal Audit"], "Internal Audit", None),
    ("Improve our contacts with groups", "Working in Partnership", "Ongoing",
     ["Race & Diversity Unit", "Community Engagement"], "Race & Diversity Unit", None),
    # after a page break, the theme carries on; 2 "Ongoing" for 3 actions: which two the row does not say
    ("Make representations to promote improved provision", "Working in Partnership", None,
     ["Race & Diversity Unit"], "Race & Diversity Unit", "Partnership"),
    # rows with an empty Action cell continue the Policy Maker's six actions, one row each
    ("Strive to ensure our staff are aware", None, "Ongoing", ["Race & Diversity Unit"], "Race & Diversity Unit",
     "Training on the principles and practice of Equality Impact Assessment"),
    ("Expect all managers to be responsible", None, None, ["Race & Diversity Unit"], "Race & Diversity Unit",
     "Equality Standard for Local Governments requirements & Equality Impact Assessment"),
    ("Meet the requirements of the Race Relations", None, "Ongoing", ["All Teams"], "Race & Diversity Unit",
     "Equality Impact Assessment"),
    # the "Developing our Staff" theme row's deadline speaks for its actions, across the page break
    ("Develop our staff to their full potential", "Developing our Staff", "Ongoing", ["Human Resources"],
     "Human Resources", None),
    ("Adopt positive action programmes", "Developing our Staff", "Ongoing", ["Human Resources"],
     "Human Resources", None),
    ("Provide support and advice to all our staff", "Developing our Staff", "Ongoing",
     ["Race & Diversity", "Human Resources"], "Race & Diversity Unit", None),
    ("Raise awareness of the importance", "Performance Management", None, ["Human Resources"],
     "Human Resources", None),
    ("Support our staff networks", "Widening our appeal as an employer", "Ongoing", ["Race & Diversity Unit"],
     "Race & Diversity Unit", "Support and assistance with leadership given"),
    ("Support appropriate social and other non-work activities", None, "Ongoing", ["Human Recourses", "CLAMS"],
     "Human Resources", None),
    ("Present ourselves to the outside world", None, "Ongoing", ["Press & Communications", "Race & Diversity"],
     "Press & Communications", None),
    ("Continuously monitor and review our procurement", None, None, ["Administration & Treasury"],
     "Administration & Treasury", None),
]


@pytest.mark.parametrize("start, theme, deadline, leads, team, outcomes", SPOT_CHECKS)
def test_spot_checked_actions_carry_what_their_row_says(imported, start, theme, deadline, leads, team, outcomes):
    """Heading-theme-deadline-leads-team of actions read by hand from the seed."""
    doc = by_action(imported[0], start)
    fields = doc["fields"]
    got = (fields.get("theme"), fields.get("deadline"), fields["leads"], doc["team"])
    assert got == (theme, deadline, leads, team)
    if outcomes:
        assert fields["outcomes"] == outcomes


def test_action_text_heading_title_and_source_are_kept_exactly(imported):
    """The action text as printed, a title cut at a word, and the plan as its source."""
    doc = by_action(imported[0], "Commit ourselves")
    assert doc["fields"]["action"] == (
        "Commit ourselves to promoting equality of opportunity; eliminating unlawful discrimination and "
        "valuing diversity in everything we do and will work with and support the Metropolitan Police "
        "Service to maintain this commitment")
    assert doc["fields"]["heading"] == "The MPA as a Public Authority"
    # the first 90 characters end exactly at "discrimination"
    assert doc["title"] == ("Commit ourselves to promoting equality of opportunity; eliminating unlawful "
                            "discrimination…")
    assert doc["fields"]["source"]["plan"] == "Corporate Equality Plan 2004"
    short = by_action(imported[0], "Design our selection processes")
    assert short["title"] == "Design our selection processes to attract the best applicants"


def test_columns_that_do_not_line_up_are_reported_not_guessed(imported):
    """The mismatched cells read by hand: 4 deadlines for 6 actions, 2 for 6, 4 outcomes for 7..."""
    notes = "\n".join(imported[1].notes)
    assert "4 deadlines for 6 actions" in notes and '"April 2005"' in notes
    assert "2 deadlines for 6 actions" in notes and '"December 2005"' in notes and '"December 2006"' in notes
    assert "4 outcomes entries for 7 actions" in notes
    assert "Publish our 'comments, complaints" in notes


# (start of an action, column, what its row says for all its actions), read by hand from the seed:
# rows whose entries are fewer than their actions, so that no entry is any one action's own.
ROW_CHECKS = [
    # line 206: 6 actions, deadlines "Ongoing" x3 and "April 2005"
    ("Set ourselves goals, targets", "deadline", ["Ongoing", "Ongoing", "Ongoing", "April 2005"]),
    ("Be transparent and helpful", "deadline", ["Ongoing", "Ongoing", "Ongoing", "April 2005"]),
    # line 214: 3 actions, 2 "Ongoing"
    ("Undertake community needs assessments", "deadline", ["Ongoing", "Ongoing"]),
    # line 229: 6 actions, 2 deadlines: before, both were dropped from every action
    ("Aim to achieve Level V", "deadline", ["December 2005", "December 2006"]),
    ("Strive to ensure that the MPA attracts", "deadline", ["December 2005", "December 2006"]),
    # line 218: 7 actions, 4 outcomes: before, all four were copied onto each as its own
    ("Influence the development of quality services", "outcomes",
     ["Challenging EODB work plan in place", "Equality Impact Assessment / Committee Reports",
      "Correspondence and other communications dealt with timeously and learning points utilised",
      "Equality Impact Assessment"]),
    # line 250: 3 actions, 2 outcomes
    ("Strive to achieve an organisational", "outcomes",
     ["Staff Surveys signify an open culture, contributed to by all",
      "Equality Standard for Local Government requirement"]),
]


@pytest.mark.parametrize("start, column, said", ROW_CHECKS)
def test_entries_that_pair_with_no_one_action_stay_on_the_row_and_are_shown_on_each(app, start, column, said):
    store = app.extensions["store"]
    import_plan(store, PLAN.read_text(encoding="utf-8"), PLAN.name)
    doc = by_action(store, start)
    assert column not in doc["fields"]  # not copied as if it were this action's own
    assert doc["fields"]["source"]["row"][column] == said  # nor dropped
    page = app.test_client().get(f"/register/objective/{doc['id']}").text
    assert "row gives" in page and all(entry.replace("&", "&amp;") in page for entry in said)


def test_the_import_notes_are_kept_on_the_objectives_they_concern_and_with_the_import(imported):
    store, report = imported
    [run] = store.scan("plan_imports")
    assert run["notes"] == report.notes and run["created"] == 66 and run["source"] == PLAN.name
    concerned = by_action(store, "Publish our 'comments, complaints")["fields"]["source"]["notes"]
    assert len(concerned) == 1 and "line 206" in concerned[0] and "4 deadlines for 6 actions" in concerned[0]
    assert "notes" not in by_action(store, "Commit ourselves")["fields"]["source"]
    noted = [d for d in store.scan(DOCS) if d["fields"]["source"].get("notes")]
    # every action a note lists by name carries that note
    assert len(noted) == len({doc["id"] for doc in noted}) >= 6 + 3 + 7 + 6 + 6 + 3


def test_objectives_are_approved_as_adopted_by_the_body_on_its_date(app):
    store = app.extensions["store"]
    import_plan(store, PLAN.read_text(encoding="utf-8"), PLAN.name,
                adoption=plan_import.adoption("EODB", "2004-05-20"))
    doc = by_action(store, "Commit ourselves")
    assert doc["published"]["approved_at"].startswith("2004-05-20") and doc["published"]["adopted_by"] == "EODB"
    assert "Adopted by the EODB on 2004-05-20" in store.log(HISTORY, doc["id"])[0]["comment"]
    page = app.test_client().get(f"/register/objective/{doc['id']}").text
    assert "By the EODB on" in page and "20 May 2004" in page


@pytest.mark.parametrize("body, on", [("EODB", None), (None, "2004-05-20"), ("EODB", "May 2004"),
                                      ("", "2004-05-20"), ("EODB", "1066-10-14"), ("EO\nDB", "2004-05-20")])
def test_an_adoption_without_both_a_body_and_a_real_date_is_refused(body, on):
    with pytest.raises(Invalid):
        plan_import.adoption(body, on)


def test_the_command_imports_as_adopted_and_refuses_a_bad_adoption(tmp_path):
    data = str(tmp_path / "data")
    refused = run("import-plan", str(PLAN), "--adopted-by", "EODB", "--data", data)
    assert refused.returncode == 2 and "adopted" in refused.stderr
    done = run("import-plan", str(PLAN), "--adopted-by", "EODB", "--adopted-on", "2004-05-20", "--data", data)
    assert done.returncode == 0, done.stderr
    store = open_app_store(data)
    assert {d["published"]["approved_at"][:10] for d in store.scan(DOCS)} == {"2004-05-20"}
    store.close()


def test_the_command_prints_its_count_per_heading_and_what_it_could_not_place(tmp_path):
    """The real CLI: one line per heading with the hand count, then the unplaced items."""
    result = run("import-plan", str(PLAN), "--data", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    for heading, count in PER_HEADING.items():
        assert f"{count:4}  {heading}" in result.stdout
    assert "66 created, 0 already present" in result.stdout
    assert "Could not place" in result.stdout and '"April 2005"' in result.stdout


def test_a_second_import_adds_nothing_and_says_so(tmp_path):
    """Same documents, same history after importing twice."""
    data = str(tmp_path / "data")
    assert run("import-plan", str(PLAN), "--data", data).returncode == 0
    store = open_app_store(data)
    before = [(doc["id"], doc["version"], store.log(HISTORY, doc["id"])) for doc in store.scan(DOCS)]
    store.close()
    again = run("import-plan", str(PLAN), "--data", data)
    assert again.returncode == 0 and "0 created, 66 already present" in again.stdout
    store = open_app_store(data)
    assert [(doc["id"], doc["version"], store.log(HISTORY, doc["id"])) for doc in store.scan(DOCS)] == before
    store.close()


def _truncated_mid_cell():
    text = PLAN.read_text(encoding="utf-8")
    return text[:text.index("Continually monitor the race")]


def _truncated_mid_row():
    text = PLAN.read_text(encoding="utf-8")
    return text[:text.index("<p>April 2005</p>") + 4]


@pytest.mark.parametrize("content, says", [
    (REPORT_2007.read_bytes(), "no objectives table"),
    (_truncated_mid_cell().encode(), "cut short"),
    (_truncated_mid_row().encode(), "cut short"),
    (b"", "empty"),
    (bytes(range(256)) * 4, "UTF-8"),
    (b"\x00\x01binary\x00", "binary"),
])
def test_bad_input_is_refused_with_a_message_and_imports_nothing(tmp_path, content, says):
    """Another file, a table cut mid-row, an empty or a binary file: exit 2, nothing written."""
    bad = tmp_path / "plan.txt"
    bad.write_bytes(content)
    data = tmp_path / "data"
    result = run("import-plan", str(bad), "--data", str(data))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error:") and says in result.stderr
    assert not data.exists()


def test_bad_input_through_the_service_leaves_the_store_as_it_was(tmp_path):
    """import_plan itself refuses before writing, whatever the caller."""
    store = open_app_store(str(tmp_path / "data"))
    with pytest.raises(Exception, match="not a Corporate Equality Plan"):
        import_plan(store, _truncated_mid_cell(), "cut.txt")
    assert store.scan(DOCS) == []
    store.close()


def test_imported_objectives_are_adopted_and_board_members_see_them(imported):
    """Approved revision 1, one 'adopt' history entry whose hash is the document's content hash."""
    store, _ = imported
    board = User("board", frozenset({"eodb"}))
    for doc in store.scan(DOCS):
        shown = policy.view(doc, board)
        assert shown is not None and shown["state"] == "approved" and shown["revision"] == 1
        [adopt] = store.log(HISTORY, doc["id"])
        assert (adopt["action"], adopt["from"], adopt["to"], adopt["actor"]) == ("adopt", None, "approved",
                                                                                 "import-plan")
        assert adopt["comment"] == f"Adopted in the Corporate Equality Plan 2004 (imported from {PLAN.name})"
        assert adopt["content_hash"] == documents.content_hash(doc) == doc["published"]["content_hash"]
        assert store.get(REVISIONS, f"{doc['id']}.1")["content_hash"] == adopt["content_hash"]


def test_the_demo_loads_the_plans_objectives_with_the_samples(tmp_path):
    """--demo: the 66 adopted objectives of the plan besides the sample documents."""
    store = open_app_store(str(tmp_path / "data"))
    load_demo(store, lambda line: None)
    sourced = [doc for doc in store.scan(DOCS) if doc["fields"].get("source")]
    assert len(sourced) == 66 and len(store.scan(DOCS)) > 66
    store.close()


@pytest.mark.parametrize("said, expected", [
    ("December 2004", "2004-12"), ("April 2005", "2005-04"), ("Ongoing", "Ongoing"), ("ongoing", "Ongoing"),
    ("2005-05", "2005-05"), ("31 March 2006", "2006-03-31"), ("Spring 2005", None), ("31 February 2006", None),
])
def test_deadlines_are_converted_as_the_plan_writes_them(said, expected):
    assert plan_import.deadline(said) == expected


@pytest.mark.parametrize("said, leads, team", [
    ("MPA Chair, MPA Clerk, Chair of EODB", ["MPA Chair", "MPA Clerk", "Chair of EODB"], "Race & Diversity Unit"),
    ("Race & Diversity & Human Resources", ["Race & Diversity", "Human Resources"], "Race & Diversity Unit"),
    ("Community Engagement & Administration", ["Community Engagement & Administration"], "Community Engagement"),
    ("Human Recourses & CLAMS", ["Human Recourses", "CLAMS"], "Human Resources"),
    ("All staff (Professional Appraisal)", ["All staff (Professional Appraisal)"], "Race & Diversity Unit"),
])
def test_leads_are_kept_as_the_cell_says_and_owned_by_the_first_leads_team(said, leads, team):
    assert plan_import.leads(said) == leads and plan_import.team_of(leads[0]) == team
