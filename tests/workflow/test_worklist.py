"""My work: what awaits each person, and nothing they may not see."""
import datetime as dt

from workflow.users import User
from workflow.worklist import BOARD, FIRST_VISIT_SHOWN, agendas, count, rework, with_agendas, work

HR, PP = "Human Resources", "Planning & Performance"
TODAY = dt.date(2008, 3, 10)

head = User("head", frozenset({"head"}), frozenset({"Race & Diversity Unit"}), trained="2006-03-01")
other_head = User("other_head", frozenset({"head"}), trained="2006-03-01")
hr_lead = User("hr_lead", frozenset({"team_leader"}), frozenset({HR}))
hr_staff = User("hr_staff", frozenset({"staff"}), frozenset({HR}))
pp_staff = User("pp_staff", frozenset({"staff"}), frozenset({PP}))
board = User("board", frozenset({"eodb"}))
lead_head = User("lead_head", frozenset({"team_leader", "head"}), frozenset({HR}), trained="2006-01-01")


def doc(id, state="draft", team=HR, author="hr_staff", **extra):
    stored = {"id": str(id), "kind": "eqia", "title": f"Document {id}", "state": state, "team": team,
              "author": author, "version": 1, "revision": 1, "fields": {}, "submitter": None,
              "published": None, "created_at": "2008-01-01T09:00:00+00:00",
              "updated_at": f"2008-01-{int(id):02d}T09:00:00+00:00", "assignee": None, "returned": None}
    stored.update(extra)
    return stored


def approved(id, at, state="approved", **extra):
    published = {"revision": 1, "state": "approved", "title": f"Document {id}", "fields": {},
                 "approved_by": "head", "approved_at": at, "content_hash": "0" * 64}
    return doc(id, state, published=published, **extra)


def my_work(docs, user, previous_visit=None, today=None):
    return work(docs, user, previous_visit, today).sections


def sections(user, docs, previous_visit=None):
    return {s.key: [item.doc["id"] for item in s.items] for s in my_work(docs, user, previous_visit, TODAY)}


def test_the_heads_assigned_items_come_first_soonest_due_first_then_unassigned_ones():
    docs = [doc(1, "assessed", submitter="hr_lead"),
            doc(2, "assessed", submitter="hr_lead", assignee={"name": "head", "due": "2008-04-01", "by": "hr_lead", "at": "x"}),
            doc(3, "assessed", submitter="hr_lead", assignee={"name": "head", "due": "2008-03-01", "by": "hr_lead", "at": "x"}),
            doc(4, "assessed", submitter="hr_lead", assignee={"name": "other_head", "due": None, "by": "hr_lead", "at": "x"})]
    found = my_work(docs, head, None, TODAY)
    assert [s.key for s in found][:2] == ["assigned", "to_sign_off"]
    assigned = found[0].items
    assert [i.doc["id"] for i in assigned] == ["3", "2"]
    assert [(i.due, i.overdue) for i in assigned] == [("2008-03-01", True), ("2008-04-01", False)]
    assert [i.doc["id"] for i in found[1].items] == ["1"]  # another Head's assignment is theirs


def test_a_head_is_not_asked_to_sign_off_their_own_submission():
    docs = [doc(1, "assessed", submitter="lead_head"), doc(2, "assessed", submitter="hr_lead")]
    found = sections(lead_head, docs)
    assert found["to_sign_off"] == ["2"]
    assert found["no_approver"] == ["1"]  # still their team's to get an approver for


def test_a_team_leader_sees_their_teams_screened_returned_and_unassigned_work_only():
    returned = {"by": "head", "at": "2008-02-01T10:00:00+00:00", "comment": "Consult the staff networks"}
    docs = [doc(1, "screened"), doc(2, "draft", returned=returned), doc(3, "assessed", submitter="hr_lead"),
            doc(4, "assessed", assignee={"name": "head", "due": None, "by": "hr_lead", "at": "x"}),
            doc(5, "screened", team=PP, author="pp_staff"), doc(6, "draft")]
    found = my_work(docs, hr_lead, None, TODAY)
    by_key = {s.key: s for s in found}
    assert [i.doc["id"] for i in by_key["to_submit"].items] == ["1"]
    assert [i.doc["id"] for i in by_key["no_approver"].items] == ["3"]
    [sent_back] = by_key["sent_back_to_team"].items
    assert sent_back.returned["comment"] == "Consult the staff networks"
    assert "assigned" not in by_key  # nothing assigned to them, so the section is left out


def test_staff_see_their_own_drafts_and_what_was_sent_back_with_the_comment():
    returned = {"by": "hr_lead", "at": "2008-02-01T10:00:00+00:00", "comment": "Answer the age strand"}
    docs = [doc(1), doc(2, returned=returned), doc(3, author="hr_lead"), doc(4, "screened")]
    found = my_work(docs, hr_staff, None, TODAY)
    by_key = {s.key: [i.doc["id"] for i in s.items] for s in found}
    assert by_key == {"sent_back_to_you": ["2"], "drafts": ["1"]}
    assert found[0].items[0].returned["comment"] == "Answer the age strand"


def test_a_board_member_sees_only_items_approved_since_their_last_visit_and_no_working_copies():
    docs = [approved(1, "2008-01-05T10:00:00+00:00"), approved(2, "2008-03-01T10:00:00+00:00"),
            doc(3, "assessed"), doc(4, "draft", author="board")]
    found = my_work(docs, board, "2008-02-01T00:00:00+00:00", TODAY)
    assert [(s.key, [i.doc["id"] for i in s.items]) for s in found] == [("approved_since", ["2"])]
    assert count(found) == 1


def test_a_board_member_on_a_first_visit_sees_the_latest_few_approved_items_not_the_whole_register():
    docs = [approved(i, f"2008-01-{i:02d}T10:00:00+00:00") for i in range(1, 69)]  # 68, as in the issue
    [found] = my_work(docs, board, None, TODAY)
    assert found.title == "Recently approved"
    assert [i.doc["id"] for i in found.items] == [str(i) for i in range(68, 68 - FIRST_VISIT_SHOWN, -1)]
    assert found.left_out == 68 - FIRST_VISIT_SHOWN and count([found]) == FIRST_VISIT_SHOWN

    same_second = [approved(i, "2008-01-05T10:00:00+00:00") for i in range(1, 8)]
    [found] = my_work(same_second, board, None, TODAY)
    assert [i.doc["id"] for i in found.items] == ["7", "6", "5", "4", "3"]


def test_a_revision_in_progress_is_not_new_work_for_the_board():
    revising = approved(1, "2008-03-01T10:00:00+00:00", state="draft", revision=2)
    found = my_work([revising], board, None, TODAY)
    [item] = found[0].items
    assert item.doc["state"] == "approved" and item.doc["revision"] == 1


def test_another_teams_documents_never_appear_or_count():
    docs = [doc(1, "screened"), doc(2, "draft", returned={"by": "a", "at": "b", "comment": "c"})]
    found = my_work(docs, pp_staff, None, TODAY)
    assert count(found) == 0


def test_each_document_is_listed_once_so_the_count_equals_the_items():
    returned = {"by": "head", "at": "2008-02-01T10:00:00+00:00", "comment": "why"}
    author_lead = User("hr_lead", frozenset({"team_leader", "staff"}), frozenset({HR}))
    docs = [doc(1, author="hr_lead", returned=returned), doc(2, author="hr_lead")]
    found = my_work(docs, author_lead, None, TODAY)
    listed = [i.doc["id"] for s in found for i in s.items]
    assert sorted(listed) == ["1", "2"] and count(found) == 2


def test_my_work_brought_up_to_date_after_changes_equals_my_work_worked_out_anew():
    """rework looks again at the documents that changed alone: after each round of changes
    (new states, assignments, returns, approvals, overdue mitigations, deletions) its
    sections are those my_work finds over every document, for every kind of person."""
    import random
    rng = random.Random(3)
    returned = {"by": "head", "at": "2008-02-01T10:00:00+00:00", "comment": "Consult"}
    mitigation = {"strand": "race", "action": "Outreach", "owner": "HR", "deadline": "2008-01"}

    def random_doc(i):
        state = rng.choice(["draft", "screened", "assessed", "approved"])
        extra = {"author": rng.choice(["hr_staff", "pp_staff", "hr_lead"]), "team": rng.choice([HR, PP]),
                 "updated_at": f"2008-01-{rng.randint(1, 28):02d}T09:00:00+00:00"}
        if state == "assessed":
            extra["submitter"] = "hr_lead"
            if rng.random() < 0.5:
                extra["assignee"] = {"name": "head", "due": rng.choice([None, "2008-03-01", "2008-04-01"]),
                                     "by": "hr_lead", "at": "2008-02-02"}
        if state == "draft" and rng.random() < 0.5:
            extra["returned"] = returned
        if rng.random() < 0.4:
            extra["fields"] = {"full_assessment": {"mitigations": [mitigation]}}
        if state == "approved":
            return approved(i, f"2008-02-{rng.randint(1, 28):02d}T09:00:00+00:00", **extra)
        return doc(i, state, **extra)

    docs = {str(i): random_doc(i) for i in range(1, 40)}
    for user in (head, hr_lead, hr_staff, pp_staff, board, lead_head):
        kept = work(docs.values(), user, "2008-02-10T00:00:00+00:00", TODAY)
        for _ in range(8):
            changed = {}
            for key in rng.sample(sorted(set(docs) | {str(i) for i in range(1, 60)}), 5):
                if key in docs and rng.random() < 0.2:
                    del docs[key]
                    changed[key] = None
                else:
                    docs[key] = changed[key] = random_doc(int(key))
            kept = rework(kept, changed)
            anew = my_work(sorted(docs.values(), key=lambda d: int(d["id"])), user, "2008-02-10T00:00:00+00:00", TODAY)
            assert kept.sections == anew
            assert count(kept.sections) == count(anew)


def meeting(id, date, items, decided=()):
    """A Board meeting record with `items` [(number, document id, revision)] on its agenda."""
    return {"id": str(id), "title": f"EODB {date}", "date": date, "venue": None,
            "items": [{"number": n, "document": str(d), "revision": r, "title": f"Document {d}", "kind": "eqia"}
                      for n, d, r in items],
            "decisions": [{"document": str(d), "decision": "noted"} for d in decided]}


def on_record(*docs):
    return {d["id"]: d for d in docs}


def test_the_board_is_led_to_held_meetings_with_items_awaiting_its_decision_and_those_items_alone():
    stored = on_record(*(approved(i, "2008-01-05T10:00:00+00:00") for i in range(1, 6)))
    # Reviewed at another meeting (by another body, say): this meeting's decision on it still waits.
    stored["4"] = approved(4, "2008-01-05T10:00:00+00:00", state="reviewed")
    stored["4"]["published"]["state"] = "reviewed"
    every = [meeting(1, "2008-02-01", [(1, 1, 1), (2, 2, 1), (3, 4, 1)], decided=[1]),  # 2 and 4 wait
             meeting(2, "2008-03-10", [(1, 3, 1)]),  # today: held, awaiting
             meeting(3, "2008-04-01", [(1, 5, 1)]),  # not yet held
             meeting(4, "2008-01-10", [(1, 1, 1)], decided=[1])]  # all decided
    found = agendas(every, stored, board, TODAY)
    assert [(a.meeting["id"], [i["document"] for i in a.items], a.today) for a in found] == [
        ("1", ["2", "4"], False), ("2", ["3"], True)]


def test_an_item_revised_and_approved_again_since_it_was_put_on_the_agenda_no_longer_awaits_that_meeting():
    revised = approved(1, "2008-02-05T10:00:00+00:00")
    revised["published"]["revision"] = 2
    assert agendas([meeting(1, "2008-02-01", [(1, 1, 1)])], on_record(revised), board, TODAY) == []


def test_only_those_who_record_the_boards_decisions_are_led_to_the_agendas():
    every, stored = [meeting(1, "2008-02-01", [(1, 1, 1)])], on_record(approved(1, "2008-01-05T10:00:00+00:00"))
    assert [len(a.items) for a in agendas(every, stored, head, TODAY)] == [1]
    for user in (hr_lead, hr_staff):
        assert agendas(every, stored, user, TODAY) == []


def test_the_agendas_lead_my_work_their_items_counted_once_and_not_again_as_newly_approved():
    docs = [approved(1, "2008-03-01T10:00:00+00:00"), approved(2, "2008-03-02T10:00:00+00:00")]
    every = [meeting(1, "2008-03-05", [(1, 1, 1)])]
    found = with_agendas(my_work(docs, board, "2008-02-01T00:00:00+00:00", TODAY), agendas(every, on_record(*docs), board, TODAY))
    assert [s.key for s in found] == [BOARD, "approved_since"]
    assert [i.doc["id"] for i in found[1].items] == ["2"]
    assert count(found) == 2
