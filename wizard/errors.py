"""The errors trainwizard shows to people: each carries its message and the exit code it maps to."""

from __future__ import annotations

from typing import ClassVar


class WizardError(Exception):
    """An error meant for the user: the message says what is wrong and what is allowed."""

    exit_code = 1
    key: str | None = None
    """A catalogue key for the message, where a UI shows it in the user's language (None: English only)."""
    params: ClassVar[dict[str, object]] = {}
    """The values of the keyed message's placeholders (instances with a key set their own)."""

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        return "\n".join([self.message, *("  " + line for line in self.details)])


class UsageError(WizardError):
    """Bad command-line usage or invalid input (exit code 2)."""

    exit_code = 2


class AnswersError(UsageError):
    """An answers file that cannot be read or does not validate."""

    problems: ClassVar[list[tuple[str, str]]] = []
    """(dotted key, message) for each problem, when the file was read but did not validate (instances that
    have problems set their own list)."""


class DestinationError(UsageError):
    """A destination that cannot be written without losing the user's files."""


class RenderError(WizardError):
    """The template could not be rendered (a template bug, a full disk ...)."""


class DataError(UsageError):
    """A dataset path that cannot be inspected at all (missing, unreadable)."""
