"""The window remembers itself between sessions (QSettings): size and place, splitters,
column widths and sort order of each table, the last folder of an import or export.

Keys are namespaced by a stable object name, never by position, so a new column or page
does not read another's state."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QWidget


def settings() -> QSettings:
    return QSettings()  # organisation and application names are set at start-up


def save_geometry(key: str, widget: QWidget) -> None:
    settings().setValue(f"geometry/{key}", widget.saveGeometry())


def restore_geometry(key: str, widget: QWidget) -> bool:
    value = settings().value(f"geometry/{key}")
    return isinstance(value, QByteArray) and widget.restoreGeometry(value)


def save_header(key: str, header: QHeaderView) -> None:
    settings().setValue(f"header/{key}", header.saveState())


def restore_header(key: str, header: QHeaderView) -> bool:
    value = settings().value(f"header/{key}")
    return isinstance(value, QByteArray) and header.restoreState(value)


def save_splitter(key: str, splitter: QSplitter) -> None:
    settings().setValue(f"splitter/{key}", splitter.saveState())


def restore_splitter(key: str, splitter: QSplitter) -> bool:
    value = settings().value(f"splitter/{key}")
    return isinstance(value, QByteArray) and splitter.restoreState(value)


def last_folder(kind: str) -> str:
    """The folder last used for ``kind`` ("import", "export", ...) if it still exists,
    else the user's Documents folder."""
    value = settings().value(f"folders/{kind}")
    if isinstance(value, str) and value and Path(value).is_dir():
        return value
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs or str(Path.home())


def remember_folder(kind: str, path: str | Path) -> None:
    """Remember the folder of a file (or the folder itself) chosen for ``kind``."""
    p = Path(path)
    folder = p if p.is_dir() else p.parent
    settings().setValue(f"folders/{kind}", str(folder))


def save_window_state(key: str, window: QMainWindow) -> None:
    """The main window's size and place, and the state of its bars."""
    save_geometry(key, window)
    settings().setValue(f"state/{key}", window.saveState())


def restore_window_state(key: str, window: QMainWindow) -> bool:
    value = settings().value(f"state/{key}")
    if isinstance(value, QByteArray):
        window.restoreState(value)
    return restore_geometry(key, window)
