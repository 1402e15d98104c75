"""Provides DataScans: the wizard's data checks, one at a time, in a child process, with progress messages."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App

    from wizard.datacheck import DataReport
    from wizard.datacheck.child import ScanProcess
    from wizard.tui.state import WizardState

PROGRESS_INTERVAL_S = 0.05


@dataclass
class ScanProgress(Message):
    """Files checked so far by the running scan, and how fast."""

    done: int
    total: int
    rate: float
    """Files per second since the scan started."""


@dataclass
class ScanFinished(Message):
    """A scan ended: its report, or why there is none (`cancelled`: stopped on purpose)."""

    inputs: tuple[Any, ...]
    report: DataReport | None
    error: str | None
    cancelled: bool = False


class DataScans:
    """Starts the scan of the current data answers when asked, never twice for the same inputs; a newer
    request cancels an older scan; `when_done` runs a callback once no scan is pending."""

    def __init__(self, app: App[Any], state: WizardState) -> None:
        self.app = app
        self.state = state
        self.inputs: tuple[Any, ...] | None = None
        """The inputs of the running scan (None: none runs)."""
        self.progress: tuple[int, int, float] = (0, 0, 0.0)
        self._process: ScanProcess | None = None
        self._waiting: list[Callable[[], Any]] = []

    @property
    def running(self) -> bool:
        return self.inputs is not None

    def ensure(self) -> bool:
        """Start the scan for the current answers unless its outcome is known or it runs already; a scan of
        other inputs is cancelled. True when a scan for the current answers runs afterwards."""
        inputs = self.state.scan_inputs()
        if self.inputs is not None and self.inputs != inputs:
            self.cancel()
        if inputs is None or not self.state.needs_scan():
            return False
        if inputs == self.inputs:
            return True
        request = self.state.scan_request()
        if request is None:
            return False
        from wizard.datacheck.child import ScanProcess

        self.inputs, self.progress = inputs, (0, 0, 0.0)
        self._process = process = ScanProcess(request)
        self.app.run_worker(lambda: self._run(process, inputs), thread=True, group="scan", exit_on_error=False)
        return True

    def cancel(self) -> None:
        """Stop the running scan (its outcome is dropped)."""
        process, inputs = self._process, self.inputs
        self._process, self.inputs = None, None
        if process is not None:
            process.cancel()
            self.app.post_message(ScanFinished(inputs or (), None, None, cancelled=True))

    def when_done(self, callback: Callable[[], Any]) -> bool:
        """Run `callback` once no scan runs; True when it has to wait (it is called later, from the app)."""
        if not self.running:
            return False
        self._waiting.append(callback)
        return True

    @property
    def waited_for(self) -> bool:
        """Whether something waits for the running scan (Next, the fast path, Generate)."""
        return bool(self._waiting)

    def stop_waiting(self) -> None:
        self._waiting.clear()

    def _run(self, process: ScanProcess, inputs: tuple[Any, ...]) -> None:
        """In a worker thread: run the child and post its progress and outcome to the app."""
        from wizard.datacheck.child import ScanCancelled
        from wizard.errors import WizardError

        started = last = time.monotonic()

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL_S or done == total:
                last = now
                self.app.post_message(ScanProgress(done, total, done / max(now - started, 1e-6)))

        report, error = None, None
        try:
            report = process.run(progress)
        except ScanCancelled:
            return
        except WizardError as exc:
            from wizard.datacheck.texts import error_text

            params = dict(exc.params)
            if "path" in params:  # as the user typed it: relative to the folder the wizard started in
                params["path"] = self.state.display_path(str(params["path"]))
            error = error_text(self.state.lang, exc.key, params, str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug in the checks must not take the wizard down
            error = f"{type(exc).__name__}: {exc}"
        self.app.call_from_thread(self._finished, process, inputs, report, error)

    def _finished(self, process: ScanProcess, inputs: tuple[Any, ...], report: DataReport | None,
                  error: str | None) -> None:
        if process is not self._process:
            return  # cancelled meanwhile; a newer scan (or none) is current
        self._process, self.inputs = None, None
        self.app.post_message(ScanFinished(inputs, report, error))

    def release_waiting(self) -> list[Callable[[], Any]]:
        """The callbacks waiting for the scan (called by the app once the outcome is shown)."""
        waiting, self._waiting = self._waiting, []
        return waiting
