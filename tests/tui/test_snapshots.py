"""Snapshots of every step at 80×24 (and Project and Review at 120×40), with the cursor blink frozen.

Update with `pytest tests/tui/test_snapshots.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import MINI_TEMPLATE
from tests.tui.conftest import BIG, SIZE, goto, make_image_folder, scanned, settle, type_into, wait_until

STEP_NAMES = ["project", "data", "model", "normalization", "regularization", "imbalance", "training", "review"]


@pytest.fixture
def prefilled(tmp_path: Path, app_factory, leaves: Path):
    """The app prefilled from an answers file with a data path, rendering into ./leaf (mini template)."""
    answers = tmp_path / "answers.yml"
    answers.write_text("project: {name: Leaf Disease}\ndata: {path: leaves}\ntraining: {batch_size: 16}\n")
    return lambda **kw: app_factory(answers, dest=Path("leaf"), template=MINI_TEMPLATE, **kw)


def at_step(index: int, *, data: bool = True):
    async def run_before(pilot: Pilot) -> None:
        if data:
            await scanned(pilot)
        await goto(pilot, index)
        if index == 7:  # the file tree comes from a dry run in a worker
            await wait_until(pilot, lambda: "leaf/" in str(pilot.app.query_one("#review-files").render()))

    return run_before


@pytest.mark.parametrize("index", range(len(STEP_NAMES)), ids=STEP_NAMES)
def test_step_80x24(snap_compare, prefilled, index: int) -> None:
    assert snap_compare(prefilled(), terminal_size=SIZE, run_before=at_step(index))


@pytest.mark.parametrize("index", [0, 7], ids=["project", "review"])
def test_step_120x40(snap_compare, prefilled, index: int) -> None:
    assert snap_compare(prefilled(), terminal_size=BIG, run_before=at_step(index))


def test_empty_project_step_120x40(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(), terminal_size=BIG, run_before=at_step(0, data=False))


def on_the_data_step(path: str, *, then_next: bool = False):
    """Name the project, give `path` on the Data step and wait for its check; then show the report (or press
    Next)."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press(*"Leaf")
        await goto(pilot, 1)
        await type_into(pilot, "#data-path", path)
        await pilot.press("enter")
        await scanned(pilot)
        if then_next:
            await pilot.press("ctrl+n")
        else:
            pilot.app.step.scroll_to_widget(pilot.app.query_one("#data-report"), animate=False, top=True)
        await settle(pilot)

    return run_before


def test_data_report_with_errors_80x24(snap_compare, app_factory, tmp_path: Path) -> None:
    make_image_folder(tmp_path / "broken", broken=True)
    assert snap_compare(app_factory(), terminal_size=SIZE, run_before=on_the_data_step("broken"))


def test_unusable_data_blocks_next_80x24(snap_compare, app_factory, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert snap_compare(app_factory(), terminal_size=SIZE, run_before=on_the_data_step("empty", then_next=True))


def test_chinese_data_report_80x24(snap_compare, app_factory, tmp_path: Path) -> None:
    make_image_folder(tmp_path / "broken", {"train": {"healthy": 30, "rust": 8}, "val": {"healthy": 3}},
                      broken=True)
    assert snap_compare(app_factory(lang="zh"), terminal_size=SIZE, run_before=on_the_data_step("broken"))


def test_review_with_a_destination_conflict_80x24(snap_compare, app_factory, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")

    async def run_before(pilot: Pilot) -> None:
        await pilot.press(*"Leaf", "ctrl+t")
        await wait_until(pilot, lambda: pilot.app.query_one("#review-conflict").has_class("-shown"))

    assert snap_compare(app_factory(dest=Path("taken"), template=MINI_TEMPLATE), terminal_size=SIZE,
                        run_before=run_before)


def test_invalid_input_blocks_next_80x24(snap_compare, prefilled) -> None:
    async def run_before(pilot: Pilot) -> None:
        await scanned(pilot)
        await goto(pilot, 6)
        await type_into(pilot, "#training-batch_size", "0")
        await pilot.press("ctrl+n")
        await pilot.pause()

    assert snap_compare(prefilled(), terminal_size=SIZE, run_before=run_before)


def test_quit_dialog_80x24(snap_compare, prefilled) -> None:
    async def run_before(pilot: Pilot) -> None:
        await scanned(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        pilot.app.screen.query_one("#quit-file").value = "leaf_disease.answers.yml"
        await pilot.pause()

    assert snap_compare(prefilled(), terminal_size=SIZE, run_before=run_before)


def test_help_dialog_80x24(snap_compare, prefilled) -> None:
    async def run_before(pilot: Pilot) -> None:
        await scanned(pilot)
        await goto(pilot, 3)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(prefilled(), terminal_size=SIZE, run_before=run_before)


def test_generated_120x40(snap_compare, prefilled) -> None:
    async def run_before(pilot: Pilot) -> None:
        await at_step(7)(pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: pilot.app.generated)

    assert snap_compare(prefilled(), terminal_size=BIG, run_before=run_before)


def test_chinese_model_step_80x24(snap_compare, prefilled) -> None:
    assert snap_compare(prefilled(lang="zh"), terminal_size=SIZE, run_before=at_step(2))
