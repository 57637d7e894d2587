"""Progress of work on the database executor, in words: a dialog for work the user waits
for (an import, a restore), a line with a bar in the status bar for work that runs
behind the window (the start of the day, a backup)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QProgressDialog, QWidget

from app.ui.executor import DbExecutor, Job

#: a dialog appears only for work that lasts longer than this
DIALOG_DELAY_MS = 400


class JobProgressDialog(QProgressDialog):
    """A window-modal progress dialog for one job: the window waits, clearly, and a job
    that may be stopped has a Stop button. Closes itself when the job is done."""

    def __init__(self, parent: QWidget | None, executor: DbExecutor, job: Job) -> None:
        super().__init__(parent)
        self.setObjectName("jobProgress")
        self.job = job
        self.setWindowTitle(self.tr("ClientCare"))
        self.setLabelText(job.label)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(440)  # a line of progress in words fits in every language
        self.setMinimumDuration(DIALOG_DELAY_MS)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setRange(0, 0)
        if job.cancellable:
            self.setCancelButtonText(self.tr("Stop"))
            self.canceled.connect(self._stop)
        else:
            self.setCancelButton(None)
        executor.job_progressed.connect(self._progressed)
        executor.job_finished.connect(self._finished)
        self._executor = executor
        self.setValue(0)

    def _stop(self) -> None:
        self.job.cancel()
        self.setLabelText(self.tr("Stopping… nothing of this is kept."))

    def _progressed(self, job: Job) -> None:
        if job is not self.job:
            return
        if job.total:
            self.setRange(0, job.total)
            self.setValue(min(job.done_steps, job.total))
        if job.text:
            self.setLabelText(job.text)

    def _finished(self, job: Job) -> None:
        if job is not self.job:
            return
        self._executor.job_progressed.disconnect(self._progressed)
        self._executor.job_finished.disconnect(self._finished)
        self.reset()
        self.hide()
        self.deleteLater()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self.job.finished:  # the window's close box: stop if it may, else wait
            event.ignore()
            if self.job.cancellable:
                self._stop()
            return
        super().closeEvent(event)


def show_progress(parent: QWidget | None, executor: DbExecutor, job: Job | None) -> None:
    """A progress dialog over ``parent`` for ``job`` (nothing for a refused job)."""
    if job is not None and not job.finished:
        JobProgressDialog(parent, executor, job)


class BusyIndicator(QWidget):
    """The status bar's line for background work: what runs and how far it got; hidden
    when the executor is idle. Shown only after a moment, so short work does not flicker."""

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busyIndicator")
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 6, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        self.executor = executor
        self._delay = QTimer(self, singleShot=True, interval=250)
        self._delay.timeout.connect(self._update)
        # bound methods, not lambdas: Qt drops the connections when this line is deleted
        # with its window, while the executor lives on
        executor.job_started.connect(self._on_job_started)
        executor.job_progressed.connect(self._on_job_changed)
        executor.job_finished.connect(self._on_job_changed)
        self.hide()

    def _on_job_started(self, _job) -> None:
        self._delay.start()

    def _on_job_changed(self, _job) -> None:
        self._update()

    def _update(self) -> None:
        jobs = self.executor.jobs
        if not jobs:
            self.hide()
            return
        job = jobs[0]
        more = len(jobs) - 1
        text = job.text or job.label
        self.label.setText(text if not more else self.tr("%1 (and %2 more)").replace(
            "%1", text).replace("%2", str(more)))
        if job.total:
            self.bar.setRange(0, job.total)
            self.bar.setValue(min(job.done_steps, job.total))
        else:
            self.bar.setRange(0, 0)
        if not self._delay.isActive():
            self.show()
