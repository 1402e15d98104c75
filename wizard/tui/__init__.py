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
    """Run the wizard in this terminal: 0 generated, 130 cancelled or quit, 1 failed."""
    from wizard.tui.app import EXIT_CANCELLED, EXIT_FAILED

    app = make_app(partial, dest=dest, force=force, template=template, lang=lang)
    app.freeze_gc = True
    code = app.run()
    if code is None:
        return EXIT_FAILED if app.return_code else EXIT_CANCELLED
    if app.result is not None:
        from wizard.workflow import next_commands

        print(f"Created {app.result.dest} ({len(app.result.files)} files).\nNext:")
        for command in next_commands(app.result.dest):
            print(f"  {command}")
    return int(code)
