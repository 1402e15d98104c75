"""Fixtures for the wizard's UI tests: a frozen cursor, a tiny ImageFolder, and an app started in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from textual.pilot import Pilot
from textual.widgets import Input

from tests.conftest import write_answers
from wizard.answers import Answers, load_answers
from wizard.tui import make_app
from wizard.tui.app import WizardApp

SIZE = (80, 24)
BIG = (120, 40)
ANSWERS = """\
version: 1
project:
  name: Leaf Disease
task: image-classification
data:
  path: leaves
training:
  batch_size: 32
"""


@pytest.fixture(autouse=True)
def _frozen_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Input cursor blinks on a wall-clock timer; freeze it so that snapshots are stable."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)


def make_image_folder(root: Path, counts: dict[str, dict[str, int]] | None = None, *, broken: bool = False) -> Path:
    """A tiny ImageFolder (split/class/N.png) of distinct PNGs; `broken` adds a file that is not a PNG."""
    counts = counts or {"train": {"healthy": 30, "rust": 10}, "val": {"healthy": 3, "rust": 2}}
    for split, classes in counts.items():
        for index_class, (name, n) in enumerate(classes.items()):
            folder = root / split / name
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                colour = ((i * 37 + index_class * 90) % 256, (i * 11 + (split == "val") * 120) % 256, 40 + index_class)
                Image.new("RGB", (24, 24), colour).save(folder / f"{i}.png")
    if broken:
        (root / "train" / next(iter(counts["train"])) / "broken.png").write_bytes(b"not an image")
    return root


def make_big_folder(root: Path, count: int = 2_100) -> Path:
    """`count` distinct small JPEGs in train/val class folders (4 classes), plus the problems real data has:
    one truncated image, and two validation images that are copies of training images."""
    names = ("cat", "dog", "fox", "owl")
    for i in range(count):
        split = "val" if i % 5 == 0 else "train"
        folder = root / split / names[i % 4]
        folder.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (32, 32), (i % 256, (i // 256) * 16 % 256, (i * 7) % 256)).save(folder / f"{i:05d}.jpg")
    cut = (root / "train" / "dog" / "00001.jpg").read_bytes()
    (root / "train" / "dog" / "cut.jpg").write_bytes(cut[: len(cut) // 2])
    for i in (1, 2):
        (root / "val" / names[i % 4] / f"copy{i}.jpg").write_bytes((root / "train" / names[i % 4] / f"{i:05d}.jpg").read_bytes())
    return root


@pytest.fixture
def leaves(tmp_path: Path) -> Path:
    """tmp_path/leaves: a small ImageFolder without errors, with an imbalance of 3:1."""
    return make_image_folder(tmp_path / "leaves")


@pytest.fixture
def answers_path(tmp_path: Path, leaves: Path) -> Path:
    """tmp_path/answers.yml pointing at the ImageFolder."""
    return write_answers(tmp_path, ANSWERS)


@pytest.fixture
def app_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., WizardApp]:
    """Build the app as `trainwizard new` does, started in tmp_path (so shown paths are relative)."""
    monkeypatch.chdir(tmp_path)

    def factory(answers: Path | Answers | None = None, **kwargs: object) -> WizardApp:
        partial = load_answers(answers, partial=True) if isinstance(answers, Path) else answers
        kwargs.setdefault("cwd", tmp_path)
        return make_app(partial, **kwargs)  # type: ignore[arg-type]

    return factory


async def settle(pilot: Pilot) -> None:
    """Wait for the workers (step building, data scans, dry runs) and the screen to settle."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def goto(pilot: Pilot, index: int) -> None:
    """Show step `index` directly (0-based) and settle."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    await settle(pilot)
    await app.show_step(index)
    await settle(pilot)


async def type_into(pilot: Pilot, selector: str, text: str) -> Input:
    """Focus an input, clear it with the keyboard (end, ctrl+u) and type `text` key by key."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.press("end", "ctrl+u", *text)
    await pilot.pause()
    return field


async def wait_until(pilot: Pilot, condition: Callable[[], bool], *, timeout: float = 20.0) -> None:
    """Pause until `condition()` holds (for results that arrive from worker threads as messages)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the UI"
        await pilot.pause(0.02)
    await settle(pilot)


async def scanned(pilot: Pilot) -> None:
    """Wait until the data report shown is the one for the current data answers."""
    state = pilot.app.state  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: state.scan_inputs() is not None and state.report_inputs == state.scan_inputs())
