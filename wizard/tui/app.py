"""Provides WizardApp: the eight steps in a ContentSwitcher, the navigation keys, help and quitting."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Input, SelectionList

from wizard.tui.dialogs import QuitScreen
from wizard.tui.leaving import EXIT_CANCELLED, EXIT_GENERATED, STOP_SIGNALS, Leaving
from wizard.tui.scanning import DataScans, ScanFinished, ScanProgress
from wizard.tui.state import WizardState
from wizard.tui.steps import STEPS, DataStep, ReviewStep, Step
from wizard.tui.strings import label, t
from wizard.tui.widgets.field import FieldRow
from wizard.tui.widgets.header import StepHeader
from wizard.tui.widgets.keybar import KeyBar
from wizard.tui.widgets.navbar import NavBar

if TYPE_CHECKING:
    from wizard.render import RenderResult



class WizardApp(Leaving, App[int]):
    """The `trainwizard new` wizard; returns 0 once the project is generated, 130 when the user quits."""

    TITLE = "trainwizard"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    # alt+←/→ beside ctrl+n/ctrl+b: tmux takes ctrl+b as its prefix, and no multiplexer takes alt+arrows
    # by default. ctrl+c asks before quitting (a reflex must not lose the answers).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n,alt+right", "next", "Next", priority=True),
        Binding("ctrl+b,alt+left", "back", "Back", priority=True),
        Binding("ctrl+t", "accept_all", "Accept all", priority=True),
        Binding("f1", "help", "Help"),
        Binding("ctrl+r", "reset", "Use recommendation"),
        Binding("ctrl+q,ctrl+c", "quit", "Quit", priority=True),
        Binding("escape", "stop_waiting", show=False),
        # Priority: handled as each key arrives, so keys typed ahead (Enter, Down, text) reach the question
        # that the earlier keys moved to; a widget that needs the key itself gets it (SkipAction).
        Binding("enter", "enter_in_question", show=False, priority=True),
        Binding("down", "move_question(1)", show=False, priority=True),
        Binding("up", "move_question(-1)", show=False, priority=True),
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
        self.handle_signals = False
        """Set by run_wizard: SIGINT, SIGTERM and SIGHUP stop the wizard cleanly (generation all or nothing)."""
        self.result: RenderResult | None = None
        """What generation wrote (None until the project is generated)."""
        self.saved_answers: Path | None = None
        """Where the answers were saved on quitting (None if they were not)."""
        self.scans = DataScans(self, state)

    def compose(self) -> ComposeResult:
        yield StepHeader([step.NAME for step in STEPS], self.lang)
        with ContentSwitcher(initial=f"step-{STEPS[0].NAME}", id="steps"):
            for step in STEPS:
                yield step(self.state)
        with Vertical(id="bottom"):
            yield NavBar(self.lang)
            yield KeyBar(self.lang)

    async def on_mount(self) -> None:
        from wizard.tui.wrap import install_line_breaking

        install_line_breaking()
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for signum in STOP_SIGNALS:
                loop.add_signal_handler(signum, self.stop_on_signal, signum)
        self.watch(self.screen, "focused", self._focus_moved)
        await self.show_step(0)
        self._notify_dropped()
        self.scans.ensure()  # a prefilled data path is checked at once, whichever step is showing
        self.call_after_refresh(self._build_steps)

    @work(group="build")
    async def _build_steps(self) -> None:
        """Mount the other steps after the first screen is up, one at a time."""
        self._building = True
        try:
            for step in self.steps:
                if self._exit_after_build is not None:
                    break  # quitting: the rest would be built only to be torn down
                await step.build()
                await asyncio.sleep(0)
        finally:
            self._building = False
        if self._exit_after_build is not None:
            super().exit(*self._exit_after_build)
            return
        if self.freeze_gc:
            # The widget tree is built and lives as long as the process: keep the cyclic GC from walking it
            # on every full collection (those pauses, not layout, made some step changes take 100 ms).
            gc.freeze()

    _building = False
    _exit_after_build: tuple[object, ...] | None = None

    def exit(self, result: int | None = None, return_code: int = 0, message: object = None) -> None:
        """Exit, once the step being mounted in the background is complete (tearing a widget down in the
        middle of its mounting fails inside Textual)."""
        if self._building:
            self._exit_after_build = (result, return_code, message)
            return
        super().exit(result, return_code, message)  # type: ignore[arg-type]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog is open, the wizard's keys wait (ctrl+n must not move the page behind it)."""
        if len(self.screen_stack) > 1:
            return action not in ("next", "back", "reset", "help", "accept_all", "stop_waiting") and \
                not isinstance(self.screen, QuitScreen)
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

    @property
    def nav(self) -> NavBar:
        return self.query_one(NavBar)

    async def show_step(self, index: int, *, focus: Widget | None = None) -> None:
        """Make step `index` the current one (focusing `focus`, else its first question)."""
        self.scans.stop_waiting()
        self.index = index
        step = self.step
        await step.build()
        self.query_one("#steps", ContentSwitcher).current = step.id
        self.query_one(StepHeader).show_step(index)
        self.nav.show(index, len(STEPS), generated=self.generated)
        step.entered()
        if focus is not None:
            focus.focus()
        else:
            step.focus_first()
        self._focus_moved()

    def _focus_moved(self, *_: object) -> None:
        if self.is_mounted and self.screen is self.screen_stack[0]:
            row = self._focused_row()
            resettable = row is not None and row.field.key in self.state.given and row.field.key != "project.name"
            self.query_one(KeyBar).show_for(self.screen.focused, self.step, resettable=resettable)

    # --- navigation -------------------------------------------------------------------------------------

    @on(Button.Pressed, "#next")
    async def action_next(self) -> None:
        step = self.step
        if self.generated and isinstance(step, ReviewStep):
            self.exit(EXIT_GENERATED)
            return
        if not await self._may_leave(step, self.action_next):
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

    @on(Button.Pressed, "#accept-all")
    async def action_accept_all(self) -> None:
        """The fast path: every question not answered follows its recommendation; straight to Review."""
        if self.generated or isinstance(self.step, ReviewStep):
            return
        for index, step in enumerate(self.steps[:-1]):
            await step.build()
            if step.blocking() or (isinstance(step, DataStep) and self._data_pending()):
                if index != self.index:
                    await self.show_step(index)
                if not await self._may_leave(self.step, self.action_accept_all):
                    return
        self.step.left()
        await self.show_step(len(STEPS) - 1)

    async def _may_leave(self, step: Step, retry: object) -> bool:
        """Whether the user may move on from `step`: its answers are usable and its data checked. While the
        data check runs, `retry` is called again once it is done."""
        if self._data_pending() and isinstance(step, (DataStep, ReviewStep)):
            self.scans.ensure()
            if self.scans.when_done(retry):  # type: ignore[arg-type]
                self.nav.waiting(*self.scans.progress)
                return False
        blocking = step.blocking()
        if blocking:
            self.nav.message(t(self.lang, "fix_first", fields=", ".join(blocking)))
            step.focus_first(invalid_only=True)
            return False
        return True

    def _data_pending(self) -> bool:
        return self.scans.running or self.state.needs_scan()

    def _question_control(self) -> tuple[Widget, FieldRow]:
        """The focused control and its question on the wizard's own screen (SkipAction otherwise)."""
        row = self._focused_row()
        if len(self.screen_stack) > 1 or row is None or self.focused not in (row.control, row.typed_input):
            raise SkipAction()
        return self.focused, row

    async def action_enter_in_question(self) -> None:
        """Enter in a text field: the next question, or the next step after the last one."""
        control, _ = self._question_control()
        if not isinstance(control, Input):
            raise SkipAction()  # drop-downs open, switches toggle, lists tick
        control.post_message(Input.Submitted(control, control.value))
        # No check of the value here: keys typed before this Enter may not have reached the field yet. A
        # value that turns out invalid stays marked at its question and blocks Next.
        if not self.step.move_question(1):
            await self.action_next()

    def action_move_question(self, delta: int) -> None:
        control, _ = self._question_control()
        if isinstance(control, SelectionList) and not control.at_edge(delta):
            raise SkipAction()  # Up/Down move through the list's items first
        self.step.action_move_question(delta)

    def action_stop_waiting(self) -> None:
        if self.scans.release_waiting():
            self.nav.message(None)

    # --- answers, the data checks and the rules ---------------------------------------------------------------

    @on(FieldRow.Changed)
    def _answer_changed(self, event: FieldRow.Changed) -> None:
        if event.key == "destination":
            self.state.dest = str(event.value) or None
        else:
            self.state.set(event.key, event.value)
        self.apply_all()
        self._notify_dropped()
        self.step.after_change(event.key)
        self._focus_moved()

    def on_scan_progress(self, message: ScanProgress) -> None:
        self.query_one(DataStep).show_progress(message.done, message.total, message.rate)
        if self.scans.waited_for:
            self.nav.waiting(message.done, message.total, message.rate)

    async def on_scan_finished(self, message: ScanFinished) -> None:
        if not message.cancelled and message.inputs == self.state.scan_inputs():
            self.state.set_report(message.report, message.inputs, message.error)
            self.apply_all()
        self.query_one(DataStep).show_outcome()
        if not self.scans.running:
            for retry in self.scans.release_waiting():
                self.nav.message(None)
                await retry()

    @on(ReviewStep.Generated)
    def _generated(self, message: ReviewStep.Generated) -> None:
        if message.result is not None:
            self.result = message.result
            for step in self.steps[:-1]:
                step.read_only()
        self.nav.show(self.index, len(STEPS), generated=self.generated)
        self._focus_moved()
        if self.signalled is not None:
            self._exit_after_signal(EXIT_GENERATED if self.generated else EXIT_CANCELLED)

    def apply_all(self) -> None:
        """Show the re-evaluated recommendations on every step."""
        for step in self.steps:
            step.apply()
        self.nav.message(None)

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
            self._focus_moved()
