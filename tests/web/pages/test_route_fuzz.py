"""Every route in Flask's URL map, every method it allows, as the public and as each role:
whatever hostile values come in the path, the query string, a form or a JSON body, the
answer is never a 5xx.

The routes are read from `app.url_map` (nothing here lists them), so a route added
later is fuzzed too, and so are the parameters: the query names and JSON keys the web
package reads are found in its source. The values are fixed lists, so a run is
deterministic: every role sends every parameter at once, each a different hostile value
(rotated from role to role and from path to path), and the Head, who reaches most routes,
also sends each value of ALONE_VALUES to each parameter alone and every hostile value to
every field of each form, so that no refusal of one parameter hides a fault behind another.
Forms are posted without CSRF tokens (as the other page tests do): CSRF has tests of its own.
"""
import json
import re
from pathlib import Path

import pytest
from werkzeug.routing import IntegerConverter

from services import account_service, credential_service, token_service
from services.demo_service import load_demo
from services.document_service import DOCS
from workflow import kinds, search, strands

WEB = Path(__file__).resolve().parents[3] / "web"
ROLES = {"anonymous": None, "staff": "hr.staff", "team_leader": "hr.lead", "head": "head",
         "chief_executive": "chief.exec", "eodb": "board.member", "smt": "smt.member", "admin": "admin"}  # admin last: it can deactivate others

# Numbers a person would never type but a hostile client will, and text a page must survive.
NUMBERS = ["²", "٣", "①", "-1", "0", "99999999999999999999999999", "1e9", "0x1f", " 7 ", "9999-00", "1900-01 Q5"]
TEXTS = ["", "\x00", "a\r\nb", "\x1b[31m", "\u202e", "=HYPERLINK(\"http://x\")", "x" * 5000,
         "<script>alert(1)</script>", "../../etc/passwd", "%00", "true"]
HOSTILE = NUMBERS + TEXTS
# url_for's own keywords, honoured if a view spreads the query string into it.
URL_FOR_KEYS = ["endpoint", "_scheme", "_external", "_anchor", "_method", "values"]
COMMON_QUERY = ["page", "per_page", "version", "from", "to", "period", "since", "format", "next", "q", "kind",
                "state", "team", "sort", "order", "as_of", "group", "course", "doc_id", "status", "strand",
                "heading", "theme", "overdue", "number"]
# JSON values of every type where another type is expected.
WRONG_TYPES = [None, True, -1, 10 ** 30, 1.5, "²", "a\nb", [], ["x", {"y": 1}], {"a": [1]}, "x" * 5000]
DEEP = "[" * 100_000


def names_read_in(pattern):
    """Every name the web package reads through `pattern` (so new parameters are fuzzed too)."""
    found = set()
    for source in WEB.rglob("*.py"):
        found |= set(re.findall(pattern, source.read_text(encoding="utf-8")))
    return found


READ_QUERY_NAMES = sorted(names_read_in(r'args(?:\.get|\.getlist)?[(\[]"(\w+)"') | set(search.ARGUMENTS)
                          | {"per_page", "from", "to"})
QUERY_NAMES = sorted(set(COMMON_QUERY) | set(URL_FOR_KEYS) | set(READ_QUERY_NAMES))
SWEEPER = "head"  # the role that reaches most routes sends every value to every parameter, one at a time
ALONE_VALUES = ["²", "①", "-1", "99999999999999999999999999", "a\r\nb", "9999-00"]
JSON_NAMES = sorted(names_read_in(r'(?:body|payload)(?:\.get)?[(\[]"(\w+)"') | {"fields", "version", "title"})


def test_the_names_fuzzed_are_read_from_every_view():
    """The pages and the API are in packages of their own (web/pages, web/api): their names count."""
    assert {"as_of", "since"} <= set(READ_QUERY_NAMES)  # read by web/api/report_api.py, web/pages/...
    assert {"decision", "agreed", "note"} <= set(JSON_NAMES)  # read by web/api/meeting_api.py


def rotated(names, turn):
    """Each name a hostile value, a different one on each turn."""
    return {name: HOSTILE[(turn + i) % len(HOSTILE)] for i, name in enumerate(names)}


def json_body(turn):
    body = {name: WRONG_TYPES[(turn + i) % len(WRONG_TYPES)] for i, name in enumerate(JSON_NAMES)}
    body["fields"] = {"strand_set": WRONG_TYPES[turn % len(WRONG_TYPES)],
                      "progress": [{"period": NUMBERS[turn % len(NUMBERS)], "status": WRONG_TYPES[turn % 5]}],
                      "screening": WRONG_TYPES[(turn + 3) % len(WRONG_TYPES)],
                      "review_date": NUMBERS[(turn + 1) % len(NUMBERS)]}
    body["agreed"] = {"period": NUMBERS[turn % len(NUMBERS)], "status": WRONG_TYPES[turn % len(WRONG_TYPES)],
                      "reason": WRONG_TYPES[(turn + 1) % len(WRONG_TYPES)]}
    return body


def form_names(html):
    return sorted(set(re.findall(r'name="([^"]+)"', html)) - {"csrf_token"})


def real_values(store, app):
    """Real values for the path variables the URL map uses, from the demo store."""
    docs = store.scan(DOCS)
    per_kind_state = {}
    for doc in docs:
        per_kind_state.setdefault((doc["kind"], doc["state"]), doc["id"])
    meetings = [m["id"] for m in store.scan("meetings")]
    return {
        "doc_id": sorted(per_kind_state.values(), key=int),
        "meeting_id": meetings[:2],
        "name": ["hr.staff", "head"],
        "strand": list(strands.SETS[strands.DEFAULT].strands[:1]) + ["pregnancy_maternity"],
        "kind": list(kinds.KINDS),
        "period": ["2007-08 Q3", "2008-09"],
        "number": [1, 2],
        "key": [t["id"] for t in store.scan(credential_service.TOKENS)][:1],
        "filename": ["style.css"],
    }


HOSTILE_PATH = ["²", "-1", "99999999999999999999999", "a\r\nb", "9999-00", "x" * 300, "0"]


def fills(app, rule, real):
    """Path values for `rule`: real ones first, then hostile ones, each variable rotated."""
    variables = sorted(rule.arguments)
    if not variables:
        return [{}]
    converters = dict((name, kind) for kind, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule))
    columns = {}
    for name in variables:
        numeric = issubclass(app.url_map.converters.get(converters[name] or "default"), IntegerConverter)
        hostile = [7, 0, 10 ** 19, "٣", "²"] if numeric else HOSTILE_PATH
        columns[name] = list(real.get(name) or ["1"]) + hostile
    width = max(len(column) for column in columns.values())
    return [{name: column[i % len(column)] for name, column in columns.items()} for i in range(width)]


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def world(app, store):
    load_demo(store, lambda line: None)
    head = account_service.find_user(store, "head")
    approved = next(doc for doc in store.scan(DOCS) if doc["state"] == "approved")
    meeting = app.extensions["meetings"].create(head, "EODB", "2007-03-01")
    app.extensions["meetings"].add_item(meeting["id"], head, approved["id"])


class Caller:
    """One role's client: a server-side session for pages, a bearer token for the API."""

    def __init__(self, app, store, name):
        self.client, self.store, self.name = app.test_client(), store, name
        self.session_id = self.token = None

    def ensure_signed_in(self):
        if self.name is None:
            return
        if not self.session_id or not self.store.get(credential_service.SESSIONS, credential_service.digest(self.session_id)):
            self.session_id = credential_service.open_session(self.store, self.name)
            with self.client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = self.session_id, True
        if not self.token or token_service.lookup(self.store, self.token)[0] is None:
            self.token = token_service.issue_token(self.store, self.name)

    def send(self, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        response.get_data()  # a streamed body (the register's CSV) is written out: a fault there counts too
        response.close()
        return response


def build(rule, values):
    from werkzeug.urls import quote
    path = rule.rule
    for name, value in values.items():
        path = re.sub(r"<(?:[^:>]+:)?" + name + ">", quote(str(value), safe=""), path)
    return path


def requests_for(caller, role, rule, method, path, first_fill, step):
    """The hostile requests to send to `path`: every parameter at once, rotated; for the
    sweeping role each parameter alone with each value, so that no refusal of one parameter
    hides a fault behind another; and for writes, forms and JSON bodies of each kind."""
    sweep = role == SWEEPER and first_fill
    requests = [dict(query_string=rotated(QUERY_NAMES, step))]
    if method == "GET" and sweep:
        requests += [dict(query_string={name: value}) for name in READ_QUERY_NAMES for value in ALONE_VALUES]
    elif method == "GET" and first_fill:
        requests += [dict(query_string={name: HOSTILE[(step + i) % len(HOSTILE)]})
                     for i, name in enumerate(READ_QUERY_NAMES)]
    if method == "GET":
        return requests
    fields = form_names(caller.send("GET", path).text) if "GET" in rule.methods else []
    fields += ["version", "title", "period", "code", "number"]
    requests += [dict(data=rotated(fields, step)),
                 dict(data=json.dumps(json_body(step)), content_type="application/json")]
    if sweep:
        requests += [dict(data=dict.fromkeys(fields, value)) for value in HOSTILE]
        requests += [dict(data=json.dumps(json_body(turn)), content_type="application/json")
                     for turn in range(len(WRONG_TYPES))]
    if first_fill:
        requests.append(dict(data=DEEP, content_type="application/json"))
    return requests


def test_no_route_answers_5xx_to_any_role_with_hostile_input(app, store, world):
    real = real_values(store, app)
    rules = sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"), key=lambda r: r.rule)
    assert len(rules) > 50  # the map was read, not an empty list
    failures, sent = [], 0
    for turn, (role, name) in enumerate(ROLES.items()):
        caller = Caller(app, store, name)
        for rule in rules:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for index, values in enumerate(fills(app, rule, real)):
                    caller.ensure_signed_in()
                    path = build(rule, values)
                    for request in requests_for(caller, role, rule, method, path, index == 0, turn + index):
                        response = caller.send(method, path, **request)
                        sent += 1
                        if response.status_code >= 500:
                            shown = {k: (v if not isinstance(v, str) else v[:80]) for k, v in request.items()}
                            failures.append((role, method, path[:80], response.status_code, str(shown)[:300]))
    assert sent > 10_000
    assert not failures, f"{len(failures)} of {sent} answered 5xx:\n" + "\n".join(map(str, failures[:60]))
