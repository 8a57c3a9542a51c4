"""Consultations (CEP 2004 commits the authority to consult): who was consulted, when, how,
what they said and what changed because of it, and the EqIAs and objectives they informed.

Pure rules: what a consultation record holds and how it is checked. Who may keep one is
workflow.policy's; that the linked documents exist and the writer may see them is the
service's (services.consultation_service).
"""
from workflow import fields as f
from workflow.documents import now
from workflow.errors import Invalid

# Who was consulted, in general terms: what the public register says instead of names.
TYPES = {"community_group": "Community group", "staff_forum": "Staff forum or network",
         "partner": "Partner organisation", "public": "Members of the public", "other": "Other"}
METHODS = {"meeting": "Meeting", "survey": "Survey", "written": "Written consultation", "online": "Online",
           "focus_group": "Focus group", "other": "Other"}
INFORMS = ("eqia", "objective")  # the kinds of document a consultation informs
TITLE_LIMIT, NAME_LIMIT, MAX_CONSULTED, MAX_INFORMED = 200, 200, 50, 50
KEYS = ("title", "team", "consulted", "start", "end", "methods", "responses", "changes", "informed")


def checked(values, teams):
    """`values` ({key: value} of KEYS, missing ones blank) as stored, or Invalid naming each bad one.
    `teams`: the teams a consultation may belong to."""
    values = {key: values.get(key) for key in KEYS}
    errors = {}
    errors.update(_one_line("title", values["title"], "Enter what the consultation was about", TITLE_LIMIT))
    if not isinstance(values["team"], str) or values["team"] not in teams:
        errors["team"] = "Select the team that keeps this consultation"
    errors.update(_consulted(values["consulted"]))
    errors.update(_dates(values["start"], values["end"]))
    errors.update(_methods(values["methods"]))
    errors.update(_text("responses", values["responses"], "a summary of the responses", required=True))
    errors.update(_text("changes", values["changes"], "what changed because of the consultation"))
    if values["informed"] is not None and f.record_ids("informed", values["informed"], MAX_INFORMED):
        errors["informed"] = f"Choose at most {MAX_INFORMED} impact assessments and objectives from the list"
    if errors:
        raise Invalid("The consultation could not be saved: correct what is marked.", errors)
    return {**values, "informed": list(dict.fromkeys(values["informed"] or [])), "end": values["end"] or None,
            "changes": values["changes"] or None}


def _one_line(path, value, message, limit):
    if not isinstance(value, str) or not value.strip():
        return {path: message}
    found = f.one_line(path, value, limit)
    return {path: f"{message} in {limit} characters or fewer, on one line"} if found else {}


def _text(path, value, words, required=False):
    if value is None and not required:
        return {}
    if not isinstance(value, str) or not value.strip() or len(value) > f.MAX_TEXT:
        return {path: f"Enter {words}, in {f.MAX_TEXT:,} characters or fewer"}
    return {}


def _consulted(value):
    if not isinstance(value, list) or not value:
        return {"consulted": "Add at least one group or person consulted"}
    if len(value) > MAX_CONSULTED:
        return {"consulted": f"List at most {MAX_CONSULTED} groups consulted"}
    errors = {}
    for i, party in enumerate(value):
        if not isinstance(party, dict) or set(party) != {"name", "type"}:
            errors[f"consulted.{i}"] = "Give the name and type of each group consulted"
            continue
        errors.update(_one_line(f"consulted.{i}.name", party["name"], "Enter the name of the group consulted",
                                NAME_LIMIT))
        if not isinstance(party["type"], str) or party["type"] not in TYPES:
            errors[f"consulted.{i}.type"] = "Select the type of group: " + f.either(list(TYPES.values()))
    return errors


def _dates(start, end):
    if not f.is_date(start):
        return {"start": "Enter the date of the consultation (or when it began) as a real date, for example 2007-03-31"}
    if end is not None and not f.is_date(end):
        return {"end": "Enter the date the consultation ended as a real date, for example 2007-04-30, or leave it blank"}
    if end is not None and end < start:
        return {"end": "The date it ended must be the same as or after the date it began"}
    return {}


def _methods(value):
    if not isinstance(value, list) or not value:
        return {"methods": "Select how people were consulted"}
    if not all(isinstance(method, str) and method in METHODS for method in value) or len(set(value)) != len(value):
        return {"methods": "Select how people were consulted from the choices given, each once"}
    return {}


def new(user, values, teams):
    """A new consultation record kept by `values`' team, written by `user`."""
    record = checked(values, teams)
    at = now()
    return {**record, "created_by": user.name, "created_at": at, "updated_by": user.name, "updated_at": at}


def edited(current, user, values, teams):
    """`current` with `values` (every key of KEYS given again) saved by `user`."""
    return {**current, **checked(values, teams), "updated_by": user.name, "updated_at": now()}


def informing(consultations, doc_id):
    """The consultations that informed document `doc_id`, newest first."""
    return newest_first(c for c in consultations if str(doc_id) in (c.get("informed") or ()))


def newest_first(consultations):
    return sorted(consultations, key=lambda c: (c["start"], int(c["id"])), reverse=True)


def in_general_terms(consultation):
    """What the public register says of a consultation: who in general terms (the types of
    group, never their names, which may name private individuals), when, how, what they
    said and what changed."""
    kinds = list(dict.fromkeys(TYPES[party["type"]] for party in consultation["consulted"]))
    return {"who": f.either(kinds, "and"), "start": consultation["start"], "end": consultation.get("end"),
            "methods": f.either([METHODS[m] for m in consultation["methods"]], "and"),
            "responses": consultation["responses"], "changes": consultation.get("changes")}
