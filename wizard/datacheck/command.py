"""`trainwizard check-data`: scan with a progress bar on a terminal, print the report, give the exit code."""

from __future__ import annotations

import sys

from wizard.datacheck import scan
from wizard.datacheck.report import DataReport
from wizard.escape import json_for_terminal


def check_data_command(path: str, *, task: str | None, label_column: str | None, as_json: bool,
                       workers: int | None, use_cache: bool) -> int:
    """0 when the data has no errors, 1 when it has; DataError/UsageError (exit 2) for bad input."""
    if as_json or not sys.stderr.isatty():
        report = scan(path, task=task, label_column=label_column, workers=workers, use_cache=use_cache)
    else:
        report = _scan_with_progress(path, task=task, label_column=label_column, workers=workers,
                                     use_cache=use_cache)
    if as_json:
        sys.stdout.write(json_for_terminal(report.to_dict()) + "\n")
    else:
        from wizard.datacheck.report_text import print_report

        print_report(report)
    return 1 if report.has_errors else 0


def _scan_with_progress(path: str, **options: object) -> DataReport:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("Checking files"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # Refreshed from the callback, not by Rich's timer thread: a single-threaded process may fork its
    # workers, which is the fastest way to start them.
    with Progress(*columns, console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
        task_id = bar.add_task("scan", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task_id, completed=done, total=total, refresh=True)

        return scan(path, progress=progress, **options)  # type: ignore[arg-type]
