"""My work: the home page of a signed-in person, and its count in the navigation."""
import datetime as dt

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_login import current_user

from services import approver_service, partner_service
from web import fragments
from web.auth import page_user
from web.current import current_documents, current_meetings, current_store
from web.pages import public_pages
from workflow import approvers, partners, search, worklist

bp = Blueprint("home", __name__)


def my_work():
    """This request's My work sections (worked out once, for the page and the count)."""
    if "my_work" not in g:
        docs, user, previous = current_documents(), page_user(), current_user.previous_visit
        today = dt.datetime.now(dt.timezone.utc).date()
        sections = docs.kept(("my_work", user, previous, today),
                             lambda stored: worklist.work(stored, user, previous, today), worklist.rework,
                             weight=lambda work: 1 + len(work.parts), kept_fields=True).sections
        # Meetings are not documents (the kept work above is not told of their changes): asked each time,
        # by the local date, the clock workflow.meetings.decide goes by.
        g.my_work = worklist.with_actions(
            worklist.with_agendas(sections, current_meetings().awaiting(user, dt.date.today())),
            current_meetings().actions.due(user, dt.date.today()))
        g.my_work = partners.with_checks_due(g.my_work, partner_service.due(current_store(), user, dt.date.today()))
        # Asked each time too: who could sign off changes with accounts and namings, not documents.
        g.my_work = approvers.with_no_one_to_sign(g.my_work, approver_service.stuck(current_store(), user))
    return g.my_work


def my_work_count():
    # A function, so that pages which never show the navigation never scan the store.
    def count():
        return worklist.count(my_work()) if page_user() else None
    return {"my_work_count": count}


@bp.route("/")
def index():
    """My work for a signed-in person; the public register, with a way to sign in, for anyone else."""
    person = current_user._get_current_object()  # once: each use of the proxy looks the person up anew
    args = request.args
    if args and any(args.get(name) for name in search.FILTERS):
        # "/" used to be the document list: filtered links to it still find it. Only the list's
        # own arguments go on: url_for would honour endpoint, _scheme, _external... as its own.
        list_endpoint = "pages.index" if person.is_authenticated else "public.index"
        return redirect(url_for(list_endpoint, **{name: value for name, value in args.items()
                                                  if name in search.ARGUMENTS}))
    if not person.is_authenticated:
        return public_pages.index()
    return fragments.kept_page(lambda: render_template("home/index.html", sections=my_work(),
                                                       previous_visit=person.previous_visit,
                                                       today_iso=dt.date.today().isoformat()))
