"""The pages' Jinja environment reads dict keys as Jinja always has, only quicker."""
import jinja2
import pytest

TEMPLATES = ["{{ d.title }}", "{{ d.missing is defined }}", "{{ d.items() | list }}", "{{ d.get('title') }}",
             "{{ d.missing | default('none') }}", "{{ d.missing.deeper }}", "{{ d.nested.title }}",
             "{{ o.title }}", "{{ o.upper() }}", "{{ n.title }}"]


def outcome(environment, source, values):
    try:
        return environment.from_string(source).render(values)
    except jinja2.UndefinedError as exc:
        return f"UndefinedError: {exc}"


@pytest.mark.parametrize("source", TEMPLATES)
def test_attribute_lookups_answer_what_plain_jinja_answers(app, source):
    values = {"d": {"title": "EqIA", "items": "a key named like a dict method", "nested": {"title": "inner"}},
              "o": "text", "n": None}
    with app.app_context():
        ours = outcome(app.jinja_env, source, values)
    assert ours == outcome(jinja2.Environment(autoescape=True), source, values)
