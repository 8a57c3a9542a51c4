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
