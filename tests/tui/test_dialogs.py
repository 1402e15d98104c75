"""ctrl+q (quit, offering to save the answers) and F1 (help for the focused question)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Markdown, Static

from tests.tui.conftest import SIZE, goto, settle, type_into
from wizard.answers import load_answers
from wizard.tui.dialogs import HelpScreen, QuitScreen
from wizard.tui.steps import TrainingStep


async def test_escape_in_the_quit_dialog_keeps_everything(app_factory, answers_path: Path) -> None:
    app = app_factory(answers_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, 6)
        await type_into(pilot, "#training-epochs", "12")
        given = dict(app.state.given)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuitScreen) and app.is_running
        assert app.state.given == given and isinstance(app.step, TrainingStep)
        assert app.query_one("#training-epochs", Input).value == "12"


async def test_saving_on_quit_round_trips_through_answers(app_factory, answers_path: Path, tmp_path: Path) -> None:
    app = app_factory(answers_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, 6)
        await type_into(pilot, "#training-batch_size", "8")
        await goto(pilot, 3)
        app.query_one("#normalization").value = "groupnorm"
        await pilot.pause()
        given = dict(app.state.given)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.screen.query_one("#quit-file", Input).value == "leaf_disease.answers.yml"
        (tmp_path / "kept").mkdir()
        await type_into(pilot, "#quit-file", "kept/mine.yml")
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == 130
    saved = tmp_path / "kept" / "mine.yml"
    text = saved.read_text(encoding="utf-8")
    assert "path: ../leaves" in text  # relative to the saved file, as answers files are read
    assert "model:" not in text  # only what the user set
    again = load_answers(saved, partial=True)
    assert again.data.path == str(tmp_path / "leaves")
    assert again.training.batch_size == 8 and again.normalization == "groupnorm"
    reopened = app_factory(saved)
    assert reopened.state.given == given


async def test_quit_without_saving_writes_nothing(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
    assert app.return_value == 130
    assert not list(tmp_path.glob("*.yml"))


async def test_a_failed_save_says_why_and_stays_open(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+q")
        await pilot.pause()
        await type_into(pilot, "#quit-file", "no/such/folder/a.yml")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        assert "Cannot save" in str(app.screen.query_one("#quit-error", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_f1_explains_the_focused_question(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf")
        await goto(pilot, 6)
        app.query_one("#training-optimizer").focus()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Optimizer" in str(app.screen.query_one("#help-title", Static).render())
        body = app.screen.query_one(Markdown).source
        assert "Recommended: adamw" in body and "AdamW" in body
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.focused is app.query_one("#training-optimizer")


async def test_wizard_keys_wait_while_a_dialog_is_open(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+n", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen) and len(app.screen_stack) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert app.index == 0 and app.is_running
