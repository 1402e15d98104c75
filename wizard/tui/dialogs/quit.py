"""Provides QuitScreen: quit, offering to save the answers set so far as an answers file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from wizard.tui.strings import t


class QuitScreen(ModalScreen[bool]):
    """Save and quit, quit without saving, or cancel (Esc) — answers are never lost without asking; dismissed
    with True to quit (saved or not), False to stay."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+c", "discard", show=False, priority=True),  # the second ctrl+c quits, as in a shell
    ]

    DEFAULT_CSS = """
    QuitScreen {
        align: center middle;
        & > Vertical {
            width: 76; max-width: 95%; height: auto; border: thick $warning; background: $surface; padding: 0 1;
        }
        & #quit-title { text-style: bold; margin-bottom: 1; }
        & #quit-path { margin: 1 0 0 0; }
        & #quit-note { color: $text-warning; height: auto; }
        & #quit-hint { color: $text-muted; height: auto; }
        & #quit-error { color: $text-error; text-style: bold; height: auto; }
        & .-empty { display: none; }
        & Horizontal { height: auto; margin-top: 1; }
        & Button { margin-right: 2; }
    }
    """

    def __init__(self, default_path: Path, cwd: Path, lang: str, save: Callable[[Path], None]) -> None:
        super().__init__()
        self.default_path, self.cwd, self.lang, self.save = default_path, cwd, lang, save

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t(self.lang, "quit_title"), id="quit-title")
            yield Static(t(self.lang, "quit_body"), markup=False)
            yield Static(t(self.lang, "quit_ctrl_c"), id="quit-hint", markup=False)
            yield Label(t(self.lang, "quit_path"), id="quit-path")
            yield Input(str(self.default_path), id="quit-file", compact=True)
            yield Static("", id="quit-note", markup=False, classes="-empty")
            yield Static("", id="quit-error", markup=False, classes="-empty")
            with Horizontal():
                yield Button(t(self.lang, "save_quit"), id="save", variant="primary", compact=True)
                yield Button(t(self.lang, "quit_nosave"), id="discard", variant="error", compact=True)
                yield Button(t(self.lang, "cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#quit-file", Input).focus()
        self._note(self.query_one("#quit-file", Input).value)

    @on(Input.Changed, "#quit-file")
    def _path_changed(self, event: Input.Changed) -> None:
        self._note(event.value)

    def _note(self, text: str) -> None:
        exists = bool(text.strip()) and self._path(text).is_file()
        note = self.query_one("#quit-note", Static)
        note.update(t(self.lang, "file_exists") if exists else "")
        note.set_class(not exists, "-empty")

    def _path(self, text: str) -> Path:
        path = Path(text.strip()).expanduser()
        return path if path.is_absolute() else self.cwd / path

    @on(Input.Submitted, "#quit-file")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        text = self.query_one("#quit-file", Input).value
        if not text.strip():
            return
        path = self._path(text)
        try:
            self.save(path)
        except OSError as exc:  # saving failed: say why and stay open
            message = f"{exc.strerror or exc}: {exc.filename or path}"
            error = self.query_one("#quit-error", Static)
            error.update(t(self.lang, "save_failed", error=message))
            error.remove_class("-empty")
            return
        self.dismiss(True)

    @on(Button.Pressed, "#discard")
    def action_discard(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
