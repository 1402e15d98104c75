"""Provides NavBar: Back, Accept all and Next docked at the bottom, with the step's keys or a message."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from wizard.tui.strings import t


class NavBar(Horizontal):
    """Back · the step keys (or why Next is blocked, or the data check being waited for) · Accept all ·
    Next/Generate/Quit."""

    DEFAULT_CSS = """
    NavBar {
        height: 1;
        background: $panel;
        & > Button { width: auto; min-width: 10; }
        & > #nav-message { width: 1fr; height: 1; padding: 0 1; color: $text-muted; text-align: center; }
        & > #nav-message.-error { color: $text-error; text-style: bold; }
        & > #nav-message.-busy { color: $text; text-style: bold; }
    }
    """

    def __init__(self, lang: str) -> None:
        super().__init__(id="nav")
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Button(f"← {t(self.lang, 'back')}", id="back", compact=True)
        yield Static(self.hints(), id="nav-message", markup=False)
        yield Button(t(self.lang, "accept_all"), id="accept-all", compact=True)
        yield Button(f"{t(self.lang, 'next')} →", id="next", variant="primary", compact=True)

    def hints(self) -> str:
        return t(self.lang, "keys.steps")

    def show(self, index: int, total: int, *, generated: bool = False) -> None:
        """Label the buttons for step `index`: Next, Generate on the last step, Quit once generated."""
        back, nxt = self.query_one("#back", Button), self.query_one("#next", Button)
        back.disabled = index == 0
        self.query_one("#accept-all", Button).display = not generated and index < total - 1
        if generated:
            nxt.label = t(self.lang, "quit")
        elif index == total - 1:
            nxt.label = t(self.lang, "generate")
        else:
            nxt.label = f"{t(self.lang, 'next')} →"
        self.message(None)

    def message(self, text: str | None, *, busy: bool = False) -> None:
        """Show why Next is blocked, or (busy) what it waits for; None: the key hints again."""
        line = self.query_one("#nav-message", Static)
        line.set_class(text is not None and not busy, "-error")
        line.set_class(text is not None and busy, "-busy")
        line.update(text if text is not None else self.hints())

    def waiting(self, done: int, total: int, rate: float) -> None:
        """Next waits for the data check: say how far it is."""
        share = f"{done * 100 // total}%" if total else "…"
        self.message(t(self.lang, "waiting_scan", share=share), busy=True)
