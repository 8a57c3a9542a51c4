"""The document list's filters, sort and pages, over what the reader may see."""
import pytest

from workflow import search
from workflow.errors import Invalid
from workflow.users import User

HR, PP = "Human Resources", "Planning & Performance"
hr_staff = User("hr_staff", frozenset({"staff"}), frozenset({HR}))
board = User("board", frozenset({"eodb"}))


def stored(id, kind="eqia", state="draft", team=HR, title=None, fields=None, updated=None, published=False):
    doc = {"id": str(id), "kind": kind, "title": title or f"Document {id}", "state": state, "team": team,
           "author": "someone", "version": 1, "revision": 1, "fields": fields or {}, "submitter": None,
           "published": None, "created_at": "2008-01-01T00:00:00+00:00",
           "updated_at": updated or f"2008-01-01T00:00:{int(id) % 60:02d}+00:00"}
    if published:
        doc["published"] = {"revision": 1, "state": state, "title": doc["title"], "fields": doc["fields"],
                            "approved_by": "head", "approved_at": doc["updated_at"], "content_hash": "0"}
    return doc


def objective(id, heading="The MPA as an Exemplary Employer", strands=("race",), statuses=("red",), **kw):
    fields = {"heading": heading, "strands": list(strands),
              "progress": [{"period": f"{2004 + n}-{(5 + n) % 100:02d}", "status": s}
                           for n, s in enumerate(statuses)]}
    return stored(id, "objective", "approved", published=True, fields=fields, **kw)


def ids(page):
    return [doc["id"] for doc in page.items]


def find(docs, user=hr_staff, **args):
    return search.find(docs, user, search.parse(args), per_page=3)


def test_pages_hold_the_right_slice_and_say_where_they_are():
    docs = [stored(n) for n in range(1, 8)]
    page = find(docs, sort="title", order="asc", page="2")
    assert ids(page) == ["4", "5", "6"]
    assert (page.total, page.number, page.pages, page.first, page.last) == (7, 2, 3, 4, 6)
    last = find(docs, sort="title", order="asc", page="9")
    assert (ids(last), last.number, last.first, last.last) == (["7"], 3, 7, 7)


def test_totals_never_count_documents_the_reader_may_not_see():
    docs = [stored(1), stored(2, team=PP), stored(3, state="approved", published=True)]
    assert (ids(find(docs)), find(docs).total) == (["3", "1"], 2)  # another team's draft is not counted
    assert ids(find(docs, user=board)) == ["3"]
    assert find(docs, user=board, state="draft").total == 0


def test_sort_by_state_follows_the_workflow_and_by_updated_puts_newest_first_by_default():
    docs = [stored(1, state="screened"), stored(2, state="draft"), stored(3, state="assessed")]
    assert ids(find(docs, sort="state", order="asc")) == ["2", "1", "3"]
    assert ids(find(docs)) == ["3", "2", "1"]


def test_heading_strand_and_latest_status_filter_objectives():
    docs = [objective(1), objective(2, heading="The MPA as a Communicator", strands=("age",)),
            objective(3, statuses=("red", "green")), stored(4)]
    assert ids(find(docs, heading="The MPA as an Exemplary Employer")) == ["3", "1"]
    assert ids(find(docs, strand="age")) == ["2"]
    assert ids(find(docs, status="red")) == ["2", "1"]  # the latest report decides: 3 is now green
    assert ids(find(docs, status="green")) == ["3"]


def test_an_eqia_concerns_the_strands_its_screening_did_not_find_neutral():
    screening = {"race": {"impact": "negative"}, "age": {"impact": "neutral"}, "gender": {"impact": "unknown"}}
    docs = [stored(1, fields={"screening": screening})]
    assert find(docs, strand="race").total == 1 and find(docs, strand="gender").total == 1
    assert find(docs, strand="age").total == 0


def test_words_search_the_title_and_every_text_field_ignoring_case():
    docs = [stored(1, title="Recruitment policy"), stored(2, fields={"subject": "Staff RECRUITMENT data"}),
            stored(3, title="Procurement")]
    assert ids(find(docs, q="recruitment")) == ["2", "1"]


def test_a_board_member_searching_finds_only_the_approved_text_not_a_draft():
    doc = stored(1, state="approved", published=True, title="Old words")
    doc = {**doc, "state": "draft", "revision": 2, "title": "Secret new words"}
    assert find([doc], user=board, q="secret").total == 0
    assert find([doc], user=board, q="old words").total == 1


def test_the_state_filter_goes_by_the_state_each_reader_sees():
    """Under revision, a document is a draft to its team and approved to the Board."""
    doc = stored(1, state="approved", published=True)
    doc = {**doc, "state": "draft", "revision": 2}
    assert ids(find([doc], user=board, state="approved")) == ["1"]
    assert ids(find([doc], user=board, state="draft")) == []
    assert ids(find([doc], user=hr_staff, state="draft")) == ["1"]
    assert ids(find([doc], user=hr_staff, state="approved")) == []


@pytest.mark.parametrize("args, bad", [
    ({"kind": "memo"}, "kind"), ({"state": "lost"}, "state"), ({"status": "purple"}, "status"),
    ({"strand": "height"}, "strand"), ({"heading": "Nope"}, "heading"), ({"sort": "colour"}, "sort"),
    ({"order": "sideways"}, "order"), ({"page": "0"}, "page"), ({"page": "two"}, "page"),
    ({"q": "x" * 201}, "q"), ({"team": "t" * 201}, "team"),
])
def test_a_bad_filter_value_is_refused_naming_the_filter(args, bad):
    with pytest.raises(Invalid) as refused:
        search.parse(args)
    assert bad in refused.value.details


def test_only_the_names_sent_are_asked_for():
    """A request's args raise and catch an exception for each name they lack (a cost per list)."""
    class SentOnly(dict):
        def get(self, name, default=None):
            assert name in self, f"asked for {name}, which was not sent"
            return super().get(name, default)

    query = search.parse(SentOnly(kind="eqia", state="approved"))
    assert (query.kind, query.state, query.page, query.q) == ("eqia", "approved", 1, None)


def test_links_keep_the_filters_and_leave_out_defaults():
    query = search.parse({"kind": "eqia", "q": "age", "page": "3"})
    assert query.args(page=4) == {"kind": "eqia", "q": "age", "page": 4}
    assert query.args(page=1) == {"kind": "eqia", "q": "age"}


@pytest.mark.parametrize("user", [board, hr_staff])
@pytest.mark.parametrize("args", [{}, {"sort": "title", "order": "asc"}, {"state": "approved"},
                                  {"sort": "state"}, {"q": "words", "team": HR}])
def test_results_brought_up_to_date_after_changes_equal_results_worked_out_anew(user, args):
    import random
    rng = random.Random(len(args))
    docs = {str(i): stored(i, state=rng.choice(["draft", "approved"]), team=rng.choice([HR, PP]),
                           title=rng.choice(["Some words", "Other", "Words again"]), published=i % 2 == 0)
            for i in range(1, 60)}
    query = search.parse(args)
    found = search.ranked(docs.values(), user, query)
    for _ in range(10):
        changed = {}
        for key in rng.sample(sorted(docs) + ["100", "101"], 6):
            if key in docs and rng.random() < 0.2:
                del docs[key]
                changed[key] = None
            else:
                docs[key] = changed[key] = stored(int(key), state=rng.choice(["draft", "approved"]),
                                                  team=rng.choice([HR, PP]), title=rng.choice(["Words", "Else"]),
                                                  updated=f"2008-02-0{rng.randint(1, 9)}T00:00:00+00:00",
                                                  published=rng.random() < 0.5)
        found = search.reranked(found, changed, user, query)
        assert found == search.ranked(sorted(docs.values(), key=lambda d: int(d["id"])), user, query)
