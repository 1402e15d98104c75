"""Provides WizardApp: the eight steps in a ContentSwitcher, the navigation keys, help and quitting."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, ContentSwitcher

from wizard.tui.dialogs import HelpScreen, QuitChoice, QuitScreen
from wizard.tui.state import WizardState
from wizard.tui.steps import STEPS, DataStep, ReviewStep, Step
from wizard.tui.strings import label, t
from wizard.tui.widgets.field import FieldRow
from wizard.tui.widgets.header import StepHeader
from wizard.tui.widgets.navbar import NavBar

if TYPE_CHECKING:
    from wizard.render import RenderResult

EXIT_GENERATED, EXIT_FAILED, EXIT_CANCELLED = 0, 1, 130


class WizardApp(App[int]):
    """The `trainwizard new` wizard; returns 0 once the project is generated, 130 when the user quits."""

    TITLE = "trainwizard"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("ctrl+b", "back", "Back", priority=True),
        Binding("f1", "help", "Help"),
        Binding("ctrl+r", "reset", "Use recommendation"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, state: WizardState, *, force: bool = False, template: Path | None = None) -> None:
        super().__init__()
        self.state = state
        self.lang = state.lang
        self.force = force
        self.template = template
        self.index = 0
        self.freeze_gc = False
        """Set by run_wizard (one app per process); tests build many apps and leave it off."""
        self.result: RenderResult | None = None
        """What generation wrote (None until the project is generated)."""

    def compose(self) -> ComposeResult:
        yield StepHeader([step.NAME for step in STEPS], self.lang)
        with ContentSwitcher(initial=f"step-{STEPS[0].NAME}", id="steps"):
            for step in STEPS:
                yield step(self.state)
        yield NavBar(self.lang)

    async def on_mount(self) -> None:
        await self.show_step(0)
        self._notify_dropped()
        self.call_after_refresh(self._build_steps)

    @work(group="build")
    async def _build_steps(self) -> None:
        """Mount the other steps after the first screen is up, one at a time."""
        for step in self.steps:
            await step.build()
            await asyncio.sleep(0)
        if self.freeze_gc:
            # The widget tree is built and lives as long as the process: keep the cyclic GC from walking it
            # on every full collection (those pauses, not layout, made some step changes take 100 ms).
            gc.freeze()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog is open, the wizard's keys wait (ctrl+n must not move the page behind it)."""
        if len(self.screen_stack) > 1:
            return action not in ("next", "back", "reset", "help") and not isinstance(self.screen, QuitScreen)
        return True

    @property
    def steps(self) -> list[Step]:
        return list(self.query_one("#steps", ContentSwitcher).query_children(Step))

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    @property
    def generated(self) -> bool:
        return self.result is not None

    async def show_step(self, index: int) -> None:
        """Make step `index` the current one."""
        self.index = index
        step = self.step
        await step.build()
        self.query_one("#steps", ContentSwitcher).current = step.id
        self.query_one(StepHeader).show_step(index)
        self.query_one(NavBar).show(index, len(STEPS), generated=self.generated)
        step.entered()
        step.focus_first()

    # --- navigation -------------------------------------------------------------------------------------

    @on(Button.Pressed, "#next")
    async def action_next(self) -> None:
        step = self.step
        if self.generated and isinstance(step, ReviewStep):
            self.exit(EXIT_GENERATED)
            return
        blocking = step.blocking()
        if blocking:
            self.query_one(NavBar).message(t(self.lang, "fix_first", fields=", ".join(blocking)))
            step.focus_first(invalid_only=True)
            return
        if isinstance(step, ReviewStep):
            step.start_generate()
            return
        step.left()
        await self.show_step(self.index + 1)

    @on(Button.Pressed, "#back")
    async def action_back(self) -> None:
        if self.index > 0:
            self.step.left()
            await self.show_step(self.index - 1)

    # --- answers and the rules ----------------------------------------------------------------------------

    @on(FieldRow.Changed)
    def _answer_changed(self, event: FieldRow.Changed) -> None:
        if event.key == "destination":
            self.state.dest = str(event.value) or None
        else:
            self.state.set(event.key, event.value)
        self.apply_all()
        self._notify_dropped()
        self.step.after_change(event.key)

    @on(DataStep.Scanned)
    def _scanned(self, message: DataStep.Scanned) -> None:
        self.state.set_report(message.report, message.inputs or None)
        self.apply_all()
        self.query_one(DataStep).after_scan()

    @on(ReviewStep.Generated)
    def _generated(self, message: ReviewStep.Generated) -> None:
        self.result = message.result
        self.query_one(NavBar).show(self.index, len(STEPS), generated=self.generated)

    def apply_all(self) -> None:
        """Show the re-evaluated recommendations on every step."""
        for step in self.steps:
            step.apply()
        self.query_one(NavBar).message(None)

    def _notify_dropped(self) -> None:
        for key in self.state.evaluation.dropped:
            self.notify(t(self.lang, "dropped", key=label(self.lang, key)), severity="warning")
        self.state.evaluation.dropped = []

    def _focused_row(self) -> FieldRow | None:
        node = self.focused
        while node is not None and not isinstance(node, FieldRow):
            node = node.parent
        return node

    def action_reset(self) -> None:
        row = self._focused_row()
        if row is not None and row.field.key in self.state.given and row.field.key != "project.name":
            self.state.reset(row.field.key)
            self.apply_all()

    # --- help and quitting --------------------------------------------------------------------------------

    def action_help(self) -> None:
        from wizard.tui.dialogs.help import help_for

        row = self._focused_row()
        key = row.field.key if row is not None else None
        title = label(self.lang, key) if key else t(self.lang, f"step.{self.step.NAME}")
        self.push_screen(HelpScreen(title, help_for(self.state, key, self.step.NAME), self.lang))

    async def action_quit(self) -> None:
        if self.generated:
            self.exit(EXIT_GENERATED)
            return
        default = Path(f"{self.state.slug}.answers.yml")  # relative to the folder the wizard started in
        self.push_screen(QuitScreen(default, self.state.cwd, self.lang, self._save_answers), self._quit_chosen)

    def _save_answers(self, path: Path) -> None:
        path.write_text(self.state.answers_yaml(relative_to=path.parent), encoding="utf-8")

    def _quit_chosen(self, choice: QuitChoice | None) -> None:
        if choice is not None:
            self.exit(EXIT_CANCELLED)
