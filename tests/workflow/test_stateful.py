"""Random sequences of edits and transitions by random people, checked after every step."""
import hypothesis.strategies as st
from hypothesis import HealthCheck, event, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from services.document_service import Documents
from services.storage import open_app_store
from tests.conftest import HR, PP, RDU, complete_eqia, full_assessment, screening
from workflow import documents, machine, meetings, policy
from workflow.errors import WorkflowError
from workflow.users import User

PEOPLE = [
    User("ann", frozenset({"staff"}), frozenset({HR})),
    User("tom", frozenset({"team_leader"}), frozenset({HR})),
    User("tess", frozenset({"team_leader"}), frozenset({HR})),
    User("pat", frozenset({"team_leader"}), frozenset({PP})),
    User("helen", frozenset({"head"}), frozenset({RDU}), trained="2006-01-01"),
    User("hugh", frozenset({"head", "team_leader"}), frozenset({HR}), trained="2006-01-01"),
    User("untrained", frozenset({"head"}), frozenset({RDU})),
    User("bella", frozenset({"eodb"}), trained="2007-01-01"),
]
BOARD = [p for p in PEOPLE if p.roles == {"eodb"}]
PUBLISHED = ("approved", "reviewed")  # DESIGN.md: what the Board sees, written out rather than asked of machine
EDITS = [
    {"screening": screening()},
    {"screening": screening(["age"])},
    {"screening": screening(["race"], intended=["race"])},
    {"review_date": "2008-04-01"},
    {"full_assessment": full_assessment(["age"])},
    {"full_assessment": {**full_assessment(["race"]), "justification": "lawful positive action"}},
    {"subject": "changed subject"},
]


class Workflow(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        import tempfile
        self.tmp = tempfile.TemporaryDirectory()
        self.store = open_app_store(self.tmp.name)
        self.docs = Documents(self.store)
        self.ids = []

    def teardown(self):
        self.store.close()
        self.tmp.cleanup()

    @rule(author=st.sampled_from(PEOPLE[:2] + PEOPLE[5:6]), ready=st.booleans())
    def create(self, author, ready):
        fields = complete_eqia() if ready else {"subject": "Survey", "trigger": "new"}
        doc = self.docs.create(author, "eqia", "EqIA", HR, fields)
        self.ids.append(doc["id"])

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), who=st.sampled_from(PEOPLE), change=st.sampled_from(EDITS))
    def edit(self, data, who, change):
        doc = self.docs.load(data.draw(st.sampled_from(self.ids)))
        try:
            self.docs.edit(doc["id"], who, doc["version"], changes=change)
        except WorkflowError:
            pass

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), who=st.sampled_from(PEOPLE), name=st.sampled_from(list(machine.BY_NAME)),
          comment=st.sampled_from([None, "", "please add evidence"]))
    def fire(self, data, who, name, comment):
        doc = self.docs.load(data.draw(st.sampled_from(self.ids)))
        allowed = name in policy.actions(doc, who) and (name != "send_back" or comment)
        try:
            self.docs.fire(doc["id"], who, name, doc["version"], comment)
        except WorkflowError:
            assert not allowed, f"{who.name} was refused {name} though it was offered"
        else:
            assert allowed, f"{who.name} fired {name} though it was not offered"

    @precondition(lambda self: self.ids)
    @rule(data=st.data())
    def take_it_to_sign_off(self, data):
        """The usual path, so that approved documents and Board decisions are common too."""
        doc_id = data.draw(st.sampled_from(self.ids))
        for who, name in ((PEOPLE[0], "screen"), (PEOPLE[1], "screen"), (PEOPLE[1], "assess"), (PEOPLE[4], "approve")):
            doc = self.docs.load(doc_id)
            try:
                self.docs.fire(doc_id, who, name, doc["version"])
            except WorkflowError:
                pass

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), who=st.sampled_from(PEOPLE), decision=st.sampled_from(meetings.DECISIONS))
    def board_decides(self, data, who, decision):
        """A held meeting puts the document on its agenda (if it may) and `who` minutes a decision."""
        doc = self.docs.load(data.draw(st.sampled_from(self.ids)))
        meeting = {"id": "1", "title": "EODB", "date": "2007-12-06", "items": [], "decisions": []}
        try:
            meeting = meetings.add_item(meeting, doc, PEOPLE[4])
            _, updated, entry = meetings.decide(meeting, doc, who, decision, "the Board's note")
            self.docs.save(doc, updated, entry)
            event(f"board decision recorded: {decision}")
        except WorkflowError:
            pass

    @invariant()
    def board_sees_only_approved_revisions(self):
        for doc_id in self.ids:
            doc = self.docs.load(doc_id)
            approvals = {e["revision"]: e for e in self.store.log("history", doc_id) if e["action"] == "approve"}
            for member in BOARD:
                seen = policy.view(doc, member)
                listed = [d for d in self.docs.search(member) if d["id"] == doc_id]
                if seen is None:
                    assert not approvals and not listed
                    continue
                assert seen["state"] in PUBLISHED and listed == [seen]
                approval = approvals[seen["revision"]]
                content = {"kind": doc["kind"], "title": seen["title"], "team": doc["team"],
                           "revision": seen["revision"], "fields": seen["fields"]}
                assert documents.content_hash(content) == approval["content_hash"]

    @invariant()
    def every_approval_is_by_a_head_other_than_author_and_submitter(self):
        people = {p.name: p for p in PEOPLE}
        for doc_id in self.ids:
            doc = self.docs.load(doc_id)
            submitter = None
            for entry in self.store.log("history", doc_id):
                if entry["action"] == "assess":
                    submitter = entry["actor"]
                elif entry["action"] == "approve":
                    approver = people[entry["actor"]]
                    assert approver.has("head") and approver.trained
                    assert approver.name not in (doc["author"], submitter)
            if doc["state"] in PUBLISHED:
                assert doc["published"]["approved_by"] not in (doc["author"], doc["published"]["submitter"])

    @invariant()
    def nothing_is_reviewed_without_a_board_decision(self):
        for doc_id in self.ids:
            for entry in self.store.log("history", doc_id):
                if entry["action"] == "review":
                    assert entry["board"]["decision"] in ("endorsed", "noted")


Workflow.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None,
                                      suppress_health_check=[HealthCheck.too_slow])
test_workflow_rules_hold_for_random_sequences = Workflow.TestCase
