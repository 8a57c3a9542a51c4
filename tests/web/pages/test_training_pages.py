"""The training register page: the Head and administrators keep it (names, CSV upload,
one entry); the Board and the SMT see the figures only; other staff are refused."""
import datetime as dt
import io
import re

import pytest

from services import account_service, audit_service, period_service, report_service
from tests.conftest import PASSWORD
from tests.web.browsing import sign_in
from web import create_app
from workflow.users import User

GOOD = (b"name,group,course,date,team\n"
        b"Jane Smith,staff,eqia,2006-05-01,Human Resources\n"
        b"Bob Jones,member,eqia,2007-01-15,\n"
        b"Amy Lee,staff,Recruitment and selection,2007-09-20,\n")
BAD = GOOD + b"Kim Wu,visitor,eqia,2006-01-01,\nLu Po,staff,eqia,June 2006,\n"


@pytest.fixture
def keeper(client, make_user):
    """The client, signed in as an untrained Head of Race and Diversity."""
    make_user("hd", "head", teams=["Race & Diversity Unit"])
    assert sign_in(client, "hd").status_code == 302
    return client


def upload(client, data, filename="training.csv"):
    return client.post("/training/upload", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_an_uploaded_file_fills_the_register_and_the_figures(keeper, store):
    response = upload(keeper, GOOD)
    assert response.status_code == 302
    page = keeper.get("/training?as_of=2007-12-06").text
    assert "Imported 3 entries from training.csv; 0 were already in the register." in page
    assert "1 member of staff and 1 Board member</strong>" in page and "6 December 2007" in page
    assert "Jane Smith" in page and "Human Resources" in page and "Recruitment and selection" in page
    assert len(store.scan(account_service.TRAINING)) == 3
    assert "Imported 0 entries" in keeper.get(upload(keeper, GOOD).headers["Location"]).text


def test_a_bad_file_lists_each_bad_line_and_changes_nothing(keeper, store):
    response = upload(keeper, BAD)
    assert response.status_code == 422
    page = response.text
    assert "2 rows of training.csv cannot be imported, so nothing was imported" in page
    assert "Line 5: Select staff or Board member" in page
    assert "Line 6: Enter the date trained as a real date, for example 2007-03-31" in page
    assert 'href="#file"' in page and 'aria-invalid="true"' in page
    assert store.scan(account_service.TRAINING) == []


@pytest.mark.parametrize("data, filename, message", [
    (b"", "", "Choose a CSV file to upload"),
    (b"\xff\xfe\x00n", "training.csv", "Choose a CSV file saved as UTF-8 text"),
    (b"who,when\nJane,2006-01-01\n", "training.csv", "it does not name name, group, course and date"),
])
def test_no_file_or_an_unreadable_one_is_refused_with_a_message(keeper, store, data, filename, message):
    response = upload(keeper, data, filename)
    assert response.status_code == 422 and message in response.text
    assert store.scan(account_service.TRAINING) == []


def test_recording_one_entry_named_by_a_user_name_gives_the_account_its_training_date(keeper, store, make_user):
    make_user("hd2", "head")
    assert account_service.find_user(store, "hd2").trained is None
    response = keeper.post("/training/add", data={"name": "hd2", "group": "staff", "course": "eqia",
                                                  "date": "2007-03-01", "post": "Head of Race and Diversity"})
    assert response.status_code == 302
    assert "Recorded hd2: Equality Impact Assessment, 1 March 2007." in keeper.get("/training").text
    assert account_service.find_user(store, "hd2").trained == "2007-03-01"


@pytest.mark.parametrize("name", ["hd", " HD ", "Hd"])
def test_nobody_records_their_own_training_in_the_form(keeper, store, name):
    """The pen-test's untrained Head certifying their own training, then signing off."""
    response = keeper.post("/training/add", data={"name": name, "group": "staff", "course": "eqia",
                                                  "date": "2007-03-01"})
    assert response.status_code == 422 and "Someone else must record your training" in response.text
    assert store.scan(account_service.TRAINING) == [] and account_service.find_user(store, "hd").trained is None


def test_nobody_records_their_own_training_in_an_upload_and_nothing_of_it_is_imported(keeper, store):
    response = upload(keeper, GOOD + b"hd,staff,eqia,2007-03-01,\n")
    assert response.status_code == 422
    assert "Line 5: Someone else must record your training" in response.text
    assert store.scan(account_service.TRAINING) == [] and account_service.find_user(store, "hd").trained is None


def test_a_training_date_in_the_future_is_refused_in_the_form_and_in_an_upload(keeper, store):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = keeper.post("/training/add", data={"name": "Jane Smith", "group": "staff", "course": "eqia",
                                                  "date": tomorrow})
    assert response.status_code == 422 and "The date trained must be today or earlier" in response.text
    response = upload(keeper, GOOD + f"Kim Wu,staff,eqia,{tomorrow},\n".encode())
    assert response.status_code == 422 and "Line 5: The date trained must be today or earlier" in response.text
    assert store.scan(account_service.TRAINING) == []


def test_the_register_keeps_who_recorded_each_entry_and_the_audit_log_shows_it(keeper, store):
    assert upload(keeper, GOOD).status_code == 302
    assert {entry["entered_by"] for entry in store.scan(account_service.TRAINING)} == {"hd"}
    logged = [item for item in audit_service.entries(store) if item["kind"] == "training"]
    assert sorted(item["subject"] for item in logged) == ["Amy Lee", "Bob Jones", "Jane Smith"]
    assert {(item["actor"], item["details"]["entered_by"], item["address"]) for item in logged} == {
        ("hd", "hd", "127.0.0.1")}


def test_a_bad_entry_is_refused_field_by_field_and_keeps_what_was_typed(keeper, store):
    response = keeper.post("/training/add", data={"name": "Jane Smith", "group": "", "course": "eqia",
                                                  "date": "1 May 2006"})
    assert response.status_code == 422
    assert "Select staff or Board member" in response.text
    assert "Enter the date trained as a real date, for example 2007-03-31" in response.text
    assert 'value="1 May 2006"' in response.text and store.scan(account_service.TRAINING) == []


def test_the_register_filters_by_group_and_course(keeper):
    upload(keeper, GOOD)
    members = keeper.get("/training?group=member").text
    assert "Bob Jones" in members and "Jane Smith" not in members
    course = keeper.get("/training?course=Recruitment+and+selection").text
    assert "Amy Lee" in course and "Jane Smith" not in course


def test_a_bad_as_of_date_is_refused_with_a_message(keeper):
    response = keeper.get("/training?as_of=yesterday")
    assert response.status_code == 422 and "Enter the date of the figures as a real date" in response.text


@pytest.mark.parametrize("role", ["eodb", "smt"])
def test_the_board_and_the_smt_see_the_figures_but_no_names_and_cannot_change_it(
        client, store, make_user, role):
    make_user("hd", "head")
    account_service.record_entries(store, [{"name": "Jane Smith", "group": "staff", "course": "eqia", "date": "2006-05-01"}])
    make_user("reader", role)
    sign_in(client, "reader")
    page = client.get("/training").text
    assert "1 member of staff" in page and "Jane Smith" not in page and "/training/upload" not in page
    assert upload(client, GOOD).status_code == 403
    assert client.post("/training/add", data={"name": "X", "group": "staff", "course": "eqia",
                                              "date": "2006-01-01"}).status_code == 403
    assert len(store.scan(account_service.TRAINING)) == 1


@pytest.mark.parametrize("role", ["staff", "team_leader"])
def test_other_staff_are_refused_the_register(client, make_user, role):
    make_user("someone", role, teams=["Human Resources"])
    sign_in(client, "someone")
    assert client.get("/training").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert "Training register" not in client.get("/").text


def test_the_public_is_sent_to_sign_in(client):
    for response in (client.get("/training"), upload(client, GOOD), client.post("/training/add")):
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_an_upload_without_the_csrf_token_is_refused(tmp_path):
    app = create_app({"STORE": str(tmp_path / "csrf"), "SECRET_KEY": "t", "SESSION_COOKIE_SECURE": False})
    store = app.extensions["store"]
    account_service.add_user(store, "hd", PASSWORD, ["head"])
    client = app.test_client()
    token = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    signing_in = {"name": "hd", "password": PASSWORD, "csrf_token": token.search(client.get("/sign-in").text)[1]}
    assert client.post("/sign-in", data=signing_in).status_code == 302
    page = client.get("/training").text
    assert 'enctype="multipart/form-data"' in page
    assert upload(client, GOOD).status_code == 400
    assert store.scan(account_service.TRAINING) == []
    with_token = client.post("/training/upload", content_type="multipart/form-data", data={
        "csrf_token": token.search(page)[1], "file": (io.BytesIO(GOOD), "training.csv")})
    assert with_token.status_code == 302 and len(store.scan(account_service.TRAINING)) == 3
    store.close()


def test_the_api_gives_the_figures_to_those_who_may_see_them(client, store, make_user):
    account_service.record_entries(store, [
        {"name": "Jane Smith", "group": "staff", "course": "eqia", "date": "2006-05-01"},
        {"name": "Amy Lee", "group": "staff", "course": "Recruitment", "date": "2007-01-01"}])
    board, staff = make_user("bea", "eodb", trained="2007-01-15"), make_user("sam", "staff")

    def get(token, **query):
        return client.get("/api/v1/training/figures", query_string=query,
                          headers={"Authorization": f"Bearer {token}"})
    assert get(board, as_of="2007-12-06").json == {"as_of": "2007-12-06", "staff": 1, "members": 1,
                                                   "courses": {"Recruitment": 1}}
    assert get(board, as_of="2006-12-31").json["members"] == 0
    assert get(board, as_of="soon").status_code == 422
    assert get(staff).status_code == 403


def test_the_generated_board_report_gives_the_registers_figures(keeper, store):
    upload(keeper, GOOD)
    period_service.add_period(store, User("head", frozenset({"head"})), "2007-08")  # a report is of an opened period
    head = User("head", frozenset({"head"}), frozenset({"Race & Diversity Unit"}))
    _, fields = report_service.progress_report(store, head, "2007-08")
    assert fields["training"] == {"as_of": "2008-03-31", "staff": 1, "members": 1}  # as at the period's end
