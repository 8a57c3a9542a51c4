"""Markdown for free-text fields, rendered then sanitized.

Python-Markdown passes raw HTML through, so its output always goes through
nh3 (the Ammonia sanitizer) before it reaches a page.
"""
import markdown as md
import nh3
from markupsafe import Markup

_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre",
         "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr"}


def render_markdown(text):
    if not text:
        return Markup("")
    html = md.markdown(str(text), extensions=["tables", "sane_lists"])
    clean = nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return Markup(clean)
