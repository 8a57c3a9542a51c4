"""The authority's contact details, shown on the contact page, the accessibility statement
and the privacy notice: what an administrator may set, and the details used until they do."""
import re

from workflow import fields
from workflow.accounts import EMAIL
from workflow.errors import Invalid

DEFAULT = {"unit": "Race and Diversity Unit",
           "address": "Metropolitan Police Authority, 10 Dean Farrar Street, London SW1H 0NY",
           "email": "", "phone": ""}
LIMIT = 200
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,30}")


def checked(unit, address, email, phone):
    """The details as they will be stored (spaces trimmed), or Invalid naming each one that is wrong:
    a unit and an address must be given; an e-mail address and a telephone number may be left empty."""
    given = {"unit": unit, "address": address, "email": email, "phone": phone}
    details = {name: value.strip() if isinstance(value, str) else "" for name, value in given.items()}
    errors = {}
    for name, what in (("unit", "the name of the team the public should contact"), ("address", "a postal address")):
        if not details[name]:
            errors[name] = f"Enter {what}"
    for name, value in details.items():
        if len(value) > LIMIT:
            errors[name] = fields.too_long(name, LIMIT)
        elif value and fields.one_line(name, value, LIMIT):  # given and short enough: a control character
            errors[name] = f"Write the {fields.name(name)} on one line"
    for name, message in reach_errors(details["email"], details["phone"]).items():
        errors.setdefault(name, message)
    if errors:
        raise Invalid("Correct the contact details shown.", errors)
    return details


def reach_errors(email, phone):
    """{"email" / "phone": what is wrong} with a way to reach someone: an e-mail address and a
    telephone number (trimmed), each of which may be empty."""
    errors = {}
    if email and (fields.one_line("email", email, LIMIT) or not EMAIL.fullmatch(email)):
        errors["email"] = "Enter an email address in the correct format, like name@example.org"
    if phone and not _PHONE.fullmatch(phone):
        errors["phone"] = "Enter a telephone number, like 020 7202 0202"
    return errors
