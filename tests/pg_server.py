"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary
cluster on a free loopback port, stopped and deleted at the end of the session.

`./test` installs Debian's postgresql package when it is missing. initdb
refuses to run as root, so as root the server runs as the postgres user.
"""
import contextlib
import glob
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile

import psycopg


def _bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries are missing: run ./test, which installs Debian's postgresql")
    return os.path.dirname(found[-1])


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self):
        self.bindir = _bindir()
        self.root = tempfile.mkdtemp(prefix="pgtest.")
        self.data = os.path.join(self.root, "data")
        self.port = _free_port()
        self._as_root = os.geteuid() == 0
        self._names = itertools.count(1)
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale",
                  "--no-sync")
        self.start()
        self.admin_url = self.url("postgres")

    def start(self):
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.root, "log"), "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=on "
                  f"-c max_connections=200", "start")

    def halt(self):
        """Stop the server as an operator would (its connections ended), keeping its data for start()."""
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def crash(self):
        """Stop the server in immediate mode, as a power cut would (no checkpoint; crash recovery from
        the WAL at the next start()), keeping its data."""
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def freeze(self, stop=True):
        """SIGSTOP (or, stop=False, SIGCONT) the server and every process of it: it answers nothing,
        while the kernel still accepts connections and acknowledges what is sent (a hung host)."""
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as pid_file:
                postmaster = int(pid_file.readline())
        except FileNotFoundError:
            if stop:
                raise
            return  # not running (halted): nothing to thaw
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
        sent = signal.SIGSTOP if stop else signal.SIGCONT
        os.kill(postmaster, sent)  # first: it then starts no more
        for pid in map(int, children):
            with contextlib.suppress(ProcessLookupError):  # a backend that ended since pgrep listed it
                os.kill(pid, sent)

    def url(self, database):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self):
        """A fresh, empty database: its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self):
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program, *args):
        command = [os.path.join(self.bindir, program), *args]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
