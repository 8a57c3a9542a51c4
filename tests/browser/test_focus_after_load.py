"""After a refusal the focus lands on the error summary, after a success on the banner
(static/focus.js), so that a screen reader reads what happened; without script the
forms work the same."""
from tests.conftest import PASSWORD


def _focused(page):
    return page.evaluate("document.activeElement.className")


def _new_team_plan(page, title):
    page.goto("/documents/new?kind=team_plan")
    page.get_by_label("Title").fill(title)
    with page.expect_navigation():
        page.get_by_role("button", name="Create draft").click()


def test_focus_lands_on_the_error_summary_after_an_error_and_on_the_banner_after_a_success(person):
    lead = person("lee.lead")
    lead.sign_in()
    page = lead.page
    _new_team_plan(page, "")
    page.wait_for_function("document.activeElement.classList.contains('error-summary')", timeout=5000)
    assert page.locator(".error-summary").is_visible()
    page.get_by_label("Title").fill("Focus on the banner")
    with page.expect_navigation():
        page.get_by_role("button", name="Create draft").click()
    page.wait_for_function("document.activeElement.classList.contains('flash')", timeout=5000)
    assert "created as a draft" in page.locator(".flash").inner_text()
    page.keyboard.press("Tab")  # the next Tab goes on from the banner, not from the top of the page
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_without_script_the_form_still_refuses_and_saves(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("User name").fill("lee.lead")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        _new_team_plan(page, "")
        assert page.locator(".error-summary").is_visible()
        assert "error-summary" not in _focused(page)
        page.get_by_label("Title").fill("Saved without script")
        page.get_by_role("button", name="Create draft").click()
        assert "created as a draft" in page.locator(".flash").inner_text()
    finally:
        context.close()


def test_the_banner_keeps_the_focus_after_a_form_sent_from_a_skip_links_place(person):
    """A keyboard user who took "Skip to main content" sends the form from an address ending in
    #main; the browser keeps it through the redirect and would move the focus there on load."""
    lead = person("lee.lead")
    lead.sign_in()
    page = lead.page
    page.goto("/documents/new?kind=team_plan#main")
    page.get_by_label("Title").fill("Focus after a skip link")
    with page.expect_navigation():
        page.get_by_role("button", name="Create draft").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("#main")
    page.wait_for_function("document.activeElement.classList.contains('flash')", timeout=5000)
