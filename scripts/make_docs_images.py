"""Make the README walkthrough's images from the real flow: the wizard (SVG) and the training curves (PNG).

    python scripts/make_docs_images.py [--only wizard|curves] [--step model] [--keep DIR]

Runs the walkthrough in a scratch folder: `trainwizard demo`, the wizard on the demo's
answers (driven by Textual's Pilot, which saves docs/images/wizard.svg on the chosen step and then
generates the project the way ctrl+n does), and the generated project's scripts/train.py, whose
curves.png becomes docs/images/training-curves.png. Needs the test extras (torch, torchvision, textual).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO / "docs" / "images"
SIZE = (100, 32)  # terminal columns x rows of the screenshot


def write_demo_data(root: Path) -> Path:
    """The demo dataset and answers, as `trainwizard demo` writes them."""
    from wizard.demo import write_demo

    return write_demo(root / "trainwizard-demo").dest


async def drive_wizard(demo: Path, step: str, svg: Path | None) -> Path:
    """Open the wizard on the demo's answers, screenshot `step`, then accept everything and generate."""
    from wizard.answers import load_answers
    from wizard.tui import make_app
    from wizard.tui.steps import STEPS

    names = [s.NAME for s in STEPS]
    if step not in names:
        raise SystemExit(f"--step {step}: not a step; steps: {', '.join(names)}")
    app = make_app(load_answers(demo / "answers.yml", partial=True), cwd=demo)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        for _ in range(names.index(step)):
            await pilot.press("ctrl+n")
            await _settle(pilot)
        if svg is not None:
            app.save_screenshot(svg.name, str(svg.parent))
        for _ in range(len(names) - 1 - names.index(step)):
            await pilot.press("ctrl+n")
            await _settle(pilot)
        await pilot.press("ctrl+n")  # on Review, ctrl+n generates
        for _ in range(600):
            if app.result is not None:
                break
            await pilot.pause(0.1)
        await _settle(pilot)
    if app.result is None:
        raise SystemExit("the wizard did not generate the project")
    return app.result.dest


async def _settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def train(project: Path) -> Path:
    """Run the generated project's training as the walkthrough does; return its curves.png."""
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}  # the same figure on any machine: CPU
    subprocess.run([sys.executable, "scripts/train.py", "--run-dir", "runs/first"], cwd=project, env=env,
                   check=True)
    return project / "runs" / "first" / "curves.png"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("wizard", "curves"), help="make one image only")
    parser.add_argument("--step", default="model", help="the wizard step to screenshot (default: model)")
    parser.add_argument("--keep", type=Path, help="run in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trainwizard-docs-") as scratch:
        root = args.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        demo = write_demo_data(root)
        os.chdir(demo)  # the wizard shows paths relative to where it starts: as after `cd trainwizard-demo`
        svg = IMAGES / "wizard.svg" if args.only in (None, "wizard") else None
        project = asyncio.run(drive_wizard(demo, args.step, svg))
        if svg is not None:
            print(f"wrote {svg.relative_to(REPO)}")
        if args.only in (None, "curves"):
            target = IMAGES / "training-curves.png"
            shutil.copyfile(train(project), target)
            print(f"wrote {target.relative_to(REPO)}")
        os.chdir(REPO)
    return 0


if __name__ == "__main__":
    sys.exit(main())
