"""Provides ReviewStep: every answer and where it came from, the warnings, the file tree, and Generate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.worker import get_current_worker

from wizard.errors import DestinationError, WizardError
from wizard.tui.state import relpath_or_abs
from wizard.tui.steps.base import Step
from wizard.tui.strings import label, t
from wizard.tui.widgets.field import show

if TYPE_CHECKING:
    from wizard.render import RenderResult
    from wizard.render.gate import CommitGate

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
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "app.next", "Generate", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("up", "scroll_up", show=False),
    ]

    DEFAULT_CSS = """
    ReviewStep {
        & > Static { margin: 0 1 1 2; height: auto; }
        & > .box { padding: 0 1; display: none; }
        & > .box.-shown { display: block; }
        & > #review-problems, & > #review-failed, & > #review-conflict { border: round $error; color: $text-error; }
        & > #review-done { border: round $success; }
        & > .heading { text-style: bold; margin: 0 1 0 2; }
        & > #conflict-fix { height: auto; margin: 0 1 1 2; display: none; }
        & > #conflict-fix.-shown { display: block; }
        & > #conflict-fix > Button { margin-right: 2; }
    }
    """

    class Generated(Message):
        """Generation finished: the result, or the error that kept it from writing anything."""

        def __init__(self, result: RenderResult | None, error: str | None) -> None:
            super().__init__()
            self.result, self.error = result, error

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.busy = False
        self.conflict: str | None = None
        """Why the destination cannot be written (from the dry run), None when it can."""
        self.blocked_message = "generate_blocked"
        self._gate: CommitGate | None = None

    def extras(self) -> Iterator[Widget]:
        yield Static(id="review-done", classes="box", markup=False)
        yield Static(id="review-failed", classes="box", markup=False)
        yield Static(id="review-problems", classes="box", markup=False)
        yield Static(id="review-conflict", classes="box", markup=False)
        yield Horizontal(Button(t(self.lang, "change_dest"), id="change-dest", compact=True),
                         Button(t(self.lang, "overwrite"), id="overwrite", variant="warning", compact=True),
                         id="conflict-fix")
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
        if self.generated:
            return
        self.query_one("#review-files", Static).update(t(self.lang, "review_files_wait"))
        self._show_conflict(None)
        if self.state.resolution is not None:
            self.dry_run(self.state.prepared(), self.state.destination())

    @property
    def generated(self) -> bool:
        return bool(getattr(self.app, "generated", False))

    def refresh_review(self) -> None:
        state = self.state
        problems = state.evaluation.problems
        self._box("#review-problems", "\n".join([t(self.lang, "review_problems"),
                                                   *(f"• {k}: {m}" for k, m in problems.items())])
                  if problems else None)
        self.query_one("#review-answers", Static).update(self.answers_table())
        self.query_one("#review-warnings", Static).update("\n".join(self.warning_lines()))
        dest = relpath_or_abs(state.destination(), state.cwd)
        self.query_one("#review-files-heading", Static).update(t(self.lang, "review_files", dest=dest))

    def answers_table(self) -> Table:
        """Every answer that applies, step by step: where it came from, its question and its value."""
        state, lang = self.state, self.lang
        table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=2, overflow="fold")
        table.add_column(ratio=3, overflow="fold")
        dest = relpath_or_abs(state.destination(), state.cwd)
        for step in self.app.query("Step").results(Step):
            if not step.KEYS:
                continue
            table.add_row("", Text(t(lang, f"step.{step.NAME}"), style="bold"), "")
            for key in step.KEYS:
                if key == "project.slug":
                    value = state.slug
                elif key == "project.name":
                    value = state.name
                elif not state.applies(key):
                    continue
                else:
                    value = state.evaluation.values.get(key)
                if key == "data.path" and key in state.given:
                    value = state.display_path(value)
                source = "answer" if key in state.given else state.source(key)
                table.add_row(MARKS.get(source, "·"), label(lang, key), show(value, lang))
            if step.NAME == "project":
                table.add_row(MARKS["answer" if state.dest else "default"], t(lang, "destination"), dest)
        return table

    def warning_lines(self) -> list[str]:
        """The data findings that still matter, then the warnings of the rules."""
        state = self.state
        lines: list[str] = []
        if state.report is not None:
            exclude = list(state.evaluation.values.get("data.exclude") or [])
            findings = state.report.findings_left(exclude)
            if findings:
                lines.append(t(self.lang, "review_findings", n=len(findings)))
                for check in findings:
                    count = f" ({check.count:,})" if check.count else ""
                    lines.append(f"  {'✗' if check.severity == 'error' else '⚠'} {check.texts(self.lang)[0]}{count}")
        elif "data.path" not in state.given:
            lines.append(f"· {t(self.lang, 'review_no_data')}")
        lines.extend(f"⚠ {w}" for w in (state.resolution.warnings if state.resolution is not None else []))
        return lines or [t(self.lang, "review_no_warnings")]

    def focus_first(self, invalid_only: bool = False) -> None:
        """On Review the page itself takes the focus: arrows scroll it, Enter generates."""
        self.focus()

    def blocking(self) -> list[str]:
        return list(self.state.evaluation.problems)

    # --- the destination ------------------------------------------------------------------------------------

    def _show_conflict(self, reason: str | None, *, overwritable: bool = False) -> None:
        self.conflict = reason
        self.blocked_message = "generate_blocked" if overwritable else "generate_blocked_dest"
        fix = t(self.lang, "conflict_fix" if overwritable else "conflict_fix_move")
        self._box("#review-conflict", f"✗ {reason}\n{fix}" if reason else None)
        self.query_one("#conflict-fix").set_class(reason is not None, "-shown")
        self.query_one("#overwrite").display = overwritable
        nav = self.app.query_one("#next", Button)
        nav.disabled = reason is not None and not self.generated
        if reason:
            self.app.query_one("NavBar").message(t(self.lang, self.blocked_message))  # type: ignore[attr-defined]

    @on(Button.Pressed, "#change-dest")
    async def _change_destination(self) -> None:
        app: Any = self.app
        await app.show_step(0, focus=app.query_one("#row-destination").control)

    @on(Button.Pressed, "#overwrite")
    def _overwrite(self) -> None:
        self.app.force = True  # type: ignore[attr-defined]
        self.entered()

    # --- dry run and generation --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="dry-run", exit_on_error=False)
    def dry_run(self, prepared: Any, dest: Path) -> None:
        """Work out the file tree off the UI thread (a render into a scratch folder)."""
        from wizard.workflow import generate

        worker = get_current_worker()
        force, template = self.app.force, self.app.template  # type: ignore[attr-defined]
        conflict, overwritable = None, False
        shown = relpath_or_abs(dest, self.state.cwd)
        try:
            try:
                files = generate(prepared, dest, force=force, template=template, dry_run=True).files
            except DestinationError as exc:
                conflict = t(self.lang, f"conflict.{exc.key}", dest=shown) if exc.key else exc.message
                overwritable = exc.key == "dest-not-empty"
                files = generate(prepared, dest, force=True, template=template, dry_run=True).files \
                    if overwritable else []
            text = "\n".join(tree_lines(shown, files))
        except Exception as exc:  # noqa: BLE001 - shown, never raised into the UI
            text = f"✗ {exc}"
        if not worker.is_cancelled:
            self.app.call_from_thread(self._files_ready, text, conflict, overwritable)

    def _files_ready(self, text: str, conflict: str | None, overwritable: bool) -> None:
        self.query_one("#review-files", Static).update(text)
        if not self.generated:
            self._show_conflict(conflict, overwritable=overwritable)

    def start_generate(self) -> None:
        """Generate the project in a worker thread; `cancel_generate` stops it before anything is written."""
        if self.conflict:
            self.app.query_one("NavBar").message(t(self.lang, self.blocked_message))  # type: ignore[attr-defined]
            return
        if self.busy:
            return
        from wizard.render.gate import CommitGate

        self.busy = True
        self._gate = CommitGate()
        self._box("#review-failed", None)
        self._box("#review-done", t(self.lang, "generating"))
        self.scroll_home(animate=False)
        self.generate(self.state.prepared(), self.state.destination(), self._gate)

    def cancel_generate(self) -> bool:
        """Stop a running generation; True when nothing will be written, False when the project is (being)
        moved into place."""
        return self._gate.cancel() if self._gate is not None else True

    @work(thread=True, exclusive=True, group="generate", exit_on_error=False)
    def generate(self, prepared: Any, dest: Path, gate: CommitGate) -> None:
        from wizard.workflow import generate

        result, error = None, None
        try:
            result = generate(prepared, dest, force=self.app.force, template=self.app.template,  # type: ignore[attr-defined]
                              gate=gate)
        except WizardError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - shown, never raised into the UI
            error = f"{type(exc).__name__}: {exc}"
        self.post_message(self.Generated(result, error))

    def on_review_step_generated(self, message: Generated) -> None:
        from wizard.workflow import next_commands

        self.busy = False
        self.scroll_home(animate=False)
        self.focus()
        if message.result is None:
            self._box("#review-done", None)
            self._box("#review-failed", f"{t(self.lang, 'generate_failed')}\n{message.error}")
            return
        self._show_conflict(None)
        dest = relpath_or_abs(message.result.dest, self.state.cwd)
        commands = []
        for command in next_commands(message.result.dest, cwd=self.state.cwd, lang=self.lang):
            # the box is narrower than the terminal: a comment goes on its own line rather than wrap mid-phrase
            command, _, comment = command.partition("  # ")
            commands += [f"  # {comment}"] * bool(comment) + [f"  $ {command.rstrip()}"]
        self._box("#review-done", "\n".join([t(self.lang, "generated", dest=dest, n=len(message.result.files)),
                                             t(self.lang, "next_steps"), *commands, "", t(self.lang, "done_hint")]))
