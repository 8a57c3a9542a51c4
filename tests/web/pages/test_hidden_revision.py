"""A reader who may see only the approved revision (Board, SMT, other teams, the public)
gets the same answers, byte for byte apart from CSRF tokens, before and while a team
revises an approved document: every page and API answer about it, its version, state,
actions and refusals. Once the revision is approved they change (so this can fail)."""
import datetime as dt
import itertools
import re

import pytest

from services import account_service, token_service
from services.demo_service import load_demo
from services.document_service import Documents
from services.meeting_service import Meetings
from tests.conftest import HR, PASSWORD, PP, RDU
from tests.factories import Factory
from workflow import documents
from workflow.users import User

# Readers of the approved revision only: a Board member, the SMT, staff of another team.
READERS = ("board", "smt", "pp_staff")
CSRF = re.compile(r'(name="csrf_token"[^>]*?value=")([^"]*)"')


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}  # the tokens are on every page, as served


def person(store, name, roles, teams=(), trained="2006-01-01"):
    account_service.add_user(store, name, PASSWORD, roles, teams, trained)
    return User(name, frozenset(roles), frozenset(teams), trained)


@pytest.fixture
def world(app, store):
    """The demo's store (the 2004 plan adopted, samples in every state), readers with
    known passwords and tokens, an approved EqIA of Human Resources and a Board
    meeting with the approved objective and the EqIA on its agenda."""
    load_demo(store, lambda line: None)
    docs = Documents(store)
    people = {
        "rdu_lead": person(store, "rdu_lead", ("team_leader",), (RDU,)),
        "hr_lead": person(store, "hr_lead", ("team_leader",), (HR,)),
        "hr_staff": person(store, "hr_staff", ("staff",), (HR,)),
        "head2": person(store, "head2", ("head",), (RDU,)),
        "board": person(store, "board", ("eodb",)),
        "smt": person(store, "smt", ("smt",)),
        "pp_staff": person(store, "pp_staff", ("staff",), (PP,)),
    }
    tokens = {name: token_service.issue_token(store, name) for name in READERS}
    [objective] = [d for d in docs.store.scan("documents", {"kind": "objective"})
                   if d["title"].startswith("Race Equality Scheme")]
    eqia = docs.create(people["hr_staff"], "eqia", "Flexi-time scheme", HR, {
        "subject": "Core hours and flexi-time.", "trigger": "new", "review_date": "2009-01-01",
        "screening": {s: {"impact": "neutral", "differential": False, "intended": False, "evidence": "survey"}
                      for s in ("race", "gender", "disability", "age", "sexual_orientation", "religion_belief")}})
    make = Factory(docs, Meetings(store, docs))
    eqia = make.walk(eqia, "approved", "hr_lead", approver="head2")
    cell = docs.create(people["rdu_lead"], "standard_cell", "Level 1: Leadership", RDU, {
        "level": 1, "area": "leadership", "requirements": "A comprehensive equality policy", "self_assessed": "met",
        "evidence": [{"description": "The scheme", "text": "Adopted in 2005."}]})
    cell = make.walk(cell, "approved", "rdu_lead", approver="head2")
    meeting = make.meetings.create(people["head2"], "EODB", "2030-01-10")
    for doc in (objective, eqia):
        meeting = make.meetings.add_item(meeting["id"], people["head2"], doc["id"])
    return {"docs": docs, "people": people, "tokens": tokens, "ids": (objective["id"], eqia["id"]),
            "cell": cell["id"], "meeting": meeting["id"]}


def _values(world):
    objective, eqia = world["ids"]
    return {"doc_id": [objective, eqia, world["cell"]], "strand": ["race"], "file_key": ["missing"],
            "kind": ["objective", "eqia"], "meeting_id": [world["meeting"]], "number": [1], "name": ["head"],
            "key": ["missing"], "secret": ["no-such-link"], "batch_id": ["missing"],
            "action_id": ["missing"], "plan_key": ["cep-2004"], "team": ["Human Resources"],
            "contact_id": ["missing"], "partner_id": ["missing"], "complaint_id": ["missing"], "consultation_id": ["missing"]}


# Lists that include the documents, as readers ask for them.
LIST_QUERIES = ("/documents?q=Race+Equality+Scheme", "/documents?q=Flexi", "/documents?state=approved",
                "/documents?kind=objective&sort=updated", "/documents?state=draft", "/documents?state=assessed",
                "/api/v1/documents?q=Flexi", "/api/v1/documents?state=approved&per_page=500",
                "/api/v1/documents?state=draft", "/dashboard?period=2007-08+Q3", "/register?q=Flexi",
                "/strategic/1?period=2007-08+Q3", "/documents/{objective}/progress?period=2007-08+Q3",
                "/documents/{objective}/compare?from=1&to=1")


def addresses(app, world):
    """Every GET address of the URL map, each parameter given the world's values, and the lists."""
    values, found = _values(world), []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        names = sorted(rule.arguments)
        for combination in itertools.product(*(values[name] for name in names)):
            found.append(rule.build(dict(zip(names, combination)))[1])
    objective, _ = world["ids"]
    return sorted(set(found)) + [q.format(objective=objective) for q in LIST_QUERIES]


def _sign_in(client, name):
    page = client.get("/sign-in")
    token = CSRF.search(page.text).group(2)
    response = client.post("/sign-in", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.text


def _answer(response):
    """(status, type, body) with the CSRF tokens blanked: they belong to the session, not the document."""
    return response.status_code, response.headers.get("Content-Type"), CSRF.sub(r'\1"', response.get_data(as_text=True))


def signed_in(app):
    """A client per reader (the public's signed in as nobody), each one session for the whole
    test: signing in again would rightly change "since your last visit"."""
    clients = {reader: app.test_client() for reader in (*READERS, None)}
    for reader, client in clients.items():
        if reader:
            _sign_in(client, reader)
    return clients


def snapshot(app, world, clients):
    """{(reader, address): (status, type, body)} for every reader and address (the API's
    with the reader's token), and the API's writes a reader might try with the version
    they were shown. The writes go first: the account page rightly says a token was used."""
    taken = {}
    urls = addresses(app, world)
    for reader, client in clients.items():
        headers = {"Authorization": f"Bearer {world['tokens'][reader]}"} if reader else {}
        if reader:
            taken.update(_api_writes(client, world, reader))
        for url in urls:
            # The public's "please sign in" is flashed to be shown on the next page: a new visitor each time.
            asker = client if reader else app.test_client()
            taken[(reader, url)] = _answer(asker.get(url, headers=headers if url.startswith("/api/") else {}))
    return taken


def _api_writes(client, world, reader):
    """A reader's PATCH (a title, bad fields), transitions and progress, each with the
    version they were shown and with the versions either side of it."""
    headers = {"Authorization": f"Bearer {world['tokens'][reader]}"}
    answers = {}
    for doc_id in (*world["ids"], world["cell"]):
        path = f"/api/v1/documents/{doc_id}"
        shown = client.get(path, headers=headers).json["version"]
        for version in (shown, shown - 1, shown + 1):
            tried = {"PATCH title": client.patch(path, json={"version": version, "title": "Mine now"}, headers=headers),
                     "PATCH fields": client.patch(path, json={"version": version, "fields": {"outcomes": 5}},
                                                  headers=headers),
                     "PUT progress": client.put(f"{path}/progress/2007-08 Q3", json={"version": version, "status": "red"},
                                                headers=headers)}
            for name in ("review", "revise", "approve", "screen", "assess", "send_back"):
                tried[f"POST {name}"] = client.post(f"{path}/transitions", headers=headers,
                                                    json={"name": name, "version": version, "comment": "why"})
            answers.update({(reader, f"{what} {path} {version - shown:+}"): _answer(response)
                            for what, response in tried.items()})
    return answers


def revise_out_of_sight(world):
    """The owning teams revise both documents and work on them: title, fields, progress,
    screening, a return with a comment, a submission and an assignment."""
    docs, people = world["docs"], world["people"]
    objective_id, eqia_id = world["ids"]
    rdu, hr, hr_staff = people["rdu_lead"], people["hr_lead"], people["hr_staff"]
    doc = docs.fire(objective_id, rdu, "revise", docs.load(objective_id)["version"])
    progress = [*doc["fields"]["progress"], {"period": "2007-08 Q2", "status": "red", "evidence": "hidden words",
                                               "reason": "hidden reason"}]
    doc = docs.edit(objective_id, rdu, doc["version"], "A hidden title",
                    {"outcomes": "Hidden outcomes", "progress": progress})
    doc = docs.fire(objective_id, rdu, "screen", doc["version"])
    doc = docs.fire(objective_id, rdu, "assess", doc["version"])
    docs.assign(objective_id, rdu, doc["version"], "head2", "2030-01-01")
    doc = docs.fire(eqia_id, hr, "revise", docs.load(eqia_id)["version"])
    doc = docs.edit(eqia_id, hr_staff, doc["version"], "Flexi-time, hidden", {"subject": "Hidden subject"})
    doc = docs.fire(eqia_id, hr, "screen", doc["version"])
    doc = docs.fire(eqia_id, hr, "send_back", doc["version"], "hidden reason")
    docs.edit(eqia_id, hr_staff, doc["version"], None, {"trigger": "review"})
    doc = docs.fire(world["cell"], rdu, "revise", docs.load(world["cell"])["version"])
    docs.edit(world["cell"], rdu, doc["version"], None, {"self_assessed": "in_progress", "evidence": [
        {"description": "Hidden evidence", "link": "https://hidden.example/plan"}]})


def approve_the_revisions(world):
    docs, people = world["docs"], world["people"]
    objective_id, eqia_id = world["ids"]
    docs.fire(objective_id, people["head2"], "approve", docs.load(objective_id)["version"])
    doc = docs.fire(eqia_id, people["hr_lead"], "screen", docs.load(eqia_id)["version"])
    doc = docs.fire(eqia_id, people["hr_lead"], "assess", doc["version"])
    docs.fire(eqia_id, people["head2"], "approve", doc["version"])


def test_readers_of_the_approved_revision_cannot_tell_a_revision_is_under_way(app, world, monkeypatch):
    clients = signed_in(app)
    before = snapshot(app, world, clients)
    objective_id, eqia_id = world["ids"]
    seen = {address for (reader, address), (status, _, body) in before.items()
            if reader == "board" and status == 200 and ("Flexi-time" in body or "Race Equality Scheme" in body)}
    assert len(seen) >= 20, sorted(seen)  # the documents' own pages, the lists and the API that name them
    # The team works an hour later: no time of change may show through.
    later = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)).isoformat(timespec="seconds")
    monkeypatch.setattr(documents, "now", lambda: later)
    revise_out_of_sight(world)
    during = snapshot(app, world, clients)
    changed = sorted((key for key in before if before[key] != during[key]), key=str)
    assert not changed, _first_difference(before, during, changed)
    approve_the_revisions(world)
    after = snapshot(app, world, clients)
    for reader in READERS:
        for address in (f"/documents/{objective_id}", f"/api/v1/documents/{eqia_id}"):
            assert before[(reader, address)] != after[(reader, address)], (reader, address)
    assert before[(None, f"/register/eqia/{eqia_id}")] != after[(None, f"/register/eqia/{eqia_id}")]


def _first_difference(before, during, changed):
    key = changed[0]
    a, b = before[key][2], during[key][2]
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start, end = max(0, at - 200), at + 200
    return (f"{len(changed)} answers changed, e.g. {changed[:12]}; {key}: status {before[key][0]} -> "
            f"{during[key][0]}; before ...{a[start:end]!r}... during ...{b[start:end]!r}")
