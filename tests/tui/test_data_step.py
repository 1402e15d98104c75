"""Step 2 (Task and data): the data checks in a worker, the report, and recommendations following the data."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select, Static

from tests.tui.conftest import SIZE, goto, make_image_folder, scanned, settle, type_into
from wizard.tui.steps import DataStep


async def scan_on_the_data_step(pilot, path: str) -> None:
    """From the first screen: name the project, go to the Data step, give the path and wait for the checks."""
    await pilot.press(*"Leaf", "ctrl+n")
    await settle(pilot)
    await type_into(pilot, "#data-path", path)
    await pilot.press("enter")
    await scanned(pilot)


def text_of(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_typing_a_path_runs_the_checks_and_shows_the_report(app_factory, leaves: Path) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+n")
        await settle(pilot)
        assert isinstance(app.step, DataStep)
        assert "No data scanned yet" in text_of(app, "#report-summary")
        await type_into(pilot, "#data-path", "leaves")
        await pilot.press("enter")
        await scanned(pilot)
        report = app.state.report
        assert report is not None and report.class_counts == {"healthy": 30, "rust": 10}
        summary = app.query_one("#report-summary", Static)
        shown = "\n".join(line.text for line in summary.render_lines(summary.region.reset_offset))
        assert "40 training samples, 5 validation samples" in shown
        assert "healthy" in shown and "30" in shown and "rust" in shown
        assert "3.0:1" in shown  # the imbalance ratio
        assert not app.query_one("#report-errors").has_class("-shown")


async def test_errors_are_shown_prominently_with_examples_and_the_user_may_go_on(app_factory, tmp_path: Path) -> None:
    make_image_folder(tmp_path / "broken", broken=True)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await scan_on_the_data_step(pilot, "broken")
        # Left out by the recommendation: settled, not an error to fix.
        assert not app.query_one("#report-errors").has_class("-shown")
        assert "settled" in text_of(app, "#report-warnings") and "broken.png" in text_of(app, "#report-warnings")
        await type_into(pilot, "#data-exclude", "")  # the user keeps every file: training would stop on it
        await settle(pilot)
        errors = app.query_one("#report-errors", Static)
        assert errors.has_class("-shown") and errors.region.height > 2  # framed
        text = text_of(app, "#report-errors")
        assert "error" in text and "broken.png" in text
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.index == 2  # errors warn; they do not block


async def test_a_missing_path_is_marked_and_blocks_next(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+n")
        await settle(pilot)
        path = await type_into(pilot, "#data-path", "nowhere")
        assert path.has_class("-invalid")
        assert "no such file or folder" in text_of(app, "#row-data-path .alerts")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.step, DataStep)
        await type_into(pilot, "#data-path", "")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.index == 2  # no path: data/ is filled later


async def test_prefilled_path_is_scanned_at_start_and_moves_the_recommendations(app_factory, answers_path) -> None:
    app = app_factory(answers_path)
    async with app.run_test(size=SIZE) as pilot:
        await scanned(pilot)
        assert app.state.report is not None  # scanned in a worker right after the first screen
        decisions = app.state.evaluation.decisions
        assert decisions["model.freeze"].recommended == "head-only"  # few samples: train only the head
        await goto(pilot, 2)
        freeze = app.query_one("#model-freeze", Select)
        assert freeze.value == "head-only"
        assert ("head-only  ★ recommended", "head-only") in freeze._options  # the recommended option is marked
        assert decisions["model.freeze"].reason in text_of(app, "#row-model-freeze .info").replace("\n", " ")


async def test_more_data_changes_the_freeze_and_imbalance_recommendations(app_factory, tmp_path: Path) -> None:
    make_image_folder(tmp_path / "small", {"train": {"a": 10, "b": 10}})
    make_image_folder(tmp_path / "skewed", {"train": {"a": 60, "b": 4}})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+n")
        await settle(pilot)
        before = app.state.evaluation.decisions["imbalance.strategy"].recommended
        await type_into(pilot, "#data-path", "small")
        await pilot.press("enter")
        await scanned(pilot)
        balanced = app.state.evaluation.decisions["imbalance.strategy"].recommended
        await type_into(pilot, "#data-path", "skewed")
        await pilot.press("enter")
        await scanned(pilot)
        skewed = app.state.evaluation.decisions["imbalance.strategy"]
        assert app.state.report.class_counts == {"a": 60, "b": 4}
        assert balanced == "none" and skewed.recommended != "none" and (before, balanced) != (skewed.recommended,) * 2
        await goto(pilot, 5)
        assert app.query_one("#imbalance-strategy", Select).value == skewed.recommended
        assert skewed.reason in text_of(app, "#row-imbalance-strategy .info").replace("\n", " ")


async def test_a_tabular_task_narrows_the_choices_downstream(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+n")
        await settle(pilot)
        task = app.query_one("#task", Select)
        task.focus()
        await pilot.press("enter")  # open the list, then pick by keyboard
        await pilot.pause()
        for _ in range(2):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert task.value == "tabular-classification"
        assert app.state.given["task"] == "tabular-classification"
        assert app.query_one("#row-data-image_size").has_class("-hidden")
        await goto(pilot, 2)
        backbone = app.query_one("#model-backbone", Select)
        assert backbone.value == "mlp"
        assert [value for _, value in backbone._options] == ["mlp"]
        assert app.query_one("#model-source", Select).value == "scratch"


async def test_unusable_files_are_recommended_for_leaving_out_and_clearing_the_list_warns(app_factory,
                                                                                          tmp_path: Path) -> None:
    make_image_folder(tmp_path / "broken", broken=True)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await scan_on_the_data_step(pilot, "broken")
        decision = app.state.evaluation.decisions["data.exclude"]
        assert decision.recommended == ["train/healthy/broken.png"] and decision.value == decision.recommended
        assert "1 paths training cannot use" in text_of(app, "#row-data-exclude .info").replace("\n", " ")
        await type_into(pilot, "#data-exclude", "")  # the user wants every file used
        await settle(pilot)
        assert app.state.given["data.exclude"] == []
        assert "valid list" not in text_of(app, "#row-data-exclude .alerts")
        assert app.state.evaluation.decisions["data.exclude"].warnings  # the file is kept: training would stop
        await type_into(pilot, "#data-exclude", "train/healthy/broken.png, val/")
        await settle(pilot)
        assert app.state.given["data.exclude"] == ["train/healthy/broken.png", "val/"]


async def test_a_table_given_without_a_task_sets_the_task_it_shows(app_factory, tmp_path: Path) -> None:
    rows = "\n".join(f"{i % 7},{(i * 13) % 11},{100 + 3.7 * i:.1f}" for i in range(60))
    (tmp_path / "houses.csv").write_text("rooms,age,price\n" + rows + "\n")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await scan_on_the_data_step(pilot, "houses.csv")
        assert "task" not in app.state.given
        assert app.query_one("#task", Select).value == "tabular-regression"
        assert "continuous numbers" in text_of(app, "#row-task .info").replace("\n", " ")
        assert app.query_one("#row-data-image_size").has_class("-hidden")
        assert app.state.data_problem() is None
