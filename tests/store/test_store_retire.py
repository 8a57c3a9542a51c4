"""A compaction's replaced files (store/retire.py): the swap frees none of their blocks at once
(on a disk mounted with discard, that stalls every fdatasync beside it); they are freed a step
at a time once no process reads them, and one a crash left is freed later, never read."""
import os
import time

from services.storage import ON_DISK
from store import compactor, retire
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
