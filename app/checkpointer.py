"""The WAL checkpoints of an open database, on a thread of their own.

In WAL mode every commit appends pages to the ``-wal`` file; a *checkpoint* copies them
back into the database file. SQLite does it by itself in the connection that committed,
inside that commit, once the WAL passes 1,000 pages: a morning's start of day at a
million clients (9,000 tasks, 9,000 client rows) waited over a second for it on the
database executor. SQLite's documentation names the way out: turn the automatic
checkpoint off on the application's connections and run checkpoints from a thread of
their own (https://www.sqlite.org/wal.html, "Application-Initiated Checkpoints"). A
PASSIVE checkpoint takes no lock a reader or the writer waits for; it copies what no
reader still needs and leaves the rest for the next round.

:class:`Checkpointer` is that thread: woken after each commit (and every few seconds
anyway), it checkpoints once the WAL holds at least :data:`MIN_WAL_BYTES`. It never
raises: a checkpoint that fails (a full disk, a lock) is logged and tried again on the
next round; the committed data are safe in the WAL meanwhile, as SQLite guarantees.
Closed with the database: a last full checkpoint, then the thread ends. No Qt here.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

#: a checkpoint once the WAL holds this much (SQLite's own default: 1,000 pages of 4 KiB)
MIN_WAL_BYTES = 4 * 2**20
#: after a wake, the wait for the commit to finish (and the next ones to gather), and
#: the longest the WAL's size is watched until it stops growing
SETTLE_S = 0.2
SETTLE_MAX_S = 30.0
#: a round even without a commit seen (a commit made by another program, a missed wake)
PERIOD_S = 5.0


class Checkpointer:
    """A daemon thread that checkpoints the WAL of the file at ``path``."""

    def __init__(self, path: Path, busy_timeout_ms: int, synchronous: str) -> None:
        self.path = Path(path)
        self._wal = Path(f"{path}-wal")
        self._timeout_s = busy_timeout_ms / 1000
        self._synchronous = synchronous
        self._wake = threading.Event()
        self._stop = threading.Event()
        #: rounds that copied pages, and failures (for tests and the log)
        self.checkpoints = 0
        self.failures = 0
        self._thread = threading.Thread(target=self._run, name="clientcare-checkpoint",
                                        daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """A commit was made: look at the WAL soon."""
        self._wake.set()

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(str(self.path), timeout=self._timeout_s,
                              check_same_thread=False, isolation_level=None)
        # the checkpoint syncs the file as the app's own connections would
        con.execute(f"PRAGMA synchronous={self._synchronous}")
        if sys.platform == "darwin":
            con.execute("PRAGMA checkpoint_fullfsync=ON")
        return con

    def _wal_size(self) -> int | None:
        try:
            return self._wal.stat().st_size
        except OSError:  # no WAL (yet, or the file is gone)
            return None

    def _settled_size(self) -> int | None:
        """The WAL's size once it stopped growing (a commit of a hundred megabytes is
        still writing it: a checkpoint then would only compete for the disk)."""
        size = self._wal_size()
        for _ in range(int(SETTLE_MAX_S / SETTLE_S)):
            if self._stop.wait(SETTLE_S):
                break
            now = self._wal_size()
            if now == size:
                break
            size = now
        return size

    def _run(self) -> None:
        con: sqlite3.Connection | None = None
        try:
            while not self._stop.is_set():
                if self._wake.wait(PERIOD_S):
                    # woken as a commit starts: let it (and any that follow) finish
                    self._stop.wait(SETTLE_S)
                self._wake.clear()
                size = self._settled_size()
                if self._stop.is_set():
                    break
                if size is None or size < MIN_WAL_BYTES:
                    continue
                try:
                    con = con or self._connect()
                    busy, _, copied = con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    if copied > 0:
                        self.checkpoints += 1
                except sqlite3.Error as exc:
                    self.failures += 1
                    log.warning("a WAL checkpoint of %s failed (tried again later): %s",
                                self.path, exc)
                    if con is not None:
                        con.close()
                    con = None
        finally:
            if con is not None:
                con.close()

    def close(self, timeout_s: float = 30.0) -> None:
        """End the thread (a checkpoint under way finishes first). The database's last
        connection, closed after it, checkpoints what is left and removes the WAL."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()
