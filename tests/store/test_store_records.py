"""How memory keeps a record (store/records.py's compact): equal to what was written, its
names held once however many records hold them, and a nested copy of one of its own items
held as that item. Every commit and catch-up makes a record so, on the request's path."""
import json

from store.records import SHORT, Records, compact


def _runtime(text):
    """An equal string made at run time: never the same object as a literal or an interned one."""
    return "".join(list(text))


def test_a_compacted_record_equals_what_a_replay_reads_back():
    record = {"state": "draft", "n": 3, "x": 1.5, "ok": True, "none": None, "long": "w" * (SHORT + 1),
              "tags": ["a", ["b", {"c": [1, 2.0, False]}]], "nested": {"deep": {"deeper": ["x", None]}}}
    assert compact(json.loads(json.dumps(record))) == record


def test_keys_and_short_strings_are_held_once_long_ones_as_they_came():
    first = compact({_runtime("team"): _runtime("race"), "people": [_runtime("race.lead")],
                     "fields": {_runtime("strand"): _runtime("age")}, "text": _runtime("t" * (SHORT + 1))})
    second = compact({_runtime("team"): _runtime("race"), "people": [_runtime("race.lead")],
                      "fields": {_runtime("strand"): _runtime("age")}, "text": _runtime("t" * (SHORT + 1))})
    assert first["team"] is second["team"]
    assert first["people"][0] is second["people"][0]
    assert first["fields"]["strand"] is second["fields"]["strand"]
    assert next(iter(first["fields"])) is next(iter(second["fields"]))  # the key
    assert first["text"] == second["text"] and first["text"] is not second["text"]


def test_a_nested_copy_of_an_item_is_held_as_that_item_and_nothing_else_is():
    fields = {"subject": "s", "screening": {"age": {"impact": "none"}}}
    record = compact({"fields": fields, "tags": ["a", "b"],
                      "sent_back": {"fields": json.loads(json.dumps(fields)), "tags": ["a", "c"]},
                      "published": {"fields": {**fields, "subject": "other"}, "tags": ["a", "b"]}})
    assert record["sent_back"]["fields"] is record["fields"]
    assert record["published"]["tags"] is record["tags"]
    # Of the same size but not equal: each kept as it is.
    assert record["published"]["fields"] is not record["fields"]
    assert record["published"]["fields"]["subject"] == "other"
    assert record["sent_back"]["tags"] == ["a", "c"]


def test_compact_copies_the_callers_record():
    given = {"fields": {"a": ["x"]}}
    kept = compact(given)
    given["fields"]["a"].append("y")
    assert kept == {"fields": {"a": ["x"]}}


def test_a_nested_copy_is_shared_only_when_it_would_be_written_alike():
    """1, 1.0 and True are equal to Python, and 0.0 equals -0.0; none is written alike."""
    for held, nested in ((1, True), (1, 1.0), (0, False), (0.0, -0.0), ([1], [True]), ({"a": 1}, {"a": 1.0})):
        written = {"fields": {"x": held}, "sent_back": {"fields": {"x": nested}}}
        kept = compact(json.loads(json.dumps(written)))
        assert json.dumps(kept, sort_keys=True) == json.dumps(written, sort_keys=True), (held, nested)


def test_an_item_alike_in_the_record_it_replaces_is_taken_from_it_and_that_record_left_as_it_was():
    held = compact({"state": "draft", "fields": {"subject": "s", "x": [1]}, "sent_back": {"by": "a"},
                    "tags": ["a"]})
    before = json.dumps(held, sort_keys=True)
    record = compact(json.loads(json.dumps({"state": "screened", "fields": {"subject": "s", "x": [1]},
                                            "sent_back": {"by": "b"}, "tags": [1.0],
                                            "returned": {"by": "a"}})), held=held)
    assert record["fields"] is held["fields"]
    # Not alike (1.0 is not written as 1), or not in the held record: copied as ever.
    assert record["sent_back"] == {"by": "b"} and record["tags"] == [1.0] and type(record["tags"][0]) is float
    assert record["returned"] == {"by": "a"} and record["returned"] is not held["sent_back"]
    assert json.dumps(held, sort_keys=True) == before
    assert list(record) == ["state", "fields", "sent_back", "tags", "returned"]  # the record's own order


def test_a_record_put_as_json_text_reads_as_decoded_and_gives_way_to_a_later_put_or_delete():
    records = Records()
    records.put("notices", "2", {"user": "ann", "n": 0})
    records.scan("notices", {"user": "ann"})  # builds the index on "user"
    records.put("notices", "1", b'{"user": "bob", "n": 1}')
    records.put("notices", "2", b'{"user": "bob", "n": 2}')
    records.put("notices", "3", b'{"user": "bob", "n": 3}')
    assert not records.empty() and records.get("notices", "1") == {"user": "bob", "n": 1}
    records.put("notices", "3", {"user": "cy", "n": 4})  # later than its text: the text is not read
    records.put("tokens", "t", b'{"user": "cy"}')
    records.delete("tokens", "t")
    assert records.scan("notices", {"user": "bob"}) == [{"user": "bob", "n": 1}, {"user": "bob", "n": 2}]
    assert records.scan("notices", {"user": "ann"}) == []
    assert records.scan("notices", None)[2] == {"user": "cy", "n": 4}
    assert records.collections() == ["notices"] and records.get("tokens", "t") is None
