"""A store holding every kind of document in every state, each revision's title and
text carrying its own marker, and the people who look at it: the world of the
authorization matrix (tests/test_authorization_matrix.py).

Built once through the real services (web.documents, web.board), so documents are
what the workflow makes of them, not hand-written records.
"""
import datetime as dt
import json

from store import Put
from tests.conftest import HR, PP, RDU
from web import accounts, backup, create_app
from web.accounts import TOKENS, VISITS
from web.throttle import THROTTLE
from web.documents import FILES
from workflow import evidence_files, policy
from workflow.kinds import standard_cell
from workflow.standard import AREAS

STATES = ("draft", "screened", "assessed", "approved", "reviewed", "revising")
KINDS = ("objective", "eqia", "team_plan", "report", "standard_cell")  # linked-to kinds first
STEPS = {"draft": (), "screened": ("screen",), "assessed": ("screen", "assess"),
         "approved": ("screen", "assess", "approve"), "reviewed": ("screen", "assess", "approve"),
         "revising": ("screen", "assess", "approve", "revise")}
PAST = (dt.date.today() - dt.timedelta(days=1)).isoformat()
ANONYMOUS = "anonymous"
# name -> (roles, teams, trained)
PEOPLE = {
    "hr_staff": (("staff",), (HR,), None),
    "hr_lead": (("team_leader",), (HR,), "2006-05-10"),
    "pp_staff": (("staff",), (PP,), None),
    "pp_lead": (("team_leader",), (PP,), None),
    "rdu_lead": (("team_leader",), (RDU,), "2006-02-01"),
    "head": (("head",), (RDU,), "2006-03-01"),
    "board": (("eodb",), (), "2007-01-15"),
    "smt": (("smt",), (), None),
    "admin": (("admin",), (), None),
}
OWNERS = {"report": ("rdu_lead", RDU), "standard_cell": ("rdu_lead", standard_cell.TEAM)}


def marker(kind, state, revision):
    """Unique, alphanumeric (Markdown, HTML escaping and PDF text leave it whole),
    and no marker is a part of another."""
    return f"SECRET{kind.replace('_', '')}{state.capitalize()}R{revision}END"


def fields_for(kind, mark, index, links):
    """Valid fields of `kind`, ready for submission, with `mark` in every text.
    `links` points at unapproved documents, so a page that follows a link must
    still hide what it links to."""
    if kind == "eqia":
        screening = {s: {"impact": "negative" if s == "age" else "neutral", "differential": s == "age",
                         "intended": False, "evidence": mark}
                     for s in ("race", "gender", "disability", "age", "sexual_orientation", "religion_belief")}
        return {"subject": mark, "trigger": "review", "review_date": "2008-04-01", "screening": screening,
                "full_assessment": {"evidence": mark, "consultation": mark, "outcome": "adjust", "monitoring": mark,
                                    "mitigations": [{"strand": "age", "action": mark, "owner": "HR",
                                                     "deadline": "2008-01"}]}}
    if kind == "objective":
        return {"heading": "The MPA as an Exemplary Employer", "theme": "Developing our Staff", "action": mark,
                "strands": ["race"], "deadline": "2005-12", "outcomes": mark, "leads": [HR],
                "progress": [{"period": "2007-08 Q2", "status": "amber", "evidence": mark, "comment": mark}]}
    if kind == "team_plan":
        return {"period": "2007-08", "coordinator": mark,
                "targets": [{"target": mark, "owner": mark, "objectives": [links["objective"]]}]}
    if kind == "report":
        return {"period": "2007-08", "summary": mark, "recommendations": mark, "race_equality_impact": mark,
                "sections": [{"strategic": 1, "title": mark, "evidence": mark, "status": "amber"}]}
    return {"level": index % 5 + 1, "area": list(AREAS)[index % len(AREAS)], "requirements": mark,
            "self_assessed": "in_progress",
            "evidence": [{"description": mark, "text": mark}, {"document": links["eqia"]}]}


class World:
    """Documents (label -> stored id), their markers, files and meetings, in `app`."""

    def __init__(self, app):
        self.app, self.store = app, app.extensions["store"]
        self.documents, self.meetings = app.extensions["documents"], app.extensions["meetings"]
        self.tokens = {name: self._person(name, *spec) for name, spec in PEOPLE.items()}
        self.ids, self.marks, self.files = {}, {}, {}  # label -> id; id -> {rev: marker}; id -> [keys]
        links = {}
        for kind in KINDS:
            for index, state in enumerate(STATES):
                label = f"{kind}-{state}"
                self.ids[label] = self._document(kind, state, index, links)
                links.setdefault(kind, self.ids[label])  # the draft of each kind
        self.meeting_id = self._review_all()
        self.future_meeting_id = self.meetings.create(self.user("head"), "EODB next", "2099-01-01")["id"]

    def user(self, name):
        return None if name == ANONYMOUS else accounts.find_user(self.store, name)

    def _person(self, name, roles, teams, trained):
        accounts.add_user(self.store, name, "correct horse battery", roles, teams, trained)
        return accounts.issue_token(self.store, name)

    def _document(self, kind, state, index, links):
        author, team = OWNERS.get(kind, ("hr_lead", HR))
        mark = marker(kind, state, 1)
        doc = self.documents.create(self.user(author), kind, f"Title {mark}", team,
                                    fields_for(kind, mark, index, links))
        self.marks[doc["id"]] = {1: mark}
        doc = self._attach_file(doc, author, mark)
        for step in STEPS[state]:
            who = "head" if step == "approve" else author
            doc = self.documents.fire(doc["id"], self.user(who), step, doc["version"])
        if state == "revising":  # revision 2 in progress: every text changed
            mark = marker(kind, state, 2)
            self.marks[doc["id"]][2] = mark
            doc = self.documents.edit(doc["id"], self.user(author), doc["version"], f"Title {mark}",
                                      fields_for(kind, mark, index, links))
            doc = self._attach_file(doc, author, mark)
        return doc["id"]

    def _attach_file(self, doc, author, mark):
        """A Standard cell's evidence file, named and filled with the revision's marker."""
        if doc["kind"] != standard_cell.NAME:
            return doc
        key = evidence_files.new_key()
        stored = evidence_files.record(f"{mark}.txt", f"evidence {mark}\n".encode(), doc["id"], author, PAST)
        self.files.setdefault(doc["id"], []).append(key)
        evidence = [*doc["fields"]["evidence"], {"file": key, "description": mark}]
        return self.documents.edit(doc["id"], self.user(author), doc["version"], changes={"evidence": evidence},
                                   extra=[Put(FILES, key, stored)])

    def _review_all(self):
        """A held meeting: every `reviewed` document endorsed, every approved one on its agenda."""
        head, board = self.user("head"), self.user("board")
        meeting = self.meetings.create(head, f"EODB {PAST}", PAST)
        for kind in KINDS:
            for state in ("approved", "reviewed", "revising"):
                self.meetings.add_item(meeting["id"], head, self.ids[f"{kind}-{state}"])
            self.meetings.decide(meeting["id"], board, self.ids[f"{kind}-reviewed"], "endorsed", "Endorsed.")
        return meeting["id"]

    def forbidden_marks(self, name):
        """Every marker of a revision `name` may not read, as the policy decides."""
        user, hidden = self.user(name), []
        for doc_id, marks in self.marks.items():
            doc = self.store.get("documents", doc_id)
            shown = policy.view(doc, user)
            hidden += [mark for revision, mark in marks.items()
                       if shown is None or (not policy.sees_working_copy(doc, user) and revision != shown["revision"])]
        return hidden


def built_world(folder):
    """A World in a new app storing in `folder`, for a module-scoped fixture to yield; closed after."""
    app = create_app({"STORE": str(folder / "data"), "TESTING": True, "SECRET_KEY": "test",
                      "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False})
    yield World(app)
    app.extensions["store"].close()


def client_of(world, name):
    """A test client signed in as `name` (the public: not signed in), sending `name`'s
    bearer token too, so the API answers as that person."""
    client = world.app.test_client()
    if name != ANONYMOUS:
        assert client.post("/sign-in", data={"name": name, "password": "correct horse battery"}).status_code == 302
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[name]}"
    return client


def fingerprint(store):
    """Everything stored but bookkeeping (visits, sign-in throttling, a token's day of last use), as text."""
    records, logs = backup.contents(store, with_secrets=True)  # every collection but sessions
    records = {name: rows for name, rows in records.items() if name not in (VISITS, THROTTLE)}
    records[TOKENS] = [{k: v for k, v in r.items() if k not in ("last_used", "version")}
                       for r in records.get(TOKENS, ())]
    return json.dumps([records, logs], sort_keys=True, default=str)
