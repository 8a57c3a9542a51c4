"""The snapshot file: the whole store as one TinyDB-layout JSON object, a record a line.

Layout (each top-level key is a TinyDB table, each table maps key -> record)::

    {"_meta":{"1":{"generation":7,"next_keys":{"documents":42}}}
    ,"documents":{
    "1":{...record...}
    ,"2":{...}
    }
    ,"log:history":{
    "1":{"entries":[{...},{...}]}
    }
    }

It is one JSON object, so ``tinydb.TinyDB(path, access_mode="r").table("documents").all()``
reads it (for tables with numeric keys; TinyDB's Table casts keys with ``int``). A record a
line lets the store read it as a stream, without a second copy of the file in memory, and
leave the tables it keeps on disk unparsed: it notes where each of their records lies
(``places``) and reads one when asked. Generation g means "everything before journal g is
in here; replay journal-g.jsonl on top". A snapshot written before this layout (all on one
line) is read whole.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from json.encoder import c_make_encoder, encode_basestring_ascii

from .records import compact
from .retire import hold

META = "_meta"
LOG_PREFIX = "log:"
FILENAME = "snapshot.json"
_META_START = b'{"' + META.encode() + b'":'
_END = b"}\n"
_KEY = json.JSONDecoder()
_KEY_SPAN = 512
# Written out every few megabytes, not all at the end: a commit's fdatasync meanwhile would
# wait for the file system to write out everything dirty (ext4's ordered mode), up to the
# whole snapshot.
_SYNC_EVERY = 4 << 20


def signature(st: os.stat_result) -> tuple:
    """Identity of one snapshot file: changes whenever a compaction replaces it."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def place(offset: int, length: int) -> int:
    """Where a record's JSON lies in the file, as one int (a few bytes of memory, not a tuple)."""
    return offset << 32 | length


def raw(fd: int, where: int) -> bytes:
    """The JSON of the record at ``where`` (see place) in the snapshot open as ``fd``."""
    length = where & 0xFFFFFFFF
    data = os.pread(fd, length, where >> 32)
    if len(data) != length:
        raise OSError(f"snapshot is shorter than expected (read {len(data)} of {length} bytes)")
    return data


def read(fd: int, where: int):
    return json.loads(raw(fd, where))


@dataclass
class Loaded:
    """A snapshot as read: ``tables`` parsed ({table: {key: record}}), ``places`` for the
    tables left on disk ({table: {key: place}}), and ``fd`` open on the file for reading them."""

    generation: int
    next_keys: dict
    signature: tuple
    fd: int
    tables: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    legacy: bool = False  # the one-line layout: everything was parsed, nothing placed


def load(path: str, on_disk) -> Loaded:
    """Read the snapshot at ``path``, parsing every table but those ``on_disk(table)`` is true of."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        hold(fd)
        with os.fdopen(os.dup(fd), "rb") as f:
            sig = signature(os.fstat(f.fileno()))
            first = f.readline()
            if not first.endswith(b"\n"):  # the one-line layout of earlier versions
                return _load_whole(first + f.read(), fd, sig)
            return _load_lines(first, f, fd, sig, on_disk)
    except BaseException:
        os.close(fd)
        raise


def meta(fd: int) -> dict | None:
    """The ``_meta`` record of the snapshot open as ``fd``; None for the one-line layout."""
    first = os.pread(fd, _KEY_SPAN, 0)
    while b"\n" not in first and len(first) % _KEY_SPAN == 0 and first:
        more = os.pread(fd, _KEY_SPAN, len(first))
        if not more:
            break
        first += more
    if not first.startswith(_META_START) or b"\n" not in first:
        return None
    return json.loads(first[len(_META_START):first.index(b"\n")]).get("1", {})


def _load_whole(data, fd, sig):
    raw = json.loads(data)
    meta = raw.pop(META, {}).get("1", {})
    tables = {name: {key: compact(record) for key, record in docs.items()} for name, docs in raw.items()}
    return Loaded(meta.get("generation", 1), meta.get("next_keys", {}), sig, fd, tables, legacy=True)


def _load_lines(first, f, fd, sig, on_disk):
    if not first.startswith(_META_START):
        raise ValueError("not a snapshot: it does not begin with its _meta table")
    meta = json.loads(first[len(_META_START):-1]).get("1", {})
    loaded = Loaded(meta.get("generation", 1), meta.get("next_keys", {}), sig, fd)
    offset = len(first)
    table = parsed = placed = None
    for line in f:
        start, offset = offset, offset + len(line)
        if line == _END:
            if table is None:
                return loaded
            table = None
            continue
        if table is None:  # a table's first line: ,"name":{
            table = json.loads(line[1:-3])
            placed = loaded.places.setdefault(table, {}) if on_disk(table) else None
            parsed = None if placed is not None else loaded.tables.setdefault(table, {})
            continue
        key, end = _key(line)
        value = end + 1  # after the ':'
        if placed is not None:
            placed[key] = place(start + value, len(line) - value - 1)
        else:
            parsed[key] = compact(json.loads(line[value:]))
    raise ValueError("the snapshot ends before its closing brace")


def _key(line: bytes) -> tuple[str, int]:
    """A record line's key, and where its key ends. Only the start of the line is decoded
    (ASCII: json.dumps escapes everything else, so characters are bytes); the record
    itself is parsed from the bytes, or not at all when it stays on disk."""
    comma = 1 if line.startswith(b",") else 0
    try:
        return _KEY.raw_decode(line[:_KEY_SPAN].decode("ascii"), comma)
    except ValueError:  # a key longer than the span
        return _KEY.raw_decode(line.decode("ascii"), comma)


def write(directory: str, generation: int, next_keys: dict, tables, placed=lambda table: False,
          durable=True) -> tuple:
    """Atomically replace the snapshot (write_temp, os.replace, fsync dir).

    Returns (signature, places of the tables ``placed(table)`` is true of, an fd open on
    the new file). On failure the temp file is removed and the old snapshot stays in place.
    Not ``durable``: nothing is synced (a scratch file, which no one looks for after a crash).
    """
    meta = {"generation": generation, "next_keys": next_keys}
    tmp, sig, places = write_temp(directory, meta, tables, placed, _SYNC_EVERY if durable else None)
    try:
        fd = os.open(tmp, os.O_RDONLY | os.O_CLOEXEC)
    except BaseException:
        _remove(tmp)
        raise
    try:
        os.replace(tmp, os.path.join(directory, FILENAME))
    except BaseException:
        os.close(fd)
        _remove(tmp)
        raise
    if durable:
        try:
            fsync_dir(directory)
        except BaseException:
            os.close(fd)
            raise
    return sig, places, fd


def write_temp(directory: str, meta: dict, tables, placed=lambda table: False, sync_every=_SYNC_EVERY) -> tuple:
    """A new snapshot in a temp file beside the current one, fsync'd; the caller puts it in place.

    ``meta``: the ``_meta`` record (generation, next_keys...). ``tables``: (name, [(key, the
    record's JSON as bytes), ...]) pairs; empty tables are left out. Returns (the temp path,
    its signature, places of the tables ``placed(table)`` is true of), written out every
    ``sync_every`` bytes (None: never synced, not even at the end). On failure the temp file is removed.
    """
    tmp = f"{os.path.join(directory, FILENAME)}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        places = {}
        with os.fdopen(os.dup(fd), "wb", buffering=1 << 20) as out:
            head = json.dumps({"1": meta}, separators=(",", ":")).encode()
            offset = synced = out.write(_META_START + head + b"\n")
            for name, rows in tables:
                first = True
                for key, value in rows:
                    if first:
                        offset += out.write(b"," + json.dumps(name).encode() + b":{\n")
                        where = places.setdefault(name, {}) if placed(name) else None
                    head = (b"" if first else b",") + json.dumps(key).encode() + b":"
                    if where is not None:
                        where[key] = place(offset + len(head), len(value))
                    offset += out.write(head + value + b"\n")
                    first = False
                    if sync_every is not None and offset - synced > sync_every:
                        out.flush()
                        os.fdatasync(fd)
                        synced = offset
                if not first:
                    offset += out.write(_END)
            out.write(_END)
            out.flush()
            if sync_every is not None:
                os.fsync(out.fileno())
        return tmp, signature(os.fstat(fd)), places
    except BaseException:
        _remove(tmp)
        raise
    finally:
        os.close(fd)


def rows(fd: int):
    """(table, (key, the record's JSON as bytes) pairs) of the snapshot open as ``fd``, in the
    order they lie, none parsed; read each table's rows before asking for the next table."""
    with os.fdopen(os.dup(fd), "rb", buffering=1 << 20) as f:
        f.seek(0)
        first = f.readline()
        if not first.endswith(b"\n"):  # the one-line layout of earlier versions
            whole = json.loads(first + f.read())
            whole.pop(META, None)
            yield from ((name, ((key, dumps(value)) for key, value in docs.items())) for name, docs in whole.items())
            return
        if not first.startswith(_META_START):
            raise ValueError("not a snapshot: it does not begin with its _meta table")
        line = f.readline()
        while line and line != _END:
            table = _table_rows(f)
            yield json.loads(line[1:-3]), table
            for _ in table:  # what the caller left unread
                pass
            line = f.readline()
        if line != _END:
            raise ValueError("the snapshot ends before its closing brace")


def _table_rows(f):
    for line in f:
        if line == _END:
            return
        key, end = _key(line)
        yield key, line[end + 1:-1]
    raise ValueError("the snapshot ends inside a table")


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


# One encoder for every line and record written, not one made per call: JSONEncoder.encode
# makes its C encoder anew at every call, a quarter of a commit's encoding. No check for
# circular references: a value holding itself still raises (RecursionError) before anything
# is written, and the check costs a commit a fifth of its encoding.
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False)
_ENCODE = None if c_make_encoder is None else c_make_encoder(
    None, _ENCODER.default, encode_basestring_ascii, None, ":", ",", False, False, False)


def dumps(value) -> bytes:
    text = _ENCODER.encode(value) if _ENCODE is None else "".join(_ENCODE(value, 0))
    return text.encode()


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` (os.write may write less than it is given)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_synced(fd: int, data: bytes, sync_every: int) -> None:
    """Write all of ``data``, fdatasync'd every ``sync_every`` bytes and at the end: a commit's
    fdatasync meanwhile waits for at most that much of it (the file system writes out what is
    dirty with it), not for all of it."""
    view = memoryview(data)
    for start in range(0, len(view), sync_every):
        if start:
            os.fdatasync(fd)
        write_all(fd, view[start:start + sync_every])
    os.fdatasync(fd)


def fsync_dir(directory: str) -> None:
    """Make renames/creations in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
