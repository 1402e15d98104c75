"""Provides HelpScreen: the explanation behind the focused question (F1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from wizard.tui.strings import help_text, t

if TYPE_CHECKING:
    from wizard.tui.state import WizardState

STEP_KEYS = {"project": "project.name", "data": "task", "model": "model.source", "normalization": "normalization",
             "regularization": "regularization.augmentation", "imbalance": "imbalance.strategy",
             "training": "training.optimizer", "review": "project.name"}


def help_for(state: WizardState, key: str | None, step: str) -> str:
    """The F1 text (Markdown): the question's help, its recommendation and reason, then the teaching text."""
    from wizard.errors import WizardError
    from wizard.knowledge import explain_for_key
    from wizard.tui.widgets.field import show

    parts: list[str] = []
    if key is not None and key != "destination":
        parts.append(help_text(state.lang, key))
        decision = state.evaluation.decisions.get(key)
        if decision is not None and decision.reason:
            line = "choice_line" if decision.explains_choice else "rec_line"
            rec = t(state.lang, line, value=show(decision.recommended, state.lang))
            parts.append(f"**{rec}** — {decision.reason}")
            parts.extend(f"⚠ {w}" for w in decision.warnings)
    elif key == "destination":
        parts.append(t(state.lang, "destination_help"))
    try:
        parts.append(explain_for_key(key if key and key != "destination" else STEP_KEYS[step], state.lang))
    except (WizardError, KeyError):
        pass
    return "\n\n".join(parts)


class HelpScreen(ModalScreen[None]):
    """A scrollable explanation; Esc, F1 or Close returns to the question."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1", "close", t("en", "close"), show=False)]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 90%; max-width: 100; height: 90%; max-height: 36;
            border: thick $primary; background: $surface; padding: 0 1;
        }
        & #help-title { text-style: bold; color: $accent; height: auto; margin-bottom: 1; }
        & VerticalScroll { height: 1fr; }
        & #help-body { height: auto; }
        & #help-close { dock: bottom; margin-top: 1; }
    }
    """

    def __init__(self, title: str, body: str, lang: str) -> None:
        super().__init__()
        self.title_text, self.body, self.lang = title, body, lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t(self.lang, "help_title", title=self.title_text), id="help-title", markup=False)
            with VerticalScroll():
                from textual.widgets import Markdown  # markdown-it is slow to import: only when help opens

                yield Markdown(self.body, id="help-body")
            yield Button(t(self.lang, "close"), id="help-close", compact=True)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    @on(Button.Pressed, "#help-close")
    def action_close(self) -> None:
        self.dismiss(None)
