"""What a compaction does to the disk beside the commits: its replaced files (store/retire.py) are
not freed at once by the swap (on a disk mounted with discard, that stalls every fdatasync beside
it) but a step at a time once no process reads them, one a crash left later, never read; and it
reads the journal without holding the store's flock."""
import contextlib
import fcntl
import os
import time

from services.storage import ON_DISK
from store import compactor, retire
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
    assert retired(tmp_path) == ["retired-journal-2.jsonl", "retired-snapshot-2.json"]
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
