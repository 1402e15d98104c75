"""Provides the data scan in a child process (`ScanProcess`): the terminal UI runs it there, where the UI's
replaced standard streams and threads cannot break the scan's process pool, and where it can be cancelled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, ClassVar

from wizard.datacheck.report import DataReport
from wizard.errors import DataError, UsageError, WizardError

REQUEST_KEYS = ("path", "task", "label_column", "image_column", "label_columns", "backbone")
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
_STDERR_TAIL = 2000
_STOP_GRACE_S = 2.0


class ScanFailed(WizardError):
    """The scan stopped without a report for a reason other than the data (a crash, a kill)."""


class ScanCancelled(WizardError):
    """The scan was cancelled before it finished."""

    exit_code = 130


class ScanProcess:
    """One scan in a child process: `run()` blocks until the report is there; `cancel()`, from any thread,
    stops the child and its workers."""

    child_code: ClassVar[str] = ("import sys; sys.path.insert(0, sys.argv[1]); "
                                 "from wizard.datacheck.child import main; sys.exit(main())")
    """What the child runs (`python -c`), with this package's folder as its first argument."""

    def __init__(self, request: dict[str, Any]) -> None:
        unknown = set(request) - set(REQUEST_KEYS)
        if unknown:
            raise ValueError(f"unknown scan arguments: {sorted(unknown)}")
        self.request = request
        self._proc: subprocess.Popen[str] | None = None
        self._cancelled = False

    def run(self, progress: Callable[[int, int], None] | None = None) -> DataReport:
        """The report, or DataError/UsageError (the data), ScanFailed (the child died), ScanCancelled."""
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as stderr:
            if self._cancelled:
                raise ScanCancelled("the data check was cancelled")
            # Its own session: a cancel stops the child and every worker it started, and the terminal's
            # Ctrl-C reaches only the wizard, which decides what to stop.
            self._proc = proc = subprocess.Popen(
                [sys.executable, "-c", self.child_code, _PACKAGE_PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=stderr, text=True, encoding="utf-8", start_new_session=True,
            )
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(json.dumps(self.request))
                proc.stdin.close()
            except OSError:
                pass  # the child is gone already; its exit status tells why
            outcome = _read_events(proc.stdout, progress)
            returncode = proc.wait()
            if self._cancelled:
                raise ScanCancelled("the data check was cancelled")
            if outcome is None:
                stderr.seek(0)
                tail = stderr.read()[-_STDERR_TAIL:].strip()
                raise ScanFailed(f"the data check stopped unexpectedly (exit status {returncode})"
                                 + (f": {tail.splitlines()[-1]}" if tail else ""))
        if "report" in outcome:
            return DataReport.from_dict(outcome["report"])
        error_class = {"DataError": DataError, "UsageError": UsageError}.get(outcome.get("kind"), ScanFailed)
        error = error_class(str(outcome.get("error") or "the data check failed"))
        if outcome.get("key"):
            error.key, error.params = outcome["key"], dict(outcome.get("params") or {})
        raise error

    def cancel(self) -> None:
        """Stop the scan (idempotent; safe before, during and after `run`)."""
        self._cancelled = True
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(_STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)


def _signal_group(proc: subprocess.Popen[str], signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except (ProcessLookupError, PermissionError, AttributeError):
        try:
            proc.send_signal(signum)
        except ProcessLookupError:
            pass


def _read_events(stream: IO[str], progress: Callable[[int, int], None] | None) -> dict[str, Any] | None:
    """Feed progress events to `progress`; the final event (report or error), or None if none came."""
    for line in stream:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "progress" in event:
            if progress is not None:
                progress(*event["progress"])
        elif "report" in event or "error" in event:
            return event
    return None


# --- the child's side ----------------------------------------------------------------------------------------


def main() -> int:
    """Read one scan request (JSON) from stdin; write progress and then the report (or the error) as JSON
    lines to stdout."""
    from wizard.datacheck import scan

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # unwinds the process pool, which stops its workers

    signal.signal(signal.SIGTERM, stop)
    out = sys.stdout

    def emit(event: dict[str, Any]) -> None:
        out.write(json.dumps(event, ensure_ascii=False) + "\n")
        out.flush()

    try:
        request = json.loads(sys.stdin.read())
        report = scan(**{k: request.get(k) for k in REQUEST_KEYS},
                      progress=lambda done, total: emit({"progress": [done, total]}))
    except KeyboardInterrupt:
        return 130
    except WizardError as exc:
        emit({"error": str(exc), "kind": type(exc).__name__, "key": exc.key, "params": exc.params})
        return 1
    except BrokenPipeError:
        return 1  # the parent went away
    emit({"report": report.to_dict()})
    return 0
