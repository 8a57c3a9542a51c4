"""workflow.chain: linking history entries and finding the first broken one."""
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
