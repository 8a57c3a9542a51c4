"""On a phone the fifteen links of the navigation fold into a "Menu" that opens with the
keyboard and works without JavaScript; on a wide screen they are all in view."""


def test_the_navigation_folds_into_a_menu_on_a_phone(person):
    head = person("hana.head")
    page = head.sign_in()
    menu = page.get_by_role("navigation", name="Main")
    documents = menu.get_by_role("link", name="Documents", exact=True)
    assert documents.is_visible() and not menu.get_by_text("Menu", exact=True).is_visible()

    page.set_viewport_size({"width": 320, "height": 640})
    assert not documents.is_visible()
    assert page.locator("main h1").bounding_box()["y"] < 200  # the content starts on the first screen
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the product name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Menu"
    page.keyboard.press("Enter")
    assert documents.is_visible()
    documents.click()
    assert page.url.endswith("/documents")


def test_the_menu_opens_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto("/register")
    menu = page.get_by_role("navigation", name="Main")
    assert not menu.get_by_role("link", name="Sign in").is_visible()
    menu.get_by_text("Menu", exact=True).click()
    assert menu.get_by_role("link", name="Sign in").is_visible()
    context.close()
