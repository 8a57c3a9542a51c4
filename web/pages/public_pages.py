"""The public register: approved EqIAs, objectives' progress and monitoring datasets (their small
counts suppressed), for anyone, without signing in.

Every page here reads as the public does (`policy.view(doc, None)`, through
workflow.register), whoever is signed in: it is the register as published.
"""
from flask import Blueprint, Response, render_template, request, stream_with_context

from services import settings_service
from services.citation_service import Citations
from services.consultation_service import Consultations
from web import links
from web.current import current_documents, current_store
from web.form_state import STATE_WORDS
from workflow import monitoring, published_figures, register, search
from workflow.errors import Invalid
from workflow.progress import by_period

bp = Blueprint("public", __name__)
KIND_WORDS = {"eqia": "Equality Impact Assessments", "objective": "Corporate Equality Objectives",
              "monitoring": "Monitoring datasets"}
FEED_TITLE = "Equality governance: newly published items"
LIST_WORDS = {"KIND_WORDS": KIND_WORDS, "latest_progress": search.progress_in, "FEED_TITLE": FEED_TITLE}


def _docs():
    return current_documents().all_stored()


def _item_url(row):
    """An item's full public address (the CSV and the feed are read away from this site)."""
    return links.absolute("public.item", kind=row["kind"], doc_id=row["id"])


@bp.route("/register")
def index():
    """The register's first page; also the site's front page (`/`) for anyone not signed in."""
    return _listing(search.PER_PAGE, "public.index")


@bp.route("/register/all")
def everything():
    """Every item the filters match on one page: what a printout of the register holds."""
    return _listing(None, "public.everything")


def _listing(per_page, endpoint):
    """The register's page, its search form sent back to `endpoint`."""
    teams = current_documents().public_teams()
    try:
        query = search.parse(request.args)
    except Invalid as exc:
        return render_template("public/index.html", query=search.Query(), found=None, error=exc,
                               teams=teams, endpoint=endpoint, **LIST_WORDS), 400
    # The public (user None) sees the register's kinds alone (policy.PUBLIC_KINDS, register.PUBLIC_KINDS).
    found = current_documents().page(None, query, per_page)
    return render_template("public/index.html", query=query, found=found, error=None,
                           teams=teams, endpoint=endpoint, absolute=links.absolute, **LIST_WORDS)


@bp.route("/register/<kind>/<doc_id>")
def item(kind, doc_id):
    stored = current_documents().stored(doc_id)
    shown = register.item_or_404(stored, kind)
    consultations = Consultations(current_store(), current_documents()).for_document(shown, None)
    flag_ratio = _flag_ratio()
    tables = monitoring.tables_of(shown, flag_ratio) if kind == "monitoring" else None
    return render_template(f"public/{kind}.html", doc=shown, fld=shown["fields"] or {}, consultations=consultations,
                           figures=Citations(current_documents()).shown(shown, None),
                           facts=register.summary(stored, shown), progress=by_period(shown["fields"].get("progress")),
                           tables=tables, anchor=monitoring.anchor, flag_ratio=flag_ratio)


def _flag_ratio():
    return settings_service.monitoring_publication(current_store())["flag_ratio"]


def _figure_url(shown, figure):
    """A published figure's full public address: its dataset's register page, at the figure."""
    return f"{links.absolute('public.item', kind='monitoring', doc_id=shown['id'])}#{monitoring.anchor(figure)}"


@bp.route("/register/monitoring.csv")
def monitoring_csv():
    """Every published figure of every approved monitoring dataset, one a line, small counts suppressed."""
    lines = published_figures.to_csv(register.published(_docs()), _figure_url, _flag_ratio())
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=monitoring.csv"})


@bp.route("/register.csv")
def as_csv():
    lines = register.to_csv(register.published(_docs()), _item_url, STATE_WORDS)
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=register.csv"})


@bp.route("/register/feed.atom")
def feed():
    body = register.to_atom(current_documents().public_newest(), _item_url,
                            links.absolute("public.feed"), links.absolute("public.index"), FEED_TITLE)
    return Response(body, mimetype="application/atom+xml")
