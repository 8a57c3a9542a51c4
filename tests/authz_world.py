"""A store holding every kind of document in every state, each revision's title and
text carrying its own marker, and the people who look at it: the world of the
authorization matrix (tests/test_authorization_matrix.py).

Built once through the real services (services.document_service, services.meeting_service), so documents are
what the workflow makes of them, not hand-written records.
"""
import datetime as dt
import json

from services import account_service, audit_service, backup_service, complaint_service, harassment_service, partner_service
from services.audit_service import Actor
from services.consultation_service import Consultations
from services.credential_service import TOKENS, VISITS
from services.document_service import FILES
from services.throttle_service import THROTTLE
from store import Put
from tests.conftest import HR, PP, RDU
from tests.factories import KINDS, PAST, STATES, Factory, fields_for
from web import create_app
from workflow import evidence_files
from workflow.kinds import standard_cell

ANONYMOUS = "anonymous"
# Complaint 1 of the log is about Human Resources; the person's details carry this marker, which
# only those who keep it see: the team's staff and leader, and the Head (README.md).
COMPLAINANT = "COMPLAINANTmarkerEND"
SEE_COMPLAINANT = {"hr_staff", "hr_lead", "head"}
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

# Who may read what, written by hand from DESIGN.md ("Who sees what") and README.md, never
# asked of workflow.policy: a change of the rule there then fails the matrix. In the
# order of STATES: W the working copy (in `revising`, revision 2 as well as the approved
# 1), A the approved revision only, - nothing.
TEAM_READS = "W W W A A W"  # the owning team, the author and the Head
OTHERS_READ = "- - - A A A"  # everyone else signed in, and the public register's kinds
NOBODY_READS = "- - - - - -"
READS = {  # person -> (Human Resources' objective, eqia, team_plan; the Unit's report, standard_cell)
    "hr_staff": (TEAM_READS, OTHERS_READ),
    "hr_lead": (TEAM_READS, OTHERS_READ),
    "pp_staff": (OTHERS_READ, OTHERS_READ),
    "pp_lead": (OTHERS_READ, OTHERS_READ),
    "rdu_lead": (OTHERS_READ, TEAM_READS),
    "head": (TEAM_READS, TEAM_READS),
    "board": (OTHERS_READ, OTHERS_READ),
    "smt": (OTHERS_READ, OTHERS_READ),
    "admin": (OTHERS_READ, OTHERS_READ),
}
# The public register: approved EqIAs and objectives' approved progress, nothing else.
PUBLIC_READS = {"objective": OTHERS_READ, "eqia": OTHERS_READ, "team_plan": NOBODY_READS,
                "report": NOBODY_READS, "standard_cell": NOBODY_READS}


def reads(name, kind, state):
    """W, A or - (see READS) for `name` reading the world's `kind` in `state`."""
    if name == ANONYMOUS:
        row = PUBLIC_READS[kind]
    else:
        row = READS[name][kind in OWNERS]
    return row.split()[STATES.index(state)]


def marker(kind, state, revision):
    """Unique, alphanumeric (Markdown, HTML escaping and PDF text leave it whole),
    and no marker is a part of another."""
    return f"SECRET{kind.replace('_', '')}{state.capitalize()}R{revision}END"


class World:
    """Documents (label -> stored id), their markers, files and meetings, in `app`."""

    def __init__(self, app):
        self.app, self.store = app, app.extensions["store"]
        self.documents, self.meetings = app.extensions["documents"], app.extensions["meetings"]
        self.make = Factory.of(app)
        self.tokens = {name: self.make.person(name, *roles, teams=teams, trained=trained)
                       for name, (roles, teams, trained) in PEOPLE.items()}
        self.ids, self.marks, self.files = {}, {}, {}  # label -> id; id -> {rev: marker}; id -> [keys]
        links = {}
        for kind in KINDS:
            for index, state in enumerate(STATES):
                label = f"{kind}-{state}"
                self.ids[label] = self._document(kind, state, index, links)
                links.setdefault(kind, self.ids[label])  # the draft of each kind
        self.meeting_id = self._review_all()
        self.future_meeting_id = self.meetings.create(self.user("head"), "EODB next", "2099-01-01")["id"]
        # Human Resources' contact for racism and harassment and its partner (each number 1): who may change them.
        harassment_service.add(self.store, self.user("head"), {"name": "Pat Quinn", "phone": "020 7202 0101",
                                                               "team": HR}, Actor("head"))
        partner_service.add(self.store, self.user("head"), {"name": "Acme", "provides": "Cleaning", "team": HR},
                            Actor("head"))
        self.complaint_id = complaint_service.add(self.store, self.user("hr_staff"), audit_service.COMMAND_LINE, {
            "kind": "complaint", "received": PAST, "channel": "letter", "team": HR, "strands": ["race"],
            "summary": "Complaint summary", "name": COMPLAINANT, "contact": COMPLAINANT, "reference": COMPLAINANT},
            dt.date.today())["id"]
        # Consultation 1, kept by Human Resources: who may change it is tested too.
        Consultations(self.store, self.documents).create(self.user("hr_lead"), {
            "title": "Recruitment", "team": HR, "consulted": [{"name": "Staff network", "type": "staff_forum"}],
            "start": PAST, "methods": ["survey"], "responses": "Welcomed"})

    def user(self, name):
        return None if name == ANONYMOUS else account_service.find_user(self.store, name)

    def _document(self, kind, state, index, links):
        author, team = OWNERS.get(kind, ("hr_lead", HR))
        mark = marker(kind, state, 1)
        doc = self.documents.create(self.user(author), kind, f"Title {mark}", team,
                                    fields_for(kind, mark, index, links))
        self.marks[doc["id"]] = {1: mark}
        doc = self.make.walk(self._attach_file(doc, author, mark), state, author)
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
        listed = [self.ids[f"{kind}-{state}"] for kind in KINDS for state in ("approved", "revising")]
        reviewed = [self.ids[f"{kind}-reviewed"] for kind in KINDS]
        # With an action Human Resources owns (action 1): who may mark it done is tested too.
        return self.make.held_meeting("head", "board", PAST, reviewed=reviewed, listed=listed,
                                      actions=[{"what": "Train all staff", "team": HR, "due": "2099-01-01"}])["id"]

    def forbidden_marks(self, name):
        """Every marker of a revision `name` may not read, as the READS table says."""
        hidden = []
        for label, doc_id in self.ids.items():
            kind, state = label.split("-")
            readable = {"W": self.marks[doc_id].keys(), "A": {1}, "-": set()}[reads(name, kind, state)]
            hidden += [mark for revision, mark in self.marks[doc_id].items() if revision not in readable]
        return hidden + ([] if name in SEE_COMPLAINANT else [COMPLAINANT])


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
    records, logs = backup_service.contents(store, with_secrets=True)  # every collection but sessions
    records = {name: rows for name, rows in records.items() if name not in (VISITS, THROTTLE)}
    records[TOKENS] = [{k: v for k, v in r.items() if k not in ("last_used", "version")}
                       for r in records.get(TOKENS, ())]
    return json.dumps([records, logs], sort_keys=True, default=str)
