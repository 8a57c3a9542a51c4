"""The Board decides on the approved revision put on its agenda. Whether its team is
revising the document meanwhile changes neither the answer nor what the Board reads
afterwards, and the team's working copy is left as it was."""
import pytest

from tests.web.api.test_meetings_api import approved_eqia, meeting, on_agenda

# What differs between two documents by nature, not by their revision: which one, and when (every
# time, `at` or `…_at`: two approvals made one after the other may fall in two different seconds).
OWN = ("id", "version", "at", "hash", "prev")


def _same_for_both(value):
    if isinstance(value, dict):
        return {key: _same_for_both(item) for key, item in value.items()
                if key not in OWN and not key.endswith("_at")}
    if isinstance(value, list):
        return [_same_for_both(item) for item in value]
    return value


def _revise_out_of_sight(api, doc):
    doc = api.as_("hr_lead").fire(doc, "revise").json
    doc = api.as_("hr_staff").patch(f"/documents/{doc['id']}", {
        "version": doc["version"], "title": "Hidden title", "fields": {"subject": "Hidden subject"}}).json
    return api.as_("hr_lead").fire(doc, "screen").json


@pytest.mark.parametrize("decision", ["endorsed", "noted", "referred_back"])
def test_a_decision_reads_the_same_whether_or_not_the_team_is_revising(api, decision):
    held = meeting(api)
    quiet, revised = approved_eqia(api, "Flexi-time"), approved_eqia(api, "Flexi-time")
    for doc in (quiet, revised):
        on_agenda(api, held["id"], doc)
    working = _revise_out_of_sight(api, revised)
    answers = [api.as_("board").post(f"/meetings/{held['id']}/decisions",
                                     {"document": doc["id"], "decision": decision, "note": "Consult staff."})
               for doc in (quiet, revised)]
    assert [a.status_code for a in answers] == [200, 200], answers[1].json
    assert _same_for_both(answers[0].json) == _same_for_both(answers[1].json)
    for reader in ("board", "smt", "pp_staff"):
        seen = [api.as_(reader).get(f"/documents/{doc['id']}").json for doc in (quiet, revised)]
        assert _same_for_both(seen[0]) == _same_for_both(seen[1])
        histories = [api.as_(reader).get(f"/documents/{doc['id']}/history").json for doc in (quiet, revised)]
        assert _same_for_both(histories[0]) == _same_for_both(histories[1])
    team = api.as_("hr_lead").get(f"/documents/{revised['id']}").json
    assert (team["title"], team["state"], team["revision"]) == ("Hidden title", "screened", 2)
    assert team["fields"] == working["fields"]
    assert "Consult staff." in api.as_("hr_lead").get(f"/documents/{revised['id']}/history").json["items"][-1]["comment"]

