"""The refresh gate: a hidden page does not refresh on a change and refreshes when it is
shown; a shown page refreshes once per burst of changes; the page's own change is
skipped when it asks so; changes it is not concerned with are ignored."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.changes import Changes, Concern, Entity
from app.ui.refresh import RefreshGate
from app.ui.window_state import last_folder, remember_folder


class Bus(QObject):
    changed = Signal(object)


def _gate(qtbot, **kw):
    page, bus, seen = QWidget(), Bus(), []
    qtbot.addWidget(page)
    gate = RefreshGate(page, bus, (Concern.QUEUE,), seen.append, **kw)
    return page, bus, seen, gate


def test_a_hidden_page_refreshes_only_when_shown(qtbot):
    page, bus, seen, gate = _gate(qtbot)
    bus.changed.emit(Changes(frozenset({Entity.TASK}), frozenset({3})))
    bus.changed.emit(Changes(frozenset({Entity.CONTACT}), frozenset({4})))
    qtbot.wait(10)
    assert seen == [] and gate.stale
    page.show()
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen[0].entities == {Entity.TASK, Entity.CONTACT}
    assert seen[0].client_ids == {3, 4} and not gate.stale


def test_a_shown_page_refreshes_once_per_burst(qtbot):
    page, bus, seen, _gate_ = _gate(qtbot)
    page.show()
    for cid in range(3):
        bus.changed.emit(Changes(frozenset({Entity.TASK}), frozenset({cid})))
    qtbot.waitUntil(lambda: len(seen) == 1)
    qtbot.wait(20)
    assert len(seen) == 1 and seen[0].client_ids == {0, 1, 2}


def test_unconcerned_and_own_changes_are_skipped(qtbot):
    page, bus, seen, _gate_ = _gate(qtbot, skip_own=True)
    page.show()
    bus.changed.emit(Changes(frozenset({Entity.STAFF})))  # Today shows staff: concerned
    bus.changed.emit(Changes(frozenset({Entity.INTERNAL})))
    bus.changed.emit(Changes(frozenset({Entity.TASK}), origin=page))
    qtbot.waitUntil(lambda: len(seen) == 1)
    qtbot.wait(20)
    assert [c.entities for c in seen] == [{Entity.STAFF}]


def test_the_last_folder_is_remembered(qtbot, tmp_path):
    f = tmp_path / "clients.csv"
    f.write_text("x")
    remember_folder("import-test", f)
    assert last_folder("import-test") == str(tmp_path)
    remember_folder("import-test", tmp_path / "gone" / "x.csv")
    assert last_folder("import-test") != str(tmp_path / "gone")  # a folder that went away


def test_a_pending_change_does_not_keep_its_writer_alive(qtbot):
    """A hidden page keeps a change until it is shown; the window that wrote it (an import
    wizard holding 10,000 rows, a closed card) must be free to go meanwhile."""
    import gc
    import weakref

    class Writer:
        rows = list(range(1000))

    page, bus, seen, gate = _gate(qtbot)
    writer = Writer()
    gone = weakref.ref(writer)
    bus.changed.emit(Changes(frozenset({Entity.TASK}), origin=writer))
    assert gate.stale and gate.pending.source is writer
    del writer
    gc.collect()
    assert gone() is None and gate.pending.source is None
    page.show()
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen[0].entities == {Entity.TASK}
