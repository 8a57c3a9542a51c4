"""Monitoring datasets from CSV: run.py import-monitoring and replacing a draft's counts.
A bad file changes nothing and names every bad line."""
import subprocess
import sys
from pathlib import Path

import pytest

from services import monitoring_service
from services.document_service import DOCS, HISTORY, Documents
from services.storage import open_app_store
from workflow.errors import Invalid, StateConflict
from workflow.users import User

ROOT = Path(__file__).resolve().parents[2]
HR = "Human Resources"
GOOD = ("measure,period,strand,group,count\n"
        "applicants,2006-07,race,indian,40\n"
        "Shortlisted,2006-07,race,Indian,10\n")
BAD = ("measure,period,strand,group,count\n"
       "Applicants,2006-07,race,Indian,40\n"
       "Applicants,2006-7,race,Irish,3\n"
       "Applicants,2006-07,race,Roma\n"
       "Applicants,2006-07,race,Arab,many\n")


def run(*args):
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def csv_file(tmp_path, text):
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def stored(data, collection=DOCS):
    store = open_app_store(data)
    try:
        return store.scan(collection)
    finally:
        store.close()


def test_the_command_line_imports_a_draft_dataset_for_the_team(tmp_path):
    data = str(tmp_path / "data")
    done = run("import-monitoring", csv_file(tmp_path, GOOD), "--team", HR, "--title", "Recruitment 2006-07",
               "--data", data)
    assert done.returncode == 0, done.stderr
    assert "imported 2 counts" in done.stdout
    [doc] = stored(data)
    assert (doc["kind"], doc["state"], doc["team"], doc["title"]) == ("monitoring", "draft", HR, "Recruitment 2006-07")
    assert doc["fields"]["rows"][0] == {"measure": "Applicants", "period": "2006-07", "strand": "race",
                                        "group": "Indian", "count": 40}
    assert doc["fields"]["strand_set"] == "ces2004"


def test_a_bad_file_at_the_command_line_names_every_bad_line_and_stores_nothing(tmp_path):
    data = str(tmp_path / "data")
    refused = run("import-monitoring", csv_file(tmp_path, BAD), "--team", HR, "--title", "T", "--data", data)
    assert refused.returncode == 2
    assert [line.split(":")[1].strip() for line in refused.stderr.splitlines()] == ["line 3", "line 4", "line 5"]
    assert stored(data) == [] and stored(data, HISTORY) == []


def test_the_command_line_refuses_a_team_the_authority_does_not_have(tmp_path):
    data = str(tmp_path / "data")
    refused = run("import-monitoring", csv_file(tmp_path, GOOD), "--team", "Nowhere", "--title", "T", "--data", data)
    assert refused.returncode == 2 and "Nowhere is not a team" in refused.stderr
    assert stored(data) == []


def test_the_help_says_what_the_file_holds():
    shown = run("import-monitoring", "--help")
    assert shown.returncode == 0
    assert "measure,period,strand,group,count" in shown.stdout and "--team" in shown.stdout


@pytest.fixture
def docs(store):
    return Documents(store)


def staff(team=HR):
    return User("hr_staff", roles=frozenset({"staff"}), teams=frozenset({team}))


def test_a_drafts_counts_are_replaced_by_a_new_file(docs):
    doc = monitoring_service.import_new(docs, staff(), HR, "Recruitment", GOOD.encode())
    replaced = monitoring_service.change(
        docs, doc["id"], staff(), doc["version"], "Leavers", "By age band",
        b"measure,period,strand,group,count\nLeavers,2007-08,age,25 to 34,9\n")
    assert replaced["fields"]["rows"] == [{"measure": "Leavers", "period": "2007-08", "strand": "age",
                                           "group": "25 to 34", "count": 9}]
    assert (replaced["title"], replaced["fields"]["description"]) == ("Leavers", "By age band")
    assert replaced["version"] == doc["version"] + 1


def test_a_change_without_a_file_keeps_the_counts(docs):
    doc = monitoring_service.import_new(docs, staff(), HR, "Recruitment", GOOD.encode(), "Described")
    changed = monitoring_service.change(docs, doc["id"], staff(), doc["version"], "Recruitment 2006-07", "")
    assert changed["fields"]["rows"] == doc["fields"]["rows"] and "description" not in changed["fields"]


def test_a_bad_replacement_file_changes_nothing(docs, store):
    doc = monitoring_service.import_new(docs, staff(), HR, "Recruitment", GOOD.encode())
    with pytest.raises(Invalid) as caught:
        monitoring_service.change(docs, doc["id"], staff(), doc["version"], "Changed", "", BAD.encode())
    assert set(caught.value.details) == {"line 3", "line 4", "line 5"}
    kept = store.get(DOCS, doc["id"])
    assert (kept["version"], kept["title"], kept["fields"]["rows"]) == (doc["version"], doc["title"],
                                                                         doc["fields"]["rows"])


def test_a_replacement_on_a_stale_version_is_refused(docs):
    doc = monitoring_service.import_new(docs, staff(), HR, "Recruitment", GOOD.encode())
    monitoring_service.change(docs, doc["id"], staff(), doc["version"], "Once", "", GOOD.encode())
    with pytest.raises(StateConflict):
        monitoring_service.change(docs, doc["id"], staff(), doc["version"], "Twice", "", GOOD.encode())
