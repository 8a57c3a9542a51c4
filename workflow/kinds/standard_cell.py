"""One cell of the Equality Standard self-assessment: a level in an area, what
it requires, the evidence, the self-assessed status and, kept apart, the
external verification. A document like any other, so a change to the
self-assessment is signed off by the Head before it counts (workflow.standard)."""
import re
from functools import partial

from workflow import fields as f
from workflow import numbers, standard

NAME = "standard_cell"
LABEL = "Equality Standard self-assessment cell"
CREATORS = ("head", "team_leader")
LOCKED_WHEN_SCREENED = ()
TEAM = "Race & Diversity Unit"  # the Standard is the Race & Diversity Unit's to self-assess

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_FILE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
EVIDENCE_KINDS = ("document", "link", "text", "file")


def _level(path, value):
    if isinstance(value, bool) or not isinstance(value, int) or value not in standard.LEVELS:
        return {path: "Select a level from 1 to 5"}
    return {}


def _document_id(path, value):
    return {} if numbers.is_id(value) else {path: "Enter the number of an existing document"}


def _file_key(path, value):
    # Only the form of the key is the domain's to check: that the file exists and
    # belongs to this cell is checked against the store, by services/document_service.py (check_files).
    return {} if isinstance(value, str) and _FILE_KEY.match(value) else {path: "Choose a file uploaded to this cell"}


def _link(path, value):
    errors = f.text(path, value, limit=2000)
    if not errors and not _URL.match(value):
        errors = {path: "Enter a web address starting http:// or https://"}
    return errors


EVIDENCE_SPEC = {
    "description": partial(f.text, limit=300),
    "document": _document_id,  # a document in the store, shown to each reader as they may see it
    "link": _link,
    "text": f.text,  # evidence pasted in
    "file": _file_key,  # a file uploaded as evidence (workflow.evidence_files)
}
VERIFICATION_SPEC = {
    "status": partial(f.choice, options=tuple(standard.VERIFICATION)),
    "verifier": partial(f.text, limit=200),
    "date": f.date,
    "note": f.text,
}

SPEC = {
    "level": _level,
    "area": partial(f.choice, options=tuple(standard.AREAS)),
    "requirements": f.text,
    "evidence": partial(f.records, spec=EVIDENCE_SPEC),
    "self_assessed": partial(f.choice, options=tuple(standard.SELF_ASSESSED)),
    "verification": partial(f.record, spec=VERIFICATION_SPEC),
}


def validate(fields, current=None):  # `current`: see the kinds package
    return f.record("", fields, SPEC)


def _evidence_gaps(fields):
    return [f.Gap(f"evidence.{i}.description", f"Give evidence {i + 1} a linked document, a web address, "
                  "the evidence itself or an uploaded file")
            for i, item in enumerate(fields.get("evidence") or [])
            if all(f.blank(item.get(key)) for key in EVIDENCE_KINDS)]


def screening_gaps(fields):
    gaps = [f.Gap(key, words) for key, words in
            (("level", "Select the level"), ("area", "Select the area"),
             ("requirements", "Enter what the Standard requires"),
             ("self_assessed", "Select the self-assessed status")) if f.blank(fields.get(key))]
    if fields.get("self_assessed") == "met" and not standard.has_evidence(fields):
        gaps.append(f.Gap("evidence", "Add at least one piece of evidence: a cell assessed as met needs it"))
    return gaps + _evidence_gaps(fields)


def submission_gaps(fields):
    gaps = screening_gaps(fields)
    verification = fields.get("verification") or {}
    if verification.get("status") in ("verified", "not_met") and (
            f.blank(verification.get("verifier")) or f.blank(verification.get("date"))):
        gaps.append(f.Gap("verification.verifier", "Enter the external verifier and the date of their verdict"))
    return gaps
