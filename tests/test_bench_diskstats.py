"""bench/diskstats.py: the disk's own counters beside a run, and bench/compaction.py's use of them."""
import time

from bench import diskstats
from bench.compaction import _device

# Two lines as the kernel writes them (6.x: reads, writes, discards and flushes, 17 numbers each).
TEXT = """\
 254       0 vda 53211 7672 3846914 11066 777406 124984 62805584 318183 0 63432 343995 13994 47 29754712 3361 251022 11383
 254       1 vdb 10 0 80 1 20 0 160 7 0 8 8 0 0 0 0 2 0
"""


def test_a_device_is_found_by_its_numbers_and_its_write_counters_read():
    assert diskstats.reading(TEXT, (254, 1)) == (20, 160, 7)
    assert diskstats.reading(TEXT, (254, 0)) == (777406, 62805584, 318183)
    assert diskstats.reading(TEXT, (8, 0)) is None  # not listed: tmpfs, overlay


def test_the_writes_while_a_transition_ran_span_the_readings_either_side_of_it():
    samples = [(10.000, 100, 0, 10), (10.005, 110, 2048, 11), (10.010, 113, 2048, 71), (10.015, 130, 4096, 73)]
    # From the reading at 10.005 (the last before it began) to the one at 10.015 (the first after it
    # ended): 20 writes, 2,048 sectors, 62 ms, the 60 ms of the three slow writes among them.
    assert diskstats.meanwhile(samples, 10.006, 10.012) == (20, 2048 * 512 / 1e6, 62 / 20)
    assert diskstats.meanwhile(samples, 9.999, 10.012) is None  # began before the first reading
    assert diskstats.meanwhile(samples, 10.006, 10.016) is None  # ended after the last
    assert diskstats.spanned(samples[1], samples[1]) == (0, 0.0, None)


def test_a_slow_transition_is_given_the_disk_s_writes_against_the_run_s():
    samples = [(10.000, 100, 0, 10), (10.050, 113, 16, 36), (10.100, 200, 4096, 46)]
    assert _device(10.001, 40.0, samples, 0.12) == (
        "the disk's writes meanwhile: 13 (0.0 MB), 2.00 ms each (the run's: 0.12 ms)")
    assert _device(10.001, 40.0, samples[:1] * 2, 0.12) == "the disk's own counters not read"
    still = [(10.000, 100, 0, 10), (10.050, 100, 0, 10)]
    assert _device(10.001, 40.0, still, 0.12) == "the disk's writes meanwhile: 0 (0.0 MB), none finished (the run's: 0.12 ms)"


def test_the_sampler_keeps_a_reading_each_time_the_device_s_counters_move(monkeypatch):
    # The counters as successive readings of the file find them: alike three times, then moved.
    script, calls = [(20, 160, 7)] * 3 + [(24, 2208, 9)], []

    def reading(text, device):
        calls.append(device)
        return script[min(len(calls), len(script)) - 1]
    monkeypatch.setattr(diskstats, "reading", reading)
    sampler = diskstats.Sampler("/")
    sampler.start()
    while len(calls) < 6:
        time.sleep(diskstats.EVERY)
    sampler.stop()
    assert [sample[1:] for sample in sampler.samples] == [(20, 160, 7), (24, 2208, 9)]
    assert diskstats.spanned(*sampler.samples) == (4, 2048 * 512 / 1e6, 0.5)


def test_a_device_the_kernel_does_not_list_leaves_no_samples(monkeypatch):
    monkeypatch.setattr(diskstats, "device_of", lambda path: (0, 0))
    sampler = diskstats.Sampler("/")
    sampler.start()
    sampler.join(timeout=5)
    assert not sampler.is_alive() and sampler.samples == []
