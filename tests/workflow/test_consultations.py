"""What a consultation record holds, how it is checked, and what the public register says of it."""
import pytest

from workflow import consultations, policy
from workflow.errors import Invalid
from workflow.users import User

TEAMS = ("Human Resources", "Community Engagement")


def values(**changes):
    return {"title": "Stop and search monitoring", "team": "Community Engagement",
            "consulted": [{"name": "Brixton Community Forum", "type": "community_group"},
                          {"name": "Black Police Association", "type": "staff_forum"}],
            "start": "2007-03-01", "end": "2007-04-30", "methods": ["meeting", "survey"],
            "responses": "Most wanted the data published quarterly.", "changes": "Published quarterly.",
            "informed": ["12"], **changes}


def refused(**changes):
    with pytest.raises(Invalid) as exc:
        consultations.checked(values(**changes), TEAMS)
    return exc.value.details


def test_a_whole_consultation_is_kept_as_given_and_an_end_may_be_left_out():
    assert consultations.checked(values(), TEAMS)["consulted"][1]["type"] == "staff_forum"
    assert consultations.checked(values(end=None, changes=None, informed=None), TEAMS)["informed"] == []


@pytest.mark.parametrize("changes, path", [
    ({"title": " "}, "title"), ({"title": "a\nb"}, "title"), ({"team": "Nowhere"}, "team"),
    ({"consulted": []}, "consulted"), ({"consulted": [{"name": "X", "type": "mob"}]}, "consulted.0.type"),
    ({"consulted": [{"name": "", "type": "partner"}]}, "consulted.0.name"),
    ({"consulted": [{"name": "X"}]}, "consulted.0"), ({"start": "2007-02-30"}, "start"),
    ({"end": "2007-02-28"}, "end"), ({"end": "soon"}, "end"), ({"methods": []}, "methods"),
    ({"methods": ["séance"]}, "methods"), ({"methods": ["meeting", "meeting"]}, "methods"),
    ({"responses": None}, "responses"), ({"responses": "x" * 20_001}, "responses"), ({"changes": 3}, "changes"),
    ({"informed": ["12", "abc"]}, "informed"), ({"informed": "12"}, "informed"), ({"informed": [12]}, "informed"),
])
def test_each_bad_answer_is_refused_by_the_field_it_is_about_in_words(changes, path):
    details = refused(**changes)
    assert list(details) == [path]
    assert "." not in details[path].split(" ")[0] and "_" not in details[path]


def test_every_bad_answer_is_named_at_once():
    assert set(refused(title="", start="x", methods=None, responses="")) == {"title", "start", "methods", "responses"}


def test_the_register_says_who_was_consulted_in_general_terms_without_any_name():
    record = {**consultations.checked(values(), TEAMS), "id": "1"}
    said = consultations.in_general_terms(record)
    assert said["who"] == "Community group and Staff forum or network"
    assert said["methods"] == "Meeting and Survey"
    assert "Brixton" not in str(said) and "Black Police Association" not in str(said)


def test_the_consultations_that_informed_a_document_newest_first():
    older = {"id": "1", "start": "2006-01-01", "informed": ["7"]}
    newer = {"id": "2", "start": "2007-01-01", "informed": ["7", "8"]}
    other = {"id": "3", "start": "2008-01-01", "informed": ["8"]}
    assert [c["id"] for c in consultations.informing([older, other, newer], "7")] == ["2", "1"]


@pytest.mark.parametrize("user, keeps", [
    (User("s", frozenset({"staff"}), frozenset({"Human Resources"})), True),
    (User("l", frozenset({"team_leader"}), frozenset({"Human Resources"})), True),
    (User("h", frozenset({"head"})), True),
    (User("o", frozenset({"staff"}), frozenset({"CLAMS"})), False),
    (User("b", frozenset({"eodb"}), frozenset({"Human Resources"})), False),
    (User("a", frozenset({"admin"})), False),
    (None, False),
])
def test_a_consultation_is_kept_by_its_teams_staff_and_leaders_and_the_head(user, keeps):
    assert policy.may_keep_consultation(user, "Human Resources") is keeps


def test_board_members_and_the_public_do_not_read_the_consultations_which_name_groups():
    assert not policy.may_read_consultations(User("b", frozenset({"eodb"})))
    assert not policy.may_read_consultations(None)
    assert policy.may_read_consultations(User("b", frozenset({"eodb", "smt"})))


@pytest.mark.parametrize("changes", [{"methods": [{"a": 1}]}, {"consulted": [{"name": "X", "type": ["partner"]}]},
                                     {"team": {"a": 1}}, {"start": 20070301}, {"title": ["x"]}])
def test_answers_of_the_wrong_type_are_refused_not_crashed_on(changes):
    assert list(refused(**changes)) == [next(iter(changes)) if "consulted" not in changes else "consulted.0.type"]
