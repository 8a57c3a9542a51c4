"""bench/profile.py: what a profile of the workers says, from py-spy's raw output."""
import os
import signal
import subprocess
import sys
from pathlib import Path

from bench import profile

# py-spy's raw output of two workers: a line a stack, outermost first, and its samples.
_WORKER_1 = """\
run (/srv/.venv/lib/python3.11/site-packages/gunicorn/workers/sync.py:125);handle (/srv/.venv/lib/python3.11/site-packages/gunicorn/workers/sync.py:135);fire (/srv/services/document_service.py:184);commit (/srv/store/postgres_store.py:492) 50
run (/srv/.venv/lib/python3.11/site-packages/gunicorn/workers/sync.py:125);handle (/srv/.venv/lib/python3.11/site-packages/gunicorn/workers/sync.py:135);fire (/srv/services/document_service.py:184) 10
"""
_WORKER_2 = """\
run (/srv/.venv/lib/python3.11/site-packages/gunicorn/workers/sync.py:125);handle (/srv/.venv/lib/python3.11/site-packages/gunicorn/workers/sync.py:135);send (<frozen socket>) 30
run (/srv/.venv/lib/python3.11/site-packages/gunicorn/workers/sync.py:125) 10
"""



def test_the_profile_names_where_the_samples_of_all_the_workers_are_spent():
    said = profile.summary([_WORKER_1, _WORKER_2], app="/srv")
    assert said[0].startswith("py-spy of the workers, 100 samples ")
    # In themselves: the last frame of each stack, by share of every sample.
    assert said[1] == ("  in themselves: commit (postgres_store.py) 50.0 %, send (<frozen socket>) 30.0 %, "
                       "fire (document_service.py) 10.0 %, run (sync.py) 10.0 %")
    # Under: the app's own calls that hold the samples, not gunicorn's nor Python's.
    assert said[2] == "  under the app's calls: fire (document_service.py) 60 %, commit (postgres_store.py) 50 %"
    # The app with its virtual environment in its own directory: the environment's scripts are not the app's code.
    app = Path(sys.prefix).parent
    in_venv = profile.summary([f"<module> ({sys.prefix}/bin/gunicorn:8);run ({app}/services/document_service.py:1) 1"],
                              app=str(app))
    assert in_venv[2] == "  under the app's calls: run (document_service.py) 100 %"


def test_no_sample_is_said_rather_than_divided_by():
    assert profile.summary(["", "py-spy> nothing\n"]) == ["no profile: py-spy took no sample of the workers at work"]


_BUSY = """
def burn():
    while True:
        sum(range(1000))
"""


def test_a_busy_workers_profile_names_the_apps_call_it_is_busy_in(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "busy.py").write_text(_BUSY)
    worker = subprocess.Popen([sys.executable, "-c", "import sys, busy; print('ready', flush=True); busy.burn()"],
                              cwd=app, stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline() == "ready\n"
        answer, said = profile.profiled([worker.pid], 1, tmp_path, lambda: "the run's answer", app=app)
    finally:
        worker.kill()
        worker.wait()
    assert answer == "the run's answer"
    assert said[0].startswith("py-spy of the workers, ")
    assert said[1].startswith("  in themselves: burn (busy.py) ")
    assert said[2] == "  under the app's calls: burn (busy.py) 100 %"  # the app's code told by its full path


def test_a_worker_py_spy_cannot_sample_is_said_and_the_run_still_answers(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid names no process now
    answer, said = profile.profiled([gone.pid], 1, tmp_path, lambda: 42)
    assert answer == 42
    assert len(said) == 1 and said[0].startswith("no profile: Error: ")  # py-spy's reason, not its backtrace
    assert "\n" not in said[0]


def test_a_row_that_misses_its_line_has_its_load_profiled_and_no_other(capsys):
    asked = []

    def said():
        asked.append(True)
        return ["py-spy of the workers, 10 samples (...):", "  in themselves: burn (busy.py) 100.0 %"]

    profile.when_missed("durable transition (API), 10,000 documents (TinyDB)", True, said)
    profile.when_missed("API list, 1,000 documents", None, said)  # no line at this size
    assert not asked and capsys.readouterr().out == ""
    profile.when_missed("durable transition (API), 10,000 documents (TinyDB)", False, said)
    assert asked == [True]
    assert capsys.readouterr().out.splitlines() == [
        "    durable transition (API), 10,000 documents (TinyDB): the load once more, profiled, since the row misses "
        "its line:",
        "    py-spy of the workers, 10 samples (...):",
        "      in themselves: burn (busy.py) 100.0 %"]


_PARENT = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import busy; busy.burn()"])
print("ready", flush=True)
child.wait()
"""


def test_the_children_of_a_process_are_profiled_with_it(tmp_path):
    # A gunicorn master's workers, and the compactor a worker starts, are its children.
    app = tmp_path / "app"
    app.mkdir()
    (app / "busy.py").write_text(_BUSY)
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], cwd=app, stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        assert parent.stdout.readline() == "ready\n"
        said = profile.during([parent.pid], 1, tmp_path, lambda: None, children=True)
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()
    assert said[1].startswith("  in themselves: burn (busy.py) ")


_COMMAND = """
import time, busy
until = time.monotonic() + 0.5
while time.monotonic() < until:
    busy.step()
"""


def test_a_command_is_profiled_from_its_start_to_its_end(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "busy.py").write_text("def step():\n    sum(range(1000))\n")
    said = profile.command([sys.executable, "-c", _COMMAND], tmp_path, cwd=app, app=app)
    assert said[0].startswith("py-spy of the command, ")
    assert "step (busy.py)" in said[1]
    assert said[2].startswith("  under the app's calls: step (busy.py) ")


def test_a_command_that_cannot_be_started_is_said_instead_of_a_profile(tmp_path):
    said = profile.command([str(tmp_path / "no-such-command")], tmp_path)
    assert len(said) == 1 and said[0].startswith("no profile: ")


def test_the_process_py_spy_names_before_a_stack_is_not_taken_for_a_call():
    # With --subprocesses py-spy begins each stack with the process and its command line (a store's URL among its
    # arguments): neither a function nor anything to print; a sample of no Python frame is none of the app's.
    command = 'process 41:"/srv/.venv/bin/python run.py import b.json --store postgresql://u:secret@db/x"'
    said = profile.summary([f"{command};main (/srv/cli.py:3);load (/srv/services/backup_service.py:9) 3\n"
                            f"{command} 5\n"], app="/srv")
    assert said[0].startswith("py-spy of the workers, 3 samples ")
    assert said[1] == "  in themselves: load (backup_service.py) 100.0 %"
    assert "secret" not in "".join(said)


_ON_CALL = """
import sys, threading, time

def nap():
    while True:
        time.sleep(0.02)

def burst():
    until = time.perf_counter() + float(sys.argv[1])
    while time.perf_counter() < until:
        sum(range(100))

if sys.argv[2] == "napping":
    for _ in range(4):
        threading.Thread(target=nap, daemon=True).start()
print("ready", flush=True)
for _ in sys.stdin:
    burst()
    print("done", flush=True)
"""


def _profile_a_call(tmp_path, burst, seconds, napping=False):
    """(the call's answer, the profile's lines) of a worker busy `burst` seconds on a call, four threads of it
    asleep between their rounds if `napping`, sampled 1,000 times a second for `seconds` at least."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "on_call.py").write_text(_ON_CALL)
    worker = subprocess.Popen([sys.executable, "on_call.py", str(burst), "napping" if napping else "-"], cwd=app,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def one_call():
        worker.stdin.write("go\n")
        worker.stdin.flush()
        return worker.stdout.readline()

    try:
        assert worker.stdout.readline() == "ready\n"
        return profile.profiled([worker.pid], seconds, tmp_path, one_call, app=app, rate=1000)
    finally:
        worker.kill()
        worker.wait()


def test_a_run_shorter_than_py_spy_takes_to_attach_is_sampled_whole(tmp_path):
    # One bulk sign-off takes some 30 ms, py-spy some 20 ms to start sampling: it must have begun before the run
    # does. Sampled at 1,000 a second, a run of 10 ms gives some ten samples.
    answer, said = _profile_a_call(tmp_path, 0.01, 0)
    assert answer == "done\n"
    assert said[1].startswith("  in themselves: burst (on_call.py) ")


def test_a_thread_asleep_is_not_taken_for_work(tmp_path):
    # TinyDB's follower (every 20 ms) and PostgreSQL's watchdog wake between their sleeps in every worker: a profile
    # of a short run must show the request's work, not them. A thread woken while the request holds the
    # interpreter's lock waits for it, and py-spy's guess of idle threads counts that wait as work (20-50 % of these
    # samples, 95-99 % of a sign-off's in the real workers); holding the lock for a moment once it has it, a waking
    # thread may be sampled there (0-9 % here, 4 % once in CI): the truth, and small.
    _, said = _profile_a_call(tmp_path, 0.05, 1.0, napping=True)
    assert said[0].startswith("py-spy of the workers, ")
    shares = _shares(said[1])
    assert max(shares, key=shares.get) == "burst (on_call.py)"
    assert shares.get("nap (on_call.py)", 0) < 20


def _shares(line):
    """{frame: percent} of a profile's line of frames and their shares."""
    frames = line.split(": ", 1)[1].removesuffix(" %").split(" %, ")
    return {frame.rsplit(" ", 1)[0]: float(frame.rsplit(" ", 1)[1]) for frame in frames}
