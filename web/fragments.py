"""Parts of pages kept as rendered until the store changes.

Between two commits (by any process) a part of a page that depends only on
what the store holds, on who is signed in and when they last signed in, on
today's date and on the key it names renders to the same HTML every time.
The navigation, the sections of My work and a document's fields and history
are such parts, and rendering them was most of each page's time. In a template:

    {% call kept("history", doc.id) %} ...the part... {% endcall %}

and kept_value(key, compute) keeps, the same way, what a view works out for
its page (the document page's view of the document and its actions).
kept_page(render) keeps a whole page so, for a GET whose page depends on nothing
else (My work, a document's page), with the session's CSRF token put in as it is
served: rendering was still most of such a page's time.

Keep out of such a part anything else it could depend on: a CSRF token (it
belongs to one session; kept() refuses one), flashed messages, and anything
read from the request that the key does not name (as "nav" names the endpoint).
"""
import datetime as dt

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from services import memo

# Stands for the session's CSRF token in a kept page. Text sent with a NUL is refused
# (web.plain_text), so no page says this, and a kept page never leaves with it.
_TOKEN = "\x00csrf_token\x00"


def init_app(app):
    """The kept parts and pages (web/hooks.py gives templates kept() and csrf_token)."""
    app.extensions["fragments"] = memo.UntilChanged(app.extensions["store"], items=1024)
    # Weighed in KB: the 8 MB or so of pages asked for most lately.
    app.extensions["kept_pages"] = memo.UntilChanged(app.extensions["store"], items=8192)


def kept(*key, caller):
    """The part between {% call kept(...) %} and {% endcall %}, rendered once per state of the store."""
    return kept_value(key, lambda: _render(caller))


def kept_value(key, compute):
    """compute(), worked out once per state of the store for `key` and what kept parts
    depend on: for what a page shows, READ-ONLY (it is shared between requests)."""
    return current_app.extensions["fragments"].get((key, _kept_for()), compute)


def kept_page(render):
    """The page render() makes, kept whole for this address (its query included) and what
    kept parts depend on, until the store changes. Only for a view whose GET changes
    nothing and whose page depends on nothing else; a flashed message waiting to be
    shown, or any method but GET, has it rendered afresh."""
    asked = request._get_current_object()  # once: each use of Flask's `request` looks it up anew
    if asked.method != "GET" or session.get("_flashes"):
        return render()
    token = generate_csrf()  # this session's, and the one render() puts in the forms
    page = current_app.extensions["kept_pages"].get(
        (asked.full_path, _kept_for()), lambda: render().replace(token, _TOKEN),
        weight=lambda html: len(html) // 1024 + 1)
    return page.replace(_TOKEN, token)


def _kept_for():
    kept = g._get_current_object()  # once, as `request` above (and `current_user` below)
    if "kept_for" not in kept:  # the same all through a request
        person = current_user._get_current_object()
        who = (person.user, person.previous_visit) if person.is_authenticated else None
        # Both days: My work goes by the UTC date, the reporting cycle by the local one.
        days = (dt.datetime.now(dt.timezone.utc).date(), dt.date.today())
        kept.kept_for = (who, days, request.script_root)
    return kept.kept_for


def _render(caller):
    g.rendering_kept = g.get("rendering_kept", 0) + 1
    try:
        return caller()
    finally:
        g.rendering_kept -= 1


def csrf_token():
    """Flask-WTF's token for this session's forms; never inside a kept part."""
    if g.get("rendering_kept"):
        raise RuntimeError("a CSRF token belongs to one session: render its form outside kept()")
    return generate_csrf()
