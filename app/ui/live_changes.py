"""The window's side of live changes on an office server (app/live.py): the other
desks' changes arrive on the listener's thread and are announced on the GUI thread, as
if this window had written them, so every page refreshes what it shows; this window's
own changes are sent to the others as they are announced."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.changes import Changes
from app.live import Listener
from app.server import CONNECT_TIMEOUT


class LiveChanges(QObject):
    heard = Signal(object)  # Changes, on the GUI thread (a queued connection)

    def __init__(self, ops) -> None:
        super().__init__(ops)
        url = ops.db.engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)

        def connect():
            import psycopg  # lazy: only office mode talks to a server directly

            return psycopg.connect(conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT)

        self.listener = Listener(connect, self.heard.emit)
        self.heard.connect(ops.announce)
        self.listener.start()

    def send(self, changes: Changes) -> None:
        self.listener.send(changes)

    def close(self) -> None:
        self.listener.close()
