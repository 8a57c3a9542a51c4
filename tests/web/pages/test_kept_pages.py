"""Parts of pages are kept as rendered until the store changes (web/fragments.py):
a change shows on the very next page, in every process, and nobody is shown
a part rendered for someone else."""
import re

import pytest
from flask import render_template_string
from flask_login import login_user

from store import Put
from tests.conftest import HR
from tests.web.browsing import create, fire, sign_in, without_tokens
from web import create_app
from web.auth import SignedIn
from web.pages import document_pages
from workflow.users import User


def nav_count(html):
    return int(re.search(r"My work <span class=\"nav-count\">\((\d+)", html).group(1))


def section(html, title):
    start = html.find(f">{title} <span")
    return html[start:html.find("</section>", start)] if start >= 0 else ""


WAITING = "Waiting for sign-off, no approver assigned"


def unread(html):
    return int(re.search(r"Notices <span class=\"nav-count\">\((\d+) unread", html).group(1))


def test_my_work_and_its_count_change_with_the_next_commit(client, api):
    first = fire(api, "hr_lead", fire(api, "hr_staff", create(api, "First policy"), "screen"), "assess")
    sign_in(client, "head")
    page = client.get("/").text
    assert "First policy" in section(page, WAITING) and nav_count(page) == 1
    assert without_tokens(client.get("/").text) == without_tokens(page)  # kept: the same page again
    fire(api, "hr_lead", fire(api, "hr_staff", create(api, "Second policy"), "screen"), "assess")
    page = client.get("/").text
    assert "Second policy" in section(page, WAITING) and nav_count(page) == 2
    fire(api, "head", first, "approve")
    page = client.get("/").text
    assert "First policy" not in section(page, WAITING) and nav_count(page) == 1
    assert nav_count(client.get("/documents").text) == 1  # the navigation on every page


def test_a_document_page_shows_an_edit_and_its_history_at_once(client, api):
    doc = create(api, "Recruitment policy")
    sign_in(client, "hr_staff")
    page = client.get(f"/documents/{doc['id']}").text
    assert "Recruitment policy" in page and "marked it as screened" not in page
    edited = api.as_("hr_staff").patch(f"/documents/{doc['id']}", {
        "version": doc["version"], "fields": {"subject": "The *new* subject"}})
    assert edited.status_code == 200, edited.json
    page = client.get(f"/documents/{doc['id']}").text
    assert "<em>new</em> subject" in page
    fire(api, "hr_staff", edited.json, "screen")
    assert "marked it as screened" in client.get(f"/documents/{doc['id']}").text


def test_each_reader_gets_the_parts_rendered_for_them(client, api):
    """The Head sees a revision in progress; the Board, on the same page, only what was approved."""
    approved = fire(api, "head", fire(api, "hr_lead", fire(api, "hr_staff", create(api, "Pay policy"), "screen"),
                                      "assess"), "approve")
    revising = fire(api, "hr_lead", approved, "revise")
    edited = api.as_("hr_lead").patch(f"/documents/{revising['id']}", {
        "version": revising["version"], "fields": {"subject": "A revised subject"}})
    assert edited.status_code == 200, edited.json
    sign_in(client, "head")
    head_page = client.get(f"/documents/{approved['id']}").text
    assert "A revised subject" in head_page and "Training register" in head_page
    sign_in(client, "board")
    board_page = client.get(f"/documents/{approved['id']}").text
    assert "A revised subject" not in board_page and "Recruitment policy" in board_page
    assert "Training register" not in board_page and "Signed in as <strong>board</strong>" in board_page
    assert "started a new revision" not in board_page  # history beyond the approved revision is the Head's


def test_a_new_notice_counts_on_the_next_page(client, api):
    sign_in(client, "hr_lead")
    assert unread(client.get("/").text) == 0
    fire(api, "hr_staff", create(api, "Recruitment policy"), "screen")  # notifies the team's leaders
    assert unread(client.get("/").text) == 1


def test_a_change_made_by_another_process_shows_here(app, client, api):
    sign_in(client, "head")
    assert nav_count(client.get("/").text) == 0
    other = create_app({"STORE": app.config["STORE"], "TESTING": True, "SECRET_KEY": "test",
                        "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False})
    try:
        other_api = type(api)(other.test_client(), api.tokens)
        fire(other_api, "hr_lead", fire(other_api, "hr_staff", create(other_api, "Made elsewhere"), "screen"), "assess")
    finally:
        other.extensions["store"].close()
    page = client.get("/").text
    assert "Made elsewhere" in section(page, WAITING) and nav_count(page) == 1


def render_as(app, source, user, **values):
    """`source` rendered in a request signed in as `user`."""
    with app.test_request_context("/"):
        login_user(SignedIn(user, "session"))
        return render_template_string(source, **values)


def test_a_kept_part_is_rendered_once_per_state_of_the_store(app, store):
    renders = []
    count = lambda: renders.append(1) or len(renders)  # noqa: E731
    kim = User("kim", frozenset({"staff"}), frozenset({HR}))
    source = '{% call kept("test") %}{{ count() }}{% endcall %}'
    assert render_as(app, source, kim, count=count) == "1"
    assert render_as(app, source, kim, count=count) == "1"
    other = User("lee", frozenset({"staff"}), frozenset({HR}))
    assert render_as(app, source, other, count=count) == "2"  # someone else: their own
    store.commit([Put("settings", "anything", {"value": 1})])
    assert render_as(app, source, kim, count=count) == "3"


def test_a_csrf_token_is_refused_inside_a_kept_part(app):
    kim = User("kim", frozenset({"staff"}), frozenset({HR}))
    with pytest.raises(RuntimeError, match="CSRF"):
        render_as(app, '{% call kept("form") %}{{ csrf_token() }}{% endcall %}', kim)
    assert render_as(app, "{{ csrf_token() }}", kim)  # outside, as ever


def test_a_whole_page_is_rendered_once_per_state_of_the_store(client, api, monkeypatch):
    rendered = []
    render = document_pages.render_template
    monkeypatch.setattr(document_pages, "render_template", lambda name, **values: rendered.append(name) or render(name, **values))
    doc = create(api, "Kept policy")
    sign_in(client, "hr_lead")
    address = f"/documents/{doc['id']}"
    for _ in range(3):
        assert "Kept policy" in client.get(address).text
    assert rendered == ["documents/show.html"]
    assert "Kept policy" in client.get(address + "?from=list").text  # another address: its own
    fire(api, "hr_staff", doc, "screen")
    assert "marked it as screened" in client.get(address).text
    assert len(rendered) == 3


def test_a_flashed_message_is_shown_once_on_a_kept_page(client, api):
    doc = create(api, "Kept policy")
    sign_in(client, "hr_lead")
    address = f"/documents/{doc['id']}"
    assert client.get(address).status_code == 200  # kept now
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "A message for you")]
    assert "A message for you" in client.get(address).text
    assert "A message for you" not in client.get(address).text


def test_two_readers_signed_in_at_once_each_get_their_own_kept_page(app, client, api):
    approved = fire(api, "head", fire(api, "hr_lead", fire(api, "hr_staff", create(api, "Pay policy"), "screen"),
                                      "assess"), "approve")
    revising = fire(api, "hr_lead", approved, "revise")
    assert api.as_("hr_lead").patch(f"/documents/{revising['id']}", {
        "version": revising["version"], "fields": {"subject": "A revised subject"}}).status_code == 200
    board = app.test_client()
    sign_in(client, "head")
    sign_in(board, "board")  # both signed in before either page is kept: no commit comes between them
    address = f"/documents/{approved['id']}"
    assert "A revised subject" in client.get(address).text
    board_page = board.get(address).text
    assert "A revised subject" not in board_page and "Signed in as <strong>board</strong>" in board_page
    assert "A revised subject" in client.get(address).text
