"""Provides Leaving: the wizard's help dialog, quitting with the answers saved, and stopping on a signal."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.tui.dialogs import HelpScreen, QuitScreen
from wizard.tui.strings import label, t

if TYPE_CHECKING:
    from wizard.tui.scanning import DataScans
    from wizard.tui.state import WizardState
    from wizard.tui.widgets.field import FieldRow

EXIT_GENERATED, EXIT_FAILED, EXIT_CANCELLED = 0, 1, 130
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Leaving:
    """Part of WizardApp: F1, ctrl+q / ctrl+c, and SIGINT, SIGTERM, SIGHUP (the whole project or nothing)."""

    state: WizardState
    lang: str
    scans: DataScans
    saved_answers: Path | None
    generated: bool
    step: Any

    def _focused_row(self) -> FieldRow | None:
        raise NotImplementedError

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
        if getattr(self.step, "busy", False):
            return  # the project is being written: it finishes (or fails) in a moment
        await self._drain_typed_ahead()
        self.call_later(self._open_quit_dialog)  # queued behind the answers the typed-ahead keys changed

    def _open_quit_dialog(self) -> None:
        if isinstance(self.screen, QuitScreen):
            return  # a second ctrl+c is the dialog's own
        default = Path(f"{self.state.slug}.answers.yml")  # relative to the folder the wizard started in
        self.push_screen(QuitScreen(default, self.state.cwd, self.lang, self._save_answers), self._quit_chosen)

    async def _drain_typed_ahead(self, timeout: float = 1.0) -> None:
        """Let the screen's widgets handle the keys typed ahead of ctrl+c (a priority key jumps their queues)
        and the messages those keys post: two rounds of a marker through every widget's queue. What they post
        to the app is handled before anything the app queues after this."""
        for _ in range(2):
            markers = []
            for widget in self.screen.walk_children(with_self=True):
                done = asyncio.Event()
                if widget.call_later(done.set):
                    markers.append(asyncio.ensure_future(done.wait()))
            if markers:
                _, pending = await asyncio.wait(markers, timeout=timeout)
                for marker in pending:
                    marker.cancel()

    def _save_answers(self, path: Path) -> None:
        from wizard.files import write_text_atomic

        write_text_atomic(path, self.state.answers_yaml(relative_to=path.parent))
        self.saved_answers = path

    def _quit_chosen(self, quit_chosen: bool | None) -> None:
        if quit_chosen:
            self.scans.cancel()
            self.exit(EXIT_CANCELLED)

    signalled: int | None = None
    """The stop signal received (None: none)."""

    def stop_on_signal(self, signum: int) -> None:
        """SIGINT, SIGTERM, SIGHUP: stop now, leaving either the whole project (when it is already being moved
        into place) or nothing."""
        self.signalled = signum
        self.scans.cancel()
        from wizard.tui.steps import ReviewStep

        review = self.query_one(ReviewStep)
        if self.generated:
            self._exit_after_signal(EXIT_GENERATED)  # the project is complete: that is the outcome
        elif review.busy:
            review.cancel_generate()  # the Generated message follows: nothing written (130), or all of it (0)
        else:
            self._exit_after_signal(EXIT_CANCELLED)

    def _exit_after_signal(self, code: int) -> None:
        if self.signalled == signal.SIGHUP:
            # The terminal is gone: restoring it would block on writes nobody reads. Everything that matters
            # is settled (the render committed or rolled back, the scan stopped), so leave at once.
            os._exit(code)
        self.exit(code)
