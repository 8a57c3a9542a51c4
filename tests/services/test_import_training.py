"""run.py import-training: the EqIA training register from CSV, all or nothing; and
the accounts it names (and `user add --trained`, `user train`) kept in step with it."""
import subprocess
import sys
from pathlib import Path

import pytest

from services import account_service
from services.storage import open_app_store
from tests.conftest import PASSWORD, complete_eqia
from web import create_app
from workflow import training
from workflow.errors import Unmet

ROOT = Path(__file__).resolve().parents[2]
HR, RDU = "Human Resources", "Race & Diversity Unit"
GOOD = ("name,group,course,date,team,post\n"
        "Jane Smith,staff,eqia,2006-05-01,Human Resources,Policy officer\n"
        "Bob Jones,member,eqia,2007-01-15,,\n"
        "Amy Lee,staff,Recruitment and selection,2007-09-20,,\n")


def run(*args, stdin=""):
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def data(tmp_path):
    return str(tmp_path / "data")


def csv_file(tmp_path, text, name="training.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def register(data):
    store = open_app_store(data)
    try:
        return store.scan(account_service.TRAINING)
    finally:
        store.close()


def test_a_good_file_is_imported_and_importing_it_again_adds_nothing(tmp_path, data):
    path = csv_file(tmp_path, GOOD)
    first = run("import-training", path, "--data", data)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "imported 3 entries, 0 already present"
    again = run("import-training", path, "--data", data)
    assert again.returncode == 0 and again.stdout.strip() == "imported 0 entries, 3 already present"
    entries = register(data)
    assert sorted((e["name"], e["group"], e["course"]) for e in entries) == [
        ("Amy Lee", "staff", "Recruitment and selection"), ("Bob Jones", "member", "eqia"),
        ("Jane Smith", "staff", "eqia")]
    assert training.figures(entries, "2007-12-06")["staff"] == 1


def test_a_file_with_bad_rows_lists_each_by_line_and_imports_nothing(tmp_path, data):
    path = csv_file(tmp_path, GOOD + "Kim Wu,visitor,eqia,2006-01-01\nLu Po,staff,eqia,June 2006\n")
    result = run("import-training", path, "--data", data)
    assert result.returncode == 2 and result.stdout == ""
    assert f"{path}: Line 5: Select staff or Board member" in result.stderr
    assert f"{path}: Line 6: Enter the date trained as a real date, for example 2007-03-31" in result.stderr
    assert "nothing was imported" in result.stderr
    assert register(data) == []


def test_a_missing_file_is_refused(tmp_path, data):
    result = run("import-training", str(tmp_path / "absent.csv"), "--data", data)
    assert result.returncode == 2 and "absent.csv" in result.stderr


def test_an_untrained_head_named_in_the_file_may_then_approve(tmp_path, data):
    """The approval rule reads the account's EqIA date; the import sets it."""
    app = create_app({"STORE": data, "SECRET_KEY": "t"})
    store, docs = app.extensions["store"], app.extensions["documents"]
    account_service.add_user(store, "sam", PASSWORD, ["staff"], [HR])
    account_service.add_user(store, "lee", PASSWORD, ["team_leader"], [HR])
    account_service.add_user(store, "hd", PASSWORD, ["head"], [RDU])
    staff, lead = account_service.find_user(store, "sam"), account_service.find_user(store, "lee")
    eqia = docs.create(staff, "eqia", "Recruitment EqIA", HR, complete_eqia())
    eqia = docs.fire(eqia["id"], staff, "screen", eqia["version"])
    eqia = docs.fire(eqia["id"], lead, "assess", eqia["version"])
    with pytest.raises(Unmet):
        docs.fire(eqia["id"], account_service.find_user(store, "hd"), "approve", eqia["version"])

    result = run("import-training", csv_file(tmp_path, GOOD + "hd,staff,EqIA,2007-03-01\n"), "--data", data)
    assert result.returncode == 0, result.stderr
    head = account_service.find_user(store, "hd")
    assert head.trained == "2007-03-01"
    assert docs.fire(eqia["id"], head, "approve", eqia["version"])["state"] == "approved"
    store.close()


def test_user_train_and_user_add_record_an_entry_in_the_register(tmp_path, data):
    assert run("user", "add", "bea", "--role", "eodb", "--trained", "2007-01-15", "--data", data,
               stdin="a long enough password\n").returncode == 0
    assert run("user", "add", "hd", "--role", "head", "--data", data, stdin="a long enough password\n").returncode == 0
    assert run("user", "train", "hd", "2007-03-01", "--data", data).returncode == 0
    assert run("user", "train", "hd", "2008-03-01", "--data", data).returncode == 0  # a refresher
    entries = register(data)
    assert sorted((e["name"], e["group"], e["date"]) for e in entries) == [
        ("bea", "member", "2007-01-15"), ("hd", "staff", "2007-03-01"), ("hd", "staff", "2008-03-01")]
    store = open_app_store(data)
    assert account_service.find_user(store, "hd").trained == "2007-03-01"  # trained since the first time
    store.close()


def test_an_account_added_after_the_import_is_trained_from_the_register(tmp_path, data):
    assert run("import-training", csv_file(tmp_path, "name,group,course,date\nkim,staff,eqia,2006-04-04\n"),
               "--data", data).returncode == 0
    store = open_app_store(data)
    account_service.add_user(store, "kim", PASSWORD, ["head"])
    assert account_service.find_user(store, "kim").trained == "2006-04-04"
    store.close()


def test_help_says_the_import_is_all_or_nothing():
    result = run("import-training", "--help")
    said = " ".join(result.stdout.split())  # argparse wraps to the terminal's width
    assert result.returncode == 0 and "nothing is imported and the exit status is 2" in said
