"""Benchmark: how long the GUI thread stalls during the long work of the window.

    .venv/bin/python bench/bench_longops_stall.py [--clients 100000] [--keep PATH]

On a copy of the database of bench_clients.py (--keep: that file is copied first, never
changed), with a 5 ms QTimer heartbeat (bench_charts_stall.Heartbeat), the longest stall
and the wall time of each job the window runs on its database executor: an export of
every client to CSV, a backup, the full integrity check, an import of 10,000 clients
through the wizard (reading, checking, writing), and a restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_charts_stall import Heartbeat, run_until  # noqa: E402
from bench_clients import bench_database, print_table  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from app.db import open_database  # noqa: E402


def main() -> int:
    args, source = bench_database(__doc__.splitlines()[0])
    work = Path(tempfile.mkdtemp())
    path = work / "bench.sqlite"
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(path)
    src.backup(dst)
    dst.close()
    src.close()
    app = QApplication.instance() or QApplication([])
    QMessageBox.information = staticmethod(lambda *a, **k: None)
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    from app.ui import data_dialogs
    from app.ui.backup_settings import BackupSettings, check_database, restore_backup
    from app.ui.import_wizard import ImportWizard
    from app.ui.ops import Ops
    ops = Ops(open_database(path))
    beat = Heartbeat()
    rows = []

    def measure(what: str, start) -> None:
        beat.start()
        t0 = time.perf_counter()
        job = start()
        run_until(app, lambda: job is None or job.finished)
        ops.wait()
        rows.append((what, beat.stop(), time.perf_counter() - t0))

    measure("export every client (CSV)", lambda: data_dialogs.export_to(
        None, ops, "clients", work / "clients.csv"))
    page = BackupSettings(ops)
    measure("back up now (copy + full check of the copy)", page.back_up_now)
    measure("full integrity check", lambda: check_database(None, ops))
    csv = work / "import.csv"
    csv.write_text("Name;Phone;Card\n" + "".join(
        f"Imported {i};70{i:07d};IMP-{i}\n" for i in range(10_000)), encoding="utf-8")
    wizard = ImportWizard(None, ops, path=csv)
    wizard.show()
    beat.start()
    t0 = time.perf_counter()
    wizard.next()  # read the file
    run_until(app, lambda: wizard.currentId() == 1 and not wizard.busy)
    wizard.next()  # check every row
    run_until(app, lambda: wizard.plan is not None and not wizard.busy)
    rows.append(("import 10,000 clients: read and check", beat.stop(),
                 time.perf_counter() - t0))
    beat.start()
    t0 = time.perf_counter()
    wizard.next()  # Import
    run_until(app, lambda: wizard.report is not None and not wizard.busy)
    rows.append(("import 10,000 clients: backup, write, schedule", beat.stop(),
                 time.perf_counter() - t0))
    wizard.close()
    backup = wizard.backup_path
    measure("restore the backup made before the import",
            lambda: restore_backup(None, ops, backup))
    ops.wait()
    ops.executor.shutdown()
    ops.db.close()
    shutil.rmtree(work, ignore_errors=True)
    print(f"\n{args.clients:,} clients\n")
    print_table(["what", "longest stall ms", "wall s"],
                [(what, f"{ms}", f"{s:.1f}") for what, ms, s in rows])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
