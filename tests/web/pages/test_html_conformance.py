"""Every HTML page the product serves is valid HTML by the Nu HTML Checker (vnu.jar): 0 errors.

The pages are fetched through Flask's test client, not a browser: the test walks every route of
the URL map (the pages the browser tests visit and the rest) over the demo data, for every EqIA
and one document of each other kind in each state, signed out and as each role, and posts every
form empty so that its error messages are checked too. That reaches every page and every state of
a form in seconds, where the browser journeys see a few; the checker then runs once over them all.
"""
import re

from services.demo_service import DEMO_ACCOUNTS, HR, load_demo
from services.document_service import Documents
from tests.conftest import complete_eqia
from tests.nu_checker import html_errors
from tests.web.browsing import link_path, sign_in
from workflow import kinds
from workflow.users import User

ROLES = (None, "head", "rdu.lead", "hr.lead", "hr.staff", "board.member", "admin")  # the demo's people
POSTERS = ("hr.lead", "head", "admin")  # who posts every form empty, in turn
LAST = ("/sign-out",)
FILES = {"static", "reports.pdf", "reports.markdown", "reports.status_csv", "public.as_csv", "public.feed",
         "public.monitoring_csv",
         "evidence.download", "health.healthz"}  # the routes that answer with something other than a page
# The identity provider's sign-in sends the browser on, or refuses (a page checked here) with no provider.
ONWARD = {"oidc.start", "oidc.callback"}
SAMPLES = {"strand": "race", "file_key": "missing", "key": "missing", "number": 1, "filename": "style.css",
           "plan_key": "cep-2004", "team": HR, "contact_id": "1", "partner_id": "1", "complaint_id": "1", "consultation_id": "1"}
NAMES = ("screen", "hr.staff")  # <name> is a transition's in one route and a person's in others
QUERIES = ("/documents?q=Flexible", "/documents?kind=objective&status=green&sort=title", "/register?strand=colour",
           "/dashboard?period=nonsense", "/dashboard?period=2007-08", "/documents/new?kind=nonsense",
           *(f"/documents/new?kind={kind}" for kind in kinds.KINDS))


def demo(app, client):
    """The demo's data (with its approved dataset, contact 1, partner 1 and its check, consultation 1),
    with an approved EqIA, the Standard's matrix, a team plan, a report approved
    and a draft, a Board meeting with an item on its agenda, a held one that agreed an action, and
    a new person's one-time sign-in link; (name -> password, the link's secret)."""
    said = []
    load_demo(app.extensions["store"], said.append)
    passwords = dict(re.findall(r"^  (\S+) +(\S+)   \(", "\n".join(said), re.M))
    docs = Documents(app.extensions["store"])
    people = {name: User(name, frozenset(roles), frozenset(teams), trained)
              for name, roles, teams, trained in DEMO_ACCOUNTS}
    objective = next(doc for doc in docs.store.scan("documents", None) if doc["kind"] == "objective")
    plan = docs.create(people["hr.lead"], "team_plan", "Human Resources plan", HR, {
        "period": "2007-08", "coordinator": "A. Person", "targets": [
            {"target": "Train all HR staff", "owner": "HR training officer", "objectives": [objective["id"]]}]})
    eqia = docs.create(people["hr.staff"], "eqia", "Flexi-time", HR, complete_eqia())
    docs.create(people["hr.staff"], "monitoring", "Recruitment by ethnic group", HR, {"strand_set": "ces2004", "rows": [
        {"measure": measure, "period": period, "strand": "race", "group": group, "count": count}
        for measure, period, group, count in (("Applicants", "2006-07", "White", 400), ("Applicants", "2006-07", "Indian", 200),
                                              ("Shortlisted", "2006-07", "White", 80), ("Shortlisted", "2006-07", "Indian", 30),
                                              ("Applicants", "2007-08", "White", 380), ("Applicants", "2007-08", "Indian", 240))]})
    sign_in(client, "rdu.lead", passwords["rdu.lead"])
    for _ in range(2):
        assert client.post("/reports/generate", data={"fields.period": "2007-08 Q3"}).status_code == 302
    report = next(doc for doc in docs.store.scan("documents", None) if doc["kind"] == "report")
    for doc, lead in ((plan, people["hr.lead"]), (report, people["rdu.lead"]), (eqia, people["hr.lead"])):
        for who, name in ((lead, "screen"), (lead, "assess"), (people["head"], "approve")):
            doc = docs.fire(doc["id"], who, name, doc["version"])
    sign_in(client, "head", passwords["head"])
    assert client.post("/standard/set-up").status_code == 302
    complaint = client.post("/complaints/new", data={  # complaint 1, with the person's details
        "kind": "complaint", "received": "2007-06-04", "channel": "letter", "team": HR, "strands": ["race"],
        "summary": "Not served at the front desk.", "name": "A. Person", "contact": "01234 567890"})
    assert complaint.status_code == 302, complaint.text
    review = client.post("/plans/cep-2004/review", data={"fields.due": "2005-05-01"})  # a draft plan review
    assert review.status_code == 302, review.text
    meeting = client.post("/meetings/new", data={"title": "EODB", "date": "2030-01-01"})
    assert meeting.status_code == 302, meeting.text
    item = client.post(meeting.headers["Location"] + "/items", data={"document": plan["id"]})
    assert item.status_code == 302, item.text
    # A held meeting whose decision agreed an action (action 1): the 2030 meeting's matters arising.
    held = client.post("/meetings/new", data={"title": "EODB", "date": "2007-12-06"}).headers["Location"]
    assert client.post(held + "/items", data={"document": report["id"]}).status_code == 302
    decided = client.post(held + "/decisions", data={
        "document": report["id"], f"d{report['id']}.decision": "endorsed",
        f"d{report['id']}.actions.0.what": "Train all staff", f"d{report['id']}.actions.0.team": HR,
        f"d{report['id']}.actions.0.due": "2008-03-31"})
    assert decided.status_code == 302, decided.text
    sign_in(client, "admin", passwords["admin"])
    added = client.post("/admin/users/new", data={"name": "new.person", "role": "staff", "team": HR})
    assert added.status_code == 200, added.text
    return passwords, link_path(added.text).rsplit("/", 1)[1]


def samples(app, secret):
    """Values for each route's arguments: every EqIA and one document of each other kind in each
    state, a meeting, a transition and a person, the one-time link, and names of things that do not exist."""
    store = app.extensions["store"]
    first = {}
    for doc in store.scan("documents", None):
        first.setdefault(doc["id"] if doc["kind"] == "eqia" else (doc["kind"], doc["state"]), doc)
    meetings = [m["id"] for m in store.scan("meetings", None)]
    batches = [doc["bulk"]["id"] for doc in store.scan("documents", {"state": "assessed"}) if doc.get("bulk")][:1]
    return [{**SAMPLES, "doc_id": doc["id"], "kind": doc["kind"], "meeting_id": meeting, "name": name,
             "secret": link, "batch_id": batch,
             "action_id": "1" if meeting != "missing" else "missing"} for doc in first.values() for meeting in (*meetings[:1], "missing")
            for name in NAMES for link in (secret, "no-such-link") for batch in (*batches, "missing")]


def addresses(app, method, secret):
    """Every address of the URL map that answers `method`, once for each set of sample values."""
    found, values = set(), samples(app, secret)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/api/") or method not in rule.methods:
            continue
        found |= {rule.build({name: sample[name] for name in rule.arguments})[1] for sample in values}
    if method == "GET":
        objective = next(sample["doc_id"] for sample in values if sample["kind"] == "objective")
        found |= {*QUERIES, f"/documents/{objective}/progress?period=2007-08"}
    return sorted(found, key=lambda address: (address in LAST, address))


def gathered_pages(app, client, folder):
    """Write every HTML answer to `folder`; (file name -> who asked what, the routes that showed a page)."""
    asked, seen, shown_by = {}, set(), set()
    passwords, secret = demo(app, client)
    routes = app.url_map.bind("localhost")

    def keep(who, method, address, response):
        shown = response.mimetype == "text/html" and not 300 <= response.status_code < 400  # a redirect is followed
        if shown and response.status_code == 200:
            shown_by.add(routes.match(address.split("?")[0], method)[0])
        if shown and response.data not in seen:
            seen.add(response.data)
            path = folder / f"{len(asked):04d}.html"
            path.write_bytes(response.data)
            asked[path.name] = f"{method} {address} as {who or 'nobody'} ({response.status_code})"

    for who in ROLES:
        client.post("/sign-out")
        if who:
            assert sign_in(client, who, passwords[who]).status_code == 302
        for address in addresses(app, "GET", secret):
            keep(who, "GET", address, client.get(address))
    for who in POSTERS:
        assert sign_in(client, who, passwords[who]).status_code == 302
        for address in addresses(app, "POST", secret):
            keep(who, "POST", address, client.post(address, data={}))
    return asked, shown_by


def test_every_page_is_valid_html_by_the_nu_checker(app, client, tmp_path):
    asked, shown_by = gathered_pages(app, client, tmp_path)
    pages = {rule.endpoint for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.rule.startswith("/api/")} - FILES - ONWARD
    assert not pages - shown_by  # every page was shown to someone, not only refused or redirected
    errors = html_errors(sorted(tmp_path.glob("*.html")))
    assert not errors, "\n".join(f"{asked[name]} line {line}: {message} «{extract.strip()}»"
                                 for name, line, message, extract in errors)
