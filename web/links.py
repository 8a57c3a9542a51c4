"""Absolute addresses (the register's Atom feed and CSV, links in e-mail) from one configured base URL.

Built from the request's Host header, they would say whatever a client or a proxy sent:
an Atom entry's id would change with the host name it was fetched by, and a forged Host
would put another site's address into a feed, a spreadsheet or an e-mail. The base URL
is where people reach the application: config BASE_URL, or EQUALITY_BASE_URL.
"""
import os
from urllib.parse import urlsplit

from flask import current_app, url_for

from workflow.errors import Invalid

ENV = "EQUALITY_BASE_URL"
# Without a base URL the links name the address `run.py` serves on by default; e-mail then
# carries no link at all (services.notice_service), rather than one that leads nowhere.
DEFAULT = "http://localhost:5000"


def checked(value):
    """`value` as a base URL (scheme and host, no path), or None if not given; Invalid if malformed
    (the command line says so in words: the application will not start with it)."""
    if value in (None, ""):
        return None
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment:
        raise Invalid("the base URL is not valid", {ENV: "must be a scheme and a host, like "
                                                         f"https://equality.example.org, not {value!r}"})
    return f"{parts.scheme}://{parts.netloc}"


def from_environment():
    return checked(os.environ.get(ENV))


def absolute(endpoint, **values):
    """The full address of `endpoint` under the configured base URL, whatever Host the request named."""
    return (current_app.config["BASE_URL"] or DEFAULT) + url_for(endpoint, **values)
