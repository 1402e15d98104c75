"""Provides DataReportView: the data checks' report (counts per class, imbalance, errors and warnings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from wizard.datacheck.report import band_text
from wizard.tui.strings import t

if TYPE_CHECKING:
    from wizard.datacheck import Check, DataReport

MAX_CLASSES = 12
MAX_EXAMPLES = 3


def outcome_line(report: DataReport | None, lang: str, exclude: list[str]) -> str:
    """One line on the data check's outcome, for the data path question: what still matters once the
    paths in `exclude` are left out, and how many are."""
    if report is None:
        return t(lang, "scan_failed")
    left = report.findings_left(exclude)
    errors = sum(1 for c in left if c.severity == "error")
    warnings = len(left) - errors
    classes = len([c for c, n in report.class_counts.items() if n > 0])
    line = t(lang, "outcome_counts", samples=f"{sum(report.split_sizes.values()):,}", classes=classes)
    if exclude:
        line += t(lang, "outcome_left_out", n=len(exclude))
    sep = t(lang, "sep")
    if not left:
        return f"✓ {line}{sep}{t(lang, 'report_ok_short')}"
    return f"{'✗' if errors else '⚠'} {line}{sep}{t(lang, 'outcome_findings', errors=errors, warnings=warnings)}"


class DataReportView(Vertical):
    """The progress of a scan, then its report; errors get a red frame so they cannot be missed."""

    DEFAULT_CSS = """
    DataReportView {
        height: auto;
        margin: 0 1 1 1;
        & > ProgressBar { display: none; margin-bottom: 1; }
        & > ProgressBar.-shown { display: block; }
        & > #report-summary { height: auto; }
        & > #report-errors {
            display: none; height: auto; border: round $error; padding: 0 1; color: $text-error;
        }
        & > #report-warnings {
            display: none; height: auto; border: round $warning; padding: 0 1; color: $text-warning;
        }
        & > #report-errors.-shown, & > #report-warnings.-shown { display: block; }
    }
    """

    def __init__(self, lang: str) -> None:
        super().__init__(id="data-report", classes="-idle")
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield ProgressBar(show_eta=False, id="scan-progress")
        yield Static(id="report-errors")
        yield Static(t(self.lang, "scan_idle"), id="report-summary")
        yield Static(id="report-warnings")

    def _block(self, selector: str, content: Text | Table | str | None) -> None:
        block = self.query_one(selector, Static)
        block.set_class(content is not None, "-shown")
        block.update(content if content is not None else "")

    def scanning(self, done: int = 0, total: int = 0, rate: float = 0.0) -> None:
        self.remove_class("-idle")
        bar = self.query_one(ProgressBar)
        bar.update(total=total or None, progress=done)
        bar.add_class("-shown")
        self._block("#report-summary", Text(t(self.lang, "scanning")))
        self._block("#report-errors", None)
        self._block("#report-warnings", None)
        if total:
            self.progress(done, total, rate)

    def progress(self, done: int, total: int, rate: float) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self._block("#report-summary", Text(t(self.lang, "scan_status", done=f"{done:,}", total=f"{total:,}",
                                              rate=f"{rate:,.0f}")))

    def idle(self, *, pending: bool = False) -> None:
        self.add_class("-idle")
        self.query_one(ProgressBar).remove_class("-shown")
        self._block("#report-summary", Text(t(self.lang, "scan_pending" if pending else "scan_idle")))
        self._block("#report-errors", None)
        self._block("#report-warnings", None)

    def failed(self, message: str) -> None:
        self.remove_class("-idle")
        self.query_one(ProgressBar).remove_class("-shown")
        self._block("#report-summary", None)
        self._block("#report-errors", Text.assemble((t(self.lang, "scan_failed"), "bold"), "\n", message, "\n",
                                                    t(self.lang, "scan_retry_hint")))
        self._block("#report-warnings", None)

    def show_report(self, report: DataReport, exclude: list[str]) -> None:
        """The report: errors still to fix, then the summary, then warnings (with the errors that leaving out
        `exclude` settles, so no box asks to fix what training no longer sees)."""
        self.remove_class("-idle")
        self.query_one(ProgressBar).remove_class("-shown")
        self._block("#report-summary", self._summary(report))
        left = report.findings_left(exclude)
        errors = [c for c in left if c.severity == "error"]
        warnings = [c for c in left if c.severity == "warning"]
        settled = [c for c in report.errors + report.warnings if c not in left]
        self._block("#report-errors", self._checks(t(self.lang, "report_errors", n=len(errors)), errors)
                    if errors else None)
        lower = Text()
        if warnings:
            lower.append_text(self._checks(t(self.lang, "report_warnings", n=len(warnings)), warnings))
        if settled:
            if warnings:
                lower.append("\n\n")
            lower.append_text(self._checks(t(self.lang, "report_settled", n=len(settled)), settled))
        self._block("#report-warnings", lower if lower else None)

    def _summary(self, report: DataReport) -> Table:
        grid = Table.grid(padding=(0, 0))
        grid.add_column()
        grid.add_row(Text(t(self.lang, "report_title", layout=report.layout, task=report.task), style="bold"))
        grid.add_row(t(self.lang, "report_samples", train=f"{report.num_samples:,}", val=f"{report.num_val_samples:,}"))
        splits = [s for s in report.splits if report.splits[s]]
        classes = sorted({c for s in splits for c in report.splits[s]})
        if classes:
            table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, header_style="bold")
            table.add_column(t(self.lang, "report_classes"), overflow="ellipsis", max_width=40)
            for split in splits:
                table.add_column(split, justify="right")
            for name in classes[:MAX_CLASSES]:
                table.add_row(name, *(f"{report.splits[s].get(name, 0):,}" for s in splits))
            if len(classes) > MAX_CLASSES:
                table.add_row(Text(t(self.lang, "report_more", n=len(classes) - MAX_CLASSES), style="dim"))
            grid.add_row(table)
        ratio, band = report.imbalance_ratio, report.imbalance_band
        if ratio is not None and band is not None:
            text = band_text(band, self.lang)
            grid.add_row(t(self.lang, "report_imbalance", ratio=f"{ratio:.1f}:1", band=text))
        if not report.errors and not report.warnings:
            grid.add_row(Text(t(self.lang, "report_ok"), style="bold green"))
        else:
            grid.add_row(Text(t(self.lang, "report_may_go_on"), style="italic"))
        return grid

    def _checks(self, title: str, checks: list[Check]) -> Text:
        text = Text()
        text.append(title, style="bold")
        for check in checks:
            title, advice, examples = check.texts(self.lang)
            count = f" ({check.count:,})" if check.count else ""
            text.append(f"\n• {title}{count}", style="bold")
            if examples:
                shown = ", ".join(examples[:MAX_EXAMPLES])
                more = len(examples) - MAX_EXAMPLES
                text.append(f"\n  {t(self.lang, 'report_examples')} {shown}{' …' if more > 0 else ''}")
            if advice:
                text.append(f"\n  → {advice}")
        return text
