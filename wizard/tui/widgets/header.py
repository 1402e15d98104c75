"""Provides StepHeader: "Step n of N: title" and the names of all steps, the current one highlighted."""

from __future__ import annotations

from textual.markup import escape
from textual.widgets import Static

from wizard.tui.strings import t


class StepHeader(Static):
    """Two lines at the top: where the user is, and the breadcrumb of step names."""

    DEFAULT_CSS = """
    StepHeader {
        dock: top;
        height: 2;
        padding: 0 1;
        background: $panel;
    }
    """

    def __init__(self, names: list[str], lang: str) -> None:
        super().__init__(id="header")
        self.names = names
        self.lang = lang

    def show_step(self, index: int) -> None:
        """Highlight step `index` (0-based)."""
        step_of = escape(t(self.lang, "step_of", n=index + 1, total=len(self.names)))
        title = escape(t(self.lang, f"step.{self.names[index]}"))
        crumbs = []
        for i, name in enumerate(self.names):
            short = escape(t(self.lang, f"short.{name}"))
            crumbs.append(f"[reverse b]{short}[/]" if i == index else short if i < index else f"[dim]{short}[/]")
        app_name = escape(t(self.lang, "title"))
        self.update(f"[b]{app_name}[/]  ·  [b $accent]{step_of}[/]  ·  [b]{title}[/]\n"
                    + " [dim]›[/] ".join(crumbs))
