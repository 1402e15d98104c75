"""Provides DataStep: task, data path and layout, and the data checks run in a worker with their report."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import Button, Input
from textual.worker import get_current_worker

from wizard.errors import WizardError
from wizard.tui.fields import FieldSpec, spec
from wizard.tui.state import SCAN_KEYS
from wizard.tui.steps.base import Step
from wizard.tui.strings import t
from wizard.tui.widgets.field import FieldRow
from wizard.tui.widgets.report import DataReportView

if TYPE_CHECKING:
    from wizard.answers import Answers
    from wizard.datacheck import DataReport

PATH_DEBOUNCE_S = 0.6


class DataStep(Step):
    """Step 2: what the model predicts and where the data is; the data checks and their report."""

    NAME = "data"
    KEYS = ("task", "data.path", "data.layout", "data.label_column", "data.label_columns", "data.image_column",
            "data.val_fraction", "data.image_size", "data.exclude")

    DEFAULT_CSS = """
    DataStep > #scan-bar { height: auto; margin: 0 1 1 2; }
    """

    class Scanned(Message):
        """A data scan finished (report None and error set when the data could not be checked)."""

        def __init__(self, inputs: tuple[Any, ...], report: DataReport | None, error: str | None) -> None:
            super().__init__()
            self.inputs, self.report, self.error = inputs, report, error

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._running: tuple[Any, ...] | None = None
        self._debounce: Timer | None = None
        self._reveal = False

    def extras(self) -> Iterator[Widget]:
        yield Horizontal(Button(t(self.lang, "check_data"), id="check-data", compact=True), id="scan-bar")
        yield DataReportView(self.lang)

    def field(self, key: str) -> FieldSpec:
        return replace(spec(key), kind="path") if key == "data.path" else spec(key)

    def make_row(self, key: str) -> FieldRow:
        if key != "data.path":
            return super().make_row(key)
        exists = Function(lambda v: not v.strip() or Path(self.state.absolute_data_path(v)).exists(),
                          t(self.lang, "no_such_path"))
        return FieldRow(self.field(key), lang=self.lang, value=self.value(key), validators=[exists])

    def value(self, key: str) -> Any:
        if key == "data.path":
            return self.state.display_path(self.state.given.get("data.path"))
        return super().value(key)

    @property
    def view(self) -> DataReportView:
        return self.query_one(DataReportView)

    # --- when to scan -----------------------------------------------------------------------------------

    async def build(self) -> None:
        await super().build()
        if "data.path" in self.state.given:
            self.maybe_scan()

    def entered(self) -> None:
        self.maybe_scan()

    def left(self) -> None:
        self.maybe_scan()

    def after_change(self, key: str) -> None:
        if key == "data.path":
            if self._debounce is not None:
                self._debounce.stop()
            self._debounce = self.set_timer(PATH_DEBOUNCE_S, self.maybe_scan)
        elif key in SCAN_KEYS or key == "data.layout":
            self.maybe_scan()

    @on(Input.Submitted, "#data-path")
    def _path_submitted(self) -> None:
        self._reveal = True
        if not self.maybe_scan():  # the report for this path is already there
            self._show_report_top()

    @on(Button.Pressed, "#check-data")
    def _check_pressed(self) -> None:
        self._reveal = True
        if not self.maybe_scan(force=True):
            self._show_report_top()

    def after_scan(self) -> None:
        """Called by the app once the new report's recommendations are shown everywhere."""
        self._show_report_top()

    def _show_report_top(self) -> None:
        """Bring the report into view once it is there (after the user asked for the checks)."""
        if self._reveal:
            self._reveal = False
            self.call_after_refresh(self.scroll_to_widget, self.view, animate=False, top=True)

    def maybe_scan(self, force: bool = False) -> bool:
        """Start the data checks when their inputs changed since the last scan (or when forced); True when
        a scan is running for the current inputs afterwards."""
        if not self.built:
            return False
        inputs = self.state.scan_inputs()
        if inputs is None:
            self._running = None
            if self.state.report is not None or self.state.report_inputs is not None:
                self.post_message(self.Scanned((), None, None))
            self.view.idle()
            return False
        if not Path(self.state.given["data.path"]).exists():
            return False
        if not force and inputs in (self.state.report_inputs, self._running):
            return inputs == self._running
        self._running = inputs
        self.view.scanning()
        self.scan(inputs, self.state.partial(placeholder_name=True))
        return True

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def scan(self, inputs: tuple[Any, ...], partial: Answers) -> None:
        """Run the data checks off the UI thread; progress and the result come back as calls and a message."""
        from wizard.workflow import scan_data

        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.view.progress, done, total)

        report, error = None, None
        try:
            report = scan_data(partial, progress=progress, required=True)
        except WizardError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug in the checks must not take the wizard down
            error = f"{type(exc).__name__}: {exc}"
        if not worker.is_cancelled:
            self.post_message(self.Scanned(inputs, report, error))

    def on_data_step_scanned(self, message: Scanned) -> None:
        if message.inputs and message.inputs != self._running:
            message.stop()  # an older scan, overtaken by a newer one
            return
        self._running = None
        if message.error:
            self.view.failed(message.error)
        elif message.report is not None:
            self.view.show_report(message.report)
        else:
            self.view.idle()
