"""workflow.chain: linking history entries and finding the first broken one."""
import enum
import hashlib
import json

import hypothesis.strategies as st
from hypothesis import given, settings

from workflow import chain


def chained(*comments, before=()):
    entries = list(before)
    for comment in comments:
        entries.append(chain.link({"action": "edit", "comment": comment}, entries[-1] if entries else None))
    return entries


def test_a_first_entry_has_no_prev_and_each_next_links_to_the_one_before():
    first, second = chained("a", "b")
    assert first["prev"] is None and second["prev"] == first["hash"] == chain.digest(first)
    assert chain.verify([first, second]) is None


def test_the_hash_is_over_canonical_json_so_key_order_does_not_matter():
    entry = chain.link({"b": "é", "a": 1}, None)
    assert chain.digest(dict(reversed(list(entry.items())))) == entry["hash"]


def test_an_altered_entry_is_named_by_its_own_hash():
    entries = chained("a", "b", "c")
    entries[1]["comment"] = "x"
    assert chain.verify(entries) == (1, chain.ALTERED)


def test_a_removed_or_inserted_entry_breaks_the_link_after_it():
    entries = chained("a", "b", "c")
    assert chain.verify([entries[0], entries[2]]) == (1, chain.OUT_OF_LINE)
    assert chain.verify(entries[1:]) == (0, chain.OUT_OF_LINE)
    forged = chain.link({"action": "edit", "comment": "forged"}, entries[0])
    assert chain.verify([entries[0], forged, entries[1], entries[2]]) == (2, chain.OUT_OF_LINE)


def test_history_from_before_chaining_may_lead_but_not_follow():
    old = [{"action": "create"}, {"action": "edit"}]
    entries = chained("a", before=old)
    assert chain.verify(entries) is None and chain.unchained(entries) == 2
    assert chain.verify([*entries, {"action": "edit"}]) == (3, chain.MISSING_HASH)
    old[1]["action"] = "approve"  # the first chained entry holds the digest of the last old one
    assert chain.verify(entries) == (2, chain.OUT_OF_LINE)


def test_link_replaces_a_stale_prev_and_hash():
    first = chained("a")[0]
    again = chain.link(first, None)
    assert again == first and chain.verify([again]) is None


def test_the_digest_is_sha256_of_the_canonical_json_the_docstring_specifies():
    """Sorted keys, no spaces, UTF-8 unescaped, the entry's own hash left out: written
    out by hand here, so a change of the canonical form fails before stored chains do."""
    entry = {"prev": None, "comment": "Café", "n": [1, 2.5, True], "hash": "ignored",
             "by": {"z": 1, "a": "b"}}
    canonical = '{"by":{"a":"b","z":1},"comment":"Café","n":[1,2.5,true],"prev":null}'
    assert chain.digest(entry) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    # sha256sum of the 19 bytes {"action":"create"}
    assert chain.digest({"action": "create"}) == "e7e4f446ad1ae5e2af6590a040d2d75379b5304927c51104e9519bdac0965184"


def test_link_keeps_the_entry_and_adds_prev_and_hash():
    first = chain.link({"action": "create", "actor": "a"}, None)
    second = chain.link({"action": "edit", "prev": "stale", "hash": "stale"}, first)
    assert first == {"action": "create", "actor": "a", "prev": None, "hash": chain.digest(first)}
    assert second == {"action": "edit", "prev": chain.digest(first), "hash": chain.digest(second)}


def test_a_history_stripped_of_its_hashes_is_broken_not_unchained():
    entries = chained("a", "b")
    stripped = [{key: value for key, value in entry.items() if key != "hash"} for entry in entries]
    assert chain.verify(stripped) == (0, chain.ALTERED) and chain.unchained(stripped) == 0
    no_links = [{key: value for key, value in entry.items() if key != "prev"} for entry in entries]
    assert chain.verify(no_links) == (0, chain.ALTERED) and chain.unchained(no_links) == 0
    assert chain.verify([entries[0], stripped[1]]) == (1, chain.ALTERED)
    assert chain.verify([entries[0], {"action": "edit", "comment": "b"}]) == (1, chain.MISSING_HASH)


def test_an_entry_is_chained_by_either_key():
    assert chain.is_chained({"hash": "x"}) and chain.is_chained({"prev": None})
    assert not chain.is_chained({"action": "create", "comment": "hash prev"})


def test_unchained_counts_only_the_leading_run():
    old = {"action": "create"}
    entries = chained("a", before=[old, dict(old)])
    assert chain.unchained(entries) == 2
    assert chain.unchained([*entries, {"action": "edit"}]) == 2
    assert chain.unchained([]) == 0 and chain.unchained([old]) == 1


def test_canonical_json_is_json_dumps_sorted_compact_unescaped_for_every_kind_of_value():
    """chain.canonical encodes with an encoder made once: byte for byte what json.dumps gives, so
    that no stored hash changes (digests and content hashes alike)."""
    tricky = {"z": [1, -0.0, 2.5e-7, 1e300, 10 ** 30, True, False, None], "é": "tab\t nl\n nul\x00 \u2028 \U0001F600 \"\\",
              "a": {"nested": {"b": [], "a": {}}}, "nan": float("nan"), "inf": float("-inf"), "": ""}
    for value in (tricky, {}, {"action": "create"}):
        expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        assert chain.canonical(value) == expected
    entry = {"hash": "kept", "prev": None, "a": 1}
    assert chain.digest(entry) == hashlib.sha256(b'{"a":1,"prev":null}').hexdigest() and entry["hash"] == "kept"


class _Colour(enum.Enum):
    RED = 1


# Every kind of value json encodes, and some it refuses: floats of every magnitude (NaN, -0.0 and
# infinities among them), integers past 64 bits, any character (controls, lone surrogates, beyond
# the BMP), keys that are not strings, subclasses, nesting; an enum, which orjson writes as its value.
_TEXT = st.text(st.characters(exclude_categories=())) | st.text()
_LEAF = (st.none() | st.booleans() | st.integers() | st.integers(-2 ** 70, 2 ** 70) | st.floats() | _TEXT
         | st.sampled_from([_Colour.RED, 2 ** 64, -2 ** 63 - 1, 1e-7, 1e16, 0.00001]))
_KEY = _TEXT | st.integers(-3, 3) | st.text(min_size=1).map(type("Key", (str,), {}))
_VALUE = st.recursive(_LEAF, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner)
                      | st.dictionaries(_TEXT, inner, max_size=4) | st.dictionaries(_KEY, inner, max_size=3),
                      max_leaves=20)


def _outcome(encode, value):
    try:
        return encode(value)
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        return type(exc)


@settings(max_examples=400, deadline=None)
@given(value=st.dictionaries(_TEXT, _VALUE, max_size=6) | st.dictionaries(_KEY, _VALUE, max_size=3))
def test_canonical_gives_json_dumps_bytes_for_any_value(value):
    """Byte for byte json.dumps's (or its refusal) whichever encoder canonical takes: a stored hash
    never changes with the encoder."""
    expected = _outcome(lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"),
                                             ensure_ascii=False).encode("utf-8"), value)
    assert _outcome(chain.canonical, value) == expected
