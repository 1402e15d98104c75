"""Provides NavBar: the Back and Next buttons docked at the bottom, with the keys or a blocking message."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from wizard.tui.strings import t


class NavBar(Horizontal):
    """Back · key hints (or why Next is blocked) · Next/Generate/Quit."""

    DEFAULT_CSS = """
    NavBar {
        dock: bottom;
        height: 1;
        background: $panel;
        & > Button { width: auto; min-width: 10; }
        & > #nav-message { width: 1fr; height: 1; padding: 0 1; color: $text-muted; text-align: center; }
        & > #nav-message.-error { color: $text-error; text-style: bold; }
    }
    """

    def __init__(self, lang: str) -> None:
        super().__init__(id="nav")
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Button(f"← {t(self.lang, 'back')}", id="back", compact=True)
        yield Static(self.hints(), id="nav-message", markup=False)
        yield Button(f"{t(self.lang, 'next')} →", id="next", variant="primary", compact=True)

    def hints(self) -> str:
        lang = self.lang
        return (f"^n {t(lang, 'key.next')}  ^b {t(lang, 'key.back')}  F1 {t(lang, 'key.help')}  "
                f"^r {t(lang, 'key.reset')}  ^q {t(lang, 'key.quit')}")

    def show(self, index: int, total: int, *, generated: bool = False) -> None:
        """Label the buttons for step `index`: Next, Generate on the last step, Quit once generated."""
        back, nxt = self.query_one("#back", Button), self.query_one("#next", Button)
        back.disabled = index == 0
        if generated:
            nxt.label = t(self.lang, "quit")
        elif index == total - 1:
            nxt.label = t(self.lang, "generate")
        else:
            nxt.label = f"{t(self.lang, 'next')} →"
        self.message(None)

    def message(self, text: str | None) -> None:
        """Show why Next is blocked (None: show the key hints again)."""
        line = self.query_one("#nav-message", Static)
        line.set_class(text is not None, "-error")
        line.update(text if text is not None else self.hints())
