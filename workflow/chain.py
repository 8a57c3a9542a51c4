"""Tamper-evident history: each entry carries the hash of the one before it.

An entry's ``hash`` is the SHA-256 of its canonical JSON (everything but the
hash itself, ``prev`` included); ``prev`` is the hash of the entry before it,
None for a document's first entry. Altering, removing or inserting an entry
then breaks the link after it, so ``verify`` can name where.

Entries written before chaining carry neither key. A history may start with
such entries and go on chained (the first chained entry links to the digest of
the last unchained one), but once an entry is chained every later one must be.
"""
import hashlib
import json
from json.encoder import c_make_encoder, encode_basestring
from types import NoneType

import orjson

UNCHAINED = "not chained (written before chaining)"
ALTERED = "its hash does not match its contents"
OUT_OF_LINE = "it does not follow the entry before it (an entry was removed, inserted or altered before it)"
MISSING_HASH = "it carries no hash, though the entries before it do"
# Canonical JSON: sorted keys, no spaces, characters as they are (json.dumps's sort_keys=True,
# separators=(",", ":"), ensure_ascii=False). Its C encoder is made once: JSONEncoder.encode (and
# json.dumps) makes one at every call, half the time of an entry's digest. Made without a check for
# cycles (a dict that holds itself recurses until Python stops it): what is hashed was read from
# JSON, or made to be written as JSON.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_ENCODE = None if c_make_encoder is None else c_make_encoder(
    None, _CANONICAL.default, encode_basestring, None, ":", ",", True, False, True)


def canonical(value):
    """The canonical JSON of ``value`` (a dict), UTF-8 encoded: what digests and content hashes hash.

    By orjson with sorted keys, where it gives json's bytes: a dict of dicts, lists, str, int,
    bool and None only (_plain), as every entry and content this application writes does.
    Otherwise json: orjson writes floats otherwise (1e-7 for 1e-07, NaN as null), and a date, an
    enum or a UUID that json refuses; it refuses an integer beyond 64 bits, a key that is not a
    str, a lone surrogate and 255 levels of nesting (or a value that holds itself), which json
    then encodes, or refuses, as ever. orjson goes first so that the walk meets no such nesting."""
    try:
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        data = None
    if data is not None and _plain((value,)):
        return data
    text = _CANONICAL.encode(value) if _ENCODE is None else "".join(_ENCODE(value, 0))
    return text.encode("utf-8")


def _plain(values):
    """Whether `values` hold, however deep, nothing but str, int, bool, None, and dicts and lists of
    them: those very types (of a subclass, orjson may write what json does not: an enum's value)."""
    for item in values:
        kind = type(item)
        if kind is str or kind is NoneType or kind is int or kind is bool:
            continue
        if not (kind is dict and _plain(item.values()) or kind is list and _plain(item)):
            return False
    return True


def digest(entry):
    """SHA-256 (hex) of the entry's canonical JSON, without its own ``hash``."""
    content = dict(entry)  # a copy less its hash: a tenth of a comprehension's time
    content.pop("hash", None)
    return hashlib.sha256(canonical(content)).hexdigest()


def link(entry, previous):
    """`entry` chained after `previous` (None for a first entry): a new dict with ``prev`` and ``hash``."""
    return link_to(entry, None if previous is None else linked_hash(previous))


def linked_hash(previous):
    """What the entry after `previous` links to: the hash `previous` carries, or the digest of one
    written before chaining. The carried hash rather than a digest worked out again: `verify` checks
    it against the contents, so an altered entry is named the same either way, and an entry
    altered before the next was chained to it and given a matching hash afterwards still breaks
    the link (chained to a digest of its altered contents, it would verify clean)."""
    carried = previous.get("hash")
    return carried if isinstance(carried, str) else digest(previous)


def link_to(entry, prev):
    """`entry` chained after the entry whose digest is `prev`: for a caller that made that entry
    itself by `link`, whose ``hash`` is that digest, so it need not be worked out again."""
    linked = {key: value for key, value in entry.items() if key not in ("prev", "hash")}
    linked["prev"] = prev
    linked["hash"] = digest(linked)
    return linked


def is_chained(entry):
    return "hash" in entry or "prev" in entry


def verify(entries):
    """None if the history is intact, else (index of the first broken entry, reason).

    A leading run of unchained entries is not a break (see the module docstring);
    `unchained(entries)` counts it.
    """
    chained, before = False, None  # before: the digest of the entry before (each entry's worked out once)
    for index, entry in enumerate(entries):
        own = digest(entry)
        if not is_chained(entry):
            if chained:
                return index, MISSING_HASH
            before = own
            continue
        chained = True
        if entry.get("hash") != own:
            return index, ALTERED
        # The digest, not the stored hash, of the entry before: it also covers an unchained one.
        if entry.get("prev") != before:
            return index, OUT_OF_LINE
        before = own
    return None


def unchained(entries):
    """How many leading entries were written before chaining."""
    count = 0
    for entry in entries:
        if is_chained(entry):
            break
        count += 1
    return count
