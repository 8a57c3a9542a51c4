"""Text holding the NUL character is refused whole, with the place it was found, on both
backends alike: PostgreSQL cannot keep it, so TinyDB must not take it either."""
import pytest

from tests.authz_world import fingerprint
from tests.conftest import HR, complete_eqia


@pytest.mark.parametrize("body, where", [
    ({"kind": "eqia", "title": "Recruit\x00ment", "team": HR}, "title"),
    ({"kind": "eqia", "title": "t", "team": HR, "fields": {"subject": "x\x00"}}, "fields.subject"),
    ({"kind": "eqia", "title": "t", "team": HR, "fields": {"sub\x00ject": "x"}}, "fields.sub\\u0000ject"),
    ({"kind": "objective", "title": "t", "team": HR,
      "fields": {"progress": [{"period": "2007-08 Q1", "note": "fine"}, {"note": "\x00"}]}}, "fields.progress.1.note"),
])
def test_a_create_with_nul_is_refused_and_saves_nothing(api, app, body, where):
    store = app.extensions["store"]
    before = fingerprint(store)
    answer = api.as_("hr_lead").post("/documents", body)
    assert answer.status_code == 422
    assert answer.json["details"] == {where: "Remove the NUL character (U+0000): text cannot hold it"}
    assert "NUL" in answer.json["error"]
    assert fingerprint(store) == before


def test_edits_and_comments_with_nul_are_refused(api, app):
    store = app.extensions["store"]
    doc = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "t", "team": HR,
                                                 "fields": complete_eqia()}).json
    before = fingerprint(store)
    edit = api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": "a\x00"})
    fire = api.as_("hr_lead").post(f"/documents/{doc['id']}/transitions",
                                   {"name": "screen", "version": doc["version"], "comment": "\x00"})
    assert (edit.status_code, fire.status_code) == (422, 422)
    assert edit.json["details"] == {"title": "Remove the NUL character (U+0000): text cannot hold it"}
    assert fire.json["details"] == {"comment": "Remove the NUL character (U+0000): text cannot hold it"}
    assert fingerprint(store) == before
    # A search for it reads, and finds nothing; text without it is saved as sent (a title is one line).
    assert api.as_("hr_lead").get("/documents", q="t\x00").json["items"] == []
    kept = {"version": doc["version"], "title": "a b \u202e", "fields": {"subject": "a\u0001b\n\u202e"}}
    assert api.as_("hr_lead").patch(f"/documents/{doc['id']}", kept).status_code == 200


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-32", "utf-32-be"])
def test_a_nul_is_refused_in_every_encoding_a_json_body_may_come_in(api, app, encoding):
    """The API reads UTF-16 and UTF-32 bodies as well as UTF-8: the escape is looked for in all of them."""
    store = app.extensions["store"]
    before = fingerprint(store)
    body = '{"kind": "eqia", "title": "Recruit\\u0000ment", "team": "%s"}' % HR
    answer = api.client.post("/api/v1/documents", data=body.encode(encoding), content_type="application/json",
                             headers=api.as_("hr_lead")._headers())
    assert answer.status_code == 422, answer.json
    assert answer.json["details"] == {"title": "Remove the NUL character (U+0000): text cannot hold it"}
    assert fingerprint(store) == before
