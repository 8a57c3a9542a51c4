"""The use cases' own refusals are in plain words too, from whichever door they are reached: the
training register and its figures, the audit log's filters, the settings, teams, passwords, tokens,
reporting periods and strategic objectives, the Standard's target, the progress report, a
Board agenda and a role change. Each is provoked; every reason and field message must read as a
sentence (tests/workflow/test_plain_words.py: no path, no code, no "YYYY")."""
from services import account_service, audit_service, meeting_service, period_service, report_service
from services import role_change_service, settings_service, standard_service, team_service, token_service
from services import training_service
from tests.workflow.test_plain_words_elsewhere import HEAD, LEAD, assert_all_plain, refusals
from web import report_formats

PASSWORD = "correct horse battery"
BY = audit_service.Actor("root")


def test_every_refusal_of_a_use_case_is_in_plain_words(store):
    account_service.add_user(store, "ann", PASSWORD, ["staff"])
    bad_rows = b"name,group,course,date\n,visitor,,2006-02-30\n"
    words = refusals(
        lambda: training_service.figures(store, HEAD, "31/03/2007"),
        lambda: training_service.upload(store, HEAD, BY, "", None),
        lambda: training_service.upload(store, HEAD, BY, "Training.csv", b"\xff\xfe\x00bad"),
        lambda: training_service.upload(store, HEAD, BY, "Training.csv", bad_rows),
        lambda: training_service.add(store, HEAD, BY, {"name": "Jo", "group": "staff", "course": "eqia",
                                                       "date": "soon"}),
        lambda: account_service.record_training(store, "ann", "31/03/2007"),
        lambda: account_service.record_entries(store, [{"name": "Root", "group": "staff", "course": "eqia",
                                                        "date": "2006-01-01"}], BY),
        lambda: account_service.set_password_by_link(store, "no such link", "short", "other"),
        lambda: account_service.change_password(store, "ann", "wrong", "short", "other", None),
        lambda: account_service.set_email(store, "ann", "not an address"),
        lambda: account_service.account(store, "nobody"),
        lambda: settings_service.set_strand_set(store, "ces_2099", None),
        lambda: team_service.keep_coordinator(store, HEAD, "No such team", "x", None, None, None, BY),
        lambda: team_service.add_team(store, "two\nlines"),
        lambda: period_service.add_period(store, HEAD, "soon"),
        lambda: period_service.add_period(store, LEAD, "2007-08"),
        lambda: period_service.add_strategic(store, HEAD, 0, ""),
        lambda: period_service.retitle_strategic(store, HEAD, 1, "New title", None),
        lambda: period_service.strategic(store, 98),
        lambda: standard_service.save_settings(store, LEAD, {}, None),
        lambda: standard_service.save_settings(store, HEAD, {"target_level": 0, "target_date": "2008",
                                                             "cost_per_level": "a lot"}, None),
        lambda: report_service._checked(store, "soon", "31/03/2007", "next week"),
        lambda: meeting_service._doc_id("the first one"),
        lambda: role_change_service.decide(store, HEAD, BY, "no such proposal", "maybe"),
        lambda: role_change_service.decide(store, HEAD, BY, "no such proposal", "confirm"),
        lambda: report_formats.check_format("docx"),
        lambda: token_service.issue_token(store, "nobody"),
        lambda: token_service.revoke(store, "ann", "no such token", BY))
    query = audit_service.Query(kind="weather", since="soon", until="31/03/2007")
    words += [*audit_service.query_errors(query).values(),
              *audit_service.query_errors(audit_service.Query(since="2007-03-01", until="2007-02-01")).values()]
    assert len(words) > 50
    assert_all_plain(words)
