"""Every GET route of the app (from Flask's URL map, so a new route cannot escape),
fetched by every role and the public, against documents of every kind in every
state: no answer — page, list, count, search, export, feed, report or the API —
carries a marker of a revision kept from that person by the READS table of
tests/authz_world.py, written by hand from DESIGN.md ("Who sees what"). Non-GET routes: tests/test_authorization_writes.py."""
import io
import itertools
import re

import pytest
from pypdf import PdfReader

from tests.authz_world import ANONYMOUS, COMPLAINANT, PEOPLE, built_world, client_of

EVERYONE = (ANONYMOUS, *PEOPLE)
NO_SUCH = "999999"
# Extra query strings per endpoint, so filtered and generated answers are fetched too.
QUERIES = {
    "api.progress_report": [f"?period=2007-08 Q2&format={fmt}" for fmt in ("md", "html", "csv", "pdf")],
    "dashboard.index": ["?period=2007-08 Q2"],
    "strategic.index": ["?period=2007-08 Q2"],
    "progress.write": ["?period=2007-08 Q2"],
    "api.list_documents": ["?period=2007-08 Q2", "?state=draft", "?kind=report"],
    "pages.index": ["?state=draft", "?period=2007-08 Q2"],
}
CSRF = re.compile(r'name="csrf_token" value="[^"]*"')
SEARCHES = ("/documents?q={}", "/register?q={}", "/api/v1/documents?q={}")


@pytest.fixture(scope="module")
def world(tmp_path_factory, cheap_password_hashing):
    yield from built_world(tmp_path_factory.mktemp("matrix"))


def argument_values(world):
    """Argument name -> values for rules without a document; a rule with an argument
    missing here fails the test, so nobody adds a route the matrix does not fetch."""
    return {"meeting_id": [world.meeting_id, world.future_meeting_id, NO_SUCH], "action_id": ["1", NO_SUCH],
            "complaint_id": [world.complaint_id, NO_SUCH],
            "consultation_id": ["1", NO_SUCH],
            "batch_id": [NO_SUCH], "plan_key": ["cep-2004", NO_SUCH], "key": ["cep-2004", NO_SUCH],
            "name": ["hr_staff", "admin"],
            "number": [1, 99], "filename": ["style.css"], "strand": ["race", "nope"], "secret": ["not-a-live-link"],
            "team": ["Human Resources", "No such team"], "contact_id": ["1", NO_SUCH], "partner_id": ["1", NO_SUCH]}


def per_document(world, doc_id):
    """Values of the arguments that go with a document: its own kind, its files."""
    kind = world.store.get("documents", doc_id)["kind"] if doc_id != NO_SUCH else "eqia"
    return {"doc_id": [doc_id], "kind": [kind], "file_key": world.files.get(doc_id, ["nofile"]),
            "strand": ["race"]}


def urls(world):
    """Every GET address of the app, with its arguments filled in every way the world allows."""
    adapter = world.app.url_map.bind("localhost")
    found, plain = [], argument_values(world)
    for rule in world.app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        docs = [*world.marks, NO_SUCH] if "doc_id" in rule.arguments else [None]
        for doc_id in docs:
            table = {**plain, **(per_document(world, doc_id) if doc_id else {})}
            missing = rule.arguments - table.keys()
            assert not missing, f"{rule.rule}: add values for {missing} to the matrix"
            names = sorted(rule.arguments)
            for values in itertools.product(*(table[name] for name in names)):
                url = adapter.build(rule.endpoint, dict(zip(names, values)))
                found += [url] + [url + query for query in QUERIES.get(rule.endpoint, ())]
    return found


def text_of(response):
    """What a reader could get out of an answer: headers and body, PDF as its text."""
    body = response.data
    if body.startswith(b"%PDF"):
        body = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).encode()
    return str(response.headers) + body.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def answers(world):
    """{person: {url: (status, text)}} for every GET address, fetched once."""
    every = urls(world)
    result = {}
    for name in EVERYONE:
        client = client_of(world, name)
        result[name] = {}
        for url in every:
            response = client.get(url)
            result[name][url] = (response.status_code, text_of(response))
    return result


@pytest.mark.parametrize("name", EVERYONE)
def test_no_route_shows_anyone_a_revision_the_policy_keeps_from_them(world, answers, name):
    hidden = world.forbidden_marks(name)
    leaks = [(url, mark) for url, (status, text) in answers[name].items() for mark in hidden if mark in text]
    assert not leaks, leaks[:10]
    crashes = [url for url, (status, _) in answers[name].items() if status >= 500]
    assert not crashes, crashes[:10]


def test_the_matrix_reaches_every_revision(world, answers):
    """The markers are rendered somewhere, so their absence elsewhere means something."""
    seen = "".join(text for _, text in answers["head"].values())
    unseen = [mark for marks in world.marks.values() for mark in marks.values() if mark not in seen]
    assert not unseen and COMPLAINANT in seen


def count_of(client, url):
    """The API's total, or the page without its CSRF tokens (they change by the second)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.json["total"] if response.is_json else CSRF.sub("", response.text)


@pytest.mark.parametrize("name", EVERYONE)
def test_searching_for_a_hidden_marker_finds_nothing_not_even_a_count(world, name):
    client, hidden = client_of(world, name), world.forbidden_marks(name)
    nothing = "SECRETnothingEND"
    for search in SEARCHES:
        if name == ANONYMOUS and not search.startswith("/register"):
            continue  # only the register is open to the public
        empty = count_of(client, search.format(nothing))
        for mark in hidden:
            found = count_of(client, search.format(mark))
            assert (found.replace(mark, nothing) if isinstance(found, str) else found) == empty, (search, mark)


def test_searching_for_a_visible_marker_finds_it(world):
    """The search works, so finding nothing above is the policy, not a broken search."""
    client = client_of(world, "board")
    mark = world.marks[world.ids["eqia-revising"]][1]
    assert count_of(client, f"/api/v1/documents?q={mark}") == 1
