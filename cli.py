"""The command line (contract: shared/DESIGN.md): serve, import-plan, import-training, import-monitoring,
user add, token, remind, send-mail, verify, and export / import / migrate for backups and moving to PostgreSQL."""
import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path

from services.storage import StoreError, open_app_store, open_backup_store
from workflow import fields
from workflow.errors import Invalid, NotFound, StateConflict
from workflow.users import ROLES

# Each command imports what it uses when it runs: the store commands (export, import, migrate,
# verify) never load the web application or the PDF renderer, ~1 s of an import's start.

DEFAULT_DATA = "instance"


def _store_options(parser, default):
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data", metavar="DIR", default=default,
                       help="data directory of the embedded TinyDB store (default: $EQUALITY_STORE, "
                            "else ./instance)")
    where.add_argument("--store", metavar="URL", default=default,
                       help="store URL: tinydb:///srv/equality or postgresql://user:password@host/db")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="run.py", description="Equality governance workflow: serve the application, or manage it.",
        epilog="With no command, serves the application.")
    parser.add_argument("--demo", action="store_true",
                        help="if the store holds no documents, load demo accounts and sample documents first")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port to listen on (default 5000)")
    _store_options(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    user = commands.add_parser("user", help="manage user accounts")
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_commands.add_parser(
        "add", help="add a user; the password is read from standard input (prompted on a terminal)",
        description="Adds an account. The password is read from standard input (prompted on a terminal). "
                    "The roles head and eodb (sign-off and Board power) are granted at once only while no active "
                    "account is a Head, and admin only while no active account is an administrator: the "
                    "operator's bootstrap. Otherwise they are proposed, and take effect once a Head (for admin, "
                    "an administrator) confirms them on the Role changes page.")
    add.add_argument("name")
    add.add_argument("--role", action="append", required=True, choices=ROLES,
                     help="a role; repeat for several")
    add.add_argument("--team", action="append", default=[], help="a team; repeat for several")
    add.add_argument("--trained", metavar="YYYY-MM-DD", help="date of the person's EqIA training")
    add.add_argument("--email", help="address for notifications by e-mail (when an SMTP server is configured)")
    _store_options(add, argparse.SUPPRESS)

    plan = commands.add_parser(
        "import-plan", help="import a Corporate Equality Plan's objectives table as adopted objectives")
    plan.add_argument("file", metavar="FILE",
                      help="the plan, in the format of seeds/corporate-equality-plan-2004.txt")
    plan.add_argument("--adopted-by", metavar="BODY",
                      help='the body that adopted the plan, for example "EODB": its objectives are approved as '
                           "adopted by it, which the public register shows (give --adopted-on with it)")
    plan.add_argument("--adopted-on", metavar="YYYY-MM-DD",
                      help="the date the plan was adopted: its objectives are approved as of that day, not the "
                           "import's (give --adopted-by with it)")
    _store_options(plan, argparse.SUPPRESS)

    register = commands.add_parser(
        "import-training", help="import EqIA and other equality training into the training register, from CSV",
        description="Import training events into the register from a CSV file whose first line names the "
                    "columns name, group (staff or member), course (eqia or the course's name), date "
                    "(YYYY-MM-DD), and optionally team and post. All or nothing: if any row is bad, every bad "
                    "row is listed with its line number, nothing is imported and the exit status is 2; "
                    "fix the file and import it again. Rows already in the register are not added twice. An EqIA "
                    "row whose name is a user name also gives that account its EqIA training date.")
    register.add_argument("file", metavar="FILE", help="the CSV file (UTF-8)")
    _store_options(register, argparse.SUPPRESS)

    monitoring = commands.add_parser(
        "import-monitoring", help="import a CSV file of monitoring counts as a new draft monitoring dataset",
        description="Reads a CSV file whose first line names the columns measure,period,strand,group,count "
                    "(one count a line: for example Applicants,2006-07,race,Indian,12) into a new draft "
                    "monitoring dataset of TEAM, to be submitted and signed off like any document. Its strands "
                    "are those of the authority's strand set. All or nothing: if any line is bad, every bad line "
                    "is listed with its number, nothing is stored and the exit status is 2.")
    monitoring.add_argument("file", metavar="FILE", help="the CSV file (UTF-8)")
    monitoring.add_argument("--team", required=True, help="the team that owns the dataset")
    monitoring.add_argument("--title", required=True, help="the dataset's title")
    _store_options(monitoring, argparse.SUPPRESS)

    train = user_commands.add_parser("train", help="record the date NAME was trained in EqIA")
    train.add_argument("name")
    train.add_argument("date", metavar="YYYY-MM-DD")
    _store_options(train, argparse.SUPPRESS)

    token = commands.add_parser("token", help="print a new API token for NAME, and nothing else")
    token.add_argument("name")
    _store_options(token, argparse.SUPPRESS)

    remind = commands.add_parser(
        "remind", help="(for cron) remind people of overdue actions, reviews and reports due, then send the mail")
    remind.add_argument("--today", metavar="YYYY-MM-DD", type=_date, help="the day to remind for (default: today)")
    _store_options(remind, argparse.SUPPRESS)
    send = commands.add_parser("send-mail", help="(for cron) send the e-mail waiting in the outbox")
    _store_options(send, argparse.SUPPRESS)

    export = commands.add_parser(
        "export", help="write a complete JSON backup (documents, revisions, history, users, settings) to FILE",
        description="Writes everything the store holds, as one state of it however many people work meanwhile: "
                    "on PostgreSQL in one repeatable-read, read-only transaction; on TinyDB under the store's lock "
                    "(commits wait until the export ends).")
    export.add_argument("file", metavar="FILE")
    export.add_argument("--with-secrets", action="store_true",
                        help="include password hashes, API token digests, the session key and the identity "
                             "provider's client secret (without them, people need new passwords after a restore)")
    _store_options(export, argparse.SUPPRESS)
    restore = commands.add_parser(
        "import", help="restore a backup FILE into an empty store (either backend)",
        description="Runs verify's checks on the backup (history chains, approved revisions, the audit log) "
                    "and refuses one that fails them, naming each broken chain, with nothing written (PostgreSQL "
                    "loads beside the checks and commits only once they pass); checks every count. Exit status 2: not a backup, or it fails the checks; 1: the store "
                    "holds data, or could not write it.")
    restore.add_argument("file", metavar="FILE")
    _store_options(restore, argparse.SUPPRESS)
    migrate = commands.add_parser(
        "migrate", help="copy a TinyDB deployment into an empty store (e.g. PostgreSQL) and check the counts",
        description="Reads the deployment as one state of it, refuses (exit status 2, nothing written) one that "
                    "fails verify's checks, then copies everything and checks the counts.")
    migrate.add_argument("--from", dest="source", metavar="DIR", required=True, help="the TinyDB data directory")
    migrate.add_argument("--to", dest="target", metavar="URL", required=True,
                         help="the empty target store, e.g. postgresql://user:password@host/db")
    check = commands.add_parser(
        "verify", help="check every document's history chain, every approved revision and the audit log; "
                       "exit 1 if any is broken",
        description="Checks that each history entry carries the hash of the one before it and of its own "
                    "contents, that no entry is missing, and that each approved revision still matches the hash "
                    "recorded when it was approved; and the same of the audit log of account, role, team, "
                    "training and setting changes. Prints a summary per collection and names the first broken "
                    "entry of each broken chain (entries are numbered from 1). Exit status 0: all intact; "
                    "1: something was altered or removed.")
    _store_options(check, argparse.SUPPRESS)
    return parser


def _date(text):
    if not fields.is_date(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD")
    return dt.date.fromisoformat(text)


def store_url(args):
    return (getattr(args, "store", None) or getattr(args, "data", None) or os.environ.get("EQUALITY_STORE")
            or DEFAULT_DATA)


def _read_password():
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise Invalid("the passwords differ", {"password": "the two entries differ"})
        return first
    return sys.stdin.readline().rstrip("\r\n")


def add_user(args):
    from services import role_change_service

    store = open_app_store(store_url(args))
    try:
        proposed = role_change_service.add_from_command_line(store, args.name, _read_password(), args.role, args.team,
                                                         args.trained, args.email)
    finally:
        store.close()
    granted = [role for role in args.role if role not in proposed]
    print(f"added {args.name}: " + (", ".join(granted) or "no role yet"), file=sys.stderr)
    if proposed:
        print(f"awaiting confirmation on the Role changes page: {', '.join(proposed)}", file=sys.stderr)


def record_training(args):
    from services import account_service

    store = open_app_store(store_url(args))
    try:
        account_service.record_training(store, args.name, args.date)
    finally:
        store.close()
    print(f"recorded: {args.name} trained in EqIA on {args.date}", file=sys.stderr)


def print_token(args):
    from services import token_service

    store = open_app_store(store_url(args))
    try:
        print(token_service.issue_token(store, args.name))
    finally:
        store.close()


def import_plan_file(args):
    from services import import_service
    from workflow import plan_import

    try:
        text = plan_import.decode(Path(args.file).read_bytes())
    except OSError as exc:
        raise Invalid("cannot read the file", {"file": f"{args.file}: {exc.strerror}"}) from exc
    adoption = plan_import.adoption(args.adopted_by, args.adopted_on)
    prepared = import_service.prepare(text, Path(args.file).name, adoption=adoption)  # refused before the store opens
    store = open_app_store(store_url(args))
    try:
        report = import_service.write(store, prepared)
    finally:
        store.close()
    print("\n".join(report.lines()))


def import_training_file(args):
    from services import account_service, audit_service
    from workflow import plan_import, training

    try:
        text = plan_import.decode(Path(args.file).read_bytes())
    except OSError as exc:
        raise Invalid("cannot read the file", {"file": f"{args.file}: {exc.strerror}"}) from exc
    # Bad rows are refused before the store opens. Recorded by the operator, not by any person named.
    entries, bad = training.parse(text, entered_by=audit_service.COMMAND_LINE.name)
    if bad:
        print("\n".join(f"{args.file}: {row}" for row in bad), file=sys.stderr)
        raise Invalid("the file has bad rows", {"file": f"{len(bad)} bad row{'s' if len(bad) > 1 else ''} "
                                                        "(listed above), so nothing was imported: fix the file "
                                                        "and import it again"})
    store = open_app_store(store_url(args))
    try:
        added, present = account_service.record_entries(store, entries)
    finally:
        store.close()
    print(f"imported {added} entries, {present} already present")


def import_monitoring_file(args):
    from services import monitoring_service
    from services.document_service import Documents

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise Invalid("cannot read the file", {"file": f"{args.file}: {exc.strerror}"}) from exc
    store = open_app_store(store_url(args))
    try:
        doc = monitoring_service.import_from_command_line(Documents(store), args.team, args.title, data)
    finally:
        store.close()
    print(f"imported {len(doc['fields']['rows'])} counts into draft monitoring dataset {doc['id']}: {doc['title']}")


def _send(store, smtp):
    from services import outbox_service

    if not smtp.configured:
        return "mail: no SMTP server configured (EQUALITY_SMTP_HOST), nothing sent"
    failed_before = {row["id"] for row in outbox_service.state(store)[1]}
    counts = outbox_service.send_pending(store, smtp)
    totals, failed = outbox_service.state(store)
    given_up = [f"failed: {_shown(row['to'])}: {_shown(row['last_error'])}" for row in failed
                if row["id"] not in failed_before]
    return "\n".join([f"mail: {counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} given up; "
                      f"{totals['pending']} pending, {totals['failed']} failed in all", *given_up])


def _shown(value):
    """A stored value on one line of the terminal, its control characters written out (\\n, \\x1b)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))


def remind(args):
    from services import notice_service, outbox_service
    from web import links

    store, smtp = open_app_store(store_url(args)), outbox_service.settings()
    try:
        counts = notice_service.remind(store, smtp, args.today or dt.date.today(), links.from_environment())
        print(f"reminders: {counts['notices']} new for {counts['people']} people, {counts['mails']} e-mails queued")
        print(_send(store, smtp))
    finally:
        store.close()


def send_mail(args):
    from services import outbox_service

    store = open_app_store(store_url(args))
    try:
        print(_send(store, outbox_service.settings()))
    finally:
        store.close()


def export_backup(args):
    from services import backup_service

    store = open_backup_store(store_url(args))
    try:
        found = backup_service.export(store, args.file, args.with_secrets)
    finally:
        store.close()
    print(f"exported to {args.file}" + (" (with secrets)" if args.with_secrets else " (no secrets)") + ":")
    print("\n".join(backup_service.lines(found)))


def import_backup(args):
    from services import backup_service

    # A bad file is refused as such, and so is one that would not pass run.py verify: nothing is written.
    checked, found, passwords = backup_service.import_file(args.file, store_url(args))
    print(f"imported {args.file}, every chain and every count checked:")
    print("\n".join(["  " + line for line in checked] + backup_service.lines(found)))
    if not passwords:
        print("the backup holds no passwords: an administrator sets new ones (run.py user add / the admin page)")


def migrate_store(args):
    from services import backup_service

    source = open_backup_store(args.source)
    try:
        target = open_backup_store(args.target)
        try:
            checked, found = backup_service.migrate(source, target)
        finally:
            target.close()
    finally:
        source.close()
    print(f"migrated {args.source} to the new store, every chain and every count checked:")
    print("\n".join(["  " + line for line in checked] + backup_service.lines(found)))


def verify(args):
    from services import verify_service

    store = open_backup_store(store_url(args))
    try:
        report = verify_service.verify_store(store)
    finally:
        store.close()
    print("\n".join(report.lines))
    for line in report.broken:
        print(f"broken: {line}")
    return 0 if report.intact else 1


def serve(args):
    from waitress import serve as waitress_serve

    from services.demo_service import load_demo
    from web import create_app

    app = create_app({"STORE": store_url(args)})
    if args.demo:
        load_demo(app.extensions["store"], print)
    print(f"Serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    waitress_serve(app, host=args.host, port=args.port, threads=8)


def main(argv=None):
    args = build_parser().parse_args(argv)
    user_action = {"add": add_user, "train": record_training}.get(getattr(args, "user_command", None))
    action = {"user": user_action, "token": print_token, "import-plan": import_plan_file,
              "import-training": import_training_file,
              "import-monitoring": import_monitoring_file, "remind": remind, "send-mail": send_mail, "verify": verify,
              "export": export_backup, "import": import_backup, "migrate": migrate_store}.get(args.command, serve)
    try:
        status = action(args)
    except Invalid as exc:
        for field, message in exc.details.items():
            print(f"error: {field}: {message}", file=sys.stderr)
        return 2
    except StateConflict as exc:  # the name was taken
        print(f"error: {exc.reason}", file=sys.stderr)
        return 1
    except NotFound as exc:
        print(f"error: {exc.reason}: {args.name}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"error: the store refused: {exc}", file=sys.stderr)
        return 1
    return status or 0
