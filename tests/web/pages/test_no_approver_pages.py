"""Never a dead end: a document waiting for sign-off that no one can sign off says so, with who
could be given the role, on its page and on the My work of its author, the Head and administrators."""
from tests.conftest import HR, Api
from tests.web.browsing import sign_in
from tests.web.test_parity_documents import OBJECTIVE

SAID = ("No one can sign this off: the only Head, head, wrote it; there is no Chief Executive. "
        "An administrator can give the Chief Executive role to someone, which a Head confirms.")


def lone_heads_work(client, make_user):
    """The only Head writes an objective for Human Resources, which its team leader submits."""
    tokens = {"head": make_user("head", "head", "team_leader", teams=(HR,), trained="2006-01-01"),
              "hr_lead": make_user("hr_lead", "team_leader", teams=(HR,), trained="2006-05-10"),
              "admin": make_user("admin", "admin"), "sam": make_user("sam", "staff", teams=(HR,))}
    api = Api(client, tokens)
    doc = api.as_("head").post("/documents", {"kind": "objective", "title": "The Head's objective", "team": HR,
                                              "fields": OBJECTIVE}).json
    for name in ("screen", "assess"):
        doc = api.as_("hr_lead").fire(doc, name).json
    return doc


def test_the_document_and_my_work_say_no_one_can_sign_it_off_and_who_could_be_given_the_role(client, make_user):
    doc = lone_heads_work(client, make_user)
    sign_in(client, "head")  # the author, and a Head
    assert SAID in client.get(f"/documents/{doc['id']}").text
    assert SAID in client.get("/").text
    sign_in(client, "admin")  # may not see the document, but may give the role
    mine = client.get("/").text
    assert SAID in mine and "Objective of Human Resources" in mine and f"/documents/{doc['id']}" not in mine
    sign_in(client, "sam")  # neither its author, a Head nor an administrator
    assert "No one can sign this off" not in client.get("/").text


def test_once_there_is_a_chief_executive_it_is_no_longer_said(client, make_user):
    doc = lone_heads_work(client, make_user)
    make_user("chief", "chief_executive", trained="2006-04-01")
    sign_in(client, "head")
    assert "No one can sign this off" not in client.get(f"/documents/{doc['id']}").text
    assert "No one can sign this off" not in client.get("/").text
