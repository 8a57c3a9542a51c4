"""Setting how monitoring datasets are published: the threshold below which counts are suppressed
for readers outside the owning team (workflow.suppression) and the ratio below which a relative
rate is flagged (workflow.monitoring). The Head of Race and Diversity, who publishes monitoring
data, or an administrator sets them; each change is in the audit log.

The threshold is stamped on every monitoring dataset (policy.SUPPRESSION_THRESHOLD) so that the
pure policy suppresses without a store: a new threshold restamps every dataset in the same commit,
so no reader ever sees a dataset suppressed by the old one after the setting says otherwise.
"""
from services import audit_service, commits, settings_service
from services.document_service import DOCS, history_append
from store import Put
from workflow import documents, numbers, policy
from workflow.errors import Forbidden, Invalid

MAX_THRESHOLD = 100
THRESHOLD_WORDS = f"Enter the threshold as a whole number from 1 to {MAX_THRESHOLD}"
RATIO_WORDS = "Enter the flag ratio as a decimal above 0 and at most 1, such as 0.8"
RESTAMPED = "publication"  # the history action of a dataset given a new threshold


def _ratio(value):
    """A ratio in (0, 1] written as a decimal ("0.8", ".75", "1"), or None."""
    text = str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    if not text or len(text) > 10 or not text.replace(".", "", 1).isdigit() or not text.isascii():
        return None
    ratio = float(text)
    return ratio if 0 < ratio <= 1 else None


def set_publication(store, user, threshold, flag_ratio, version, by):
    """Save both settings (as typed in a form or sent by a client) as the Head or an administrator
    (`user`; `by`: the audit_service.Actor), with the setting's `version` as they saw it (None: never
    saved), and restamp every monitoring dataset with the threshold, all in one commit."""
    if not policy.may_set_publication(user):
        raise Forbidden("Only the Head of Race and Diversity or an administrator can change how monitoring data is published")
    chosen, ratio = numbers.whole(threshold, 1, MAX_THRESHOLD), _ratio(flag_ratio)
    errors = {**({} if chosen is not None else {"threshold": THRESHOLD_WORDS}),
              **({} if ratio is not None else {"flag_ratio": RATIO_WORDS})}
    if errors:
        raise Invalid("Some answers need correcting; nothing was saved", errors)
    record = {"threshold": chosen, "flag_ratio": ratio}
    ops = [Put(settings_service.SETTINGS, settings_service.MONITORING_PUBLICATION, record, expected_version=version)]
    ops += _restamped(store, user, chosen)
    with commits.refused_if_changed("Someone changed the setting or a monitoring dataset since you opened the page; "
                                    "nothing was saved: reload it and try again", {"version": "the setting has changed"}):
        audit_service.commit(store, ops, [audit_service.entry(by, "setting", settings_service.MONITORING_PUBLICATION,
                                                              "set", value=record)])
    return settings_service.monitoring_publication(store)


def _restamped(store, user, threshold):
    """Store operations giving every monitoring dataset whose threshold changes the new one, each with
    its history line (a document's history has a line for each of its versions: services.verify_service)."""
    at, ops = documents.now(), []
    comment = f"Counts below {threshold} are suppressed for readers outside the team."
    for doc in store.scan(DOCS, {"kind": "monitoring"}):
        if doc.get(policy.SUPPRESSION_THRESHOLD) == threshold:
            continue
        entry = documents.entry(at, user, RESTAMPED, doc["state"], doc["state"], doc["revision"], comment)
        ops += [Put(DOCS, doc["id"], {**doc, policy.SUPPRESSION_THRESHOLD: threshold}, expected_version=doc["version"]),
                history_append(store, doc["id"], entry)]
    return ops
