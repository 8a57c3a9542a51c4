"""What a compaction does to the disk beside the commits: its replaced files (snapshot, journal, places)
and a failed or crashed one's temp files (store/retire.py) are not freed at once (on a disk mounted with
discard, that stalls every fdatasync beside it) but a step at a time once no process reads them, one a
crash left later, never read; it writes its places file out in small steps; and it reads the journal
without holding the store's flock."""
import contextlib
import fcntl
import os
import time

import pytest

from services.storage import ON_DISK
from store import compactor, retire, snapshot
from store.journal import Journal
from store.tinydb_store import TinyDBStore
from tests.store.test_store_compaction import assert_holds, fill, wait_until_none_retired


def retired(path):
    return sorted(p.name for p in path.glob(retire.PREFIX + "*"))


def test_the_swap_frees_no_block_of_the_old_snapshot_which_goes_in_steps_once_no_process_reads_it(
        tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    other = TinyDBStore(tmp_path, on_disk=ON_DISK)  # another worker, on generation 1 until it reads again
    fill(s, 0, 300)
    assert compactor.compact(str(tmp_path), ON_DISK)
    fill(s, 300, 10)
    assert_holds(other, range(310))  # both on generation 2 now: generation 1 is freed
    wait_until_none_retired(tmp_path)
    old = os.stat(tmp_path / "snapshot.json")
    cuts = []
    real_ftruncate = os.ftruncate
    monkeypatch.setattr(retire, "STEP", 4096)
    monkeypatch.setattr(os, "ftruncate", lambda fd, size: cuts.append((os.fstat(fd).st_ino, size))
                        or real_ftruncate(fd, size))
    assert compactor.compact(str(tmp_path), ON_DISK)
    # Both processes still read generation 2: its snapshot lies whole under a retired name.
    kept = os.stat(tmp_path / "retired-snapshot-2.json")
    assert (kept.st_ino, kept.st_size, kept.st_nlink) == (old.st_ino, old.st_size, 1)
    assert retired(tmp_path) == ["retired-journal-2.jsonl", "retired-places-2.bin", "retired-snapshot-2.json"]
    assert_holds(s, range(310))  # takes generation 3 on, lets 2 go: other still reads it
    time.sleep(0.2)
    assert "retired-snapshot-2.json" in retired(tmp_path)
    assert_holds(other, range(310))  # the last to let it go frees it
    wait_until_none_retired(tmp_path)
    sizes = [size for ino, size in cuts if ino == old.st_ino]
    assert len(sizes) >= old.st_size // 4096 and sizes == sorted(sizes, reverse=True) and sizes[-1] == 0
    fill(s, 310, 1)
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(311))


def test_retired_files_a_crash_left_are_freed_after_the_next_open_and_never_read(tmp_path):
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 20)
    s.close()
    (tmp_path / "retired-snapshot-0.json").write_bytes(b"not a snapshot\n" * 10_000)  # cut short by a crash
    (tmp_path / "retired-journal-0.jsonl").write_bytes(b"{not a journal\n")
    os.link(tmp_path / "snapshot.json", tmp_path / "retired-snapshot-1.json")  # killed before its replace
    current = os.stat(tmp_path / "snapshot.json")
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    assert_holds(s, range(20))
    wait_until_none_retired(tmp_path)
    assert os.stat(tmp_path / "snapshot.json").st_size == current.st_size  # a second name gone, nothing cut
    fill(s, 20, 1)
    s.close()
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(21))


def test_the_compactor_reads_the_journal_after_letting_the_shared_flock_go(tmp_path, monkeypatch):
    """Under the flock it only notes how far the journal goes: commits wait while it is held,
    and reading tens of megabytes at nice 10 on a busy machine took up to a tenth of a second."""
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 30)
    held, read_while_held = [], []
    real_flock, real_pread = compactor._flock, Journal.pread

    @contextlib.contextmanager
    def noted_flock(directory, mode):
        with real_flock(directory, mode):
            held.append(mode)
            try:
                yield
            finally:
                held.pop()

    def noted_pread(journal, offset, length):
        if fcntl.LOCK_SH in held:
            read_while_held.append(length)
        return real_pread(journal, offset, length)

    monkeypatch.setattr(compactor, "_flock", noted_flock)
    monkeypatch.setattr(Journal, "pread", noted_pread)
    assert compactor.compact(str(tmp_path), ON_DISK)
    assert read_while_held == []
    fill(s, 30, 1)
    s.close()
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(31))


def cut_in_steps(monkeypatch):
    """[(inode, size)] of every ftruncate from now on, freeing 4 KB a step."""
    cuts, real_ftruncate = [], os.ftruncate
    monkeypatch.setattr(retire, "STEP", 4096)
    monkeypatch.setattr(os, "ftruncate", lambda fd, size: cuts.append((os.fstat(fd).st_ino, size))
                        or real_ftruncate(fd, size))
    return cuts


def assert_freed_in_steps(cuts, st):
    sizes = [size for ino, size in cuts if ino == st.st_ino]
    assert len(sizes) >= st.st_size // 4096 and sizes == sorted(sizes, reverse=True) and sizes[-1] == 0


def test_the_old_places_file_is_retired_kept_while_a_process_maps_it_and_freed_in_steps(tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    other = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 300)
    assert compactor.compact(str(tmp_path), ON_DISK)
    fill(s, 300, 10)
    assert_holds(other, range(310))  # both take generation 2 on through its places file, mapped
    wait_until_none_retired(tmp_path)
    placed = os.stat(tmp_path / "places-2.bin")
    cuts = cut_in_steps(monkeypatch)
    assert compactor.compact(str(tmp_path), ON_DISK)
    assert os.stat(tmp_path / "retired-places-2.bin").st_ino == placed.st_ino  # not removed at once
    assert_holds(s, range(310))
    time.sleep(0.2)
    assert "retired-places-2.bin" in retired(tmp_path)  # other maps it still: nothing cut from under it
    assert_holds(other, range(310))
    wait_until_none_retired(tmp_path)
    assert_freed_in_steps(cuts, placed)


def test_the_compactor_writes_the_places_file_out_in_small_steps(tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 300)
    synced, real_fdatasync = [], os.fdatasync
    monkeypatch.setattr(compactor, "_SYNC_EVERY", 4096)
    monkeypatch.setattr(os, "fdatasync", lambda fd: synced.append(
        (os.path.basename(os.readlink(f"/proc/self/fd/{fd}")), os.fstat(fd).st_size)) or real_fdatasync(fd))
    assert compactor.compact(str(tmp_path), ON_DISK)
    sizes = [size for name, size in synced if name == "places-2.bin"]
    assert sizes[-1] == os.stat(tmp_path / "places-2.bin").st_size > 2 * 4096
    assert max(after - before for before, after in zip([0, *sizes], sizes)) <= 4096
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(300))


def test_a_failed_compactions_temp_snapshot_is_freed_in_steps(tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 300)
    written, real_write_temp = [], snapshot.write_temp
    monkeypatch.setattr(snapshot, "write_temp", lambda *a, **k: written.append(real_write_temp(*a, **k)) or written[-1])

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(compactor, "_copy_tail", full_disk)
    with pytest.raises(OSError):
        compactor.compact(str(tmp_path), ON_DISK)
    temp = os.stat(retire.retired_path(written[0][0]))  # retired, not removed at once
    cuts = cut_in_steps(monkeypatch)
    retire.free(str(tmp_path))
    assert retired(tmp_path) == []
    assert_freed_in_steps(cuts, temp)
    assert_holds(s, range(300))


def test_a_crashed_compactions_temp_snapshot_is_freed_in_steps_after_the_next_open(tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 20)
    s.close()
    (tmp_path / "snapshot.json.999.tmp").write_bytes(b"half a snapshot\n" * 10_000)  # a compactor killed mid-write
    temp = os.stat(tmp_path / "snapshot.json.999.tmp")
    cuts = cut_in_steps(monkeypatch)
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    wait_until_none_retired(tmp_path)
    assert not (tmp_path / "snapshot.json.999.tmp").exists()
    assert_freed_in_steps(cuts, temp)
    assert_holds(s, range(20))
