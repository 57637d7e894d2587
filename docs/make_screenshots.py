"""The README's screenshots, made again from a fresh demo business, in any language.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py ru

writes docs/<screen>-<lang>.png (``en`` writes docs/<screen>.png) of the main window at
1280x720 on each page, a client card and a complaint window. Offscreen Qt gets a
1280x720 screen (a configuration file in a temporary folder), so windows are placed and
sized as on a small office monitor. The user's settings folder is a temporary one too:
nothing the person running it keeps (window sizes, last folders) is read or changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"clients": 0, "today": 1, "calendar": 2, "complaints": 3, "charts": 4}


def _shoot(lang: str, db: Path) -> None:
    """In the child process: the window on the demo file, every page, then two dialogs."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from app.ui import app as app_module

    suffix = "" if lang == "en" else f"-{lang}"
    out = ROOT / "docs"

    def window() -> QMainWindow:
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow))

    def settle(then, ms: int = 1500) -> None:
        def go():
            window().ops.wait()
            QApplication.processEvents()
            then()
        QTimer.singleShot(ms, go)

    todo = list(PAGES.items())

    def next_page() -> None:
        if not todo:
            dialogs()
            return
        name, page = todo.pop(0)
        window().nav.setCurrentRow(page)  # as a click in the navigation

        def shot():
            window().grab().save(str(out / f"{name}{suffix}.png"))
            next_page()
        settle(shot, 2500)

    def dialogs() -> None:
        from app.ui.client_card import open_client_card
        from app.ui.complaint_dialog import open_complaint_dialog
        w = window()
        with w.ops.db.sessions() as s:
            from sqlalchemy import select

            from app.models import Complaint, Relative
            client_id = s.scalar(select(Relative.client_id).limit(1))
            complaint_id = s.scalar(select(Complaint.id).order_by(Complaint.id).limit(1))
        card = open_client_card(w, w.ops, client_id)
        settle(lambda: (card.grab().save(str(out / f"card{suffix}.png")), card.reject(),
                        complaint(open_complaint_dialog(w, w.ops,
                                                        complaint_id=complaint_id))))

    def complaint(dlg) -> None:
        settle(lambda: (dlg.grab().save(str(out / f"complaint{suffix}.png")), dlg.close(),
                        QApplication.quit()))

    def start() -> None:
        window().resize(1280, 720)
        settle(next_page, 3000)

    QApplication.instance() or QApplication([sys.argv[0]])  # the timers need it first
    QTimer.singleShot(2000, start)
    app_module.run_gui(db, language=lang, argv=[sys.argv[0]])


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _shoot(sys.argv[2], Path(sys.argv[3]))
        return 0
    lang = sys.argv[1] if len(sys.argv) > 1 else "en"
    with tempfile.TemporaryDirectory(prefix="clientcare-shots-") as tmp:
        screen = Path(tmp) / "screen.json"
        screen.write_text(json.dumps({"screens": [{
            "name": "office", "x": 0, "y": 0, "width": 1280, "height": 720,
            "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}))
        db = Path(tmp) / "demo.sqlite"
        env = dict(os.environ, XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp,
                   QT_QPA_PLATFORM=f"offscreen:configfile={screen}")
        subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--locale", lang,
                        str(db)], check=True, env=env, cwd=ROOT)
        subprocess.run([sys.executable, __file__, "--child", lang, str(db)], check=True,
                       env=env, cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
