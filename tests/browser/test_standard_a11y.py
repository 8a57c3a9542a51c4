"""The Equality Standard matrix, its target form with errors showing, and a cell's
document and edit pages (with a refused and an accepted upload) pass axe-core;
a Board member's matrix too."""

PDF = b"%PDF-1.4\n% the Race Equality Scheme\n%%EOF\n"


def _upload(page, name):
    page.get_by_label("Upload a file as evidence").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_label("What the file shows").fill("The scheme as adopted")
    page.get_by_role("button", name="Save changes").click()


def test_the_standard_matrix_and_its_forms_are_accessible(person):
    head = person("hana.head")
    head.sign_in()
    head.page.get_by_role("link", name="Equality Standard").click()
    page = head.checked("matrix-empty")
    if page.get_by_role("button", name="Set up the matrix").count():
        page.get_by_role("button", name="Set up the matrix").click()
    page = head.checked("matrix")
    # 5 levels x 4 areas, each saying its evidence or that it is missing (other tests of the
    # session may have given a cell evidence)
    cells = page.get_by_role("table").locator("td")
    assert cells.count() == 20
    assert all("Evidence" in text for text in cells.all_inner_texts())
    page.get_by_label("Target date").fill("December 2007")
    page.get_by_role("button", name="Save the target and cost").click()
    page = head.checked("settings-errors")
    assert "Enter the target date as a real date, for example 2008-03-31" in page.content()
    page.get_by_role("link", name="Not started – level 1, Leadership and Corporate Commitment").click()
    page = head.checked("cell")
    assert "Commit ourselves to promoting equality of opportunity" in page.content()
    page.get_by_role("link", name="Edit").first.click()
    _upload(head.checked("cell-form"), "scheme.png")  # a PDF named .png: refused
    page = head.checked("upload-refused")
    assert "is named .png but is not a PNG image file" in page.content()
    _upload(page, "scheme.pdf")
    page = head.checked("cell-with-file")
    assert page.get_by_role("link", name="scheme.pdf").count() == 1
    board = person("bo.board")
    board.sign_in()
    board.page.goto("/standard")
    assert "Not assessed yet" in board.checked("matrix-board").content()
