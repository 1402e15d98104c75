"""Step 1 (Project): filling the fields, validation blocking Next, Back keeping values, the destination."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from tests.tui.conftest import SIZE, settle, type_into
from wizard.tui.steps import DataStep, ProjectStep


async def test_name_fills_slug_and_destination_and_next_moves_on(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.step, ProjectStep)
        assert app.focused is app.query_one("#project-name", Input)
        await pilot.press(*"Leaf Disease v2")
        await pilot.pause()
        assert app.query_one("#project-slug", Input).value == "leaf_disease_v2"
        assert app.query_one("#destination", Input).value == "leaf_disease_v2"
        assert app.state.destination() == tmp_path / "leaf_disease_v2"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.step, DataStep)


async def test_an_empty_name_blocks_next_with_the_reason(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#next")
        await pilot.pause()
        assert isinstance(app.step, ProjectStep)
        assert "Name" in str(app.query_one("#nav-message", Static).render())
        row = app.query_one("#row-project-name")
        assert "✗" in str(row.query_one(".alerts", Static).render())
        assert app.focused is app.query_one("#project-name", Input)


async def test_an_invalid_package_name_is_marked_at_once_and_blocks_next(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Leaf")
        slug = await type_into(pilot, "#project-slug", "9 bad")
        assert slug.has_class("-invalid")
        info = str(app.query_one("#row-project-slug .alerts", Static).render())
        assert "not a valid Python package name" in info
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.step, ProjectStep)
        assert "Package name" in str(app.query_one("#nav-message", Static).render())
        await type_into(pilot, "#project-slug", "leaf_ok")
        assert not slug.has_class("-invalid")
        assert app.state.given["project.slug"] == "leaf_ok"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.step, DataStep)


async def test_back_keeps_the_values(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Leaf")
        await type_into(pilot, "#project-description", "Spots rust on leaves")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.step, ProjectStep)
        assert app.query_one("#project-name", Input).value == "Leaf"
        assert app.query_one("#project-description", Input).value == "Spots rust on leaves"
        assert app.state.given["project.description"] == "Spots rust on leaves"


async def test_a_non_empty_destination_is_warned_about(app_factory, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Leaf")
        await type_into(pilot, "#destination", "taken")
        assert app.state.destination() == tmp_path / "taken"
        assert "not empty" in str(app.query_one("#row-destination .alerts", Static).render())


async def test_prefilled_answers_fill_the_fields(app_factory, answers_path: Path) -> None:
    app = app_factory(answers_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one("#project-name", Input).value == "Leaf Disease"
        assert app.query_one("#project-slug", Input).value == "leaf_disease"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.query_one("#data-path", Input).value == "leaves"
