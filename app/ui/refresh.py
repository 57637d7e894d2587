"""Pages refresh only when they are shown and concerned.

After Anki's ``op_executed`` / "refresh when shown": a page gives the parts of the window
it is (:class:`~app.changes.Concern`) and a refresh function; on every change the
:class:`RefreshGate` decides: not concerned, nothing; the page's own change that it has
already shown (``skip_own``), nothing; shown, one refresh after the current event (so
several changes of one action make one refresh); hidden, the page is marked stale and
refreshes when it is shown next. The refresh gets the merged :class:`Changes`, so a big
list can update the rows they name instead of reading everything again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from app.changes import Changes, Concern


class RefreshGate(QObject):
    def __init__(self, page: QWidget, bus, concerns: tuple[Concern, ...],
                 refresh: Callable[[Changes], None], *, skip_own: bool = False) -> None:
        super().__init__(page)
        self.page = page
        self.concerns = concerns
        self.refresh = refresh
        self.skip_own = skip_own
        self.pending: Changes | None = None
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._run)
        page.installEventFilter(self)
        bus.changed.connect(self.on_changed)

    @property
    def stale(self) -> bool:
        return self.pending is not None

    def on_changed(self, changes: Changes) -> None:
        if self.skip_own and changes.source is self.page:
            return
        if not changes.concerns(*self.concerns):
            return
        self.pending = changes if self.pending is None else self.pending.merged(changes)
        if self.page.isVisible():
            self._timer.start()

    def mark_stale(self, changes: Changes | None = None) -> None:
        """Refresh at the next showing (or now, if shown), whatever the change was."""
        self.on_changed((changes or Changes.everything()).with_source(None))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.page and event.type() == QEvent.Type.Show and self.pending is not None:
            self._timer.start()  # after the page is painted
        return False

    def _run(self) -> None:
        changes, self.pending = self.pending, None
        if changes is not None:
            self.refresh(changes)
