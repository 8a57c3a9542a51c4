"""Several clients writing one document at once through the API: one wins per version,
the others get 409 with a reason, and no update is lost."""
import threading

from services import verify_service
from tests.conftest import HR, Api, complete_eqia

THREADS = 8


def create(api):
    response = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "Recruitment", "team": HR,
                                                      "fields": complete_eqia()})
    assert response.status_code == 201
    return response.json


def at_once(app, tokens, call):
    """Run call(api, i) in THREADS threads released together, each with its own client; the results."""
    barrier, results = threading.Barrier(THREADS), [None] * THREADS

    def worker(i):
        api = Api(app.test_client(), tokens, "hr_lead")
        barrier.wait()
        results[i] = call(api, i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def assert_one_winner(responses):
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (THREADS - 1), statuses
    for r in responses:
        if r.status_code == 409:
            assert r.json["error"].startswith("Someone else changed this document since you opened it")
            assert r.json["details"]["version"].startswith("stale")


def test_same_version_edits_and_transitions_one_wins_the_rest_are_409(app, api, cast):
    doc = create(api)
    path = f"/documents/{doc['id']}"
    edits = at_once(app, cast, lambda a, i: a.patch(path, {"version": doc["version"], "title": f"Title {i}"}))
    assert_one_winner(edits)
    [winner] = [r.json for r in edits if r.status_code == 200]
    assert api.as_("hr_lead").get(path).json["title"] == winner["title"]

    # Half edit, half screen, all from the version the edit left.
    def edit_or_screen(a, i):
        if i % 2:
            return a.patch(path, {"version": winner["version"], "title": f"Again {i}"})
        return a.fire(winner, "screen")
    assert_one_winner(at_once(app, cast, edit_or_screen))
    history = api.as_("hr_lead").get(path + "/history").json["items"]
    assert len(history) == 3 == api.as_("hr_lead").get(path).json["version"]


def test_clients_retrying_on_409_lose_no_update(app, api, cast, store):
    doc = create(api)
    path = f"/documents/{doc['id']}"
    rounds = 5

    def add_marks(a, i):
        for n in range(rounds):
            while True:  # read, modify, write; on 409 read again
                current = a.get(path).json
                marked = current["fields"]["subject"] + f" [{i}.{n}]"
                response = a.patch(path, {"version": current["version"], "fields": {"subject": marked}})
                if response.status_code == 200:
                    break
                assert response.status_code == 409, response.json
        return True

    assert all(at_once(app, cast, add_marks))
    final = api.as_("hr_lead").get(path).json
    marks = [f"[{i}.{n}]" for i in range(THREADS) for n in range(rounds)]
    assert all(final["fields"]["subject"].count(mark) == 1 for mark in marks)
    assert final["version"] == 1 + THREADS * rounds
    assert len(api.as_("hr_lead").get(path + "/history").json["items"]) == final["version"]
    assert verify_service.verify_store(store).intact
