"""My work: the home page of a signed-in person, and its count in the navigation."""
import datetime as dt

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from web import fragments
from web.auth import page_user
from web.current import current_documents
from workflow import search, worklist

bp = Blueprint("home", __name__)


def my_work():
    """This request's My work sections (worked out once, for the page and the count)."""
    if "my_work" not in g:
        docs, user, previous = current_documents(), page_user(), current_user.previous_visit
        today = dt.datetime.now(dt.timezone.utc).date()
        g.my_work = docs.kept(("my_work", user, previous, today),
                              lambda stored: worklist.work(stored, user, previous, today), worklist.rework,
                              weight=lambda work: 1 + len(work.parts)).sections
    return g.my_work


def my_work_count():
    # A function, so that pages which never show the navigation never scan the store.
    def count():
        return worklist.count(my_work()) if page_user() else None
    return {"my_work_count": count}


@bp.route("/")
@login_required
def index():
    if request.args and any(request.args.get(name) for name in search.FILTERS):
        # "/" used to be the document list: filtered links to it still find it. Only the list's
        # own arguments go on: url_for would honour endpoint, _scheme, _external... as its own.
        return redirect(url_for("pages.index", **{name: value for name, value in request.args.items()
                                                  if name in search.ARGUMENTS}))
    return fragments.kept_page(lambda: render_template("home/index.html", sections=my_work(),
                                                       previous_visit=current_user.previous_visit))
