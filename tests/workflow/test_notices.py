"""Who is told what after a change, and by the daily reminders (workflow.notices)."""
import datetime as dt

import pytest

from tests.conftest import HR, PP, RDU, complete_eqia
from workflow import cycle, documents, policy
from workflow.notices import Directory, after_change, reminders
from workflow.users import User

PEOPLE = {
    "author": User("author", frozenset({"staff"}), frozenset({HR})),
    "hr_lead": User("hr_lead", frozenset({"team_leader"}), frozenset({HR}), "2006-05-10"),
    "hr_lead2": User("hr_lead2", frozenset({"team_leader"}), frozenset({HR})),
    "pp_lead": User("pp_lead", frozenset({"team_leader"}), frozenset({PP})),
    "head": User("head", frozenset({"head"}), frozenset({RDU}), "2006-03-01"),
    "untrained_head": User("untrained_head", frozenset({"head"}), frozenset({RDU})),
    "lead_head": User("lead_head", frozenset({"team_leader", "head"}), frozenset({HR}), "2006-01-01"),
    "board": User("board", frozenset({"eodb"}), frozenset({HR}), "2007-01-15"),
    "smt": User("smt", frozenset({"smt"})),
}
EVERYONE = list(PEOPLE.values())
DIRECTORY = Directory(EVERYONE)


def step(doc, who, name, comment=None):
    """Fire `name` as `who`; (the document after, the notices it calls for)."""
    after, entry = documents.transition(doc, PEOPLE[who], name, comment)
    return after, after_change(doc, after, entry, DIRECTORY)


def told(notices):
    return sorted(notice.user for notice in notices)


@pytest.fixture
def draft():
    doc, _ = documents.create(PEOPLE["author"], "eqia", "Recruitment policy", HR, complete_eqia())
    return {**doc, "id": "7", "version": 1}


def test_creating_a_draft_tells_nobody(draft):
    doc, entry = documents.create(PEOPLE["author"], "eqia", "New", HR, {})
    assert after_change(None, doc, entry, DIRECTORY) == []


def test_screening_tells_the_owning_teams_leaders_but_not_the_actor(draft):
    _, notices = step(draft, "author", "screen")
    assert told(notices) == ["hr_lead", "hr_lead2", "lead_head"]
    assert all("awaits your team's submission" in n.message for n in notices)
    _, notices = step(draft, "hr_lead", "screen")
    assert told(notices) == ["hr_lead2", "lead_head"]


def test_submission_tells_every_head_who_could_sign_it_off(draft):
    screened, _ = step(draft, "author", "screen")
    _, notices = step(screened, "hr_lead", "assess")
    assert told(notices) == ["head", "lead_head"]  # not the untrained Head
    _, notices = step(screened, "lead_head", "assess")
    assert told(notices) == ["head"]  # the submitter may not approve: never told to


def test_sending_back_tells_the_author_and_the_submitter_with_the_comment(draft):
    screened, _ = step(draft, "author", "screen")
    submitted, _ = step(screened, "hr_lead", "assess")
    _, notices = step(submitted, "head", "send_back", "Add the consultation")
    assert told(notices) == ["author", "hr_lead"]
    assert all("Add the consultation" in n.message for n in notices)
    _, notices = step(submitted, "hr_lead", "send_back", "Not ready")
    assert told(notices) == ["author"]


def test_assigning_tells_the_assignee_and_approving_tells_the_author(draft):
    screened, _ = step(draft, "author", "screen")
    submitted, _ = step(screened, "hr_lead", "assess")
    assigned, entry = documents.assign(submitted, PEOPLE["hr_lead"], PEOPLE["head"], "2008-02-01")
    notices = after_change(submitted, assigned, entry, DIRECTORY)
    assert told(notices) == ["head"] and "by 2008-02-01" in notices[0].message
    _, notices = step(assigned, "head", "approve")
    assert told(notices) == ["author"] and "signed off by head" in notices[0].message


def test_a_board_decision_tells_the_author_and_the_team_leaders_with_the_note(draft):
    screened, _ = step(draft, "author", "screen")
    submitted, _ = step(screened, "hr_lead", "assess")
    approved, _ = step(submitted, "head", "approve")
    pending = {**approved, "board_decision": {"meeting": "1", "decision": "referred_back",
                                              "note": "Consult the staff networks", "held": True}}
    after, entry = documents.transition(pending, PEOPLE["board"], "revise", "Board referred back")
    notices = after_change(approved, after, entry, DIRECTORY)
    assert told(notices) == ["author", "hr_lead", "hr_lead2", "lead_head"]
    assert all("referred back" in n.message and "Consult the staff networks" in n.message for n in notices)


def test_a_board_member_is_never_told_of_an_unapproved_document(draft):
    """Not even when named on it (a forged assignment) or listed in the owning team."""
    screened, notices = step(draft, "author", "screen")
    submitted, more = step(screened, "hr_lead", "assess")
    returned, most = step(submitted, "head", "send_back", "Add the data")
    assert "board" not in told(notices + more + most)
    forged = {**submitted, "assignee": {"name": "board"}}
    entry = documents.entry("2008-01-01", PEOPLE["hr_lead"], "assign", "assessed", "assessed", 1)
    assert after_change(submitted, forged, entry, DIRECTORY) == []



def test_a_notice_asks_only_how_its_reader_may_know_the_document_and_never_of_the_actor(draft, monkeypatch):
    """Whether they see it, and its title there (policy.as_seen): not the whole view of it."""
    after, entry = documents.transition(draft, PEOPLE["hr_lead"], "screen")
    asked, as_seen = [], policy.as_seen
    monkeypatch.setattr(policy, "view", lambda doc, user: pytest.fail("the whole view was worked out"))
    monkeypatch.setattr(policy, "as_seen", lambda doc, user: asked.append(user.name) or as_seen(doc, user))
    notices = after_change(draft, after, entry, DIRECTORY)
    assert told(notices) == ["hr_lead2", "lead_head"]
    assert [notice.title for notice in notices] == ["Recruitment policy"] * 2
    assert sorted(asked) == ["hr_lead2", "lead_head"]

class Watched(User):
    """A person who notes each question the rules ask of them once `asked` is a list."""

    asked = None

    def has(self, role):
        Watched.asked is not None and Watched.asked.append(self.name)
        return super().has(role)

    def leads(self, team):
        Watched.asked is not None and Watched.asked.append(self.name)
        return super().leads(team)


def _every_step(draft):
    """(before, after, entry) of a screening, a submission, a send-back, an assignment, a sign-off
    and a Board's decision."""
    screened, screen = documents.transition(draft, PEOPLE["author"], "screen")
    submitted, assess = documents.transition(screened, PEOPLE["hr_lead"], "assess")
    returned, send_back = documents.transition(submitted, PEOPLE["head"], "send_back", "Add the data")
    assigned, assign = documents.assign(submitted, PEOPLE["hr_lead"], PEOPLE["head"], "2008-02-01")
    approved, approve = documents.transition(assigned, PEOPLE["head"], "approve")
    pending = {**approved, "board_decision": {"meeting": "1", "decision": "referred_back", "held": True}}
    revised, board = documents.transition(pending, PEOPLE["board"], "revise", "Board referred back")
    return [(draft, screened, screen), (screened, submitted, assess), (submitted, returned, send_back),
            (submitted, assigned, assign), (assigned, approved, approve), (approved, revised, board)]


def test_a_change_asks_only_the_people_it_may_concern_of_everyone_in_the_directory(draft, monkeypatch):
    """Everyone is looked through once, as the directory is made (services.notice_service keeps it
    until people change): a change then asks its team's leaders, the people it names or those who
    could sign off, and every other account is not asked anything."""
    strangers = [Watched(f"stranger{i}", frozenset({"team_leader"}), frozenset({PP})) for i in range(40)]
    directory = Directory(EVERYONE + strangers)
    monkeypatch.setattr(Watched, "asked", [])
    for before, after, entry in _every_step(draft):
        assert after_change(before, after, entry, directory) == after_change(before, after, entry, DIRECTORY)
    assert Watched.asked == []


def test_reminders_go_to_the_owning_teams_leaders_and_reports_to_heads():
    overdue_objective = {"id": "1", "kind": "objective", "title": "Train members", "team": HR,
                         "state": "approved", "author": "hr_lead", "version": 1, "revision": 1,
                         "fields": {"deadline": "2007-12", "progress": []}, "published": None}
    old_eqia = {"id": "2", "kind": "eqia", "title": "Old EqIA", "team": PP, "state": "approved",
                "author": "pp_lead", "version": 1, "revision": 1, "fields": {"review_date": "2008-01-01"},
                "published": None}
    today = dt.date(2008, 3, 1)
    due = cycle.needing_attention(cycle.cycle(today), today)
    notices = reminders([overdue_objective, old_eqia], EVERYONE, today, due)
    by_item = sorted((n.user, n.item) for n in notices)
    assert by_item == [("head", "reports"), ("hr_lead", "objective:1"), ("hr_lead2", "objective:1"),
                       ("lead_head", "objective:1"), ("lead_head", "reports"), ("pp_lead", "review:2:2008-01-01"),
                       ("untrained_head", "reports")]
