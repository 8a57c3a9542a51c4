"""Documents in every state, people and meetings, made through the real services (never
hand-built stored records): what a test needs to start from is what the workflow makes.

    make = Factory(app)                       # or Factory(documents, meetings) without Flask
    make.person("hr_lead", "team_leader", teams=(HR,), trained="2006-05-10")
    doc = make.document("eqia", "approved", author="hr_lead", approver="head")
"""
import datetime as dt

from services import account_service, token_service
from tests.conftest import HR
from workflow.standard import AREAS

PASSWORD = "correct horse battery"
PAST = (dt.date.today() - dt.timedelta(days=1)).isoformat()
STATES = ("draft", "screened", "assessed", "approved", "reviewed", "revising")
KINDS = ("objective", "eqia", "team_plan", "report", "standard_cell")  # linked-to kinds first
STEPS = {"draft": (), "screened": ("screen",), "assessed": ("screen", "assess"),
         "approved": ("screen", "assess", "approve"), "reviewed": ("screen", "assess", "approve"),
         "revising": ("screen", "assess", "approve", "revise")}


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


class Factory:
    """Makes what tests start from through services.document_service.Documents and
    services.meeting_service.Meetings, as the pages and the API do."""

    def __init__(self, documents, meetings=None):
        self.documents, self.meetings, self.store = documents, meetings, documents.store

    @classmethod
    def of(cls, app):
        return cls(app.extensions["documents"], app.extensions["meetings"])

    def person(self, name, *roles, teams=(), trained=None, password=PASSWORD):
        """A new account; returns an API token for it."""
        account_service.add_user(self.store, name, password, roles, teams, trained)
        return token_service.issue_token(self.store, name)

    def user(self, name):
        return account_service.find_user(self.store, name)

    def document(self, kind, state, author, team, approver="head", board="board", title=None, fields=None,
                 links=None):
        """A `kind` document walked to `state` (STATES) by `author`, `approver` signing it off
        and, for "reviewed", `board` endorsing it at a meeting held yesterday; in "revising",
        its revision 2 is started but not yet edited."""
        doc = self.documents.create(self.user(author), kind, title or f"A {kind} {state}", team,
                                    fields if fields is not None else fields_for(kind, "TEXT", 0, links or {}))
        doc = self.walk(doc, state, author, approver)
        if state == "reviewed":
            self.held_meeting(approver, board, PAST, reviewed=[doc["id"]])
            doc = self.documents.load(doc["id"])
        return doc

    def walk(self, doc, state, author, approver="head"):
        """`doc` (a draft) fired through the transitions to `state`."""
        for step in STEPS[state]:
            doc = self.documents.fire(doc["id"], self.user(approver if step == "approve" else author), step,
                                      doc["version"])
        return doc

    def held_meeting(self, head, board, date, reviewed=(), listed=(), actions=None):
        """A meeting on `date` with `listed` (approved document ids) on its agenda and each of
        `reviewed` endorsed by `board`, the first with `actions` agreed ([{what, team, due}])."""
        meeting = self.meetings.create(self.user(head), f"EODB {date}", date)
        for doc_id in (*listed, *reviewed):
            self.meetings.add_item(meeting["id"], self.user(head), doc_id)
        for n, doc_id in enumerate(reviewed):
            self.meetings.decide(meeting["id"], self.user(board), doc_id, "endorsed", "Endorsed.",
                                 agreed_actions=actions if n == 0 else None)
        return meeting
