"""Changes seen live on every desk (issue 17): on an office server each window tells the
others what it wrote with PostgreSQL's NOTIFY, and hears theirs with LISTEN, carrying
the same :class:`~app.changes.Changes` record the window's pages already act on.

One thread per window owns one connection of its own (autocommit): it sends this
window's changes and waits for the others' between sends, so neither the GUI thread nor
the database executor ever waits on the network for it. A lost connection is opened
again; the changes missed meanwhile are unknown, so the window then hears "everything
may have changed" once. No Qt here: the window gives :class:`Listener` a callback that
is called on the listener's thread (app/ui/live_changes.py turns it into a signal).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import uuid
from collections.abc import Callable

from app.changes import Changes, Entity

log = logging.getLogger(__name__)

CHANNEL = "clientcare_changes"
#: beyond this many named clients a change says "some clients" (NOTIFY's payload is
#: at most 8,000 bytes)
MAX_IDS = 400
#: how long the thread waits for the others' notices before looking at its own queue
POLL_S = 0.1
RECONNECT_S = 2.0


class _Remote:
    """The origin of a change another desk made (not weakly referenceable, so a
    :class:`Changes` keeps it as it is); no page of this window is its writer."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "REMOTE"


REMOTE = _Remote()


def encode(changes: Changes, origin: str) -> str:
    ids = sorted(changes.client_ids)
    many = len(ids) > MAX_IDS
    return json.dumps({"o": origin, "e": sorted(e.value for e in changes.entities),
                       "c": [] if many else ids, "a": changes.all_clients or many},
                      separators=(",", ":"))


def decode(payload: str) -> tuple[str, Changes] | None:
    """The sender and its change, or None for a notice that is not one of ours."""
    try:
        data = json.loads(payload)
        entities = frozenset(Entity(e) for e in data["e"])
        ids = frozenset(int(i) for i in data["c"])
        return str(data["o"]), Changes(entities, ids, bool(data["a"]), REMOTE)
    except (ValueError, KeyError, TypeError):
        log.warning("a notice on %s that is not a change: %.200s", CHANNEL, payload)
        return None


class Listener:
    """Sends this window's changes and hears the other windows' on ``CHANNEL``."""

    def __init__(self, connect: Callable[[], object], on_change: Callable[[Changes], None]
                 ) -> None:
        #: ``connect()`` returns a new psycopg connection to the server
        self._connect = connect
        self._on_change = on_change
        self.origin = uuid.uuid4().hex
        self._out: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._stop = threading.Event()
        self.listening = threading.Event()  # set once LISTEN runs (tests wait for it)
        self._thread = threading.Thread(target=self._run, name="clientcare-live",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def send(self, changes: Changes) -> None:
        """Tell the other desks (returns at once; the thread sends it)."""
        if changes.source is REMOTE or changes.empty:
            return  # heard from another desk: not sent back
        self._out.put(encode(changes, self.origin))

    def close(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    # ------------------------------------------------------------------ the thread
    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                conn = self._connect()
            except Exception as exc:  # noqa: BLE001 - the server is away: try again
                log.warning("live changes: cannot connect: %s", exc)
                self._stop.wait(RECONNECT_S)
                continue
            try:
                conn.execute(f"LISTEN {CHANNEL}")
                self.listening.set()
                if not first:  # what the others wrote while we were away is unknown
                    self._on_change(Changes.everything(REMOTE))
                first = False
                self._serve(conn)
            except Exception as exc:  # noqa: BLE001 - a lost connection: open it again
                log.warning("live changes: connection lost: %s", exc)
                self.listening.clear()
                self._stop.wait(RECONNECT_S)
            finally:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001 - already gone
                    pass

    def _serve(self, conn) -> None:
        while not self._stop.is_set():
            while True:
                try:
                    payload = self._out.get_nowait()
                except queue.Empty:
                    break
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            for notice in conn.notifies(timeout=POLL_S):
                heard = decode(notice.payload)
                if heard is not None and heard[0] != self.origin:
                    self._on_change(heard[1])
