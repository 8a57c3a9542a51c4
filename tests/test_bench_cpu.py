"""bench/cpu.py: where a load's CPU went, by process, around a run (the many writers' CPU lines)."""
import os
import subprocess
import sys

from bench import cpu

# Spends `seconds` of CPU once told to (a line on stdin), says so, then waits to be ended.
_BURN = """
import sys, time
seconds = float(sys.argv[1])
sys.stdin.readline()
start = time.process_time()
while time.process_time() - start < seconds:
    pass
print("spent", flush=True)
sys.stdin.readline()
"""


def test_a_workers_cpu_and_the_load_generators_are_told_apart_a_request():
    worker = subprocess.Popen([sys.executable, "-c", _BURN, "0.3"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        tally, before = cpu.Tally(), cpu.Ticks([worker.pid])
        worker.stdin.write("go\n")
        worker.stdin.flush()
        assert worker.stdout.readline() == "spent\n"
        # A load generator: a child run to its end while the worker waits.
        subprocess.run([sys.executable, "-c", _BURN, "0.2"], input="go\n\n", text=True, check=True,
                       stdout=subprocess.DEVNULL)
        tally.add(before, cpu.Ticks([worker.pid]), requests=2)
    finally:
        worker.communicate("\n")
    figures = tally.per_request()
    # A process's CPU in /proc is in whole clock ticks, each reading cut down to one: the difference of two may be a
    # tick short of what was spent (0.29 s of the 0.3 s once in CI, the worker's start-up all before the first).
    tick = 1e6 / os.sysconf("SC_CLK_TCK")
    assert (0.3e6 - tick) / 2 <= figures["workers"] < 0.6e6 / 2  # its 0.3 s, and its start-up at most
    assert 0.2e6 / 2 <= figures["load"] < 0.5e6 / 2
    assert figures["busy"] >= figures["workers"] + figures["load"] - 0.02e6  # the machine's ticks, coarser
    assert 0 <= figures["idle"] < 1


def test_the_line_names_postgresql_only_where_it_spent_something():
    tally = cpu.Tally()
    tally.workers, tally.load, tally.busy, tally.idle, tally.requests = 1.6, 0.2, 2.0, 0.5, 1000
    assert tally.said() == "workers 1,600 + wrk 200 + rest 200 = 2,000 µs of CPU a request, the cores 20 % idle"
    tally.postgres, tally.busy = 0.6, 2.6
    assert tally.said().startswith("workers 1,600 + PostgreSQL 600 + wrk 200 + rest 200 = 2,600 µs")
