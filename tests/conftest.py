"""Fixtures in the flaskr style (app, client, store) and CTFd-style factories."""
import pytest
from argon2 import PasswordHasher

from services import account_service, token_service
from tests.mailbox import Mailbox
from web import create_app
from workflow.strands import DEFAULT, SETS

STRANDS = SETS[DEFAULT].strands  # the six strands of 2004, the default set

PASSWORD = "correct horse battery"
RDU, HR, PP = "Race & Diversity Unit", "Human Resources", "Planning & Performance"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    """Argon2 at its production cost takes ~0.1 s a hash; tests make hundreds."""
    saved = account_service._hasher
    account_service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    account_service._hasher = saved


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server, started the first time a test asks for one."""
    from tests.pg_server import PgServer
    server = PgServer()
    yield server
    server.stop()


@pytest.fixture(params=["tinydb", "postgresql"])
def store_url(request, tmp_path):
    """The URL of an empty store on each backend in turn: a TinyDB data directory, a new PostgreSQL database."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_server").new_database()
    return f"tinydb://{tmp_path / 'data'}"


@pytest.fixture
def app_config():
    """Extra configuration for the `app` fixture; a test module may override it."""
    return {}


@pytest.fixture
def app(tmp_path, app_config):
    app = create_app({"STORE": str(tmp_path / "data"), "TESTING": True, "SECRET_KEY": "test",
                      "SESSION_COOKIE_SECURE": False, **app_config})
    yield app
    app.extensions["store"].close()


@pytest.fixture
def store(app):
    return app.extensions["store"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(store):
    """make_user(name, *roles, teams=(), trained=None) -> an API token for that user."""
    def make(name, *roles, teams=(), trained=None):
        account_service.add_user(store, name, PASSWORD, roles, teams, trained)
        return token_service.issue_token(store, name)
    return make


@pytest.fixture
def cast(make_user):
    """One person per role, as the seeds describe them: name -> token."""
    return {
        "head": make_user("head", "head", teams=(RDU,), trained="2006-03-01"),
        "untrained_head": make_user("untrained_head", "head", teams=(RDU,)),
        "hr_lead": make_user("hr_lead", "team_leader", teams=(HR,), trained="2006-05-10"),
        "hr_lead2": make_user("hr_lead2", "team_leader", teams=(HR,)),
        "hr_staff": make_user("hr_staff", "staff", teams=(HR,)),
        "pp_lead": make_user("pp_lead", "team_leader", teams=(PP,)),
        "pp_staff": make_user("pp_staff", "staff", teams=(PP,)),
        "board": make_user("board", "eodb", trained="2007-01-15"),
        "smt": make_user("smt", "smt"),
        "admin": make_user("admin", "admin"),
        "lead_head": make_user("lead_head", "team_leader", "head", teams=(HR,), trained="2006-01-01"),
    }


class Api:
    """A thin JSON client: api.as_("hr_lead").post("/documents", {...})."""

    def __init__(self, client, tokens, who=None):
        self.client, self.tokens, self.who = client, tokens, who

    def as_(self, who):
        return Api(self.client, self.tokens, who)

    def _headers(self):
        return {"Authorization": f"Bearer {self.tokens[self.who]}"} if self.who else {}

    def get(self, path, **params):
        return self.client.get("/api/v1" + path, query_string=params, headers=self._headers())

    def post(self, path, body):
        return self.client.post("/api/v1" + path, json=body, headers=self._headers())

    def patch(self, path, body):
        return self.client.patch("/api/v1" + path, json=body, headers=self._headers())

    def put(self, path, body):
        return self.client.put("/api/v1" + path, json=body, headers=self._headers())

    def fire(self, doc, name, comment=None):
        body = {"name": name, "version": doc["version"]}
        if comment is not None:
            body["comment"] = comment
        return self.post(f"/documents/{doc['id']}/transitions", body)


@pytest.fixture
def api(client, cast):
    return Api(client, cast)


def screening(negative=(), intended=(), strand_set=DEFAULT):
    return {s: {"impact": "negative" if s in negative else "neutral", "differential": s in negative,
                "intended": s in intended, "evidence": "monitoring data"} for s in SETS[strand_set].strands}


def full_assessment(strands):
    return {"evidence": "data", "consultation": "staff networks", "outcome": "adjust",
            "monitoring": "quarterly to the EODB",
            "mitigations": [{"strand": s, "action": "act", "owner": "HR", "deadline": "2008-01"}
                            for s in strands]}


def complete_eqia(negative=("age",), strand_set=None):
    """EqIA fields ready for submission; without `strand_set`, screened against the default set."""
    fields = {"subject": "Recruitment policy", "trigger": "review", "review_date": "2008-04-01",
              "screening": screening(negative, strand_set=strand_set or DEFAULT)}
    if strand_set:
        fields["strand_set"] = strand_set
    if negative:
        fields["full_assessment"] = full_assessment(negative)
    return fields


@pytest.fixture
def mailbox():
    """A real local SMTP server; `mailbox.start()` late to play an outage."""
    box = Mailbox()
    yield box
    box.stop()
