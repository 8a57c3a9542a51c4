"""The document list: filters, sort and pages over what a person may see. Pure.

`parse` turns query-string values into a Query or refuses them with Invalid
(details name each bad filter); `find` applies it. Every document goes through
`policy.view` first, so totals never count what the reader may not see.
"""
import datetime as dt
import math
from dataclasses import asdict, dataclass, replace

from workflow import (
    deadlines,
    documents,
    kinds,
    listed,
    machine,
    numbers,
    periods,
    policy,
)
from workflow import fields as f
from workflow import strands as strand_sets
from workflow.errors import Invalid
from workflow.kinds import objective

PER_PAGE = 25
API_PER_PAGE, MAX_PER_PAGE = 100, 500  # the JSON API's page: a default and a ceiling
TEXT_LIMIT = 200
SORTS = ("updated", "title", "state")
ORDERS = ("desc", "asc")
FILTERS = ("kind", "state", "team", "heading", "theme", "strand", "status", "period", "overdue", "q")
ARGUMENTS = (*FILTERS, "sort", "order", "page")  # every query-string name `parse` reads
# The filters decided on the fields kept of every document (workflow.listed); the others read its fields.
KEPT_FILTERS = ("kind", "state", "team")


@dataclass(frozen=True)
class Query:
    kind: str | None = None
    state: str | None = None
    team: str | None = None
    heading: str | None = None
    theme: str | None = None
    strand: str | None = None
    status: str | None = None
    period: str | None = None
    overdue: str | None = None  # "yes": past a deadline (workflow.deadlines); "no": not
    q: str | None = None
    sort: str = "updated"
    order: str = "desc"
    page: int = 1

    def args(self, **changes):
        """The query-string arguments that differ from the defaults (for links)."""
        default, wanted = asdict(Query()), asdict(replace(self, **changes))
        return {key: value for key, value in wanted.items() if value != default[key]}

    @property
    def filtered(self):
        return any(getattr(self, name) for name in FILTERS)


@dataclass(frozen=True)
class Page:
    items: list  # what the reader sees of each document on this page
    total: int
    number: int
    pages: int
    first: int  # 1-based position of the first item on the page (0 when none)
    last: int


CHOICES = {"kind": tuple(kinds.KINDS), "state": machine.STATES, "heading": objective.HEADINGS,
            "strand": strand_sets.ALL, "status": objective.STATUSES, "overdue": ("yes", "no"),
            "sort": SORTS, "order": ORDERS}
# The choices a refusal names, in words (the others are said as "the choices given").
CHOICE_WORDS = {"kind": {name: kind.LABEL for name, kind in kinds.KINDS.items()}, "state": machine.STATE_WORDS,
                "heading": {heading: heading for heading in objective.HEADINGS}, "strand": strand_sets.LABELS,
                "status": objective.STATUS_WORDS}


def parse(args):
    """A Query from a mapping of query-string values; Invalid names every bad one."""
    # Only the names sent are asked for: a request's args (Werkzeug's MultiDict) raise and catch an
    # exception for each name they lack, eleven of them for a list asked by kind and state.
    args = {name: args.get(name) for name in ARGUMENTS if name in args}
    values, errors = {}, {}
    for name in (*FILTERS, "sort", "order"):
        value = (args.get(name) or "").strip()
        if not value:
            continue
        if name in CHOICES and value not in CHOICES[name]:
            errors.update(f.choice(name, value, CHOICES[name], CHOICE_WORDS.get(name)))
        elif len(value) > TEXT_LIMIT:
            errors[name] = f.too_long(name, TEXT_LIMIT)
        elif name == "period":
            errors.update(periods.check(name, value))
        values[name] = value
    page = numbers.whole(args.get("page") or "1", low=1)
    if page is None:
        errors["page"] = "Enter the page number as a whole number from 1"
    else:
        values["page"] = page
    if errors:
        raise Invalid("Some filters are not valid", errors)
    return Query(**values)


def find(docs, user, query, per_page=PER_PAGE, today=None):
    """The page of `query`'s results among the stored `docs`, as `user` sees them
    (every result on one page when `per_page` is None); `today` decides what is overdue."""
    return page_of(matching(docs, user, query, today), query.page, per_page)


def matching(docs, user, query, today=None):
    """Every result of `query` (its page aside) among `docs`, as `user` sees them, in order."""
    return ranked(docs, user, query, today).shown


@dataclass(frozen=True)
class Ranked:
    """matching's results (`shown`), with the key each is sorted by (`keys`, in the same
    order), so that `reranked` can bring them up to date after a few documents change."""
    shown: list
    keys: list


def ranked(docs, user, query, today=None):
    """The Ranked results of `query` among `docs`, as `user` sees them."""
    today = today or dt.date.today()
    return _in_order([pair for doc in docs if (pair := _result(doc, user, query, today))], query)


def reranked(before, changed, user, query, today=None):
    """`before` (Ranked for the same user, query and day) once the documents `changed`
    ({id: the stored document, or None once deleted}) changed: each looked at again."""
    today = today or dt.date.today()
    return _reranked(before, changed, lambda doc: _result(doc, user, query, today), query)


def ids_of(found):
    """`found` (Ranked) with each view as its id alone ({"id": ...}), as ranked_ids gives them."""
    return Ranked([{"id": shown["id"]} for shown in found.shown], found.keys)


def decided_on_kept(query):
    """Whether `query`'s results follow from the fields workflow.listed names alone."""
    return not any(getattr(query, name) for name in FILTERS if name not in KEPT_FILTERS)


def ranked_ids(docs, user, query):
    """ranked's results of a query `decided_on_kept`, each as {"id": ...}, from documents of
    which only workflow.listed.FIELDS are read (tests/workflow/test_listed.py: the same results)."""
    return _in_order([pair for doc in docs if (pair := _kept_result(doc, user, query))], query)


def reranked_ids(before, changed, user, query):
    """reranked, of ranked_ids."""
    return _reranked(before, changed, lambda doc: _kept_result(doc, user, query), query)


def _reranked(before, changed, result, query):
    kept = [(key, shown) for key, shown in zip(before.keys, before.shown) if shown["id"] not in changed]
    return _in_order(kept + [pair for doc in changed.values() if doc and (pair := result(doc))], query)


def _kept_result(doc, user, query):
    """_result's (sort key, {"id"}) from workflow.listed's fields, for a query decided_on_kept."""
    if not _may_match(doc, user, query):
        return None
    shown = listed.seen(doc, user)
    if shown is None or any(getattr(query, name) and shown[name] != getattr(query, name) for name in KEPT_FILTERS):
        return None
    return _SORT_KEYS[query.sort](doc, shown), {"id": shown["id"]}


def _result(doc, user, query, today):
    """(sort key, what `user` sees of `doc`) if it is a result of `query`, else None."""
    if not _may_match(doc, user, query):
        return None
    shown = policy.view(doc, user)
    if shown is None or not _matches(shown, query, today):
        return None
    return _SORT_KEYS[query.sort](doc, shown), shown


def _in_order(pairs, query):
    pairs.sort(key=lambda pair: _id(pair[1]))  # a stable order among equal sort keys
    pairs.sort(key=lambda pair: pair[0], reverse=query.order == "desc")
    return Ranked([shown for _, shown in pairs], [key for key, _ in pairs])


def page_of(found, number, per_page=PER_PAGE):
    """Page `number` of `found` (the last page past the end; everything when `per_page` is None)."""
    per_page = per_page or max(len(found), 1)
    pages = max(1, math.ceil(len(found) / per_page))
    number = min(number, pages)
    start = (number - 1) * per_page
    items = found[start:start + per_page]
    return Page(items, len(found), number, pages, start + 1 if items else 0, start + len(items))


def _may_match(doc, user, query):
    """A cheap look at the stored document before its view is built: kind and team
    are the same in every view of it, and most lists filter on them; a view's state
    is the working copy's or the approved revision's (policy.view)."""
    return ((not query.kind or doc["kind"] == query.kind) and (not query.team or doc["team"] == query.team)
            and (not query.state or doc["state"] == query.state
                 or (doc.get("published") or {}).get("state") == query.state))


def _matches(shown, query, today):
    for name in ("kind", "state", "team"):
        if getattr(query, name) and shown[name] != getattr(query, name):
            return False
    fields = shown["fields"] or {}
    for name in ("heading", "theme"):
        if getattr(query, name) and (shown["kind"] != "objective" or fields.get(name) != getattr(query, name)):
            return False
    if query.strand and query.strand not in strands(shown):
        return False
    if query.period or query.status:
        entry = progress_in(shown, query.period)
        if entry is None or (query.status and entry.get("status") != query.status):
            return False
    if query.overdue and bool(deadlines.overdue([shown], today)) != (query.overdue == "yes"):
        return False
    return not query.q or documents.matches(shown, query.q)


def strands(shown):
    """The equality strands a document concerns: an objective's strands, a team
    plan's targets' strands, and those an EqIA's screening did not find neutral."""
    fields = shown["fields"] or {}
    if shown["kind"] == "objective":
        return set(fields.get("strands") or ())
    if shown["kind"] == "team_plan":
        return {s for target in fields.get("targets") or () for s in target.get("strands") or ()}
    screening = fields.get("screening") or {}
    return {s for s, answer in screening.items() if (answer or {}).get("impact") not in (None, "neutral")}


def progress_in(shown, period=None):
    """An objective's progress entry for `period` (its latest when None), or None."""
    if shown["kind"] != "objective":
        return None
    fields = shown["fields"] or {}
    return objective.progress_for(fields, period) if period else objective.latest_progress(fields)


def latest_status(shown):
    """An objective's RAG status in its latest progress report, or None."""
    latest = progress_in(shown)
    return latest.get("status") if latest else None


def _id(shown):
    return numbers.whole(str(shown["id"])) or 0


def _updated(doc, shown):
    # A reader who sees the approved revision sees it as of its approval, not the draft's edits.
    if shown["revision"] != doc["revision"] and doc.get("published"):
        # As it stood when the revision began (policy.as_seen), its approval for one begun before that was kept.
        return doc["published"].get("updated_at") or doc["published"]["approved_at"]
    return doc.get("updated_at") or ""


_SORT_KEYS = {
    "updated": _updated,
    "title": lambda doc, shown: shown["title"].casefold(),
    "state": lambda doc, shown: machine.STATES.index(shown["state"]),
}
