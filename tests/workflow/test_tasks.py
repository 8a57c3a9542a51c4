"""The document page's task list: each part with its status and where to do it, everything
still needed for every later step at once, each linked to its input, and who acts next."""
from tests.conftest import HR, complete_eqia
from workflow import documents, tasks
from workflow.tasks import CANNOT_START, COMPLETED, INCOMPLETE, NOT_NEEDED, Link
from workflow.users import User

AUTHOR = User("author", frozenset({"staff"}), frozenset({HR}))
LEAD = User("lead", frozenset({"team_leader"}), frozenset({HR}))
READER = User("board", frozenset({"eodb"}))


def eqia(fields, state="draft"):
    doc, _ = documents.create(AUTHOR, "eqia", "Recruitment", HR, fields)
    doc.update(id="7", version=1, state=state)
    return doc


def statuses(doc, user=AUTHOR):
    return {task.name: task.status for task in tasks.task_list(doc, user)[0]}


def test_a_new_eqia_lists_every_part_and_everything_needed_before_sign_off_at_once():
    doc = eqia({})
    assert statuses(doc) == {"Details": INCOMPLETE, "Screening": INCOMPLETE,
                             "Full assessment": CANNOT_START, "Review date": INCOMPLETE}
    _, needed = tasks.task_list(doc, AUTHOR)
    words = [item.words for item in needed]
    # The screening's needs and the submission's, in the order of the steps.
    assert words[:3] == ["Enter the policy, strategy or project assessed", "Select why it is assessed",
                         "Select the impact on race"]
    assert words[-1] == "Enter a review date"
    links = {item.words: item.link for item in needed}
    assert links["Select the impact on race"] == Link("editing.screening", {"doc_id": "7", "strand": "race"},
                                                      "fields-screening-race-impact")
    assert links["Enter a review date"] == Link("editing.edit", {"doc_id": "7"}, "fields-review_date")


def test_the_full_assessment_is_not_needed_without_a_negative_impact_and_linked_where_it_is():
    assert statuses(eqia(complete_eqia(negative=())))["Full assessment"] == NOT_NEEDED
    fields = complete_eqia(negative=("age",))
    del fields["full_assessment"]
    doc = eqia(fields, "screened")
    task = next(t for t in tasks.task_list(doc, LEAD)[0] if t.name == "Full assessment")
    assert task.status == INCOMPLETE and task.link == Link("editing.assessment", {"doc_id": "7"})
    needed = tasks.task_list(doc, LEAD)[1]
    assert needed[0].words == "Enter the evidence and data of the full assessment"
    assert needed[0].link == Link("editing.assessment", {"doc_id": "7"}, "fields-full_assessment-evidence")


def test_a_complete_eqia_has_every_part_completed_and_nothing_needed():
    doc = eqia(complete_eqia(), "screened")
    assert set(statuses(doc, LEAD).values()) == {COMPLETED}
    assert tasks.task_list(doc, LEAD)[1] == []


def test_someone_who_may_not_edit_sees_the_parts_without_links():
    task_list, needed = tasks.task_list(eqia({}), READER)
    assert task_list and all(task.link is None for task in task_list)
    assert needed and all(item.link is None for item in needed)


def test_every_kind_has_its_parts():
    for kind, parts in {"objective": {"Details", "Equality strands", "Deadline", "Progress"},
                        "team_plan": {"Details", "Targets"}}.items():
        doc, _ = documents.create(LEAD, kind, "A plan", HR, {})
        doc.update(id="8", version=1)
        assert {task.name for task in tasks.task_list(doc, LEAD)[0]} == parts
        assert all(item.link and item.link.anchor for item in tasks.task_list(doc, LEAD)[1])


def test_after_each_step_the_message_says_who_acts_next_and_that_they_were_told():
    assert tasks.after_step("screen", eqia(complete_eqia(), "screened")) == (
        "Marked as screened. A team leader of Human Resources submits it for sign-off; they have been told.")
    submitted = eqia(complete_eqia(), "assessed")
    assert tasks.after_step("assess", submitted) == (
        "Submitted for sign-off. The Head of Race and Diversity signs it off or sends it back; "
        "the Head has been told.")
    returned = eqia(complete_eqia())
    returned["returned"] = {"by": "head", "at": "2008-01-01", "comment": "More evidence"}
    assert "have been told why it was sent back" in tasks.after_step("send_back", returned)


def test_the_person_who_acts_next_is_told_it_is_them():
    draft = eqia(complete_eqia())
    author = User(draft["author"], frozenset({"staff"}), frozenset({HR}))
    assert tasks.next_step(draft, author) == f"You or a team leader of {HR} complete it and mark it as screened."
    assert tasks.next_step(draft, LEAD).startswith("The author or a team leader")
    assert tasks.next_step(eqia(complete_eqia(), "screened"), LEAD) == (
        f"You, as a team leader of {HR}, submit it for sign-off.")
    submitted = eqia(complete_eqia(), "assessed")
    submitted["assignee"] = {"name": "hana", "due": None, "by": "hana", "at": "2008-01-01"}
    hana = User("hana", frozenset({"head"}), frozenset(), "2006-01-01")
    assert tasks.next_step(submitted, hana) == "You sign it off or send it back."
    assert tasks.next_step(submitted, LEAD) == "hana signs it off or sends it back; they have been told."


def test_what_a_head_wrote_is_said_to_await_the_chief_executive():
    submitted = {**eqia(complete_eqia(), "assessed"), "head_wrote": ["kim"]}
    assert tasks.next_step(submitted).startswith("The Chief Executive signs it off, as a Head wrote or changed it")
