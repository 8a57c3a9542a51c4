"""The public register: what anyone may read without signing in. Pure.

Visibility is `policy.view(doc, None)` and nothing else; this module only narrows
the register to the kinds it publishes and shapes what it shows (lists, CSV rows,
the Atom feed) without the names of the people who wrote or approved anything.
"""
import datetime as dt
import re
import xml.etree.ElementTree as ET

from workflow import kinds, listed, policy, search, spreadsheet, strands
from workflow.errors import NO_SUCH_DOCUMENT, NotFound

PUBLIC_KINDS = ("eqia", "objective", "monitoring")
FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
CSV_HEADER = ["id", "kind", "title", "team", "state", "approved_on", "review_date", "strand_set",
              "latest_period", "latest_status", "url"]
# Characters XML 1.0 cannot carry at all: dropped rather than let one title break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def candidates(docs):
    """The stored documents of the kinds the register publishes (reports and team
    plans are internal papers, whatever their state)."""
    return [doc for doc in docs if doc.get("kind") in PUBLIC_KINDS]


def published(docs):
    """[(stored document, what the public sees of it)] for every visible item."""
    return [(doc, shown) for doc in candidates(docs) if (shown := policy.view(doc, None)) is not None]


def teams_kept(docs):
    """teams(published(docs)), read from the fields workflow.listed names alone."""
    return sorted({seen["team"] for doc in candidates(docs) if (seen := listed.seen(doc, None))})


def newest_ids(docs, limit=FEED_SIZE):
    """The ids of newest(published(docs)), read from the fields workflow.listed names alone."""
    return [doc["id"] for doc, _ in newest([(doc, None) for doc in candidates(docs) if listed.seen(doc, None)], limit)]


def item_or_404(doc, kind):
    """What the public sees of `doc` at its `kind`'s address; NotFound otherwise."""
    if doc is None or kind not in PUBLIC_KINDS or doc.get("kind") != kind:
        raise NotFound(NO_SUCH_DOCUMENT)
    return policy.visible_or_404(doc, None)


def teams(pairs):
    """The teams that own a visible item (the choices of the team filter)."""
    return sorted({shown["team"] for _, shown in pairs})


def approved_at(doc):
    """When the revision the public reads was approved (ISO 8601)."""
    return doc["published"]["approved_at"]


def newest(pairs, limit=FEED_SIZE):
    """The most recently published items first (a new approved revision counts as new)."""
    return sorted(pairs, key=lambda pair: approved_at(pair[0]), reverse=True)[:limit]


def summary(doc, shown):
    """The facts of one item the list, the CSV and the feed share."""
    fields = shown["fields"] or {}
    latest = search.progress_in(shown) or {}
    return {"id": shown["id"], "kind": shown["kind"], "kind_label": kinds.get(shown["kind"]).LABEL,
            "title": shown["title"], "team": shown["team"], "state": shown["state"],
            "revision": shown["revision"], "approved_at": approved_at(doc),
            "approved_on": approved_at(doc)[:10],
            # An objective of an imported plan is approved as the body that adopted the plan adopted it.
            "adopted_by": doc["published"].get("adopted_by"),
            "review_date": fields.get("review_date") if shown["kind"] == "eqia" else None,
            # Which strands an EqIA was screened against, so old and new records are read alike.
            "strand_set": strands.strand_set(fields).title if shown["kind"] == "eqia" else None,
            "latest_period": latest.get("period"), "latest_status": latest.get("status")}


def to_csv(pairs, url_of, state_words):
    """The visible items as CSV, line by line (so a large register streams out);
    `url_of(summary)` gives each item's public address. States and statuses are in the
    words the pages show (`state_words`, objective.STATUS_WORDS), not their codes."""
    def rows():
        yield CSV_HEADER
        for doc, shown in sorted(pairs, key=lambda pair: int(pair[1]["id"])):
            row = summary(doc, shown)
            row["url"] = url_of(row)
            row["latest_status"] = _status_word(row["latest_status"])
            row["state"] = state_words.get(row["state"], row["state"])
            yield [row[name] for name in CSV_HEADER]
    return spreadsheet.lines(rows())


def to_atom(pairs, url_of, feed_url, home_url, title, now=None):
    """An Atom 1.0 feed (RFC 4287) of the newest publications, as bytes."""
    entries = [summary(doc, shown) for doc, shown in newest(pairs)]
    now = now or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", feed_url)
    _text(feed, "updated", entries[0]["approved_at"] if entries else now)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=home_url)
    for row in entries:
        url = url_of(row)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        # One entry per approved revision: a re-approval is news, so it needs its own id.
        _text(entry, "id", f"{url}#revision-{row['revision']}")
        _text(entry, "title", row["title"])
        _text(entry, "updated", row["approved_at"])
        _text(entry, "published", row["approved_at"])
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
        _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", row["team"])
        _text(entry, "category", None).set("term", row["kind"])
        _text(entry, "summary", _entry_summary(row))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry_summary(row):
    by = f"adopted by the {row['adopted_by']}" if row["adopted_by"] else "approved by the Head of Race and Diversity"
    words = f"{row['kind_label']} of {row['team']}, {by} on {row['approved_on']}."
    if row["review_date"]:
        words += f" Review date: {row['review_date']}."
    if row["latest_status"]:
        words += f" Latest status ({row['latest_period']}): {_status_word(row['latest_status'])}."
    return words


def _status_word(status):
    """A progress status in the words the pages use ("Amber/Green", not "amber_green")."""
    return kinds.get("objective").STATUS_WORDS.get(status, status)


def _text(parent, name, value):
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    if value is not None:
        element.text = _NOT_XML.sub("", str(value))
    return element
