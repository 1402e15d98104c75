"""Everything trainwizard prints on the terminal (the UI aside): messages, Rich output, JSON and the progress bar.

The core returns text and Rich renderables; the CLI prints them through here. Text that carries names or values
from outside (paths, answers, file contents) goes through `show`, which escapes control characters.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from wizard.escape import for_terminal, json_for_terminal

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """A message trainwizard wrote itself, as it is."""
    click.echo(text, err=err, nl=nl)


def show(text: str, *, err: bool = False, nl: bool = True) -> None:
    """A message holding text from outside: control characters are shown escaped (see escape.for_terminal)."""
    click.echo(for_terminal(text), err=err, nl=nl)


def note(line: str) -> None:
    """One `note:` line on stderr, at once (what a recovery did, while the command goes on)."""
    print(f"note: {line}", file=sys.stderr, flush=True)


def show_json(data: Any) -> None:
    """`data` as JSON on stdout (control characters as \\u escapes)."""
    sys.stdout.write(json_for_terminal(data) + "\n")


def is_terminal(*, err: bool = False) -> bool:
    return (sys.stderr if err else sys.stdout).isatty()


def rich_console(*, err: bool = False) -> Console:
    """A Rich console on stdout (or stderr), made per call so that it writes where sys.stdout points now."""
    from rich.console import Console

    return Console(stderr=err)


def print_rich(renderables: list[RenderableType], console: Console | None = None) -> None:
    """Print Rich renderables (tables, Text) one after the other."""
    console = console or rich_console()
    for renderable in renderables:
        console.print(renderable)


def show_markdown(body: str) -> None:
    """Markdown rendered by Rich on a terminal; the plain text when piped."""
    if is_terminal():
        from rich.markdown import Markdown

        rich_console().print(Markdown(body))
    else:
        echo(body.rstrip("\n"))


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, gone when done; yields the callback `(done, total)` that moves it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # Refreshed from the callback, not by Rich's timer thread: a single-threaded process may fork its
    # workers, which is the fastest way to start them.
    with Progress(*columns, console=rich_console(err=True), transient=True, auto_refresh=False) as bar:
        task_id = bar.add_task("scan", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task_id, completed=done, total=total, refresh=True)

        yield progress
