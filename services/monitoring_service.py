"""Monitoring datasets from CSV: a new draft from a file, or a draft's counts replaced by a new file.

The file is read whole before anything is written (workflow.monitoring_csv): a bad file changes
nothing. The document then goes through the Documents service like any other, so its creation
and edits are checked, versioned and in its history.
"""
from services import settings_service, team_service
from workflow import strands
from workflow.errors import Invalid
from workflow.kinds import monitoring_dataset
from workflow.monitoring_csv import parse
from workflow.users import User

# Who the command line records as a dataset's author: the operator, drafting for the team named.
OPERATOR = "command line"


def import_new(docs, user, team, title, data, description=""):
    """A new draft dataset of `team` from the CSV bytes `data`, its strands those of the
    authority's strand set; Invalid naming every bad line, with nothing stored."""
    strand_set = settings_service.strand_set(docs.store)
    rows = parse(_given(data), strands.SETS[strand_set])
    fields = {strands.FIELD: strand_set, "rows": rows, **({"description": description} if description else {})}
    return docs.create(user, monitoring_dataset.NAME, title, team, fields)


def _given(data):
    if data is None:
        raise Invalid("Select a CSV file of the counts", {"file": "Select a CSV file of the counts"})
    return data


def import_from_command_line(docs, team, title, data):
    """As import_new, by the operator: the team must be one the authority knows."""
    if team not in team_service.known_teams(docs.store):
        raise Invalid("There is no such team", {"team": f"{team} is not a team: name one of "
                                                         + ", ".join(team_service.known_teams(docs.store))})
    operator = User(OPERATOR, roles=frozenset({"staff"}), teams=frozenset({team}))
    return import_new(docs, operator, team, title, data)


def change(docs, doc_id, user, version, title, description, data=None):
    """The dataset's title and description changed and, given the CSV bytes `data`, its counts replaced
    by the file's (None: no file, the counts kept), read against the dataset's own strand set; refused as any edit is (a stale version,
    a state that allows none), and a bad file changes nothing."""
    doc, _ = docs.read(doc_id, user)
    if doc["kind"] != monitoring_dataset.NAME:
        raise Invalid("Only a monitoring dataset takes a file of counts", {"file": "This is not a monitoring dataset"})
    changes = {"description": description or None}
    if data is not None:
        changes["rows"] = parse(data, strands.strand_set(doc["fields"]))
    return docs.edit(doc_id, user, version, title, changes)
