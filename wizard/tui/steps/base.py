"""Provides Step: the base of a wizard step, an intro line and one FieldRow per answers key."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from wizard.tui.fields import FieldSpec, allowed_choices, spec, typed_allowed
from wizard.tui.state import WizardState
from wizard.tui.strings import t
from wizard.tui.widgets.controls import MoveQuestion
from wizard.tui.widgets.field import FieldRow


class Step(VerticalScroll):
    """One page of the wizard; scrolls inside so that it fits 80×24. Its questions are mounted on first need
    (`build`), so that the first screen appears at once."""

    NAME: ClassVar[str] = ""
    """The step's name in the string catalogue (step.NAME, short.NAME, intro.NAME)."""
    KEYS: ClassVar[tuple[str, ...]] = ()
    """The answers keys asked on this step, in order."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move_question(1)", show=False),
        Binding("up", "move_question(-1)", show=False),
    ]

    DEFAULT_CSS = """
    Step {
        padding: 0 1;
        & > .intro { color: $text-muted; margin: 1 1 1 2; }
    }
    """

    def __init__(self, state: WizardState) -> None:
        super().__init__(id=f"step-{self.NAME}", classes="step")
        self.state = state
        self.lang = state.lang
        self.built = False
        self._ready = asyncio.Event()

    def content(self) -> Iterator[Widget]:
        """The step's widgets: an intro, one row per question, then any extras."""
        yield Static(t(self.lang, f"intro.{self.NAME}"), classes="intro")
        for key in self.KEYS:
            yield self.make_row(key)
        yield from self.extras()

    def extras(self) -> Iterator[Widget]:
        """Widgets below the questions (the data report, the metrics explanation …)."""
        yield from ()

    async def build(self) -> None:
        """Mount the step's widgets (once; concurrent callers wait for the first)."""
        if self.built:
            await self._ready.wait()
            return
        self.built = True
        await self.mount_all(list(self.content()))
        self._ready.set()
        self.apply()

    # --- questions --------------------------------------------------------------------------------------

    def field(self, key: str) -> FieldSpec:
        return spec(key)

    def value(self, key: str) -> Any:
        """The value a question shows: the user's answer, else the current recommendation."""
        return self.state.evaluation.values.get(key)

    def options(self, field: FieldSpec) -> tuple[str, ...]:
        if field.kind in ("choice", "multi"):
            choices = allowed_choices(field.key, self.state.evaluation.values)
            if field.typed is not None and typed_allowed(field.key, self.state.evaluation.values):
                return (*choices, field.typed.prefix)  # the option that opens the field's text input
            return choices
        return ()

    def make_row(self, key: str) -> FieldRow:
        field = self.field(key)
        row = FieldRow(field, lang=self.lang, value=self.value(key), options=self.options(field))
        decision = self.state.evaluation.decisions.get(key)
        row.recommended = decision.recommended if decision is not None else None
        return row

    @property
    def rows(self) -> list[FieldRow]:
        return list(self.query(FieldRow))

    def apply(self) -> None:
        """Show the state's current values, recommendations, warnings and problems."""
        if not self._ready.is_set() or not self.is_attached:
            return
        evaluation = self.state.evaluation
        for row in self.rows:
            key = row.field.key
            row.apply(self.value(key), evaluation.decisions.get(key), options=self.options(row.field),
                      visible=self.state.applies(key), problem=evaluation.problems.get(key))

    # --- navigation ---------------------------------------------------------------------------------------

    def blocking(self) -> list[str]:
        """Labels of the questions whose input cannot be used yet (they block Next)."""
        return [label for row in self.rows if (label := row.invalid())]

    def focus_first(self, invalid_only: bool = False) -> None:
        """Focus the first question (or the first one that blocks Next)."""
        for row in self.questions:
            if invalid_only and not row.invalid():
                continue
            row.control.focus()
            row.scroll_visible(animate=False)
            return

    @property
    def questions(self) -> list[FieldRow]:
        """The rows shown (and answerable) now."""
        return [row for row in self.rows if not row.has_class("-hidden") and not row.disabled]

    def focused_row(self) -> FieldRow | None:
        focused = self.screen.focused
        return next((row for row in self.rows if focused is not None and row in focused.ancestors_with_self), None)

    def move_question(self, delta: int) -> bool:
        """Focus the next (+1) or previous (-1) question; False at either end. Without a focused question
        the page scrolls instead."""
        row = self.focused_row()
        if row is None:
            (self.scroll_down if delta > 0 else self.scroll_up)(animate=False)
            return True
        questions = self.questions
        index = questions.index(row) + delta if row in questions else -1
        if not 0 <= index < len(questions):
            return False
        # Now, not later as widget.focus() does: keys typed ahead (Down Down) must each see the move before.
        self.screen.set_focus(questions[index].control)
        return True

    def action_move_question(self, delta: int) -> None:
        """Up/Down: the previous or next question; past the last one the page scrolls on (to the report
        or the notes below the questions), before the first one back to the step's introduction."""
        if not self.move_question(delta):
            (self.scroll_down if delta > 0 else self.scroll_up)(animate=False)

    @on(MoveQuestion)
    def _move_question(self, event: MoveQuestion) -> None:
        event.stop()
        self.action_move_question(event.delta)

    def read_only(self) -> None:
        """After generation the answers are fixed: the questions can be read, not changed."""
        for row in self.rows:
            row.disabled = True

    def entered(self) -> None:
        """Called when the step becomes the current one."""

    def left(self) -> None:
        """Called when the user moves on from this step."""

    def after_change(self, key: str) -> None:
        """Called after an answer on this step changed and the state was re-evaluated."""
