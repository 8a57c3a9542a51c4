"""A full disk or an unwritable data directory: the write is refused with a clear reason, the
last good state is kept, and the next write after the fault works.

The faults are injected at the store boundary (the journal's os.write) rather than made
real: tests run as root here, and root writes through chmod 0555; a small tmpfs or
loop mount would need mount rights the test run does not have.
"""
import errno

import pytest

import store.journal
from tests.conftest import HR, complete_eqia
from tests.web.browsing import sign_in

FAULTS = [(errno.ENOSPC, "no space left on device"),
          (errno.EACCES, "the data directory is not writable (permission denied)"),
          (errno.EROFS, "the data directory is on a read-only file system")]


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def fault(monkeypatch):
    """fault(code): every journal write fails with that OSError until fault(None)."""
    real_write = store.journal.os.write

    def inject(code):
        def failing(fd, data):
            raise OSError(code, "injected")
        monkeypatch.setattr(store.journal.os, "write", real_write if code is None else failing)
    return inject


def create(api):
    response = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Recruitment", "team": HR,
                                                       "fields": complete_eqia()})
    assert response.status_code == 201
    return response.json


@pytest.mark.parametrize("code, cause", FAULTS)
def test_an_api_write_on_a_failing_disk_is_503_with_the_reason_and_changes_nothing(api, fault, code, cause):
    doc = create(api)
    before = api.as_("hr_staff").get(f"/documents/{doc['id']}/history").json
    fault(code)
    edit = api.as_("hr_staff").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": "Changed"})
    fired = api.as_("hr_staff").fire(doc, "screen")
    created = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Another", "team": HR, "fields": {}})
    for response in (edit, fired, created):
        assert response.status_code == 503
        assert response.json == {"error": f"The store could not save: {cause}. Nothing was changed; the last "
                                          "saved state is kept. Try again shortly.", "details": {"store": cause}}
    fault(None)
    assert api.as_("hr_staff").get(f"/documents/{doc['id']}").json["version"] == doc["version"]
    assert api.as_("hr_staff").get(f"/documents/{doc['id']}/history").json == before
    assert api.as_("hr_staff").get("/documents").json["total"] == 1
    again = api.as_("hr_staff").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": "Changed"})
    assert again.status_code == 200 and again.json["version"] == doc["version"] + 1


def test_a_page_write_on_a_full_disk_shows_the_reason_not_a_trace(client, api, fault):
    doc = create(api)
    sign_in(client, "hr_staff")
    fault(errno.ENOSPC)
    response = client.post(f"/documents/{doc['id']}/transitions/screen", data={"version": str(doc["version"])})
    fault(None)
    assert response.status_code == 503
    assert "The store could not save: no space left on device." in response.text
    assert "Traceback" not in response.text and "injected" not in response.text
    assert api.as_("hr_staff").get(f"/documents/{doc['id']}").json["state"] == "draft"


def test_a_write_whose_flush_fails_is_not_called_saved_nor_unsaved(api, monkeypatch):
    """The line is in the journal before its fdatasync (group commit), so a failed flush leaves
    its fate unknown: the answer says so, and no later write of this process is acknowledged."""
    doc = create(api)

    def failing(fd):
        raise OSError(errno.EIO, "injected")

    monkeypatch.setattr(store.journal.os, "fdatasync", failing)
    fired = api.as_("hr_staff").fire(doc, "screen")
    assert fired.status_code == 503
    assert fired.json == {"error": "The store could not confirm that this was saved: a disk input/output error. "
                                   "Reload to see whether it was, and tell the administrator.",
                          "details": {"store": "a disk input/output error"}}
    monkeypatch.undo()  # the disk answers again: still nothing more is acknowledged by this process
    shown = api.as_("hr_staff").get(f"/documents/{doc['id']}").json
    again = api.as_("hr_staff").patch(f"/documents/{doc['id']}", {"version": shown["version"], "title": "Changed"})
    assert again.status_code == 503 and "could not save" in again.json["error"]
