"""Who could sign off what awaits sign-off, and where no one could, saying so (workflow.approvers)
on the document's page and on the My work of its author, the Heads and administrators."""
from services import account_service
from services.document_service import DOCS, with_contributors, with_head_wrote
from workflow import approvers, policy


def people(store):
    """Every active account as the rules see it (with a naming as deputy in effect)."""
    return account_service.as_users(store, account_service.active_people(store))


def no_one_can_sign(store, doc):
    """The words saying no one can sign `doc` (a loaded document) off and who could be given
    the power, or None."""
    return approvers.no_one_can_sign(doc, people(store)) if doc["state"] == "assessed" else None


def told_of(user, doc):
    """Whether `user` hears on My work that no one can sign `doc` off: its author, the Heads, administrators."""
    return doc["author"] == user.name or user.has("head") or user.has("admin")


def stuck(store, user):
    """[(what `user` sees of the document, or None if they may not see it, the document, the words)]
    for each document awaiting sign-off that no one can sign off, for those told_of it."""
    if not (user.has("head") or user.has("admin") or any(user.has(role) for role in policy.TEAM_ROLES)):
        return []
    told = [doc for doc in store.scan_slim(DOCS, {"state": "assessed"}) if told_of(user, doc)]
    if not told:
        return []
    everyone, found = people(store), []
    # Decided first on the fields the store keeps of each (workflow.listed.FIELDS: who wrote,
    # changed and submitted it); only those no one could sign are read whole.
    picked = [doc["id"] for doc in told if _decided(store, doc, everyone)[1]]
    for doc in store.get_many(DOCS, picked):
        if doc is not None and doc["state"] == "assessed":  # else changed since
            doc, words = _decided(store, doc, everyone)
            if words:
                found.append((policy.view(doc, user), doc, words))
    return found


def _decided(store, doc, everyone):
    """(`doc` with who wrote it, the words saying no one of `everyone` can sign it off, or None)."""
    doc = with_head_wrote(store, with_contributors(store, doc))
    return doc, approvers.no_one_can_sign(doc, everyone)
