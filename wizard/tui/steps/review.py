"""Provides ReviewStep: every answer and where it came from, the warnings, the file tree, and Generate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from wizard.errors import DestinationError, WizardError
from wizard.tui.state import UI_KEYS, relpath_or_abs
from wizard.tui.steps.base import Step
from wizard.tui.strings import t
from wizard.tui.widgets.field import show

if TYPE_CHECKING:
    from wizard.answers import Answers
    from wizard.datacheck import DataReport
    from wizard.render import RenderResult

MARKS = {"recommended": "★", "answer": "✎", "default": "·"}


def tree_lines(root: str, files: list[str]) -> list[str]:
    """An indented tree ('├──', '└──') of relative file paths under `root`."""
    tree: dict[str, Any] = {}
    for path in files:
        node = tree
        for part in path.split("/"):
            node = node.setdefault(part, {})
    lines = [root.rstrip("/") + "/"]

    def walk(node: dict[str, Any], prefix: str) -> None:
        items = sorted(node.items(), key=lambda kv: (not kv[1], kv[0]))
        for i, (name, child) in enumerate(items):
            last = i == len(items) - 1
            lines.append(f"{prefix}{'└── ' if last else '├── '}{name}{'/' if child else ''}")
            walk(child, prefix + ("    " if last else "│   "))

    walk(tree, "")
    return lines


class ReviewStep(Step):
    """Step 8: look over everything, then generate the project (the same render call as --no-input)."""

    NAME = "review"
    KEYS = ()

    DEFAULT_CSS = """
    ReviewStep {
        & > Static { margin: 0 1 1 2; height: auto; }
        & > .box { padding: 0 1; display: none; }
        & > .box.-shown { display: block; }
        & > #review-problems, & > #review-failed { border: round $error; color: $text-error; }
        & > #review-done { border: round $success; }
        & > .heading { text-style: bold; margin: 0 1 0 2; }
    }
    """

    class Generated(Message):
        """Generation finished: the result, or the error that kept it from writing anything."""

        def __init__(self, result: RenderResult | None, error: str | None, report: DataReport | None) -> None:
            super().__init__()
            self.result, self.error, self.report = result, error, report

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.busy = False
        self.generated: RenderResult | None = None

    def extras(self) -> Iterator[Widget]:
        yield Static(id="review-done", classes="box", markup=False)
        yield Static(id="review-failed", classes="box", markup=False)
        yield Static(id="review-problems", classes="box", markup=False)
        yield Static(t(self.lang, "review_answers"), classes="heading")
        yield Static(t(self.lang, "review_legend"), id="review-legend", markup=False)
        yield Static(id="review-answers")
        yield Static(t(self.lang, "review_warnings"), classes="heading")
        yield Static(id="review-warnings", markup=False)
        yield Static(id="review-files-heading", classes="heading", markup=False)
        yield Static(t(self.lang, "review_files_wait"), id="review-files", markup=False)

    def _box(self, selector: str, text: Text | str | None) -> None:
        box = self.query_one(selector, Static)
        box.set_class(text is not None, "-shown")
        box.update(text if text is not None else "")

    # --- what is shown --------------------------------------------------------------------------------------

    def apply(self) -> None:
        if self.display and not self.busy:
            self.refresh_review()

    def entered(self) -> None:
        self.refresh_review()
        self.scroll_home(animate=False)
        self.query_one("#review-files", Static).update(t(self.lang, "review_files_wait"))
        if self.state.resolution is not None:
            self.dry_run(self.state.prepared(), self.state.destination())

    def refresh_review(self) -> None:
        state = self.state
        problems = state.evaluation.problems
        self._box("#review-problems", "\n".join([t(self.lang, "review_problems"),
                                                   *(f"• {k}: {m}" for k, m in problems.items())])
                  if problems else None)
        table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=3, overflow="fold")
        table.add_column(ratio=4, overflow="fold")
        dest = relpath_or_abs(state.destination(), state.cwd)
        table.add_row(MARKS["answer"], "project.name", state.name)
        table.add_row(MARKS["answer" if "project.slug" in state.given else "default"], "project.slug", state.slug)
        table.add_row(MARKS["answer" if state.dest else "default"], t(self.lang, "destination"), dest)
        for key in UI_KEYS:
            if key.startswith("project.") or not state.applies(key):
                continue
            value = state.evaluation.values.get(key)
            if key == "data.path":
                value = state.display_path(value) if key in state.given else value
            table.add_row(MARKS.get(state.source(key), "·"), key, show(value, self.lang))
        self.query_one("#review-answers", Static).update(table)
        warnings = state.resolution.warnings if state.resolution is not None else []
        lines = [f"⚠ {w}" for w in warnings]
        if state.report is not None and state.report.has_errors:
            lines.insert(0, f"✗ {t(self.lang, 'review_data_errors', n=len(state.report.errors))}")
        self.query_one("#review-warnings", Static).update("\n".join(lines) or t(self.lang, "review_no_warnings"))
        self.query_one("#review-files-heading", Static).update(t(self.lang, "review_files", dest=dest))

    def focus_first(self, invalid_only: bool = False) -> None:
        """On Review the Generate button takes the focus, so Enter generates."""
        self.app.query_one("#next").focus()

    def blocking(self) -> list[str]:
        return list(self.state.evaluation.problems)

    # --- dry run and generation --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="dry-run", exit_on_error=False)
    def dry_run(self, prepared: Any, dest: Path) -> None:
        """Work out the file tree off the UI thread (a render into a scratch folder)."""
        from wizard.workflow import generate

        worker = get_current_worker()
        force, template = self.app.force, self.app.template
        note = None
        try:
            try:
                files = generate(prepared, dest, force=force, template=template, dry_run=True).files
            except DestinationError as exc:
                note = str(exc)
                files = generate(prepared, dest, force=True, template=template, dry_run=True).files
            lines = tree_lines(relpath_or_abs(dest, self.state.cwd), files)
            text = "\n".join(([f"✗ {note}", ""] if note else []) + lines)
        except Exception as exc:  # noqa: BLE001 - shown, never raised into the UI
            text = f"✗ {exc}"
        if not worker.is_cancelled:
            self.app.call_from_thread(self._files_ready, text)

    def _files_ready(self, text: str) -> None:
        self.query_one("#review-files", Static).update(text)

    def start_generate(self) -> None:
        """Generate the project in a worker (rescanning first if the scan's inputs changed)."""
        if self.busy:
            return
        self.busy = True
        self._box("#review-failed", None)
        self._box("#review-done", t(self.lang, "generating"))
        rescan = self.state.needs_scan()
        self.generate(self.state.partial(), self.state.report, rescan, self.state.destination())

    @work(thread=True, exclusive=True, group="generate", exit_on_error=False)
    def generate(self, partial: Answers, report: DataReport | None, rescan: bool, dest: Path) -> None:
        from wizard.knowledge import resolve
        from wizard.workflow import Prepared, generate, scan_data

        result, error = None, None
        try:
            if rescan:
                report = scan_data(partial, required=True)
            facts = report.facts() if report is not None else None
            prepared = Prepared(resolution=resolve(partial, facts, lang=partial.meta.lang), report=report)
            result = generate(prepared, dest, force=self.app.force, template=self.app.template)
        except WizardError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - shown, never raised into the UI
            error = f"{type(exc).__name__}: {exc}"
        self.post_message(self.Generated(result, error, report))

    def on_review_step_generated(self, message: Generated) -> None:
        from wizard.workflow import next_commands

        self.busy = False
        if message.result is None:
            self._box("#review-done", None)
            self._box("#review-failed", f"{t(self.lang, 'generate_failed')}\n{message.error}")
            return
        self.generated = message.result
        dest = relpath_or_abs(message.result.dest, self.state.cwd)
        commands = next_commands(message.result.dest, cwd=self.state.cwd)
        self._box("#review-done", "\n".join([t(self.lang, "generated", dest=dest, n=len(message.result.files)),
                                             t(self.lang, "next_steps"), *(f"  $ {c}" for c in commands), "",
                                             t(self.lang, "done_hint")]))
        self.scroll_home(animate=False)
