"""Every non-GET route of the app (from Flask's URL map), sent by each person who has
no right to it, with a body that would do the work for someone who has: the store
is left exactly as it was. A route missing from WRITERS fails the test, so a new
one cannot escape."""
import itertools

import pytest

from services import credential_service
from tests.authz_world import (
    ANONYMOUS,
    PAST,
    PEOPLE,
    built_world,
    client_of,
    fingerprint,
)
from tests.conftest import HR
from workflow import shared

EVERYONE = (ANONYMOUS, *PEOPLE)
HEAD_OR_ADMIN = {"head", "admin"}


def _works_on(user, doc):
    """The owning team's staff and leaders, its author, and the Head act on a document."""
    return user.has("head") or doc["author"] == user.name or (
        doc["team"] in user.teams and any(user.has(role) for role in ("staff", "team_leader")))


def _leads_a_lead_team(user, doc):
    """A lead team's entry on a shared objective: a team leader of one of its lead teams."""
    return bool(shared.teams_of(doc, user))


def _member_of_hr(user, doc):
    return HR in user.teams  # the bodies below create documents for Human Resources


# endpoint -> who may change the store through it: a set of names, or a test of (user, doc).
WRITERS = {
    "auth.sign_in": set(EVERYONE), "auth.sign_out": set(EVERYONE),  # only sessions, which are not compared
    "account.password": set(PEOPLE), "notices.mark_read": set(PEOPLE),  # one's own password and notices
    "api.revoke_current_token": set(PEOPLE),  # the token the request carries: one's own
    "account.revoke_token": {"hr_staff"},  # the key below is hr_staff's token
    "admin.revoke_tokens": {"admin"},
    "auth.set_password": set(),  # only for the holder of a live one-time link: none is live below
    "powers.decide_page": {"head", "admin"},  # a proposal's key: none is pending below
    **dict.fromkeys(("deputies.index", "deputies.end"), {"head"}),  # a Head names or ends a deputy
    **dict.fromkeys(("admin.save_strand_set", "admin.save_training_rule", "admin.save_contact", "admin.teams", "admin.add_team",
                     "admin.edit_user", "admin.set_active", "admin.reset_password", "admin.new_user",
                     "admin.save_bodies", "admin.save_local_passwords", "admin.save_provider"), {"admin"}),
    # Action 1 of the world is owned by Human Resources: its leader and the Head mark it done.
    **dict.fromkeys(("api.complete_action", "actions.complete"), {"head", "hr_lead"}),
    **dict.fromkeys(("api.create_meeting", "api.add_agenda_item", "meetings.new", "meetings.add_item",
                     "api.add_period", "strategic.periods", "strategic.edit", "strategic.new", "strategic.seed",
                     "standard.settings", "training.add", "training.upload", "publication.settings"), HEAD_OR_ADMIN),
    **dict.fromkeys(("api.record_decision", "meetings.decide"), {"head", "board"}),
    **dict.fromkeys(("api.create_document", "editing.new"), _member_of_hr),
    **dict.fromkeys(("reports.generate", "standard.set_up"), {"head", "rdu_lead"}),
    **dict.fromkeys(("api.edit_document", "api.fire_transition", "api.put_progress", "editing.assessment",
                     "editing.edit", "editing.screening", "pages.assign", "pages.fire", "progress.carry_forward",
                     "revisions.send_back", "citations.cite",
                     "api.carry_forward", "progress.write", "progress.start", "reports.edit",
                     "api.put_target_progress", "team_entry.targets"), _works_on),
    **dict.fromkeys(("api.put_team_progress", "team_entry.team_entry"), _leads_a_lead_team),
    # The Head changes any objectives in bulk, a team leader their team's; a sign-off needs a batch (none below).
    **dict.fromkeys(("api.create_bulk_change", "bulk.check", "bulk.submit", "api.approve_bulk_change", "bulk.approve"),
                    {"head", "hr_lead"}),
    # Consultation 1 is kept by Human Resources: its staff and leader and the Head record and change them.
    **dict.fromkeys(("consultations.new", "consultations.edit", "api.create_consultation", "api.edit_consultation"),
                    {"head", "hr_lead", "hr_staff"}),
    **dict.fromkeys(("plans.review", "plans.supersede", "plans.edit"), {"head"}),  # a plan's review, its successor
    "monitoring.new": _member_of_hr, "monitoring.change": _works_on,  # a monitoring dataset from a CSV file
    "teams.coordinator": HEAD_OR_ADMIN,  # the coordinators' list
    # Contact 1 and partner 1 of the world are Human Resources': its leader (and staff, for a partner) and the Head.
    **dict.fromkeys(("contacts.new", "contacts.edit", "contacts.remove"), {"head", "hr_lead"}),
    **dict.fromkeys(("partners.new", "partners.edit", "partners.check"), {"head", "hr_lead", "hr_staff"}),
    # Complaint 1 of the world is about Human Resources: its staff and leader, and the Head, keep it;
    # its leader and the Head count the team's log into a dataset.
    **dict.fromkeys(("complaints.new", "complaints.edit", "api.record_complaint", "api.change_complaint"),
                    {"head", "hr_lead", "hr_staff"}),
    "complaints.dataset": {"head", "hr_lead"},
}


# Where an argument name means something else on one route.
OWN_VALUES = {"pages.fire": {"name": ["screen", "assess", "approve", "send_back", "review", "revise"]}}


def world_documents(world):
    """Every state of an EqIA, the draft of every kind, an approved objective."""
    labels = {label for label in world.ids if label.startswith("eqia-") or label.endswith("-draft")}
    labels.add("objective-approved")
    return [world.ids[label] for label in sorted(labels)]


def body(world, doc):
    """A body with every key some write route reads, set as the owner would set it."""
    version = doc["version"] if doc else 1
    meeting = world.meeting_id
    form = {"version": str(version), "title": "Changed", "team": HR, "comment": "Because", "name": "newcomer",
            "password": "a long new password 1", "roles": "staff", "teams": HR, "active": "no",
            "new_team": "Newteam", "coordinator": "x", "training_rule": "off", "strand_set": "act2010",
            "date": PAST, "venue": "Hall", "document": doc["id"] if doc else "1", "decision": "endorsed",
            "note": "Noted", "period": "2008-09", "code": "2008-09", "assignee": "head", "due": "2099-01-01",
            "fields.subject": "Changed", "fields.trigger": "new", "fields.review_date": "2009-01-01",
            "fields.screening.race.impact": "positive", "entry.period": "2007-08 Q3", "entry.status": "green",
            "fields.summary": "Changed", "fields.period": "2007-08", "target_level": "3", "number": "9",
            "current_password": "correct horse battery", "new_password": "another long password",
            "confirm_password": "another long password", "add": "yes", "trained": "2007-01-01",
            "unit": "Changed unit", "address": "Changed address", "phone": "020 7202 0101", "provides": "Cleaning",
            "outcome": "compliant",
            "consulted.0.name": "Changed", "consulted.0.type": "partner", "start": PAST, "methods": "survey",
            "responses": "Changed", "threshold": "6", "flag_ratio": "0.7"}
    data = {"version": version, "title": "Changed", "team": HR, "kind": "eqia", "fields": {"subject": "Changed"},
            "name": "revise", "comment": "Because", "document": doc["id"] if doc else "1", "decision": "endorsed",
            "note": "Noted", "status": "green", "evidence": "x", "reason": "x", "date": PAST, "code": "2008-09",
            "meeting": meeting}
    return form, data


def may_write(world, endpoint, name, doc):
    writers = WRITERS[endpoint]
    if callable(writers):
        return name != ANONYMOUS and (doc is None or writers(world.user(name), doc))
    return name in writers


@pytest.fixture(scope="module")
def world(tmp_path_factory, cheap_password_hashing):
    yield from built_world(tmp_path_factory.mktemp("writes"))


def writes(world):
    """(endpoint, method, url, doc) for every non-GET rule, arguments filled."""
    adapter, found = world.app.url_map.bind("localhost"), []
    values = {"meeting_id": [world.meeting_id], "action_id": ["1"], "batch_id": ["missing"], "plan_key": ["cep-2004"],
              "complaint_id": [world.complaint_id], "consultation_id": ["1"],
              "name": ["hr_staff"], "number": [1], "period": ["2007-08 Q3"],
              "strand": ["race"], "key": [credential_service.digest(world.tokens["hr_staff"])], "secret": ["not-a-live-link"],
              "team": [HR], "contact_id": ["1"], "partner_id": ["1"]}
    for rule in world.app.url_map.iter_rules():
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            assert rule.endpoint in WRITERS, f"{rule.endpoint}: say who may write through it in WRITERS"
            docs = world_documents(world) if "doc_id" in rule.arguments else [None]
            names = sorted(rule.arguments - {"doc_id"})
            table = {**values, **OWN_VALUES.get(rule.endpoint, {})}
            missing = set(names) - table.keys()
            assert not missing, f"{rule.rule}: add values for {missing}"
            for doc_id, combo in itertools.product(docs, itertools.product(*(table[n] for n in names))):
                url = adapter.build(rule.endpoint, {**dict(zip(names, combo)), **({"doc_id": doc_id} if doc_id else {})})
                found.append((rule.endpoint, method, url, doc_id))
    return found


@pytest.mark.parametrize("name", EVERYONE)
def test_nobody_changes_anything_through_a_route_they_have_no_right_to(world, name):
    client, store, changed = client_of(world, name), world.store, []
    before = fingerprint(store)  # nothing below may change it, so it is taken once
    for endpoint, method, url, doc_id in writes(world):
        doc = store.get("documents", doc_id) if doc_id else None
        if may_write(world, endpoint, name, doc):
            continue
        response = send(client, world, method, url, doc)
        assert response.status_code < 500, (url, response.status_code)
        after = fingerprint(store)
        if after != before:
            changed.append((method, url, response.status_code))
            before = after
    assert not changed, changed


def send(client, world, method, url, doc):
    form, data = body(world, doc)
    as_json = url.startswith("/api/")
    return client.open(url, method=method, **({"json": data} if as_json else {"data": form}))


# (person, endpoint, document) that the bodies above do change the store for: so the
# refusals above are refusals of a body that works, not of a malformed one.
WORKING = [("head", "meetings.new", None), ("admin", "admin.add_team", None),
           ("hr_lead", "editing.edit", "eqia-draft"), ("hr_lead", "api.fire_transition", "eqia-approved"),
           ("hr_lead", "progress.start", "objective-approved"), ("head", "strategic.periods", None),
           ("hr_lead", "contacts.new", None), ("hr_staff", "partners.check", None)]


def test_the_same_bodies_do_change_the_store_for_those_entitled(world):
    """Runs last: it changes the world the tests above share."""
    for name, endpoint, label in WORKING:
        client, doc_id = client_of(world, name), world.ids.get(label)
        [(method, url)] = [(m, u) for e, m, u, d in writes(world) if e == endpoint and d == doc_id]
        before = fingerprint(world.store)
        response = send(client, world, method, url, world.store.get("documents", doc_id) if doc_id else None)
        assert fingerprint(world.store) != before, (name, url, response.status_code)
