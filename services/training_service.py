"""The EqIA training register: its figures (for those who read the Board's reports), its
entries (for those who keep it), and recording entries from a CSV file or one form.
The rules are workflow.training's; entries are committed by services.account_service
with the accounts they name."""
from services import account_service
from workflow import fields, plan_import, policy, training
from workflow.errors import Forbidden, Invalid


def _keeper(user):
    if not policy.may_read_training_register(user):
        raise Forbidden("The training register is kept by the Head of Race and Diversity and administrators.")


def figures(store, user, as_of):
    """The training figures as of the ISO date `as_of`, for a user who may see them (the
    page and the API): the register, and accounts' dates recorded before it existed."""
    if not policy.may_see_training_figures(user):
        raise Forbidden("The training figures are for the Head of Race and Diversity, the Board, the Senior "
                        "Management Team and administrators.")
    if not fields.is_date(as_of):
        raise Invalid("Correct the date shown.", fields.date("as_of", as_of))
    return training.figures(store.scan(account_service.TRAINING), as_of, accounts=store.scan(account_service.USERS))


def register(store, user, group=None, course=None):
    """(the register's entries selected by `group` and `course` if `user` keeps it, else [];
    {course: its words} of every course in the register)."""
    entries = store.scan(account_service.TRAINING)
    rows = training.select(entries, group, course) if policy.may_read_training_register(user) else []
    return rows, {e["course"]: training.course_words(e["course"]) for e in entries}


def upload(store, user, by, filename, data):
    """Record every entry of the CSV file `filename` (its bytes `data`), or none: Invalid
    naming the file, with every bad row under "file". Returns (added, already present)."""
    _keeper(user)
    if not filename:
        raise Invalid("No file was chosen.", {"file": "Choose a CSV file to upload"})
    try:
        text = plan_import.decode(data)
    except Invalid:
        raise Invalid("The file cannot be read.", {"file": "Choose a CSV file saved as UTF-8 text"}) from None
    entries, bad = training.parse(text, entered_by=user.name)
    if bad:
        raise Invalid(f"{len(bad)} row{'s' if len(bad) > 1 else ''} of {filename} cannot be imported, "
                      f"so nothing was imported: correct the file and upload it again.", {"file": bad})
    return account_service.record_entries(store, entries, by)


def add(store, user, by, form):
    """Record the one entry of `form` (a mapping of its inputs): (the entry, whether it was added)."""
    _keeper(user)
    entry = training.check(form, entered_by=user.name)
    added, _ = account_service.record_entries(store, [entry], by)
    return entry, bool(added)
