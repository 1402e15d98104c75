"""Provides CommitGate: lets another thread (a signal handler, the UI) cancel a render up to the moment its
files are moved into place, and never after — so an interrupted render leaves all of the project or none."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from wizard.errors import WizardError


class RenderCancelled(WizardError):
    """The render was cancelled before anything was moved into place (nothing was written)."""

    exit_code = 130


class CommitGate:
    """`cancel()` wins if it comes before `commit()` starts; once the commit has begun it finishes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cancelled = False
        self.committed = False

    def cancel(self) -> bool:
        """Ask the render to stop; True when it will write nothing, False when its files are in place (or
        going there now: this waits until they are)."""
        with self._lock:
            if not self.committed:
                self.cancelled = True
            return not self.committed

    def check(self) -> None:
        """Raise RenderCancelled if the render was cancelled."""
        if self.cancelled:
            raise RenderCancelled("cancelled; nothing was written")

    @contextmanager
    def commit(self) -> Iterator[None]:
        """Hold the gate while the files are moved into place (RenderCancelled if cancelled before)."""
        with self._lock:
            self.check()
            yield
            self.committed = True
