"""The WSGI entry point for production servers: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

The store comes from EQUALITY_STORE (a postgresql:// URL when several
processes or hosts serve the same data; see the README).
"""
from web import create_app

app = create_app()
