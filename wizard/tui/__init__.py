"""Provides `run_wizard`, the terminal UI of `trainwizard new` (Textual is imported only when it runs)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.answers import Answers
    from wizard.tui.app import WizardApp

__all__ = ["make_app", "run_wizard"]


def make_app(partial: Answers | None = None, *, dest: Path | None = None, force: bool = False,
             template: Path | None = None, lang: str = "en", cwd: Path | None = None) -> WizardApp:
    """Build the wizard app (used by `run_wizard` and by the tests)."""
    from wizard.tui.app import WizardApp
    from wizard.tui.state import WizardState

    state = WizardState(partial, lang=lang, cwd=cwd or Path.cwd(), dest=dest)
    return WizardApp(state, force=force, template=template)


def run_wizard(partial: Answers | None, *, dest: Path | None, force: bool, template: Path | None,
               lang: str) -> int:
    """Run the wizard in this terminal: 0 generated, 130 cancelled or quit (or stopped by a signal), 1 failed."""
    import sys

    from wizard.tui.leaving import EXIT_CANCELLED, EXIT_FAILED
    from wizard.tui.strings import t

    app = make_app(partial, dest=dest, force=force, template=template, lang=lang)
    app.freeze_gc = True
    app.handle_signals = True
    code = app.run()
    app.scans.cancel()
    if code is None:
        code = EXIT_FAILED if app.return_code else EXIT_CANCELLED
    if app.result is not None:
        from wizard.workflow import next_commands

        lines = [t(lang, "exit_created", dest=app.result.dest, n=len(app.result.files)), t(lang, "exit_next"),
                 *(f"  {command}" for command in next_commands(app.result.dest, lang=lang))]
        _say(sys.stdout, lines)
    elif code == EXIT_CANCELLED:
        saved = app.saved_answers
        _say(sys.stderr, [t(lang, "exit_saved", path=saved) if saved else t(lang, "exit_cancelled")])
    return int(code)


def _say(stream: object, lines: list[str]) -> None:
    """Print the closing lines; a closed terminal (SIGHUP) must not turn the outcome into a traceback."""
    try:
        print("\n".join(lines), file=stream, flush=True)  # type: ignore[call-overload]
    except OSError:
        pass
