"""Every page a person reaches from the navigation passes axe-core in a real browser."""


def test_sign_in_page_and_wrong_password_message_are_accessible(person):
    visitor = person("sam.staff")
    visitor.page.goto("/sign-in")
    visitor.checked("sign-in")
    visitor.page.get_by_label("User name").fill("sam.staff")
    visitor.page.get_by_label("Password").fill("not the password")
    visitor.page.get_by_role("button", name="Sign in").click()
    assert "The user name or password is not right." in visitor.checked("wrong-password").content()


def test_how_it_works_and_the_document_list_are_accessible(person):
    head = person("hana.head")
    head.sign_in()
    head.page.goto("/how-it-works")
    assert head.checked("how-it-works").get_by_role("img", name="The workflow every document goes through").is_visible()
    head.page.goto("/documents")
    head.checked("documents")


def test_every_other_page_a_person_can_reach_is_accessible(person):
    """Admin, account, coordinators, forms of each kind, the list with filters, comparison."""
    admin = person("ada.admin")
    admin.sign_in()
    for path in ("/admin/users", "/admin/users/new", "/admin/users/sam.staff", "/admin/teams", "/admin/settings",
                 "/account", "/account/password", "/teams", "/audit", "/role-changes", "/teams/CLAMS/coordinator",
                 "/contacts", "/partners"):
        admin.page.goto(path)
        admin.checked(path)
    lead = person("lee.lead")
    lead.sign_in()
    for path in ("/contacts/new", "/partners/new",
                 "/documents/new", "/documents/new?kind=objective", "/documents/new?kind=team_plan",
                 "/documents?kind=objective&status=green&sort=title", "/documents/new?kind=eqia"):
        lead.page.goto(path)
        lead.checked(path)
    lead.page.get_by_role("button", name="Save and start the screening").click()
    assert "There is a problem" in lead.checked("eqia-errors").content()


def test_sign_in_and_a_transition_work_by_keyboard_alone(person):
    staff = person("sam.staff")
    page = staff.page
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.get_by_label("User name").focus()
    page.keyboard.type("sam.staff")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert "My work" in page.title()
    page.goto("/documents/new?kind=eqia")
    page.get_by_label("Title").focus()
    page.keyboard.type("Keyboard only EqIA")
    page.get_by_label("What is assessed").focus()
    page.keyboard.type("Typed without a mouse.")
    page.get_by_label("A new policy, strategy or project").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save and start the screening").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/screening/race")
    page.keyboard.press("Tab")
    style = page.evaluate("(e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).boxShadow])"
                          "(document.activeElement)")
    assert style != ["none", "none"], "the focused control shows no focus indicator"


def test_pages_reflow_at_200_percent_zoom_without_sideways_scrolling(person, browser, base_url):
    """200% zoom of a 1280-pixel window is a 640-pixel viewport."""
    lead = person("lee.lead")
    lead.context.close()
    lead.context = browser.new_context(base_url=base_url, viewport={"width": 640, "height": 480})
    lead.page = lead.context.new_page()
    lead.sign_in()
    for path in ("/", "/documents", "/how-it-works", "/documents/new?kind=eqia", "/teams", "/account"):
        lead.page.goto(path)
        lead.checked(f"zoom{path}")
        overflow = lead.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 200% zoom"
