"""The command line contract: user add, token, --help, and the demo data."""
import datetime as dt
import subprocess
import sys
from pathlib import Path

from services import account_service, audit_service, role_change_service
from services.demo_service import DEMO_ACCOUNTS, load_demo
from services.storage import open_app_store
from web import create_app
from workflow import policy
from workflow.users import ROLES

ROOT = Path(__file__).resolve().parent.parent


def run(*args, stdin=""):
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_user_add_reads_the_password_from_standard_input_and_token_prints_only_a_token(tmp_path):
    data = str(tmp_path / "data")
    added = run("user", "add", "jo", "--role", "team_leader", "--team", "Human Resources",
                "--trained", "2006-01-01", "--data", data, stdin="a long enough password\n")
    assert added.returncode == 0, added.stderr
    token = run("token", "jo", "--data", data)
    assert token.returncode == 0 and len(token.stdout.strip().splitlines()) == 1
    app = create_app({"STORE": data, "SECRET_KEY": "t"})
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token.stdout.strip()}"})
    assert me.json == {"name": "jo", "roles": ["team_leader"], "teams": ["Human Resources"]}
    store = app.extensions["store"]
    assert account_service.check_password(store, "jo", "a long enough password").name == "jo"
    assert store.get("users", "jo")["password_hash"].startswith("$argon2")
    on_disk = "".join(path.read_text() for path in (tmp_path / "data").iterdir() if path.is_file())
    assert "a long enough password" not in on_disk and token.stdout.strip() not in on_disk


def test_user_add_refuses_bad_input_with_a_message_and_adds_nothing(tmp_path):
    data = str(tmp_path / "data")
    bad_role = run("user", "add", "jo", "--role", "king", "--data", data, stdin="a long enough password\n")
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr
    short = run("user", "add", "jo", "--role", "staff", "--data", data, stdin="short\n")
    assert short.returncode == 2 and "password" in short.stderr
    bad_date = run("user", "add", "jo", "--role", "staff", "--trained", "May 2006", "--data", data,
                   stdin="a long enough password\n")
    assert bad_date.returncode == 2 and "trained" in bad_date.stderr
    store = open_app_store(data)
    assert store.get("users", "jo") is None
    store.close()


def test_user_add_refuses_a_password_too_long_for_the_sign_in_form(tmp_path):
    """One password rule on every door: the command line makes no account nobody could sign in to."""
    data = str(tmp_path / "data")
    long = run("user", "add", "jo", "--role", "staff", "--data", data, stdin="x" * 1025 + "\n")
    assert long.returncode == 2 and "password: Password must be 1,024 characters or fewer" in long.stderr
    longest = run("user", "add", "jo", "--role", "staff", "--data", data, stdin="x" * 1024 + "\n")
    assert longest.returncode == 0, longest.stderr
    app = create_app({"STORE": data, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    assert app.test_client().post("/sign-in", data={"name": "jo", "password": "x" * 1024}).status_code == 302


def test_adding_an_existing_user_fails_and_keeps_the_first(tmp_path):
    data = str(tmp_path / "data")
    assert run("user", "add", "jo", "--role", "staff", "--data", data, stdin="first password!\n").returncode == 0
    again = run("user", "add", "jo", "--role", "head", "--data", data, stdin="second password!\n")
    assert again.returncode == 1 and "already" in again.stderr
    store = open_app_store(data)
    assert store.get("users", "jo")["roles"] == ["staff"]
    store.close()


def test_user_add_records_an_email_address_and_refuses_a_bad_one(tmp_path):
    data = str(tmp_path / "data")
    bad = run("user", "add", "jo", "--role", "staff", "--email", "jo at example", "--data", data,
              stdin="a long enough password\n")
    assert bad.returncode == 2 and "email" in bad.stderr
    assert run("user", "add", "jo", "--role", "staff", "--email", "jo@example.org", "--data", data,
               stdin="a long enough password\n").returncode == 0
    store = open_app_store(data)
    assert store.get("users", "jo")["email"] == "jo@example.org"
    store.close()


def test_user_train_records_the_training_date_of_an_existing_account(tmp_path):
    data = str(tmp_path / "data")
    assert run("user", "add", "hd", "--role", "head", "--data", data, stdin="a long enough password\n").returncode == 0
    assert run("user", "train", "hd", "2007-03-01", "--data", data).returncode == 0
    assert run("user", "train", "hd", "March 2007", "--data", data).returncode == 2
    missing = run("user", "train", "nobody", "2007-03-01", "--data", data)
    assert missing.returncode == 2 and "no such account" in missing.stderr
    store = open_app_store(data)
    assert account_service.find_user(store, "hd").trained == "2007-03-01"
    store.close()


def test_token_for_an_unknown_user_fails(tmp_path):
    result = run("token", "nobody", "--data", str(tmp_path / "data"))
    assert result.returncode == 2 and result.stdout == ""


def test_help_describes_every_command():
    result = run("--help")
    for word in ("--demo", "--data", "--store", "--host", "--port", "user", "token"):
        assert word in result.stdout


def test_demo_creates_an_account_per_role_and_documents_in_several_states(tmp_path):
    store = open_app_store(str(tmp_path / "data"))
    said = []
    load_demo(store, said.append)
    roles = {role for _, roles, _, _ in DEMO_ACCOUNTS for role in roles}
    assert roles == set(ROLES)
    states = {doc["state"] for doc in store.scan("documents")}
    assert {"draft", "assessed", "approved"} <= states
    name, password = said[1].split()[:2]
    assert account_service.check_password(store, name, password).name == name
    board = account_service.find_user(store, "board.member")
    assert all(policy.view(doc, board) is None or doc["published"] for doc in store.scan("documents"))
    load_demo(store, said.append)  # a second start loads nothing more
    assert "not loaded" in said[-1]
    store.close()


def test_a_running_app_sees_a_user_added_by_the_command_line_meanwhile(tmp_path):
    """The server and `run.py user add` share one data directory at the same time."""
    data = str(tmp_path / "data")
    app = create_app({"STORE": data, "SECRET_KEY": "t"})
    client = app.test_client()
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer x"}).status_code == 401
    assert run("user", "add", "kim", "--role", "head", "--data", data, stdin="kim's password\n").returncode == 0
    token = run("token", "kim", "--data", data).stdout.strip()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json["name"] == "kim"
    app.extensions["store"].close()


def test_user_add_grants_head_and_admin_only_to_the_first_then_proposes(tmp_path):
    """The operator's bootstrap: the first Head and the first administrator are made at once;
    later ones wait for a Head (for admin, an administrator) to confirm."""
    data = str(tmp_path / "data")
    for name, role in (("hd", "head"), ("root", "admin")):
        assert run("user", "add", name, "--role", role, "--data", data, stdin="a long enough password\n").returncode == 0
    for name, role in (("hd2", "head"), ("bea", "eodb"), ("root2", "admin")):
        added = run("user", "add", name, "--role", "staff", "--role", role, "--data", data,
                    stdin="a long enough password\n")
        assert added.returncode == 0 and f"awaiting confirmation on the Role changes page: {role}" in added.stderr
    store = open_app_store(data)
    try:
        assert account_service.find_user(store, "hd").roles == {"head"} and account_service.find_user(store, "root").roles == {"admin"}
        for name in ("hd2", "bea", "root2"):
            assert account_service.find_user(store, name).roles == {"staff"}
        assert {(p["person"], p["role"], p["proposed_by"]) for p in role_change_service.pending(store)} == {
            ("hd2", "head", "command line"), ("bea", "eodb", "command line"), ("root2", "admin", "command line")}
        assert [item["actor"] for item in audit_service.entries(store)] == ["command line"] * 8
    finally:
        store.close()


def test_training_dates_in_the_future_are_refused_at_the_command_line(tmp_path):
    data, tomorrow = str(tmp_path / "data"), (dt.date.today() + dt.timedelta(days=1)).isoformat()
    added = run("user", "add", "hd", "--role", "head", "--trained", tomorrow, "--data", data,
                stdin="a long enough password\n")
    assert added.returncode == 2 and "must be today or earlier" in added.stderr
    assert run("user", "add", "hd", "--role", "head", "--data", data, stdin="a long enough password\n").returncode == 0
    trained = run("user", "train", "hd", tomorrow, "--data", data)
    assert trained.returncode == 2 and "must be today or earlier" in trained.stderr
    csv = tmp_path / "training.csv"
    csv.write_text(f"name,group,course,date\nhd,staff,eqia,{tomorrow}\n")
    imported = run("import-training", str(csv), "--data", data)
    assert imported.returncode == 2 and "Line 2: The date trained must be today or earlier" in imported.stderr
    store = open_app_store(data)
    try:
        assert account_service.find_user(store, "hd").trained is None and store.scan(account_service.TRAINING) == []
    finally:
        store.close()


# A store command that imports these pays for them at every run (~1 s of web/ and the PDF renderer).
_NOT_FOR_STORE_COMMANDS = ("web", "flask", "weasyprint")


def _modules_loaded_by(*args):
    """The top-level packages of _NOT_FOR_STORE_COMMANDS that `run.py ARGS` loaded (it must succeed)."""
    script = ("import sys, cli\nstatus = cli.main(sys.argv[1:])\n"
              f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({_NOT_FOR_STORE_COMMANDS!r})))\n"
              "sys.exit(status)")
    result = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


def test_store_commands_do_not_load_the_web_application(tmp_path):
    source = open_app_store(str(tmp_path / "source"))
    try:
        load_demo(source, lambda *_: None)  # documents with histories and approved revisions, accounts
    finally:
        source.close()
    backup = str(tmp_path / "backup.json")
    for args in (["export", backup, "--data", str(tmp_path / "source")],
                 ["import", backup, "--data", str(tmp_path / "restored")],
                 ["verify", "--data", str(tmp_path / "restored")],
                 ["migrate", "--from", str(tmp_path / "source"), "--to", str(tmp_path / "moved")]):
        assert _modules_loaded_by(*args) == "[]", args


def test_every_command_has_help():
    for command in (["user", "add"], ["user", "train"], ["import-plan"], ["import-training"], ["import-monitoring"],
                    ["token"], ["remind"], ["send-mail"], ["export"], ["import"], ["migrate"], ["verify"]):
        result = run(*command, "--help")
        assert result.returncode == 0 and "usage: run.py " + " ".join(command) in result.stdout, command
