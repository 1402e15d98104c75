"""The data report as text: Markdown for the generated project, Rich tables for the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.datacheck.report import Check, DataReport, band_text
from wizard.escape import for_terminal, md_code, md_text
from wizard.vocabulary import IMAGE_MULTILABEL

if TYPE_CHECKING:
    from rich.console import RenderableType

SEVERITY_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Notes"}
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
MAX_TERMINAL_CLASSES = 40
TERMINAL_EXAMPLES = 4


EXCLUDE_NOTE = ("Training cannot use these paths; trainwizard recommends leaving them out (`data.exclude` in the "
                "generated config.yaml) until they are fixed:")


def summary_line(report: DataReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    notes = len(report.checks) - errors - warnings
    return f"{errors} error(s), {warnings} warning(s), {notes} note(s)"


def samples_line(report: DataReport) -> str:
    return " · ".join(f"{split} {n:,}" for split, n in report.split_sizes.items()) or "none"


def imbalance_line(report: DataReport) -> str | None:
    ratio, band = report.imbalance_ratio, report.imbalance_band
    if ratio is None or band is None:
        return None
    return f"Imbalance (train, largest/smallest non-empty class): {ratio:.1f}:1 → {band_text(band)}"


def images_lines(report: DataReport) -> list[str]:
    s = report.images
    if s is None:
        return []

    def size(wh: tuple[int, int]) -> str:
        return f"{wh[0]}x{wh[1]}"

    return [
        (f"{s.count:,} readable images; sizes {size(s.min_size)} (smallest), {size(s.median_size)} (median), "
        f"{size(s.max_size)} (largest)"),
        "Modes: " + ", ".join(f"{m} {n:,}" for m, n in s.modes.items())
        + " · Formats: " + ", ".join(f"{f} {n:,}" for f, n in s.formats.items())
        + f" · EXIF-rotated: {s.exif_rotated:,}",
    ]


def _cell(text: str) -> str:
    return md_text(text)  # titles and advice quote class names: Markdown and HTML in them stay text


def render_markdown(report: DataReport) -> str:
    """The report as Markdown (deterministic: no timestamps, no paths but the dataset path as given)."""
    labels = report.label_format or "-"
    lines = [
        "# Data report", "",
        f"- Dataset: {md_code(report.path)}",
        f"- Layout: {report.layout}",
        f"- Task: {report.task}",
        f"- Labels: {labels}",
        f"- Samples: {samples_line(report)}",
        f"- Result: {summary_line(report)}",
    ]
    if report.feature_columns:
        lines.append(f"- Features ({len(report.feature_columns)}): " + ", ".join(report.feature_columns))
    classes = sorted({c for counts in report.splits.values() for c in counts})
    if classes:
        splits = list(report.splits)
        heading = "## Label counts (positives)" if report.task == IMAGE_MULTILABEL else "## Class counts"
        lines += ["", heading, "", "| Class | " + " | ".join(splits) + " |", "|---|" + "---:|" * len(splits)]
        for c in classes:
            counts = " | ".join(f"{report.splits[s].get(c, 0):,}" for s in splits)
            lines.append(f"| {md_text(c)} | {counts} |")
        imbalance = imbalance_line(report)
        if imbalance:
            lines += ["", imbalance]
    if report.images:
        lines += ["", "## Images", ""] + [f"- {line}" for line in images_lines(report)]
    lines += ["", "## Checks"]
    if not report.checks:
        lines += ["", "No problems found."]
    for severity, title in SEVERITY_TITLES.items():
        group = [c for c in report.checks if c.severity == severity]
        if not group:
            continue
        lines += ["", f"### {title}", ""]
        for check in group:
            lines += _markdown_check(check)
    if report.unusable:
        lines += ["", "## Left out of training", "", EXCLUDE_NOTE, ""]
        lines += [f"- {md_code(path)}" for path in report.unusable]
    return "\n".join(lines) + "\n"


def _markdown_check(check: Check) -> list[str]:
    lines = [f"- **{check.id}** — {_cell(check.title)} ({check.count:,})"]
    if check.examples:
        lines.append("  - Examples: " + ", ".join(md_code(e) for e in check.examples))
    if check.advice:
        lines.append(f"  - Advice: {_cell(check.advice)}")
    return lines


def report_renderables(report: DataReport) -> list[RenderableType]:
    """The report for the terminal, as Rich renderables: header, class counts per split, image summary and the
    checks (the CLI prints them through wizard.console)."""
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = []
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    for key, value in (("Dataset", report.path), ("Layout", report.layout), ("Task", report.task),
                       ("Labels", report.label_format or "-"), ("Samples", samples_line(report))):
        header.add_row(key, Text(for_terminal(value)))
    parts.append(header)
    classes = sorted({c for counts in report.splits.values() for c in counts})
    if classes:
        title = "Label counts (positives)" if report.task == IMAGE_MULTILABEL else "Class counts"
        table = Table(title=title, title_justify="left")
        table.add_column("Class")
        for split in report.splits:
            table.add_column(split, justify="right")
        for c in classes[:MAX_TERMINAL_CLASSES]:
            table.add_row(Text(for_terminal(c)), *(f"{report.splits[s].get(c, 0):,}" for s in report.splits))
        if len(classes) > MAX_TERMINAL_CLASSES:
            table.add_row(Text(f"… {len(classes) - MAX_TERMINAL_CLASSES} more", style="dim"))
        parts.append(table)
        imbalance = imbalance_line(report)
        if imbalance:
            parts.append(Text(imbalance))
    for line in images_lines(report):
        parts.append(Text(line))
    if report.checks:
        checks = Table(title="Checks", title_justify="left", show_lines=True)
        checks.add_column("Severity")
        checks.add_column("Finding", ratio=3)
        checks.add_column("Count", justify="right")
        checks.add_column("Advice", ratio=2)
        for check in report.checks:
            finding = Text(for_terminal(check.title), style="bold")
            finding.append(f"\n{check.id}", style="dim")
            if check.examples:
                shown = check.examples[:TERMINAL_EXAMPLES]
                more = f" (+{check.count - len(shown):,} more)" if check.count > len(shown) else ""
                finding.append("\n" + for_terminal(", ".join(shown) + more, keep_newlines=False), style="dim")
            checks.add_row(Text(check.severity, style=SEVERITY_STYLES[check.severity]), finding,
                           f"{check.count:,}", Text(for_terminal(check.advice)))
        parts.append(checks)
    if report.unusable:
        shown = report.unusable[:TERMINAL_EXAMPLES]
        more = f" (+{len(report.unusable) - len(shown):,} more)" if len(report.unusable) > len(shown) else ""
        parts.append(Text(for_terminal(f"{EXCLUDE_NOTE} {', '.join(shown)}{more}", keep_newlines=False)))
    style = "bold red" if report.has_errors else "bold green"
    parts.append(Text(summary_line(report), style=style))
    return parts
