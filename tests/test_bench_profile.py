"""bench/profile.py: what a profile of the workers says, from py-spy's raw output."""
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
    assert profile.summary(["", "py-spy> nothing\n"]) == ["no profile: py-spy took no sample of a busy worker"]


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
