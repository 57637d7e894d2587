"""How long work reports progress and hears "stop": a small protocol with no Qt, so a
service (an import, an erasure, the start of the day) can report to the window's
progress bar, to the command line, or to nobody."""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """The user stopped the work; whatever it wrote is rolled back."""


class Progress(Protocol):
    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        """``done`` of ``total`` steps (``total`` None: unknown), with an optional line
        saying what is being done."""

    def check(self) -> None:
        """Raise :class:`Cancelled` when the user asked to stop; call it between steps."""


class NoProgress:
    """Nobody is watching and nobody can stop the work."""

    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        pass

    def check(self) -> None:
        pass


NO_PROGRESS = NoProgress()
