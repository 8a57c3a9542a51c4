"""run.py import reads a backup as a stream and stages it before loading: a backup that holds a
record or a document's history twice (which one it meant is anyone's guess) is refused whole,
with nothing written, on either backend."""
import json

import pytest

from services import backup_file, backup_service, verify_service
from services.document_service import DOCS, HISTORY
from services.storage import open_app_store
from store import Append, AsWritten, Put
from tests.services.test_backup import deployment, everything, run  # noqa: F401 (a fixture)
from workflow import chain


def _twice(backup):
    """The backup's text with its first document given twice, and with its first history given twice."""
    content = json.loads(backup.read_text())
    doc = content["records"]["documents"][0]
    records = dict(content, records={**content["records"], "documents": [doc, *content["records"]["documents"]]})
    key, entries = next(iter(content["logs"]["history"].items()))
    text = json.dumps(content)
    history = text.replace('"history": {', '"history": {' + json.dumps(key) + ": " + json.dumps(entries[:1]) + ", ", 1)
    return json.dumps(records), history


@pytest.mark.parametrize("backend", ["tinydb", "postgresql"])
def test_import_refuses_a_backup_holding_a_record_or_a_history_twice_and_writes_nothing(
        deployment, tmp_path, backend, request):  # noqa: F811
    backup = tmp_path / "backup.json"
    assert run("export", str(backup), "--data", deployment).returncode == 0
    for n, text in enumerate(_twice(backup)):
        (tmp_path / f"twice{n}.json").write_text(text)
        url = request.getfixturevalue("pg_server").new_database() if backend == "postgresql" else str(tmp_path / f"t{n}")
        refused = run("import", str(tmp_path / f"twice{n}.json"), "--store", url)
        assert refused.returncode == 2 and not refused.stdout, refused.stdout + refused.stderr
        assert "is damaged: its records or logs are not in the backup's shape" in refused.stderr
        assert "is there twice" in refused.stderr
        store = open_app_store(url)
        assert everything(store) == ({}, {})
        store.close()


def test_a_backup_laid_out_otherwise_imports_the_same_whichever_reader_reads_it(deployment, tmp_path):  # noqa: F811
    """The export's own layout is read a line at a time; pretty-printed JSON too, its values
    across lines; one line of JSON by ijson: all three restore the same store."""
    backup = tmp_path / "backup.json"
    assert run("export", str(backup), "--data", deployment).returncode == 0
    content = json.loads(backup.read_text())
    content["records"]["empty"] = []  # a collection with nothing in it, on its line
    layouts = {"export": backup.read_text(), "pretty": json.dumps(content, indent=1) + "\n",
               "one line": json.dumps(content)}
    restored = {}
    for name, text in layouts.items():
        (tmp_path / f"{name}.json").write_text(text)
        imported = run("import", str(tmp_path / f"{name}.json"), "--data", str(tmp_path / name))
        assert imported.returncode == 0, imported.stderr
        store = open_app_store(str(tmp_path / name))
        restored[name] = everything(store)
        store.close()
    assert restored["pretty"] == restored["one line"] == restored["export"]
    assert len(restored["export"][0]["documents"]) > 60 and restored["export"][1]["history"]


def _checked(path, split, noted=False):
    with backup_service.staged(path) as contents:
        try:
            report = verify_service.verify_store(contents, split=split, notes=contents.notes if noted else None)
        except KeyError as exc:
            return "KeyError", str(exc)
    return report.lines, report.broken


def test_a_staged_backup_checked_by_two_processes_reports_what_one_process_does(deployment, tmp_path):  # noqa: F811
    """import checks a staged backup with two processes, each half of the histories and revisions:
    every break is named, in the same order, whichever half it lies in; a fault in either half is raised."""
    path = tmp_path / "backup.json"
    assert run("export", str(path), "--data", deployment).returncode == 0
    content = json.loads(path.read_text())
    histories, revisions = content["logs"]["history"], content["records"]["revisions"]
    for key in list(histories)[:4]:  # both halves of the keys
        histories[key][-1]["actor"] = "someone.else"
    histories["999999"] = [{"action": "create"}]  # no such document
    for revision in revisions[:2]:
        revision["title"] += " (altered)"
    path.write_text(json.dumps(content))
    one, two = _checked(path, split=False), _checked(path, split=True)
    assert two == one and len(one[1]) == 7 and "no such document" in one[1][-3]
    for index in (0, 1):  # a revision not in the shape this application writes, in one half, then the other
        faulty = json.loads(json.dumps(content))
        del faulty["records"]["revisions"][index]["revision"]
        path.write_text(json.dumps(faulty))
        assert _checked(path, split=True) == _checked(path, split=False) == ("KeyError", "'revision'")


def test_the_checks_of_an_import_use_what_was_noted_as_it_was_staged_and_name_every_break_as_ever(
        deployment, tmp_path):  # noqa: F811
    """Documents and revisions are noted as the backup is staged (verify_service.Notes), not read
    again by the checks; every break is named as the checks name it reading them, in whatever
    order the backup lays its collections out, and a record the notes cannot take is read."""
    path = tmp_path / "backup.json"
    assert run("export", str(path), "--data", deployment).returncode == 0
    content = json.loads(path.read_text())
    with backup_service.staged(path) as contents:  # an intact backup: neither read again
        read = _reads_of(contents)
        assert verify_service.verify_store(contents, split=True, notes=contents.notes).intact
        assert read == []
    docs, revisions, histories = (content["records"]["documents"], content["records"]["revisions"],
                                  content["logs"]["history"])
    signed = next(key for key, log in histories.items() if any(e.get("content_hash") for e in log))
    next(e for e in histories[signed] if e.get("content_hash"))["content_hash"] = "0" * 64  # not witnessed
    published = next(doc for doc in docs if doc.get("published") and doc["id"] != signed)
    published["published"]["title"] += " (altered)"  # the copy readers see
    altered = next(r for r in revisions if r["document"] not in (signed, published["id"]))
    altered["title"] += " (altered)"  # no longer its hash
    revisions.append({**revisions[1], "id": "999.1", "document": "999"})  # no such document
    for layout in ("documents first", "revisions first"):
        if layout == "revisions first":
            content["records"] = {"revisions": revisions, **content["records"]}
        path.write_text(json.dumps(content))
        one = _checked(path, split=False)
        assert _checked(path, split=True, noted=True) == one, layout
        for what in ("content no longer matches", "copy readers see", "differs from the one in the document's",
                     "its document is missing", f"history/{signed} entry"):
            assert sum(what in line for line in one[1]) == 1, (what, one[1])
    faulty = json.loads(json.dumps(content))
    del faulty["records"]["documents"][0]["kind"]  # a document the notes cannot take: read, and named as ever
    path.write_text(json.dumps(faulty))
    assert _checked(path, split=True, noted=True) == _checked(path, split=False) == ("KeyError", "'kind'")


def _reads_of(contents):
    """The documents and revisions collections as this process reads them (a record, or their keys)
    from `contents` from now on."""
    read, get, stream, keys = [], contents.get, contents.stream, contents.keys
    noted = ("documents", "revisions")
    contents.get = lambda collection, key: (collection in noted and read.append(collection)) or get(collection, key)
    contents.stream = lambda collection: (collection in noted and read.append(collection)) or stream(collection)
    contents.keys = lambda collection: (collection in noted and read.append(collection)) or keys(collection)
    return read


# Records and entries as the export writes them, a line each (json.dumps: ", " and ": ", UTF-8 left as it is):
# what staging copies as it lies, what it must encode again (not ASCII) and what it must refuse (not JSON numbers).
ODD = {"id": "1", "version": 2, "text": 'tab\there, new\nline, back\\slash \\N "quoted"',
       "numbers": [1.5, -2, 12345678901234567890, 1e-7, 0.1], "nested": {"a": [{}, [], None, True]}}
WIDE = {"id": "2", "version": 1, "text": "café, naïve, 東京, \u2028"}
ENTRIES = [{"action": "create", "comment": "back\\slash\ttab"}, {"action": "edit", "by": "zoe"}, {"n": 2.5}]
WIDE_ENTRIES = [{"action": "create", "by": "zoë"}]


def _export_layout(records, entries, more_entries=WIDE_ENTRIES):
    """A backup in the export's own layout (a record, or a history, a line) of collection "notes" and its log."""
    lines = ['{"format": "equality-governance-backup", "version": 1, "with_secrets": false, "records": {',
             '"notes": [', ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "]},",
             '"logs": {', '"notes": {', f'"1": {json.dumps(entries, ensure_ascii=False)},',
             f'"2": {json.dumps(more_entries, ensure_ascii=False)}' + "}}}"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("backend", ["tinydb", "postgresql"])
def test_records_and_entries_read_from_their_lines_restore_exactly_as_they_were_written(tmp_path, backend, request):
    path = tmp_path / "backup.json"
    path.write_text(_export_layout([ODD, WIDE], ENTRIES), encoding="utf-8")
    url = request.getfixturevalue("pg_server").new_database() if backend == "postgresql" else str(tmp_path / "db")
    imported = run("import", str(path), "--store", url)
    assert imported.returncode == 0, imported.stderr
    store = open_app_store(url)
    try:
        assert store.scan("notes") == [ODD, WIDE]
        assert store.log("notes", "1") == ENTRIES and store.log("notes", "2") == WIDE_ENTRIES
        assert store.commit([Put("notes", None, {"text": "after"})])[0]["id"] == "3"  # keys follow the backup's
        # Each record's version is the one it was staged with: a change made from it is not a conflict.
        assert store.commit([Put("notes", "1", {"text": "changed"}, expected_version=ODD["version"])])[0]["version"] == 3
    finally:
        store.close()


def test_a_record_read_from_its_line_is_staged_as_its_text_lies_unless_a_snapshot_cannot_hold_it(tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(_export_layout([ODD, WIDE], ENTRIES), encoding="utf-8")
    with backup_service.staged(str(path)) as contents:
        staged = {table: dict(rows) for table, rows in contents.tables()}
    assert staged["notes"]["1"] == json.dumps(ODD).encode()  # as it lay: ", " and ": " kept, not encoded again
    assert staged["log:notes"]["1"] == b'{"entries":' + json.dumps(ENTRIES).encode() + b"}"
    assert staged["notes"]["2"].isascii() and json.loads(staged["notes"]["2"]) == WIDE  # a snapshot is ASCII
    assert staged["log:notes"]["2"].isascii() and json.loads(staged["log:notes"]["2"]) == {"entries": WIDE_ENTRIES}


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
@pytest.mark.parametrize("where", ["record", "entry"])
def test_a_backup_holding_a_number_json_has_not_is_refused_whichever_reader_reads_it(tmp_path, number, where):
    good = _export_layout([ODD], ENTRIES)
    if where == "record":
        bad = good.replace('"numbers": [1.5,', f'"numbers": [{number},', 1)
    else:
        bad = good.replace('{"n": 2.5}', f'{{"n": {number}}}', 1)
    assert bad != good
    for layout, text in {"export": bad, "one line": bad.replace("\n", " ") + "\n"}.items():
        (tmp_path / "bad.json").write_text(text, encoding="utf-8")
        refused = run("import", str(tmp_path / "bad.json"), "--data", str(tmp_path / layout))
        assert refused.returncode == 2 and not refused.stdout, layout
        assert "is damaged: its records or logs are not in the backup's shape" in refused.stderr, layout
        store = open_app_store(str(tmp_path / layout))
        assert everything(store) == ({}, {})
        store.close()


# What orjson, the faster reader, reads or writes otherwise than the json module: integers beyond
# 64 bits either way (orjson: a float), a float it writes otherwise (1e-07: "1e-7"), a key given
# twice, text it would write unescaped; beside values both read alike.
EDGES = {"above": 2**64 + 1, "below": -2**63 - 1, "within": 2**63 - 1, "tenth": 0.1, "small": 1e-7,
         "text": "tab\there \u0001 caf\u00e9 \u2028"}


def test_the_reader_gives_each_record_and_history_as_json_reads_it_and_its_text_as_it_lies(tmp_path):
    """Whichever decoder reads a line (orjson where it reads what json reads), a record or a
    history comes as json reads it, with its text as it lies (what staging copies)."""
    first = json.dumps({"id": "1", "version": 1, **EDGES}, separators=(",", ":"))
    twice = first.replace('"id":"1"', '"id":"2"')[:-1] + ',"above":1}'  # the last "above" counts
    spaced = json.dumps({"id": "3", "version": 1, **EDGES})  # the last of its array: "]" ends its line
    entries = json.dumps([{"n": 1}, EDGES, {"n": 2}], separators=(",", ":"))
    path = tmp_path / "backup.json"
    path.write_text("\n".join(['{"format": "equality-governance-backup", "version": 1, "records": {', '"notes": [',
                               first + ",", twice + ",", spaced + "]},", '"logs": {', '"notes": {',
                               f'"1": {entries},', f'"2": {entries}' + "}}}"]) + "\n")
    read = []
    with path.open("rb") as f:
        for is_log, _, items in backup_file.sections(f):
            read += [item[1] if is_log else item for item in items]
    assert all(isinstance(item, AsWritten) for item in read)
    assert [item.text.decode() for item in read] == [first, twice, spaced, entries, entries]
    assert [repr(item.value) for item in read] == [repr(json.loads(item.text)) for item in read]  # an int stays an int


@pytest.mark.parametrize("backend", ["tinydb", "postgresql"])
def test_a_history_and_a_record_holding_any_json_number_restore_exactly_and_the_chain_checks(
        deployment, tmp_path, backend, request):  # noqa: F811
    """A history as the export writes it (a line, no spaces) is loaded into PostgreSQL from its
    entries' texts as they lie, and checked from the entries as read: integers beyond 64 bits stay
    integers there, and in the chain's digests."""
    store = open_app_store(deployment)
    key = store.log_keys(HISTORY)[0]
    entry = chain.link({"at": "2026-12-06T20:00:00+00:00", "actor": "kept", "action": "noted", **EDGES},
                       store.log(HISTORY, key)[-1])
    doc = store.get(DOCS, key)  # a document is at the version its history's length says
    store.commit([Put(DOCS, key, doc, expected_version=doc["version"]), Append(HISTORY, key, entry),
                  Put("notes", "1", EDGES)])
    store.close()
    backup = tmp_path / "backup.json"
    assert run("export", str(backup), "--data", deployment).returncode == 0
    url = request.getfixturevalue("pg_server").new_database() if backend == "postgresql" else str(tmp_path / "db")
    imported = run("import", str(backup), "--store", url)
    assert imported.returncode == 0, imported.stderr
    store = open_app_store(url)
    try:
        # repr: an int stays an int; sorted: PostgreSQL's jsonb keeps a record's keys in an order of its own
        assert repr(sorted(store.log(HISTORY, key)[-1].items())) == repr(sorted(entry.items()))
        assert repr({name: store.get("notes", "1")[name] for name in EDGES}) == repr(EDGES)
    finally:
        store.close()
