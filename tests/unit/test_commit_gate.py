"""A render that another thread may cancel: all of the project or none of it, never half."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import MINI_TEMPLATE
from wizard.answers import validate_answers
from wizard.knowledge import resolve
from wizard.render import render_project
from wizard.render.engine import STAGING_PREFIX
from wizard.render.gate import CommitGate, RenderCancelled


def resolution():
    return resolve(validate_answers({"project": {"name": "Gated"}}, partial=True))


def test_a_render_cancelled_before_its_commit_writes_nothing(tmp_path: Path) -> None:
    gate = CommitGate()
    assert gate.cancel() is True
    with pytest.raises(RenderCancelled):
        render_project(resolution(), tmp_path / "out" / "gated", template=MINI_TEMPLATE, gate=gate)
    assert list(tmp_path.iterdir()) == []  # no project, no staging folder, not even the parent it created


def test_a_cancel_after_the_commit_reports_that_the_project_is_complete(tmp_path: Path) -> None:
    gate = CommitGate()
    result = render_project(resolution(), tmp_path / "gated", template=MINI_TEMPLATE, gate=gate)
    assert gate.cancel() is False and gate.committed
    assert (tmp_path / "gated" / ".trainwizard.yml").is_file() and len(result.files) > 2
    assert not list(tmp_path.glob(STAGING_PREFIX + "*"))


def test_a_cancel_during_the_commit_waits_for_it_and_finds_the_project_whole(tmp_path: Path) -> None:
    gate = CommitGate()
    moving, answer = threading.Event(), []

    with gate.commit():  # the render is moving its files into place...
        moving.set()
        canceller = threading.Thread(target=lambda: answer.append(gate.cancel()))
        canceller.start()
        canceller.join(0.2)
        assert canceller.is_alive()  # ...so the cancel waits for it
    canceller.join(5)
    assert answer == [False] and not gate.cancelled
