"""Parts of pages kept as rendered until the store changes.

Between two commits (by any process) a part of a page that depends only on
what the store holds, on who is signed in and when they last signed in, on
today's date and on the key it names renders to the same HTML every time.
The navigation, the sections of My work and a document's fields and history
are such parts, and rendering them was most of each page's time. In a template:

    {% call kept("history", doc.id) %} ...the part... {% endcall %}

and kept_value(key, compute) keeps, the same way, what a view works out for
its page (the document page's view of the document and its actions).

Keep out of such a part anything else it could depend on: a CSRF token (it
belongs to one session; kept() refuses one), flashed messages, and anything
read from the request that the key does not name (as "nav" names the endpoint).
"""
import datetime as dt

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from web import memo


def init_app(app):
    """After CSRFProtect.init_app: its csrf_token (a global and a context processor's) is
    replaced by one that refuses kept parts."""
    app.extensions["fragments"] = memo.UntilChanged(app.extensions["store"], items=1024)
    app.add_template_global(kept)
    app.add_template_global(csrf_token)
    app.context_processor(lambda: {"csrf_token": csrf_token})


def kept(*key, caller):
    """The part between {% call kept(...) %} and {% endcall %}, rendered once per state of the store."""
    return kept_value(key, lambda: _render(caller))


def kept_value(key, compute):
    """compute(), worked out once per state of the store for `key` and what kept parts
    depend on: for what a page shows, READ-ONLY (it is shared between requests)."""
    if "kept_for" not in g:  # the same all through a request
        who = (current_user.user, current_user.previous_visit) if current_user.is_authenticated else None
        # Both days: My work goes by the UTC date, the reporting cycle by the local one.
        days = (dt.datetime.now(dt.timezone.utc).date(), dt.date.today())
        g.kept_for = (who, days, request.script_root)
    return current_app.extensions["fragments"].get((key, g.kept_for), compute)


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
