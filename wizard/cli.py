"""The `trainwizard` command: parses, calls the core, prints through wizard/console.py, maps errors to exit codes."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from wizard import __version__, console, vocabulary
from wizard.errors import UsageError, WizardError

if TYPE_CHECKING:
    from wizard.datacheck import DataReport

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130
LANGS = click.Choice(["en", "zh"])
TASKS = click.Choice(vocabulary.TASKS)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="trainwizard", message="%(prog)s %(version)s")
def cli() -> None:
    """Check your data, get training choices with their reasons, and generate a PyTorch project."""


@cli.command()
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@click.option("--answers", "answers_file", type=click.Path(path_type=Path), help="Answers file (YAML) to pre-fill from.")
@click.option("--no-input", is_flag=True, help="Render from the answers file without the terminal UI.")
@click.option("--force", is_flag=True, help="Write into a non-empty DEST (only the template's files are overwritten).")
@click.option("--dry-run", is_flag=True, help="List the files that would be written; write nothing.")
@click.option("--template", type=click.Path(path_type=Path),
              help="Another cookiecutter template with the same context (its code runs; trusted for later updates).")
@click.option("--lang", type=LANGS, default=None, help="Language of the explanations (default: en).")
def new(
    dest: Path | None, answers_file: Path | None, no_input: bool, force: bool, dry_run: bool,
    template: Path | None, lang: str | None,
) -> int:
    """Create a training project: the terminal UI, or --no-input from --answers FILE."""
    from wizard.answers import Answers, load_answers

    partial: Answers | None = load_answers(answers_file, partial=True) if answers_file else None
    if template is not None and not dry_run:
        _trust_named_template(template)
    if not no_input:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UsageError("the wizard needs a terminal; pass --no-input --answers FILE to render without it")
        from wizard.tui import run_wizard

        return run_wizard(partial, dest=dest, force=force, template=template, lang=lang or "en")
    if partial is None:
        raise UsageError("--no-input needs --answers FILE (at least 'project: {name: ...}')")
    return _render_without_ui(partial, answers_file, dest, force=force, dry_run=dry_run, template=template, lang=lang)


def _trust_named_template(template: Path) -> None:
    """A template named on the command line is the user's choice: later updates may render it again."""
    from wizard.render.templates import check_template
    from wizard.render.trust import trust_file, trust_template

    if not trust_template(check_template(template)):
        console.echo(f"warning: could not record {template} in {trust_file()}; `trainwizard update` will need "
                     "--template again", err=True)


def _render_without_ui(partial, answers_file, dest, *, force, dry_run, template, lang) -> int:
    from wizard.answers import locate_error
    from wizard.errors import AnswersError
    from wizard.workflow import generate, next_commands, prepare

    try:
        prepared = prepare(partial, lang=lang, progress=None)
    except AnswersError as exc:  # a combination found once the recommendations filled the gaps
        raise locate_error(exc, answers_file) from None
    answers = prepared.resolution.answers
    dest = dest or Path.cwd() / answers.slug
    report = prepared.report
    _warn_data_errors(report, answers.data.exclude)
    for warning in prepared.resolution.warnings:
        console.show(f"warning: {warning}", err=True)
    result = generate(prepared, dest, force=force, dry_run=dry_run, template=template)
    if dry_run:
        console.show(f"Would write {len(result.files)} files into {result.dest}:")
        for rel in result.files:
            console.show(f"  {rel}{'  (overwrite)' if rel in result.overwritten else ''}")
        if result.conflicts:
            console.echo(f"warning: {len(result.conflicts)} path(s) stand where the template writes; the real run "
                         "would stop and write nothing until they are moved away:", err=True)
            for line in result.conflicts:
                console.show(f"  {line}", err=True)
        return EXIT_OK
    console.show(f"Created {result.dest} ({len(result.files)} files"
                 + (f", {len(result.overwritten)} overwritten" if result.overwritten else "") + ").")
    console.echo("Next:")
    for command in next_commands(result.dest):
        console.show(f"  {command}")
    return EXIT_OK


def _warn_data_errors(report: DataReport | None, exclude: list[str]) -> None:
    if report is None or not report.has_errors:
        return
    left_out = [path for path in report.unusable if path in exclude]
    also = f"; data.exclude leaves out {len(left_out)} unusable path(s)" if left_out else ""
    console.echo(f"warning: the data check found {len(report.errors)} error(s){also}, the first: "
                 f"{report.first_error()}; see reports/data_report.md in the project, or run `trainwizard check-data`",
                 err=True)


@cli.command()
@click.argument("project_dir", required=False, type=click.Path(path_type=Path))
@click.option("--answers", "answers_file", type=click.Path(path_type=Path),
              help="Answers file (YAML, full or partial) whose keys replace the recorded ones.")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Change one answer, e.g. --set training.batch_size=64 (repeatable; wins over --answers).")
@click.option("--no-input", is_flag=True, help="Accepted for scripts; update never opens the terminal UI.")
@click.option("--dry-run", is_flag=True, help="Print the summary and a diff of what would change; write nothing.")
@click.option("--template", type=click.Path(path_type=Path),
              help="Render with this template instead of the one recorded in .trainwizard.yml, and trust it: a "
                   "recorded template runs only if you named or trusted it before.")
@click.option("--restore-deleted", is_flag=True, help="Write again the template files you deleted.")
@click.option("--base-from-answers", is_flag=True,
              help="No baseline in .trainwizard/: take the recorded answers rendered now as the original.")
def update(
    project_dir: Path | None, answers_file: Path | None, assignments: tuple[str, ...], no_input: bool, dry_run: bool,
    template: Path | None, restore_deleted: bool, base_from_answers: bool,
) -> int:
    """Regenerate a project from changed answers or a newer template, keeping your edits (3-way merge)."""
    from wizard.update import update_project
    from wizard.update.report import diff_text, summary_lines

    result = update_project(
        project_dir or Path.cwd(), answers_file=answers_file, assignments=assignments, dry_run=dry_run,
        template=template, restore_deleted=restore_deleted, base_from_answers=base_from_answers,
    )
    _warn_data_errors(result.data_report, result.answers.resolution.answers.data.exclude)
    for warning in result.answers.resolution.warnings:
        console.show(f"warning: {warning}", err=True)
    for line in summary_lines(result):
        console.show(line)
    if dry_run and result.changed:
        console.echo("")
        console.show(diff_text(result).replace("\r\n", "\n"), nl=False)  # CRLF files diff as usual
    return EXIT_FAILED if result.conflicts else EXIT_OK


@cli.command("check-data")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--task", type=TASKS, help="What the model predicts (default: detect).")
@click.option("--label-column", help="CSV: the target column.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes for decoding images (default: CPU count).")
@click.option("--no-cache", is_flag=True, help="Ignore and do not update the scan cache.")
def check_data(path: Path, task: str | None, label_column: str | None, as_json: bool, workers: int | None,
               no_cache: bool) -> int:
    """Check a dataset: labels, splits, imbalance, corrupt files, duplicates, near duplicates, image quality."""
    from wizard.datacheck import scan

    options = {"task": task, "label_column": label_column, "workers": workers, "use_cache": not no_cache}
    if as_json or not console.is_terminal(err=True):
        report = scan(str(path), **options)
    else:
        with console.progress_bar("Checking files") as progress:
            report = scan(str(path), progress=progress, **options)
    if as_json:
        console.show_json(report.to_dict())
    else:
        from wizard.datacheck.report_text import report_renderables

        console.print_rich(report_renderables(report))
    return EXIT_FAILED if report.has_errors else EXIT_OK


@cli.command()
@click.argument("topic", required=False)
@click.option("--lang", type=LANGS, default="en", help="Language of the text.")
def explain(topic: str | None, lang: str) -> int:
    """Teach the reasoning behind a decision (no TOPIC: list the topics)."""
    from wizard.knowledge.explain import explain, topic_listing

    if topic is None:
        console.echo(topic_listing(lang))
    else:
        console.show_markdown(explain(topic, lang))
    return EXIT_OK


@cli.command()
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Write into a non-empty DEST (replaces its data/ and answers.yml).")
def demo(dest: Path | None, force: bool) -> int:
    """Write a small synthetic dataset with planted problems, and an answers file, to try everything."""
    from wizard.demo import DEFAULT_DEST, next_commands, write_demo

    result = write_demo(dest or Path(DEFAULT_DEST), force=force)
    console.show(f"Wrote {result.images} images and answers.yml into {result.dest}.")
    console.echo("Planted in the data, for the checks to find:")
    for problem in result.problems:
        console.echo(f"  - {problem}")
    console.echo("Next:")
    for command in next_commands(result):
        console.show(f"  {command}")
    return EXIT_OK


@cli.command()
def schema() -> int:
    """Print the JSON Schema of the answers file (for editor completion)."""
    import json

    from wizard.answers import json_schema

    console.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP raise KeyboardInterrupt, like Ctrl-C (the fault-injection test installs them too)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_keyboard_interrupt)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command and exit with SPEC §2's codes; user errors never show a traceback."""
    # A kill (SIGTERM) or a closed terminal (SIGHUP) unwinds like Ctrl-C: the transaction in progress is rolled
    # back and its staging removed, so nothing half-written stays.
    install_signal_handlers()
    try:
        code = cli.main(args=argv, prog_name="trainwizard", standalone_mode=False)
    except click.exceptions.Abort:
        code = EXIT_CANCELLED
    except KeyboardInterrupt:
        console.echo("cancelled", err=True)
        code = EXIT_CANCELLED
    except click.ClickException as exc:
        exc.show()
        code = EXIT_USAGE if isinstance(exc, click.UsageError) or exc.exit_code == 2 else exc.exit_code
    except WizardError as exc:
        console.show(f"error: {exc}", err=True)
        code = exc.exit_code
    sys.exit(code if isinstance(code, int) else EXIT_OK)
