"""What the pages about people show, each read in one call: a person's own account, the
accounts with the role changes awaiting them, one account's form, and the teams with the
people who may coordinate them. The changes themselves are account_service's,
role_change_service's, team_service's and token_service's."""
from services import account_service, role_change_service, team_service, token_service


def own_account(store, name):
    """(the account `name` as stored, its API tokens newest first)."""
    return account_service.account(store, name), token_service.for_person(store, name)


def accounts_overview(store):
    """(every account with when it last signed in, {name: its proposals awaiting a decision})."""
    awaiting = {}
    for proposal in role_change_service.pending(store):
        awaiting.setdefault(proposal["person"], []).append(proposal)
    return account_service.list_accounts(store), awaiting


def account_form(store, name=None):
    """What the form for the account `name` (None: a new one) offers: the known teams, the
    role changes awaiting the account, and how many API tokens it holds."""
    return {"teams": team_service.known_teams(store),
            "proposals": role_change_service.pending_for(store, name) if name else [],
            "token_count": len(token_service.for_person(store, name)) if name else 0}


def teams_overview(store):
    """(the contact list, the names of every account: who may be named coordinator)."""
    return team_service.contact_list(store), [record["name"] for record in account_service.list_accounts(store)]

