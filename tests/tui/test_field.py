"""The wizard in the field: real-sized data with a cold cache, prefilled answers, unusable data, the keys
people expect, and the fast path."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from textual.widgets import Input, Select, Static

from tests.conftest import write_answers
from tests.tui.conftest import (
    SIZE,
    make_big_folder,
    make_image_folder,
    scanned,
    settle,
    type_into,
    wait_until,
)
from wizard.datacheck import child
from wizard.tui.dialogs import QuitScreen
from wizard.tui.steps import DataStep, ModelStep, ProjectStep, ReviewStep


def text_of(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


class Gate:
    """Holds every data scan until `open()` (to see what the UI does while one runs); counts the scans."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        self.requests: list[dict] = []
        original = child.ScanProcess.run

        def held(process, progress=None):
            self.requests.append(dict(process.request))
            self.event.wait(30)
            return original(process, progress)

        monkeypatch.setattr(child.ScanProcess, "run", held)

    def open(self) -> None:
        self.event.set()


async def test_a_2000_image_dataset_with_a_cold_cache_is_checked_in_the_app_and_reaches_the_project(
    app_factory, tmp_path: Path
) -> None:
    make_big_folder(tmp_path / "pets")
    cache = Path(os.environ["XDG_CACHE_HOME"])
    assert not cache.exists() or not any(cache.rglob("*.json"))  # cold: nothing scanned before
    app = app_factory(dest=Path("pets_project"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Pets", "enter")  # Enter: the next question
        assert app.focused is app.query_one("#project-slug")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_into(pilot, "#data-path", "pets")
        await pilot.press("enter")
        await scanned(pilot)
        report = app.state.report
        assert report is not None and app.state.scan_error is None
        assert report.stats.files >= 2_000 and report.stats.decoded == report.stats.files  # decoded now
        assert {c.id for c in report.checks} >= {"corrupt-image", "train-val-duplicates"}
        assert "train/dog/cut.jpg" in app.state.evaluation.values["data.exclude"]
        assert "val/dog/copy1.jpg" in app.state.evaluation.values["data.exclude"]  # leaked copies too
        status = text_of(app, "#row-data-path .alerts")
        assert "2,103 samples, 4 classes (3 left out)" in status and "error(s)" not in status
        await pilot.press("ctrl+t")  # accept every recommendation: straight to Review
        await settle(pilot)
        assert isinstance(app.step, ReviewStep)
        warnings = text_of(app, "#review-warnings")
        # Left out by data.exclude: settled (the copies leave validation, the broken file training).
        assert "Validation/test images that also appear in training" not in warnings
        assert "cannot be decoded" not in warnings
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.generated, timeout=60)
    project = tmp_path / "pets_project"
    report_md = (project / "reports" / "data_report.md").read_text()
    assert "train-val-duplicates" in report_md and "corrupt-image" in report_md
    recorded = yaml.safe_load((project / ".trainwizard.yml").read_text())
    assert "train/dog/cut.jpg" in recorded["data"]["exclude"]
    assert recorded["meta"]["facts"]["num_samples"] == report.num_samples


async def test_prefilled_answers_are_checked_without_any_key(app_factory, tmp_path: Path) -> None:
    make_big_folder(tmp_path / "pets", 600)
    answers = write_answers(tmp_path, "project: {name: Pets}\ndata: {path: pets}\n")
    app = app_factory(answers)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.state.report is not None)
        assert app.state.report.stats.files >= 600
        freeze = app.state.evaluation.decisions["model.freeze"]
        assert "training images per class" in freeze.reason  # advice from the data, not generic
        assert "train/dog/cut.jpg" in app.state.evaluation.values["data.exclude"]


async def test_leaving_the_data_step_waits_for_the_running_check(app_factory, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    make_image_folder(tmp_path / "leaves")
    gate = Gate(monkeypatch)
    answers = write_answers(tmp_path, "project: {name: Leaf}\ndata: {path: leaves}\n")
    app = app_factory(answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+n")  # the check is still running: wait, do not skip it
        await pilot.pause()
        assert isinstance(app.step, DataStep) and app.scans.running
        assert "Checking the data" in text_of(app, "#nav-message")
        assert app.query_one("#stop-scan").display
        gate.open()
        await wait_until(pilot, lambda: isinstance(app.step, ModelStep))
        assert app.state.report is not None and len(gate.requests) == 1


async def test_typing_a_path_checks_it_once_complete_never_a_prefix(app_factory, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    make_image_folder(tmp_path / "leaves")
    make_image_folder(tmp_path / "le", {"train": {"x": 20, "y": 20}})
    gate = Gate(monkeypatch)
    gate.open()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+n")
        await settle(pilot)
        field = app.query_one("#data-path", Input)
        field.focus()
        for key in "leaves":  # slowly: each prefix ('le' is a dataset too) stays a while
            await pilot.press(key)
            await pilot.pause(0.7)
        assert gate.requests == [] and app.state.report is None
        await pilot.press("enter")
        await scanned(pilot)
        assert [Path(r["path"]).name for r in gate.requests] == ["leaves"]
        assert app.state.report.class_counts == {"healthy": 30, "rust": 10}
        await type_into(pilot, "#data-path", "le")  # another path: the old report goes at once
        assert app.state.report is None and "Not checked yet" in text_of(app, "#report-summary")
        assert "healthy" not in text_of(app, "#report-summary")


@pytest.mark.parametrize("kind", ["empty folder", "no images", "one class"])
async def test_unusable_data_blocks_next_at_the_path_with_the_reason_and_a_retry(app_factory, tmp_path: Path,
                                                                                 kind: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    if kind == "no images":
        (data / "cat").mkdir()
        (data / "dog").mkdir()
    elif kind == "one class":
        make_image_folder(data, {"train": {"cat": 20}})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+n")
        await settle(pilot)
        await type_into(pilot, "#data-path", "data")
        await pilot.press("enter")
        await scanned(pilot)
        reason = text_of(app, "#row-data-path .alerts")
        assert "✗" in reason and app.state.data_problem() is not None
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.step, DataStep) and "Data path" in text_of(app, "#nav-message")
        await pilot.press("ctrl+t")  # the fast path stops at the same place
        await pilot.pause()
        assert isinstance(app.step, DataStep)
        if kind == "empty folder":
            assert str(app.query_one("#check-data").label) == "Retry"
        shutil.rmtree(data)  # the user fixes the data, then asks for the check again
        make_image_folder(data, {"train": {"cat": 20, "dog": 20}})
        if kind == "no images":
            app.query_one("#data-path").focus()
            await pilot.press("enter")  # Enter in the path checks again
        else:
            await pilot.click("#check-data")  # right below the path
        await scanned(pilot)
        assert app.state.data_problem() is None
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.step, ModelStep)


async def test_ctrl_c_opens_the_quit_dialog_and_a_second_ctrl_c_quits_with_130(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf")
        assert isinstance(app.focused, Input)  # in a text field, where ctrl+c used to copy
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        assert "ctrl+c again" in str(app.screen.query_one("#quit-hint", Static).render())
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_value == 130 and app.saved_answers is None
    assert list(tmp_path.glob("*.yml")) == [] and not (tmp_path / "leaf").exists()


async def test_the_fast_path_reaches_review_with_the_users_answers_kept(app_factory, leaves: Path) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")  # no name yet: the fast path stops at it
        await pilot.pause()
        assert isinstance(app.step, ProjectStep) and "Name" in text_of(app, "#nav-message")
        await pilot.press(*"Leaf", "ctrl+n")
        await settle(pilot)
        await type_into(pilot, "#data-path", "leaves")
        await pilot.press("alt+left")  # the Back key that no multiplexer takes
        await settle(pilot)
        assert isinstance(app.step, ProjectStep)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.step, ReviewStep))
        assert app.state.report is not None  # the data was checked on the way
        assert app.state.given.keys() == {"project.name", "data.path"}
        assert app.state.source("training.batch_size") in ("recommended", "default")
        assert app.state.source("model.freeze") == "recommended"
        assert app.focused is app.step  # Review scrolls by keyboard at once
        top = app.step.scroll_y
        await pilot.press("down", "down", "pagedown")
        await pilot.pause()
        assert app.step.scroll_y > top


async def test_up_down_and_enter_move_between_questions(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Leaf", "down")
        assert app.focused is app.query_one("#project-slug")
        await pilot.press("down", "down")
        assert app.focused is app.query_one("#project-author")
        await pilot.press("up")
        assert app.focused is app.query_one("#project-description")
        await pilot.press("down", "down", "enter")  # Enter on the last question: the next step
        await settle(pilot)
        assert isinstance(app.step, DataStep)
        task = app.query_one("#task", Select)
        assert app.focused is task
        await pilot.press("down")  # a closed drop-down passes Up/Down on
        await pilot.pause()
        assert not task.expanded and app.focused is app.query_one("#data-path")
        await pilot.press("up", "enter")  # Enter opens it
        await pilot.pause()
        assert task.expanded
        await pilot.press("escape", "alt+right")
        await settle(pilot)
        assert isinstance(app.step, ModelStep)


async def test_the_key_bar_follows_the_focus(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Enter next" in text_of(app, "#keys")
        await pilot.press(*"Leaf", "ctrl+n")
        await settle(pilot)
        assert "Space open" in text_of(app, "#keys")  # the task drop-down
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Enter generate" in text_of(app, "#keys")
        shown = screen_text(app).splitlines()
        assert "alt+← back" in shown[-2] and "Accept all" not in shown[-2]  # no fast path from Review


async def test_after_generating_the_answers_are_read_only(app_factory, tmp_path: Path) -> None:
    from tests.conftest import MINI_TEMPLATE

    app = app_factory(dest=Path("out"), template=MINI_TEMPLATE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf", "ctrl+t")
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.generated)
        given = dict(app.state.given)
        await pilot.press("alt+left")
        await settle(pilot)
        assert app.query_one("#row-training-batch_size").disabled
        await pilot.press("ctrl+t", "alt+left", "alt+left", "alt+left", "alt+left", "alt+left", "alt+left")
        await settle(pilot)
        assert isinstance(app.step, ProjectStep) and app.query_one("#row-project-name").disabled
        await pilot.press(*"xyz")
        assert app.state.given == given
