"""The PostgreSQL server of the test run (issue 17): started by the run itself in a
temporary folder with the server binaries of the system's postgresql package, through
pytest-postgresql's executor, and stopped at its end.

- The binaries: the newest ``/usr/lib/postgresql/N/bin/pg_ctl`` (Debian, Ubuntu), else
  ``pg_ctl`` on the PATH. Without them the PostgreSQL half is left out with one line
  saying how to enable it (tests/conftest.py).
- The server refuses to run as root, and CI runs as root: then every ``pg_ctl`` runs as
  the unprivileged ``postgres`` user the package creates (a one-line wrapper the
  executor is given as its ``pg_ctl``), in a folder that user owns.
- A throwaway server: no fsync, no synchronous commit, no full-page writes (nothing
  here must survive a power cut; it makes the run's commits cheap).
- The tests log in over TCP as a user who may create databases but is no superuser,
  with a password (so a wrong password is refused, as on a shop's server).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path

from packaging.version import InvalidVersion, Version

TEST_USER = "clientcare_test"
TEST_PASSWORD = "clientcare_test"
_SPEED = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
          "-c max_connections=200 -c shared_buffers=64MB")


def find_pg_ctl() -> str | None:
    """The newest server's ``pg_ctl``: Debian keeps each version's binaries apart."""
    found = []
    for path in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"):
        try:
            found.append((Version(Path(path).parent.parent.name), path))
        except InvalidVersion:
            continue
    if found:
        return max(found)[1]
    return shutil.which("pg_ctl")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestServer:
    """A server of its own in a temporary folder; ``url`` reaches its ``postgres``
    database as the tests' user."""

    def __init__(self, pg_ctl: str) -> None:
        from pytest_postgresql.executors.proc import PostgreSQLExecutor

        self.folder = Path(tempfile.mkdtemp(prefix="clientcare-pg-"))
        executable = pg_ctl
        self._as = None
        if os.geteuid() == 0:  # the server will not run as root: as `postgres`
            try:
                self._as = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise RuntimeError("running as root, and there is no `postgres` user to "
                                   "run the PostgreSQL server as") from exc
            os.chown(self.folder, self._as.pw_uid, self._as.pw_gid)
            executable = str(self.folder / "pg_ctl")
            Path(executable).write_text(
                f'#!/bin/sh\nexec runuser -u postgres -- "{pg_ctl}" "$@"\n', encoding="utf-8")
            os.chmod(executable, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP
                     | stat.S_IROTH | stat.S_IXOTH)
            os.chmod(self.folder, 0o755)
        self.port = _free_port()
        self.executor = PostgreSQLExecutor(
            executable=executable, host="127.0.0.1", port=self.port,
            datadir=str(self.folder / "data"), unixsocketdir=str(self.folder),
            logfile=str(self.folder / "server.log"), startparams="-w", dbname="postgres",
            user="postgres", timeout=120, postgres_options=_SPEED)

    def start(self) -> str:
        self.executor.start()  # initdb (trust), then the server
        self._secure()
        return (f"postgresql+psycopg://{TEST_USER}:{TEST_PASSWORD}@127.0.0.1:{self.port}"
                "/postgres")

    def _psql(self, sql: str) -> None:
        """Run SQL as the superuser over the folder's socket (trusted there only)."""
        psql = Path(self.executor.executable).parent / "psql"
        real = Path(find_pg_ctl() or "").parent / "psql"
        command = [str(real if real.exists() else psql), "-q", "-v", "ON_ERROR_STOP=1",
                   "-h", str(self.folder), "-p", str(self.port), "-U", "postgres",
                   "-d", "postgres", "-c", sql]
        for attempt in range(20):  # the socket may lag the server's "ready" a moment
            done = subprocess.run(command, capture_output=True, text=True, timeout=60)
            if done.returncode != 2 or attempt == 19:  # 2: no connection (psql's code)
                break
            time.sleep(0.5)
        if done.returncode != 0:
            raise RuntimeError(f"psql {sql[:40]!r}: exit {done.returncode}: "
                               f"{done.stderr.strip()[-500:]}")

    def _secure(self) -> None:
        """The tests' user with a password; TCP logins must give it."""
        self._psql(f"CREATE ROLE {TEST_USER} LOGIN CREATEDB PASSWORD '{TEST_PASSWORD}'")
        hba = Path(self.executor.datadir) / "pg_hba.conf"
        hba.write_text("local all all trust\n"
                       "host all all 127.0.0.1/32 scram-sha-256\n"
                       "host all all ::1/128 scram-sha-256\n", encoding="utf-8")
        self._psql("SELECT pg_reload_conf()")

    def stop(self) -> None:
        try:
            self.executor.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
