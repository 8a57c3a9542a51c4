"""Files uploaded as evidence for the Equality Standard: which are accepted, and
the record kept of each.

A file is accepted only when its name's extension is an allowed type AND its
first bytes are what that type starts with: the browser's content type is
whatever the sender says, so it is never asked. HTML and SVG are not allowed
at all, so nothing uploaded can run script in a reader's browser; the download
answer adds nosniff and a sandbox policy besides (web/pages/evidence_pages.py).

The store keeps records as JSON (all in memory with TinyDB), so files are
small and kept base64-encoded in their record.
"""
import base64
import hashlib
import io
import re
import secrets
import unicodedata
import zipfile

from workflow.errors import Invalid, WorkflowError

MAX_BYTES = 1024 * 1024
MAX_NAME = 120
FIELD = "evidence_upload.file"  # the form input an upload's refusal is about

_PDF, _PNG, _JPEG, _ZIP = b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04"
# Text that opens like a web page is refused even as .txt: it may not render, but it has no business here.
_MARKUP = re.compile(rb"^\s*<(!doctype|html|head|body|svg|script|iframe|\?xml)", re.IGNORECASE)
_TEXT_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class TooLarge(WorkflowError):
    status = 413


def _zip_test(test):
    """A test of a zip-based format (Office Open XML, OpenDocument): `test(archive)`
    looks at the listing and at most a few bytes of one entry; nothing is unpacked."""
    def looks_right(data):
        if not data.startswith(_ZIP):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return test(archive)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, NotImplementedError, EOFError):
            return False
    return looks_right


def _holds(*parts):
    return _zip_test(lambda archive: set(parts) <= set(archive.namelist()))


def _opendocument(mimetype):
    # OpenDocument's first entry, "mimetype", holds the document's type.
    return _zip_test(lambda archive: archive.namelist()[:1] == ["mimetype"]
                     and archive.open("mimetype").read(100) == mimetype)


def _plain_text(data):
    if _TEXT_CONTROLS.search(data) or _MARKUP.match(data.removeprefix(b"\xef\xbb\xbf")):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# extension -> (content type served, test of the first bytes, words for people)
TYPES = {
    ".pdf": ("application/pdf", lambda data: data.startswith(_PDF), "PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              _holds("[Content_Types].xml", "word/document.xml"),
              "Word (.docx)"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              _holds("[Content_Types].xml", "xl/workbook.xml"),
              "Excel (.xlsx)"),
    ".odt": ("application/vnd.oasis.opendocument.text",
             _opendocument(b"application/vnd.oasis.opendocument.text"), "OpenDocument text (.odt)"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet",
             _opendocument(b"application/vnd.oasis.opendocument.spreadsheet"), "OpenDocument spreadsheet (.ods)"),
    ".png": ("image/png", lambda data: data.startswith(_PNG), "PNG image"),
    ".jpg": ("image/jpeg", lambda data: data.startswith(_JPEG), "JPEG image"),
    ".jpeg": ("image/jpeg", lambda data: data.startswith(_JPEG), "JPEG image"),
    ".txt": ("text/plain; charset=utf-8", _plain_text, "plain text (UTF-8)"),
    ".csv": ("text/csv; charset=utf-8", _plain_text, "CSV (UTF-8)"),
}
ALLOWED_WORDS = ", ".join(dict.fromkeys(words for _, _, words in TYPES.values()))


def safe_name(name):
    """The file's own name without any folder, control or markup characters, at
    most MAX_NAME characters with its extension kept; "evidence" if nothing is left."""
    name = unicodedata.normalize("NFKC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w .()&,+-]", "_", "".join(c for c in name if unicodedata.category(c)[0] != "C"))
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    ext = f".{ext.lower()}" if ext else ""
    stem = stem[:MAX_NAME - len(ext)].rstrip(" .") or "evidence"
    return stem + ext


def size_words(size):
    """1234567 -> "1.2 MB", 1048576 -> "1 MB", as people read sizes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def check(name, data):
    """(safe name, content type) of an acceptable upload; TooLarge or Invalid,
    naming the upload input, otherwise. `data` may be cut at MAX_BYTES + 1."""
    cleaned = safe_name(name)
    if len(data) > MAX_BYTES:
        raise TooLarge(f"The file is larger than {size_words(MAX_BYTES)}; nothing was saved.",
                       {FIELD: f"The file must be {size_words(MAX_BYTES)} or smaller"})
    if not data:
        raise Invalid("The file is empty; nothing was saved.",
                      {FIELD: "The file is empty: choose a file with something in it"})
    ext = cleaned[cleaned.rfind("."):] if "." in cleaned else ""
    if ext not in TYPES:
        raise Invalid("That kind of file is not accepted; nothing was saved.",
                      {FIELD: f"The file must be one of these kinds: {ALLOWED_WORDS}"})
    content_type, looks_right, words = TYPES[ext]
    if not looks_right(data):
        raise Invalid("The file's contents do not match its name; nothing was saved.",
                      {FIELD: f"The file is named {ext} but is not a {words} file"})
    return cleaned, content_type


def new_key():
    """A file's key: unguessable, so a key alone reveals nothing (access is still checked)."""
    return secrets.token_urlsafe(16)


def record(name, data, doc_id, user_name, at):
    """The stored file: its checked name and type, size, digest and bytes, and the
    cell it was uploaded to (a file belongs to one document for good)."""
    cleaned, content_type = check(name, data)
    return {"name": cleaned, "content_type": content_type, "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "data": base64.b64encode(data).decode("ascii"),
            "uploaded_by": user_name, "uploaded_at": at, "document": str(doc_id)}


def content(stored):
    """The bytes of a stored file record."""
    return base64.b64decode(stored["data"])


def referenced(fields):
    """The file keys a cell's fields give as evidence, in order."""
    return [item["file"] for item in (fields or {}).get("evidence") or []
            if isinstance(item, dict) and isinstance(item.get("file"), str)]
