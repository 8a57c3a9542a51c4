"""The complaints and compliments log passes axe-core: a refused entry (the error summary),
the entry recorded, the log with its table of complaints by strand, and another team's
leader reading the entry without the person's details."""


def test_the_log_is_accessible_and_keeps_the_persons_details_to_the_team(person):
    lead = person("lee.lead")
    page = lead.sign_in()
    page.get_by_role("link", name="Complaints and compliments").click()
    lead.checked("log")
    page.get_by_role("link", name="Record a complaint or compliment").click()
    page.get_by_label("Date received").fill("2007-06-04")
    page.get_by_label("Date closed (once closed)").fill("2007-06-01")
    page.get_by_role("button", name="Record it").click()
    page = lead.checked("refused")
    assert "There is a problem" in page.content() and "The date closed must be" in page.content()
    page.get_by_label("How it came in").select_option("telephone")
    page.get_by_label("Service or team it concerns").select_option("Human Resources")
    page.get_by_label("Race").check()
    page.get_by_label("Summary").fill("Browser: no interpreter was offered.")
    page.get_by_label("Name (optional)").fill("Browser Complainant")
    page.get_by_label("Outcome (once closed)").select_option("upheld")
    page.get_by_label("Date closed (once closed)").fill("2007-06-20")
    page.get_by_role("button", name="Record it").click()
    page = lead.checked("recorded")
    assert "Browser Complainant" in page.content()
    entry = page.url

    other = person("pat.other")
    page = other.sign_in()
    page.goto(entry)
    page = other.checked("entry-outside-the-team")
    assert "Browser: no interpreter" in page.content() and "Browser Complainant" not in page.content()
