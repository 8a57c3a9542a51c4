"""Markdown for free-text fields, rendered then sanitized.

Python-Markdown passes raw HTML through, so its output always goes through
nh3 (the Ammonia sanitizer) before it reaches a page.

A text renders the same every time, and a stored revision never changes, so
renderings are kept by text: a page of a dozen fields otherwise spends most of
its time building Markdown parsers.
"""
from functools import lru_cache

import markdown as md
import nh3
from markupsafe import Markup

_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre",
         "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr"}


def render_markdown(text):
    return _rendered(str(text)) if text else Markup("")


@lru_cache(maxsize=4096)
def _rendered(text):
    html = md.markdown(text, extensions=["tables", "sane_lists"])
    clean = nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return Markup(clean)
