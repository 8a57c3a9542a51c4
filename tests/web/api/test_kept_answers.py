"""Who a token stands for, and the JSON of lists and documents, are kept until the store
changes: a change made anywhere (here, or by another process on the same store) shows at
the next request, and a refusal takes effect at once."""
import pytest

from services import account_service, audit_service
from tests.conftest import HR, screening
from web import create_app
from workflow import search


@pytest.fixture
def other(app):
    """A second app on the same store: another gunicorn worker, or another host."""
    second = create_app({**app.config, "STORE": app.config["STORE"]})
    yield second.test_client(), second.extensions["store"]
    second.extensions["store"].close()


def me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def draft(api):
    body = {"kind": "eqia", "title": "Recruitment policy", "team": HR,
            "fields": {"subject": "Shortlisting", "trigger": "review", "screening": screening()}}
    response = api.as_("hr_staff").post("/documents", body)
    assert response.status_code == 201, response.json
    return response.json


def test_a_token_revoked_by_another_process_answers_401_at_the_next_call(client, cast, other):
    assert me(client, cast["smt"]).status_code == 200  # known, and kept
    second, store = other
    assert second.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {cast['smt']}"}).status_code == 204
    assert me(client, cast["smt"]).status_code == 401
    assert me(client, cast["board"]).status_code == 200


def test_a_deactivated_account_is_refused_at_once_though_its_token_was_just_used(client, cast, other):
    assert me(client, cast["smt"]).status_code == 200
    _, store = other
    account_service.set_active(store, audit_service.Actor("admin"), "smt", False)
    assert me(client, cast["smt"]).status_code == 401


def test_a_change_of_roles_shows_at_the_next_call(client, cast, other):
    assert me(client, cast["smt"]).json["roles"] == ["smt"]
    _, store = other
    account_service.update_account(store, audit_service.Actor("admin"), "smt", store.get("users", "smt")["version"], ["smt", "eodb"], [], None)
    assert me(client, cast["smt"]).json["roles"] == ["eodb", "smt"]


def test_a_document_read_again_after_a_change_elsewhere_is_the_changed_one(api, cast, other):
    doc = draft(api)
    path = f"/documents/{doc['id']}"
    assert api.as_("hr_lead").get(path).json["actions"] == ["screen"]
    second, _ = other
    screened = second.post(f"/api/v1{path}/transitions", json={"name": "screen", "version": doc["version"]},
                           headers={"Authorization": f"Bearer {cast['hr_staff']}"})
    assert screened.status_code == 200, screened.json
    again = api.as_("hr_lead").get(path).json
    assert again["state"] == "screened" and again["version"] == screened.json["version"]
    assert again["actions"] == ["send_back"]  # its assessment is not complete yet


def test_each_caller_gets_their_own_view_of_a_kept_document(api):
    doc = draft(api)
    path = f"/documents/{doc['id']}"
    assert api.as_("hr_staff").get(path).status_code == 200
    assert api.as_("board").get(path).status_code == 404  # a draft: not the Board's, kept or not
    assert api.as_("pp_staff").get(path).status_code == 404
    assert api.as_("hr_lead").get(path).json["actions"] == ["screen"]
    assert api.as_("hr_staff").get(path).json["actions"] == ["screen"]


def test_a_list_read_again_after_a_change_elsewhere_counts_the_change(api, cast, other):
    assert api.as_("hr_lead").get("/documents", kind="eqia").json["total"] == 0
    doc = draft(api)  # through this app: its own commit
    listed = api.as_("hr_lead").get("/documents", kind="eqia").json
    assert listed["total"] == 1 and listed["items"][0]["state"] == "draft"
    second, _ = other
    second.post(f"/api/v1/documents/{doc['id']}/transitions", json={"name": "screen", "version": doc["version"]},
                headers={"Authorization": f"Bearer {cast['hr_staff']}"})
    assert api.as_("hr_lead").get("/documents", kind="eqia").json["items"][0]["state"] == "screened"
    assert api.as_("hr_lead").get("/documents", kind="eqia", state="draft").json["total"] == 0
    assert api.as_("board").get("/documents", kind="eqia").json["total"] == 0


def test_pages_of_a_kept_list_are_answered_each_as_asked(api):
    for _ in range(3):
        draft(api)
    first = api.as_("hr_lead").get("/documents", per_page="2").json
    second = api.as_("hr_lead").get("/documents", per_page="2", page="2").json
    assert (first["page"], len(first["items"]), second["page"], len(second["items"])) == (1, 2, 2, 1)
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])


def test_a_kept_list_is_brought_up_to_date_with_the_changed_document_alone(api, cast, other, monkeypatch):
    first, second_draft = draft(api), draft(api)
    assert api.as_("hr_lead").get("/documents", kind="eqia").json["total"] == 2
    assert api.as_("pp_staff").get("/documents", kind="eqia").json["total"] == 0
    worked_out_anew = []
    for over_every_document in ("ranked", "ranked_ids"):  # from whole documents, or from their kept fields
        real = getattr(search, over_every_document)
        monkeypatch.setattr(search, over_every_document,
                            lambda *args, real=real: worked_out_anew.append(args) or real(*args))
    client, _ = other
    client.post(f"/api/v1/documents/{first['id']}/transitions", json={"name": "screen", "version": first["version"]},
                headers={"Authorization": f"Bearer {cast['hr_staff']}"})
    listed = api.as_("hr_lead").get("/documents", kind="eqia").json
    assert {(i["id"], i["state"]) for i in listed["items"]} == {(first["id"], "screened"), (second_draft["id"], "draft")}
    assert api.as_("pp_staff").get("/documents", kind="eqia").json["total"] == 0  # still not theirs
    assert worked_out_anew == []  # both lists updated with the one document, not worked out over all
