"""Provides the wizard's modal dialogs: help for a question, and quitting with the answers saved."""

from wizard.tui.dialogs.help import HelpScreen
from wizard.tui.dialogs.quit import QuitScreen

__all__ = ["HelpScreen", "QuitScreen"]
