"""Review → Generate: the same render call as `--no-input`, so the same project byte for byte."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.conftest import write_answers
from tests.tui.conftest import ANSWERS, SIZE, settle, type_into, wait_until
from wizard.render import default_template
from wizard.tui.steps import ReviewStep


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def text_of(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def ctrl_n_to_review(pilot) -> None:
    for _ in range(7):
        await pilot.press("ctrl+n")
        await settle(pilot)
    assert isinstance(pilot.app.step, ReviewStep)


@pytest.mark.parametrize("answers_text", [ANSWERS, "project: {name: Tiny}\n"], ids=["with-data", "name-only"])
async def test_accepting_every_recommendation_writes_the_same_project_as_no_input(
    app_factory, run_cli, tmp_path: Path, leaves: Path, answers_text: str
) -> None:
    # A snapshot of the real template, so that both renders see the same files even while it is being edited.
    template = Path(shutil.copytree(default_template(), tmp_path / "template"))
    answers = write_answers(tmp_path, answers_text)
    cli = run_cli("new", tmp_path / "cli", "--answers", answers, "--no-input", "--template", template)
    assert cli.code == 0, cli.err
    app = app_factory(answers, dest=Path("ui"), template=template)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ctrl_n_to_review(pilot)
        assert "ui/" in text_of(app, "#review-files") and ".trainwizard.yml" in text_of(app, "#review-files")
        await pilot.press("ctrl+n")  # on Review, ctrl+n generates
        await wait_until(pilot, lambda: app.generated)
        done = text_of(app, "#review-done")
        assert "Created ui" in done and "pip install -e '.[test]'" in done and "capacity_test.py" in done and "train.py" in done
        # each comment on its own line above its command: the box is narrower than the exit summary's 78 columns
        assert "  # first: can it overfit a small subset?\n  $ python scripts/capacity_test.py\n" in done
        await pilot.press("ctrl+n")  # then quits with 0
        await pilot.pause()
    assert app.return_value == 0
    assert tree(tmp_path / "ui") == tree(tmp_path / "cli")


async def test_review_marks_sources_and_lists_warnings(app_factory, answers_path: Path) -> None:
    app = app_factory(answers_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ctrl_n_to_review(pilot)
        answers = app.query_one("#review-answers", Static)
        shown = "\n".join(line.text for line in answers.render_lines(answers.region.reset_offset))
        assert re.search(r"✎ Name +Leaf Disease", shown) and re.search(r"✎ Batch size +32", shown)
        assert re.search(r"★ Freeze +head-only", shown) and "Training" in shown  # grouped by step
        assert app.state.source("training.batch_size") == "answer"
        assert app.state.source("model.freeze") == "recommended"
        warnings = text_of(app, "#review-warnings")
        assert warnings == "No warnings." or "⚠" in warnings


@pytest.fixture
def taken(tmp_path: Path) -> Path:
    """./taken: a folder that already holds a file of the user's."""
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.txt").write_text("keep me")
    return tmp_path / "taken"


async def named_and_at_review(pilot) -> None:
    await pilot.press(*"Leaf")
    await settle(pilot)
    await ctrl_n_to_review(pilot)


async def test_a_non_empty_destination_disables_generate_and_offers_the_fixes_in_the_ui(app_factory,
                                                                                        taken: Path) -> None:
    app = app_factory(dest=Path("taken"))
    async with app.run_test(size=SIZE) as pilot:
        await named_and_at_review(pilot)
        conflict = app.query_one("#review-conflict", Static)
        assert conflict.has_class("-shown") and "not empty" in text_of(app, "#review-conflict")
        assert conflict.region.y < SIZE[1] - 3  # where the eye is, not below the answers
        assert app.query_one("#next").disabled
        await pilot.press("ctrl+n")  # Generate is off: nothing is written
        await settle(pilot)
        assert not app.generated and "not empty" in text_of(app, "#nav-message")
        await pilot.click("#change-dest")  # the first fix: another destination, on the Project step
        await settle(pilot)
        assert app.index == 0 and app.focused is app.query_one("#destination")
        await type_into(pilot, "#destination", "fresh")
        await ctrl_n_to_review(pilot)
        assert not app.query_one("#next").disabled and not conflict.has_class("-shown")
    assert sorted(p.name for p in taken.iterdir()) == ["mine.txt"]


async def test_overwriting_is_offered_in_the_ui_and_keeps_the_users_other_files(app_factory, taken: Path) -> None:
    app = app_factory(dest=Path("taken"))
    async with app.run_test(size=SIZE) as pilot:
        await named_and_at_review(pilot)
        await pilot.click("#overwrite")
        await settle(pilot)
        assert not app.query_one("#next").disabled
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: app.generated)
    assert (taken / "mine.txt").read_text() == "keep me"
    assert (taken / ".trainwizard.yml").is_file()


async def test_force_overwrites_into_a_non_empty_destination(app_factory, taken: Path) -> None:
    app = app_factory(dest=Path("taken"), force=True)
    async with app.run_test(size=SIZE) as pilot:
        await named_and_at_review(pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: app.generated)
    assert (taken / "mine.txt").read_text() == "keep me"
    assert (taken / ".trainwizard.yml").is_file()
