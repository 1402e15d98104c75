"""Provides the question controls that let Up/Down move between questions where the widget has no use for
them: a Select that opens on Enter/Space only, and a SelectionList that hands Up/Down on at its ends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Select, SelectionList


@dataclass
class MoveQuestion(Message):
    """Move the focus to the next (+1) or previous (-1) question of the step."""

    delta: int


class QuestionSelect(Select[str]):
    """A drop-down whose closed state leaves Up/Down to the step (Enter or Space opens the list)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "show_overlay", "Open the list", show=False),
        Binding("down", "move_question(1)", show=False),
        Binding("up", "move_question(-1)", show=False),
    ]

    def action_move_question(self, delta: int) -> None:
        self.post_message(MoveQuestion(delta))


class QuestionList(SelectionList[str]):
    """A checklist whose Up on the first item and Down on the last move to the neighbouring question."""

    def at_edge(self, delta: int) -> bool:
        """Whether moving by `delta` leaves the list (Down on the last item, Up on the first)."""
        if self.highlighted is None:
            return True
        return self.highlighted >= self.option_count - 1 if delta > 0 else self.highlighted <= 0

    def action_cursor_down(self) -> None:
        if self.highlighted is None or self.highlighted >= self.option_count - 1:
            self.post_message(MoveQuestion(1))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.highlighted is None or self.highlighted <= 0:
            self.post_message(MoveQuestion(-1))
        else:
            super().action_cursor_up()
