"""A realistic store for the benchmarks: documents driven through the real
workflow functions (so their shape, revisions and history are what the app
writes), loaded into the empty store as a backup is: each document at the version its
history has reached, the history chained, so `run.py verify` finds the store intact.

Mix, per 10 documents: 5 EqIAs (draft, screened, submitted, approved, reviewed
in turn; one in three with a negative impact fully assessed), 4 objectives
approved with progress over four periods (one revision per period), 1 team plan.
"""
from __future__ import annotations

import itertools
import random

from services import account_service
from workflow import chain, documents
from workflow.strands import DEFAULT, SETS
from workflow.users import TEAMS, User

STRANDS = SETS[DEFAULT].strands

PASSWORD = "benchmark password"
HEAD = User("head", frozenset({"head"}), frozenset({"Race & Diversity Unit"}), "2006-03-01")
BOARD = User("board", frozenset({"eodb"}), frozenset(), "2007-01-15")
PERIODS = ("2006-07", "2007-08 Q1", "2007-08 Q2", "2007-08 Q3")
STATUSES = ("green", "amber_green", "amber", "red")
HEADINGS = ("The MPA as a Public Authority", "The MPA as a Service Provider", "The MPA as a Policy Maker",
            "The MPA as an Exemplary Employer", "The MPA as a Communicator",
            "The MPA as a Purchaser of Goods and Services")


def _people(team):
    slug = team.split()[0].lower().strip("&")
    return (User(f"{slug}.staff", frozenset({"staff"}), frozenset({team})),
            User(f"{slug}.lead", frozenset({"team_leader"}), frozenset({team}), "2006-05-10"))


def _screening(negative):
    return {s: {"impact": "negative" if s in negative else "neutral", "differential": s in negative,
                "intended": False, "evidence": f"Monitoring data for {s}, 2006/07, and consultation responses."}
            for s in STRANDS}


def _eqia(i, rng, team):
    staff, lead = _people(team)
    negative = (rng.choice(STRANDS),) if i % 3 == 0 else ()
    doc, first = _keyed(i, documents.create(staff, "eqia", f"EqIA {i}: {rng.choice(['Recruitment', 'Stop and search', 'Estates', 'Complaints'])} policy", team, {
        "subject": "The policy and the people it affects. " * 3, "trigger": "review",
        "screening": _screening(negative), "review_date": "2009-03-31"}))
    steps = [(staff, "screen", None)]
    if negative:
        doc, entry = documents.edit(doc, lead, changes={"full_assessment": {
            "evidence": "Shortlisting rates by group, 2005-2007.", "consultation": "Staff networks and community groups.",
            "mitigations": [{"strand": negative[0], "action": "Targeted outreach", "owner": "Head of HR",
                             "deadline": "2008-01"}], "outcome": "adjust", "monitoring": "Quarterly to the EODB."}})
        first = [first, entry]
    stage = i % 5  # draft, screened, submitted, approved, reviewed
    steps += [(lead, "assess", None), (HEAD, "approve", None)]
    return _drive(doc, first, steps[:stage] if stage < 4 else steps, reviewed=stage == 4)


def _objective(i, rng, team):
    _, lead = _people(team)
    fields = {"heading": HEADINGS[i % len(HEADINGS)], "theme": "Corporate Commitment",
              "action": "Achieve progress against all arrangements in the Race Equality Scheme. " * 2,
              "deadline": "2008-03", "outcomes": "Updated scheme published", "leads": [team],
              "strands": rng.sample(STRANDS, 2), "standard_level": 3, "strategic": 1 + i % 9}
    doc, first = _keyed(i, documents.create(lead, "objective", f"Objective {i}: race equality scheme", team, fields))
    doc, history, revisions = _drive(doc, first, [(lead, "screen", None), (lead, "assess", None),
                                                  (HEAD, "approve", None)])
    progress = []
    for period in PERIODS:
        progress.append({"period": period, "status": rng.choice(STATUSES), "reason": "Reviewed with the lead.",
                         "evidence": "Six-month update presented to the EODB. " * 2,
                         "key_outcomes": "71 members of staff trained in EqIAs.", "comment": "Partially achieved."})
        doc, entry = documents.transition(doc, lead, "revise")
        history.append(entry)
        doc, entry = documents.edit(doc, lead, changes={"progress": list(progress)})
        history.append(entry)
        doc, more, revs = _drive(doc, [], [(lead, "screen", None), (lead, "assess", None), (HEAD, "approve", None)])
        history += more
        revisions += revs
    return doc, history, revisions


def _team_plan(i, rng, team):
    _, lead = _people(team)
    doc, first = _keyed(i, documents.create(lead, "team_plan", f"{team} equality plan {i}", team, {
        "period": "2007-08", "coordinator": f"{team} equality co-ordinator",
        "targets": [{"target": "Monitor recruitment by strand", "owner": "Team leader", "objectives": ["1"],
                     "deadline": "2008-03", "strands": ["race", "gender"]}]}))
    return _drive(doc, first, [(lead, "screen", None)])


def _keyed(i, made):
    doc, first = made
    return {**doc, "id": str(i), "version": 1}, first  # as the store gives it back


def _drive(doc, first, steps, reviewed=False):
    history = first if isinstance(first, list) else [first]
    revisions = []
    for user, name, comment in steps:
        doc, entry = documents.transition(doc, user, name, comment)
        history.append(entry)
        if name == "approve":
            revisions.append(dict(doc["published"]))
    if reviewed:  # as recorded at a held Board meeting
        doc["board_decision"] = {"meeting": "1", "decision": "endorsed", "note": None, "held": True}
        doc, entry = documents.transition(doc, BOARD, "review", "Board endorsed")
        history.append(entry)
    return doc, history, revisions


MAKERS = (_eqia,) * 5 + (_objective,) * 4 + (_team_plan,)


def _chained(history):
    linked = []
    for entry in history:
        linked.append(chain.link(entry, linked[-1] if linked else None))
    return linked


def fill(store, n, seed=7, say=print):
    """Add `n` documents with history and revisions, and the people who wrote them; the benchmark's accounts."""
    rng = random.Random(seed)
    teams = itertools.cycle(TEAMS)
    docs, histories, kept = [], {}, []
    for i in range(1, n + 1):
        doc, history, revisions = MAKERS[i % len(MAKERS)](i, rng, next(teams))
        key = str(i)
        histories[key] = _chained(history)
        docs.append({**doc, "id": key, "version": len(history)})  # a version for each change
        kept += [{"document": key, **rev, "id": f"{key}.{rev['revision']}", "version": 1} for rev in revisions]
        if i % 10_000 == 0:
            say(f"  {i} documents")
    store.load({"documents": docs, "revisions": kept}, {"history": histories})
    for user in (HEAD, BOARD):
        account_service.add_user(store, user.name, PASSWORD, sorted(user.roles), sorted(user.teams), user.trained)
    for team in TEAMS:
        for user in _people(team):
            account_service.add_user(store, user.name, PASSWORD, sorted(user.roles), sorted(user.teams), user.trained)
