"""Named contacts for racism and harassment (Corporate Equality Plan 2004): for a team or a
site (a place, such as "Romford Road office"), each with a name, role, telephone, e-mail and
where to find them. Pure: what a contact must hold; who keeps it is workflow.policy's.

Everyone signed in reads the list; the Head keeps every contact, a team leader their team's.
A contact for a site with no team is the Head's, as no team leader answers for a place.
"""
import itertools

from workflow import contact, fields
from workflow.errors import Invalid

TEXTS = ("name", "role", "phone", "email", "where", "team", "site")
NAME_LIMIT = 100
LIMIT = 200


def checked(given, teams):
    """The contact `given` ({name, role, phone, email, where, team, site}: text) as it will be
    stored, spaces trimmed and blanks None; Invalid naming each input that is wrong. `teams`: the known teams."""
    details = {key: _trimmed(given.get(key)) for key in TEXTS}
    errors = fields.one_line("name", details["name"] or "", NAME_LIMIT)
    for key in ("role", "where", "site"):
        if details[key] is not None:
            errors.update(fields.one_line(key, details[key], LIMIT))
    errors.update(contact.reach_errors(details["email"], details["phone"]))
    if not details["email"] and not details["phone"]:
        errors["phone"] = "Enter a telephone number or an email address, so that people can reach them"
    if details["team"] is not None and details["team"] not in teams:
        errors["team"] = "Select one of the teams listed"
    if details["team"] is None and details["site"] is None:
        errors["team"] = "Select the team they are a contact for, or enter the site"
    if errors:
        raise Invalid("Correct the contact's details shown.", errors)
    return details


def _trimmed(value):
    return (value.strip() or None) if isinstance(value, str) else None


def place(record):
    """Where a contact serves, in words: "Human Resources", "Romford Road office" or both."""
    return " at ".join(part for part in (record.get("team"), record.get("site")) if part)


def by_place(records):
    """The contacts as the list shows them: [(place, its contacts by name)], places A-Z."""
    ordered = sorted(records, key=lambda r: (place(r).casefold(), r["name"].casefold(), int(r["id"])))
    return [(where, list(group)) for where, group in itertools.groupby(ordered, key=place)]
