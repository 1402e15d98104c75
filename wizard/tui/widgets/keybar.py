"""Provides KeyBar: the bottom line of key hints, which follows the focus (Enter, Space, arrows, Tab …)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Select, SelectionList, Static, Switch

from wizard.tui.strings import t

if TYPE_CHECKING:
    from wizard.tui.steps import Step


def focus_hints(lang: str, focused: Widget | None, step: Step | None) -> str:
    """What the keys do for the focused widget."""
    from wizard.tui.steps import ReviewStep

    if isinstance(step, ReviewStep):
        return t(lang, "keys.review_done" if step.generated else "keys.review")
    if isinstance(focused, OptionList) and isinstance(focused.parent, Select):
        return t(lang, "keys.options")  # the open list of a drop-down
    if isinstance(focused, Input):
        return t(lang, "keys.input")
    if isinstance(focused, Select):
        return t(lang, "keys.select")
    if isinstance(focused, SelectionList):
        return t(lang, "keys.list")
    if isinstance(focused, Switch):
        return t(lang, "keys.switch")
    if isinstance(focused, Button):
        return t(lang, "keys.button")
    return t(lang, "keys.scroll")


class KeyBar(Static):
    """One line: the keys of the focused widget, then the wizard's own keys."""

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, lang: str) -> None:
        super().__init__(id="keys", markup=False)
        self.lang = lang

    def show_for(self, focused: Widget | None, step: Step | None, *, resettable: bool = False) -> None:
        """The hints for `focused`; `resettable`: the focused answer is the user's and ^r restores the
        recommendation."""
        hints = focus_hints(self.lang, focused, step)
        if resettable:
            hints += f" · {t(self.lang, 'keys.reset')}"
        self.update(f"{hints}  │  {t(self.lang, 'keys.global')}")
