"""Demo accounts for every role, the 2004 plan's objectives (adopted) and sample documents in several states."""
import datetime as dt
import secrets
from pathlib import Path

from services import (
    account_service,
    audit_service,
    bulk_service,
    harassment_service,
    monitoring_service,
    partner_service,
    period_service,
)
from services.consultation_service import Consultations
from services.document_service import DOCS, Documents
from services.import_service import import_plan
from workflow import cycle, plan_import, strands
from workflow.users import User

RDU, HR = "Race & Diversity Unit", "Human Resources"
PLAN_FILE = Path(__file__).resolve().parent.parent / "data" / "corporate-equality-plan-2004.txt"
RECRUITMENT_FILE = PLAN_FILE.parent / "monitoring-recruitment-2005-07.csv"
# The demo grants its Head, Board member and administrator directly (account_service.add_user), as the
# command line's bootstrap does: it runs only at the operator's request (run.py --demo), into a
# store holding no documents; the audit log names it as the actor.
DEMO_LOADER = audit_service.Actor("demo loader")
DEMO_ACCOUNTS = (
    # name, roles, teams, trained in EqIA
    ("head", ("head",), (RDU,), "2006-03-01"),
    ("chief.exec", ("chief_executive",), (), "2006-04-01"),
    ("rdu.lead", ("team_leader",), (RDU,), "2006-03-01"),
    ("hr.lead", ("team_leader",), (HR,), "2006-05-10"),
    ("hr.staff", ("staff",), (HR,), None),
    ("board.member", ("eodb",), (), "2007-01-15"),
    ("smt.member", ("smt",), (), None),
    ("admin", ("admin",), (), None),
)


def _screening(negative=(), strand_set=strands.DEFAULT, evidence="Workforce monitoring data 2006/07."):
    return {s: {"impact": "negative" if s in negative else "neutral", "differential": s in negative,
                "intended": False, "evidence": evidence}
            for s in strands.SETS[strand_set].strands}


def _samples(docs, users):
    """Drive each sample through the real workflow, so its history is real too."""
    head, rdu, hr, staff = users["head"], users["rdu.lead"], users["hr.lead"], users["hr.staff"]

    def run(doc, *steps):
        for who, name, comment in steps:
            doc = docs.fire(doc["id"], who, name, doc["version"], comment)
        return doc

    objective = docs.create(rdu, "objective", "Race Equality Scheme: progress and review", RDU, {
        "heading": "The MPA as a Public Authority", "theme": "Corporate Commitment",
        "action": "To achieve progress against all arrangements outlined in the Race Equality "
                  "Scheme and to review and update the publication by May 2005.",
        "deadline": "2005-05", "outcomes": "Updated Race Equality Scheme published on the website",
        "leads": [RDU], "strands": ["race"], "standard_level": 3, "strategic": 1,
        "progress": [{"period": "2006-07", "status": "amber", "evidence": "A six-month update on the MPS scheme "
                      "was presented to EODB on 2 February 2006."},
                     {"period": "2007-08 Q3", "status": "amber_green", "reason": "71 staff now trained in EqIAs.",
                      "evidence": "The MPA's Race Equality Scheme for 2005-2008 was updated on the website.",
                      "key_outcomes": "71 MPA members of staff trained in how to conduct EqIAs.",
                      "improvements": "Support members to discharge their duties under the RR(A)A 2000.",
                      "comment": "Partially achieved."}]})
    run(objective, (rdu, "screen", None), (rdu, "assess", None), (head, "approve", None))

    recruitment = docs.create(staff, "eqia", "Recruitment and selection procedure", HR, {
        "subject": "The procedure for filling vacancies and promoting staff.", "trigger": "review",
        "screening": _screening(negative=("disability",)), "review_date": "2008-04-01"})
    recruitment = run(recruitment, (staff, "screen", None))
    docs.edit(recruitment["id"], hr, recruitment["version"], changes={"full_assessment": {
        "evidence": "Applicants declaring a disability were shortlisted at half the overall rate.",
        "consultation": "Staff networks and the Disability Rights Commission guidance.",
        "mitigations": [{"strand": "disability", "action": "Guaranteed interview scheme",
                         "owner": "Head of HR", "deadline": "2008-01"}],
        "outcome": "adjust", "monitoring": "Quarterly shortlisting figures to the EODB."}})
    recruitment = run(docs.load(recruitment["id"]), (hr, "assess", None))
    due = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    docs.assign(recruitment["id"], hr, recruitment["version"], "head", due)

    procurement = docs.create(rdu, "objective", "Equalities in procurement", RDU, {
        "heading": "The MPA as a Purchaser of Goods and Services", "theme": "Procurement",
        "action": "Publish our equalities and diversity procurement statement so that our potential "
                  "business partners are aware of our equalities values.",
        "deadline": "Ongoing", "outcomes": "Procurement Policy", "leads": ["Administration & Treasury"],
        "strands": ["race", "gender", "disability"]})
    run(procurement, (rdu, "screen", None), (rdu, "assess", None),
        (head, "send_back", "Name the lead in Administration & Treasury and a first milestone."))

    induction = docs.create(staff, "eqia", "Induction programme for new staff", HR, {
        "subject": "The two-day induction for all new members of staff.", "trigger": "new",
        "screening": _screening(), "review_date": "2009-03-31"})
    run(induction, (staff, "screen", None))

    docs.create(staff, "eqia", "Staff survey 2008", HR, {
        "subject": "The annual staff survey.", "trigger": "new"})

    # After the Equality Act 2010: screened against its nine protected characteristics.
    flexible = docs.create(staff, "eqia", "Flexible working policy 2011", HR, {
        "strand_set": "ea2010", "subject": "The review of the flexible working policy.", "trigger": "review",
        "screening": _screening(("pregnancy_maternity",), "ea2010",
                                "Flexible working requests and their outcomes, 2010/11.")})
    run(flexible, (staff, "screen", None))


def _evidence_samples(docs, users):
    """The evidence beside the documents: Human Resources' recruitment figures (approved, so the
    register publishes them with small counts suppressed), the consultation behind the recruitment
    EqIA, a contact for racism and harassment, and a contractor with its last equality check."""
    head, hr, staff = users["head"], users["hr.lead"], users["hr.staff"]
    dataset = monitoring_service.import_new(docs, staff, HR, "Recruitment by ethnic group and disability, 2005-07",
                                            RECRUITMENT_FILE.read_bytes())
    for who, name in ((staff, "screen"), (hr, "assess"), (head, "approve")):
        dataset = docs.fire(dataset["id"], who, name, dataset["version"], None)
    [eqia] = [doc for doc in docs.store.scan(DOCS, {"kind": "eqia"})
              if doc["title"] == "Recruitment and selection procedure"]
    Consultations(docs.store, docs).create(hr, {
        "title": "Recruitment and selection: staff networks", "team": HR,
        "consulted": [{"name": "Disabled staff network", "type": "staff_forum"},
                      {"name": "Black and minority ethnic staff association", "type": "staff_forum"}],
        "start": "2007-03-05", "end": "2007-03-30", "methods": ["meeting", "survey"],
        "responses": "Members found the online application hard to use with screen readers, and asked "
                     "for shortlisting panels of more than one ethnic group.",
        "changes": "A guaranteed interview scheme; an accessible application form; mixed panels.",
        "informed": [eqia["id"]]}, DEMO_LOADER)
    harassment_service.add(docs.store, head, {
        "name": "Pat Quinn", "role": "Harassment adviser", "phone": "020 7202 0101",
        "where": "Room 4.12, 10 Dean Farrar Street", "team": HR}, DEMO_LOADER)
    partner = partner_service.add(docs.store, hr, {
        "name": "Brightclean Services Ltd", "provides": "Office cleaning at 10 Dean Farrar Street",
        "team": HR, "contract_start": "2006-04-01", "contract_end": "2009-03-31"}, DEMO_LOADER)
    partner_service.record_check(docs.store, hr, partner["id"], {
        "date": "2007-04-16", "outcome": "actions_agreed", "note": "Equal opportunities policy to be "
        "translated for staff; agreed by June.", "next_due": "2008-04-16"}, partner["version"], DEMO_LOADER)


def _bulk_sample(docs, head):
    """The plan's Communicator objectives linked in one bulk change by the Head, awaiting the Chief
    Executive's one sign-off (a Head wrote it): the demo shows a bulk change waiting."""
    ids = [doc["id"] for doc in docs.store.scan(DOCS, {"kind": "objective"})
           if doc["fields"].get("heading") == "The MPA as a Communicator" and doc["fields"].get("source")]
    bulk_service.submit(docs, head, ids, {"strands": list(strands.SETS[strands.DEFAULT].strands), "strategic": 9})


def load_demo(store, say):
    """Create the demo, once: only into a store that holds no documents."""
    if store.scan(DOCS):
        say("The store already holds documents: demo data not loaded.")
        return
    users = {}
    say("Demo accounts (one-time passwords, shown only now):")
    for name, roles, teams, trained in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        account_service.add_user(store, name, password, roles, teams, trained, by=DEMO_LOADER)
        users[name] = User(name, frozenset(roles), frozenset(teams), trained)
        say(f"  {name:<13} {password}   ({', '.join(roles)}{'; ' + ', '.join(teams) if teams else ''})")
    period_service.seed_strategic(store)
    for code in ("2006-07", "2007-08 Q1", "2007-08 Q2", "2007-08 Q3"):
        period_service.add_period(store, users["head"], code)
    _samples(Documents(store), users)
    _evidence_samples(Documents(store), users)
    # As adopted: by the EODB in May 2004 (workflow.cycle.ADOPTED), which the public register shows.
    report = import_plan(store, PLAN_FILE.read_text(encoding="utf-8"), PLAN_FILE.name,
                         adoption=plan_import.Adoption("EODB", cycle.ADOPTED.isoformat()))
    say(f"The {report.created} objectives of the Corporate Equality Plan 2004, as adopted.")
    _bulk_sample(Documents(store), users["head"])
