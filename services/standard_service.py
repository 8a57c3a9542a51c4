"""The Equality Standard self-assessment in the store: the matrix as a reader may see it,
the target and cost of external assessment, and setting up the cells the matrix lacks.
The rules are workflow.standard's; this loads, decides and commits."""
from services import commits, evidence_service, lookup
from services.document_service import DOCS
from store import Put
from workflow import evidence_files, policy, standard
from workflow.errors import Forbidden, Invalid, WorkflowError
from workflow.kinds import standard_cell

SETTINGS, KEY = "settings", "equality_standard"


def cells(store):
    return store.scan(DOCS, {"kind": standard_cell.NAME})


def load_settings(store):
    """(settings, version): the stored target and cost, or the seeds' defaults (version None)."""
    record = store.get(SETTINGS, KEY)
    if record is None:
        return dict(standard.DEFAULT_SETTINGS), None
    return {key: record.get(key, default) for key, default in standard.DEFAULT_SETTINGS.items()}, record["version"]


def save_settings(store, user, settings, version):
    # The target and the cost are kept with the reporting settings, by the same people.
    if not policy.may_manage_reporting(user):
        raise Forbidden("Only the Head of Race and Diversity or an administrator can set the target.")
    errors = standard.check_settings(settings)
    if errors:
        raise Invalid("The target and cost were not saved: correct what is shown.", errors)
    with commits.refused_if_changed("Someone else changed the target first, so nothing was saved: reload the page "
                                    "and try again.", {"version": "stale"}):
        store.commit([Put(SETTINGS, KEY, {key: settings[key] for key in standard.DEFAULT_SETTINGS},
                          expected_version=version)])


def evidence_document(store, doc_id, user):
    """A document given as evidence, as `user` may see it; None if they may not."""
    doc = lookup.by_id(store, DOCS, doc_id)
    return policy.view(doc, user) if doc else None


def _summary(store, doc, shown):
    """What the matrix and the API say of one cell: as `shown`, plus whether its
    approved content counts towards the levels."""
    fields, approved = shown["fields"], standard.approved_fields(doc)
    return {"id": shown["id"], "title": shown["title"], "state": shown["state"], "revision": shown["revision"],
            "level": fields.get("level"), "area": fields.get("area"),
            "self_assessed": fields.get("self_assessed"), "evidence": len(fields.get("evidence") or []),
            "files": [found for key in evidence_files.referenced(fields) if (found := evidence_service.file_summary(store, doc["id"], key))],
            "verification": (fields.get("verification") or {}).get("status", "not_verified"),
            "approved_revision": doc["published"]["revision"] if approved else None,
            "counts": bool(approved and standard.meets(approved)),
            "verified": bool(approved and standard.verified(approved))}


def overview(store, user):
    """The whole self-assessment as `user` may see it."""
    docs = cells(store)
    seen = [_summary(store, doc, shown) for doc in docs if (shown := policy.view(doc, user))]
    settings, _ = load_settings(store)
    verified = standard.verified_level(docs)
    return {"levels": [{"level": level, "name": name} for level, name in standard.LEVELS.items()],
            "areas": [{"key": key, "name": name} for key, name in standard.AREAS.items()],
            "cells": seen, "level_achieved": standard.level_achieved(docs), "verified_level": verified,
            "target": {"level": settings["target_level"], "date": settings["target_date"]},
            "cost_per_level": settings["cost_per_level"],
            "cost_to_target": standard.assessment_cost(settings, verified)}


def may_set_up(user):
    try:
        policy.check_create(user, standard_cell.NAME, standard_cell.TEAM)
    except WorkflowError:
        return False
    return True


def page(store, user):
    """What the Standard's page shows `user`: the overview, the stored settings and their
    version, and how many cells of the matrix are missing."""
    return {"seen": overview(store, user), "settings": load_settings(store),
            "missing": len(standard.missing_positions(cells(store)))}


def set_up(documents, user):
    """Create the cells the matrix lacks, as drafts with the seeds' requirement text: how many."""
    policy.check_create(user, standard_cell.NAME, standard_cell.TEAM)
    missing = standard.missing_positions(cells(documents.store))
    for level, area in missing:
        documents.create(user, standard_cell.NAME, f"Level {level}: {standard.AREAS[area]}", standard_cell.TEAM,
                         {"level": level, "area": area, "self_assessed": "not_started",
                          "requirements": standard.requirements(level, area)})
    return len(missing)
