"""Provides DataStep: task, data path and layout, and the data checks' progress and report."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.containers import Horizontal
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import Button, Input

from wizard.tui.fields import FieldSpec, spec
from wizard.tui.state import SCAN_KEYS
from wizard.tui.steps.base import Step
from wizard.tui.strings import t
from wizard.tui.widgets.field import FieldRow
from wizard.tui.widgets.report import DataReportView, outcome_line

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp

TYPED_SCAN_KEYS = ("data.path", "data.label_column", "data.image_column", "data.label_columns")
"""Scan inputs typed key by key: checked once complete (Enter, or leaving the field), never per prefix."""


class DataStep(Step):
    """Step 2: what the model predicts and where the data is; the data checks and their report."""

    NAME = "data"
    KEYS = ("task", "data.path", "data.layout", "data.label_column", "data.label_columns", "data.image_column",
            "data.val_fraction", "data.domain", "data.mirror_keeps_label", "data.image_size", "data.exclude")

    DEFAULT_CSS = """
    DataStep > #scan-bar { height: auto; margin: 0 1 1 2; }
    DataStep > #scan-bar > Button { margin-right: 2; }
    """

    def content(self) -> Iterator[Widget]:
        """The questions, with Check data / Retry / Stop right below the data path."""
        for widget in super().content():
            yield widget
            if isinstance(widget, FieldRow) and widget.field.key == "data.path":
                yield Horizontal(Button(t(self.lang, "check_data"), id="check-data", compact=True),
                                 Button(t(self.lang, "stop_scan"), id="stop-scan", compact=True), id="scan-bar")

    def extras(self) -> Iterator[Widget]:
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

    @property
    def path_row(self) -> FieldRow:
        return self.query_one("#row-data-path", FieldRow)

    @property
    def wizard(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    # --- when to check the data ------------------------------------------------------------------------------

    async def build(self) -> None:
        await super().build()
        self.show_outcome()

    def entered(self) -> None:
        self.wizard.scans.ensure()
        self.show_outcome()

    def after_change(self, key: str) -> None:
        if key in SCAN_KEYS and (key not in TYPED_SCAN_KEYS or not self._has_focus(key)):
            # A typed key's last change can arrive after its input lost focus (keys typed ahead of the Down
            # that left it): the field is complete then, so check it as leaving the field would have.
            self.wizard.scans.ensure()
        self.show_outcome()

    def _has_focus(self, key: str) -> bool:
        focused = self.app.focused
        return focused is not None and focused.id == key.replace(".", "-")

    @on(Input.Submitted)
    def _typed_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in {k.replace(".", "-") for k in TYPED_SCAN_KEYS}:
            if self.state.data_problem() is not None and not self.wizard.scans.running:
                self.state.set_report(None, None)  # Enter on data that failed: the user fixed it, check again
                self.wizard.apply_all()
            self.wizard.scans.ensure()
            self.show_outcome()

    @on(Input.Blurred)
    def _typed_left(self, event: Input.Blurred) -> None:
        if event.input.id in {k.replace(".", "-") for k in TYPED_SCAN_KEYS}:
            self.wizard.scans.ensure()
            self.show_outcome()

    @on(Button.Pressed, "#check-data")
    def _check_pressed(self) -> None:
        """Check again (Retry after a failure, or after the files changed)."""
        if self.state.scan_inputs() is not None and not self.wizard.scans.running:
            self.state.set_report(None, None)
            self.wizard.apply_all()
        self.wizard.scans.ensure()
        self.show_outcome()
        self.call_after_refresh(self.scroll_to_widget, self.view, animate=False, top=True)

    @on(Button.Pressed, "#stop-scan")
    def _stop_pressed(self) -> None:
        """Stop the running check: the data counts as not checked (Next waits for a Retry)."""
        inputs = self.wizard.scans.inputs
        if inputs is None:
            return
        self.wizard.scans.cancel()
        self.state.set_report(None, inputs, t(self.lang, "scan_stopped"))
        self.wizard.apply_all()
        self.show_outcome()

    # --- what is shown -------------------------------------------------------------------------------------

    def blocking(self) -> list[str]:
        self.path_row.set_blocker(self.state.data_problem())
        return super().blocking()

    def apply(self) -> None:
        super().apply()
        if self._ready.is_set():
            self.path_row.set_blocker(self.state.data_problem())

    def show_progress(self, done: int, total: int, rate: float) -> None:
        if not self.built or not self._ready.is_set():
            return
        self.view.progress(done, total, rate)
        self.path_row.set_status(t(self.lang, "scan_status", done=f"{done:,}", total=f"{total:,}",
                                   rate=f"{rate:,.0f}"))

    def show_outcome(self) -> None:
        """Show the state of the data check: running, its report, its failure, or nothing to check."""
        if not self.built or not self._ready.is_set():
            return
        state, scans = self.state, self.wizard.scans
        running = scans.running and scans.inputs == state.scan_inputs()
        self.query_one("#stop-scan", Button).display = running
        failed = state.scan_error is not None and state.report_inputs == state.scan_inputs()
        self.query_one("#check-data", Button).label = t(self.lang, "retry" if failed else "check_data")
        if running:
            self.view.scanning(*scans.progress)
            self.path_row.set_status(t(self.lang, "scanning"))
        elif state.report_inputs is not None and state.report_inputs == state.scan_inputs():
            exclude = list(state.evaluation.values.get("data.exclude") or [])
            if state.report is not None:
                self.view.show_report(state.report, exclude)
            else:
                self.view.failed(state.scan_error or "")
            self.path_row.set_status(outcome_line(state.report, self.lang, exclude))
        else:
            pending = state.needs_scan()
            self.view.idle(pending=pending)
            self.path_row.set_status(t(self.lang, "scan_pending") if pending else None)
        self.path_row.set_blocker(state.data_problem())
