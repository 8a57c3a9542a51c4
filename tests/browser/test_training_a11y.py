"""The training register passes axe-core: the Head's register with a refused upload
(every bad line listed), after a good upload, and a Board member's figures-only page."""
GOOD = ("name,group,course,date,team\n"
        "Browser Staffer,staff,eqia,2006-05-01,Human Resources\n"
        "Browser Member,member,eqia,2007-01-15,\n"
        "Browser Recruiter,staff,Recruitment and selection,2007-09-20,\n")


def csv(text):
    return {"name": "training.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def test_the_register_is_accessible_to_the_head_and_the_board(person):
    head = person("hana.head")
    page = head.sign_in()
    page.get_by_role("link", name="Training register").click()
    head.checked("register")
    page.get_by_label("CSV file").set_input_files(csv(GOOD + "Browser Visitor,visitor,eqia,June 2006,\n"))
    page.get_by_role("button", name="Import").click()
    page = head.checked("bad-upload")
    assert "Line 5: Select staff or Board member. Enter the date trained as a real date, for example 2007-03-31" in page.content()
    assert "Browser Staffer" not in page.content()  # nothing was imported
    page.get_by_label("CSV file").set_input_files(csv(GOOD))
    page.get_by_role("button", name="Import").click()
    page = head.checked("imported")
    assert "Browser Staffer" in page.content()
    page.get_by_label("Group").first.select_option("member")
    page.get_by_role("button", name="Show").click()
    assert "Browser Staffer" not in head.checked("members").content()

    board = person("bo.board")
    page = board.sign_in()
    page.goto("/training")
    page = board.checked("figures")
    assert "trained in EqIA as of" in page.content() and "Browser Member" not in page.content()
