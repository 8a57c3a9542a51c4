"""Whatever a client sends, the API answers with a reason in JSON, never a 500."""
import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from tests.conftest import HR, complete_eqia

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
# Bodies shaped like the real ones, with any value in any place, and some that are nothing like them.
create_bodies = st.fixed_dictionaries(
    {}, optional={"kind": st.sampled_from(["eqia", "objective", "team_plan"]) | json_values,
                  "title": st.text(max_size=30) | json_values, "team": st.just(HR) | json_values,
                  "fields": st.fixed_dictionaries({}, optional={
                      "screening": st.dictionaries(st.sampled_from(["age", "race", "x"]), json_values),
                      "review_date": st.text(max_size=12) | json_values,
                      "progress": json_values, "full_assessment": json_values}) | json_values}) | json_values
edit_bodies = st.fixed_dictionaries(
    {}, optional={"version": st.integers(-2, 3) | json_values, "title": json_values,
                  "fields": st.dictionaries(st.sampled_from(["subject", "screening", "trigger", "zzz"]),
                                            json_values) | json_values}) | json_values
fire_bodies = st.fixed_dictionaries(
    {}, optional={"name": st.sampled_from(["screen", "assess", "approve", "send_back", "review", "revise"])
                  | json_values, "version": st.integers(0, 3) | json_values, "comment": json_values}) | json_values

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def assert_answered(response):
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.is_json and isinstance(response.json["error"], str) and response.json["error"]


@SETTINGS
@given(body=create_bodies)
def test_any_create_body_gets_an_answer(api, body):
    assert_answered(api.as_("hr_lead").post("/documents", body))


@SETTINGS
@given(body=edit_bodies)
def test_any_edit_body_gets_an_answer(api, body):
    doc = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "t", "team": HR}).json
    assert_answered(api.as_("hr_lead").patch(f"/documents/{doc['id']}", body))


@SETTINGS
@given(body=fire_bodies)
def test_any_transition_body_gets_an_answer(api, body):
    doc = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "t", "team": HR,
                                                 "fields": complete_eqia()}).json
    assert_answered(api.as_("hr_lead").post(f"/documents/{doc['id']}/transitions", body))


@SETTINGS
@given(path=st.text(min_size=1, max_size=20), query=st.dictionaries(
    st.sampled_from(["kind", "state", "team", "q"]), st.text(max_size=20)))
def test_any_path_and_query_gets_an_answer(api, path, query):
    assert_answered(api.as_("board").get("/documents/" + path.replace("?", "").replace("#", "")))
    assert_answered(api.as_("board").get("/documents", **query))


def test_oversized_body_is_413(api):
    response = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "x" * (3 * 1024 * 1024), "team": HR})
    assert response.status_code == 413 and response.json["error"]


def test_wrong_method_is_405_in_json(api):
    response = api.as_("hr_lead").client.delete("/api/v1/documents")
    assert response.status_code == 405 and response.json["error"]


def test_deeply_nested_json_is_refused_before_it_is_parsed(api, client):
    """`[` × 100,000 would exhaust Python's recursion in the JSON parser: refused by depth, signed in or not."""
    for body in ("[" * 100_000, '{"a":' * 50_000, '{"title": "' + "[" * 5_000 + '", "x": [[[[1]]]]}'):
        for headers in ({}, {"Authorization": f"Bearer {api.tokens['hr_lead']}"}):
            response = client.post("/api/v1/documents", data=body, content_type="application/json", headers=headers)
            if body.startswith('{"title"'):  # brackets inside a string are text, not nesting
                assert "nested" not in response.json["error"], response.json
                continue
            assert response.status_code == 400, response.text
            assert "nested" in response.json["error"] and response.json["details"] == {"body": "nested too deeply"}
    assert api.as_("hr_lead").get("/documents").json["total"] == 0


def test_deep_nesting_is_refused_whatever_content_type_it_comes_with(api, client):
    """The API reads any body as JSON, so the depth check goes by what the body is, not what it claims."""
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", ""):
        response = client.post("/api/v1/documents", data="[" * 100_000, content_type=content_type,
                               headers={"Authorization": f"Bearer {api.tokens['hr_lead']}"})
        assert response.status_code == 400 and response.json["details"] == {"body": "nested too deeply"}, content_type
