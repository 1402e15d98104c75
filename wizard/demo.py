"""`trainwizard demo`: a small synthetic shapes dataset with planted data problems, and its answers file."""

from __future__ import annotations

import colorsys
import math
import os
import random
import shlex
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.errors import DestinationError

if TYPE_CHECKING:
    from PIL import Image

DEFAULT_DEST = "trainwizard-demo"
SEED = 20240611
IMAGE_SIZE = 64
SUPERSAMPLE = 2  # shapes are drawn at twice the size and scaled down, for smooth edges
STAGING_PREFIX = ".trainwizard-demo-staging-"
ANSWERS_NAME = "answers.yml"
DATA_NAME = "data"
PROJECT_SLUG = "shapes_demo"
COMMENT_COLUMN = 40  # where the comments of the printed commands start

# Training images per class: 160 / 20 is the 8:1 imbalance check-data should report.
TRAIN_COUNTS = {"circle": 160, "square": 80, "triangle": 50, "star": 20}
VAL_COUNTS = {"circle": 40, "square": 24, "triangle": 20, "star": 16}
STRAY_CLASS, STRAY_COUNT = "hexagon", 4  # a label that exists only in val/
CORRUPT = ("circle", 7)  # train image truncated to half its bytes
DUPLICATE = ("square", 12, 3)  # (class, train index, val position): that val image copies the train one

ANSWERS_YAML = f"""\
# trainwizard demo: the answers for the synthetic shapes dataset next to this file.
# Keys left out are filled with the recommendation for this data; `trainwizard explain` says why.
version: 1
project:
  name: Shapes Demo
  slug: {PROJECT_SLUG}
  description: Synthetic shapes with planted data problems, to try trainwizard in a few minutes.
task: image-classification
data:
  path: {DATA_NAME}                # relative to this file
  image_size: {IMAGE_SIZE}            # the images are {IMAGE_SIZE}x{IMAGE_SIZE}: fast on a laptop CPU
model:
  source: scratch           # drawn shapes look nothing like ImageNet photos; a small CNN trains in seconds
  backbone: simple-cnn
regularization:
  augmentation: [hflip, rotation, color-jitter]  # no random crops: a crop can cut a triangle's corner off
  early_stopping: {{patience: 6}}                  # 100 validation images give noisy scores: wait longer
training:
  batch_size: 16            # 20 steps per epoch on the 310 training images
  epochs: 20                # about a minute on a laptop CPU
"""


@dataclass
class DemoResult:
    """What the demo wrote: where, how many images, and the problems planted in the data."""

    dest: Path
    images: int
    problems: list[str] = field(default_factory=list)


def file_name(label: str, index: int) -> str:
    return f"{label}_{index:03d}.png"


def write_demo(dest: Path, *, force: bool = False, seed: int = SEED) -> DemoResult:
    """Write DEST/data (train/ and val/ class folders) and DEST/answers.yml; all at once or nothing.

    A non-empty DEST is refused unless `force`; then only DEST/data and DEST/answers.yml are replaced.
    """
    dest = dest.expanduser().absolute()
    _check_destination(dest, force=force)
    created = _make_parents(dest.parent)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=dest.parent))
    except OSError as exc:
        raise DestinationError(f"{dest.parent}: cannot write here ({exc.strerror}); choose a folder you can "
                               "write to") from None
    try:
        result = _write_tree(staging, seed)
        _move_into_place(staging, dest)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        if isinstance(exc, OSError):
            where = dest if exc.filename is None or str(staging) in str(exc.filename) else exc.filename
            raise DestinationError(f"{where}: cannot write ({exc.strerror or exc}); nothing was written") from None
        raise
    shutil.rmtree(staging, ignore_errors=True)
    result.dest = dest
    return result


def _check_destination(dest: Path, *, force: bool) -> None:
    if dest.exists() and not dest.is_dir():
        raise DestinationError(f"{dest}: exists and is not a folder; choose another destination")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise DestinationError(
            f"{dest}: folder is not empty; choose a new folder, or pass --force to replace its "
            f"{DATA_NAME}/ and {ANSWERS_NAME} (other files are kept)"
        )


def _make_parents(folder: Path) -> Path | None:
    """Create missing parent folders; return the topmost one created (removed again on failure)."""
    topmost = None
    probe = folder
    while not probe.exists():
        topmost, probe = probe, probe.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DestinationError(f"{folder}: cannot be created ({exc.strerror})") from None
    return topmost


def _move_into_place(staging: Path, dest: Path) -> None:
    """A new DEST is the staging folder renamed; into an existing one (empty, or --force) data/ and
    answers.yml are moved, so that a DEST that is the current folder stays the same folder."""
    if not dest.exists():
        os.replace(staging, dest)
        return
    old = staging / ".replaced"
    old.mkdir()
    for name in (DATA_NAME, ANSWERS_NAME):
        if (dest / name).exists() or (dest / name).is_symlink():
            os.replace(dest / name, old / name)
        os.replace(staging / name, dest / name)


def _write_tree(root: Path, seed: int) -> DemoResult:
    rng = random.Random(seed)
    data = root / DATA_NAME
    written: dict[tuple[str, str, int], Path] = {}
    val_counts = {**VAL_COUNTS, STRAY_CLASS: STRAY_COUNT}
    for split, counts in (("train", TRAIN_COUNTS), ("val", val_counts)):
        for label, count in counts.items():
            folder = data / split / label
            folder.mkdir(parents=True)
            # val files continue the class's numbering, so that every file name in the dataset is unique
            start = 0 if split == "train" else TRAIN_COUNTS.get(label, 0)
            for position in range(count):
                path = folder / file_name(label, start + position)
                draw_shape(label, rng).save(path, format="PNG")
                written[(split, label, position)] = path

    label, index, position = DUPLICATE
    copy_of, duplicate = written[("train", label, index)], written[("val", label, position)]
    shutil.copyfile(copy_of, duplicate)
    label, index = CORRUPT
    corrupt = written[("train", label, index)]
    corrupt.write_bytes(corrupt.read_bytes()[: corrupt.stat().st_size // 2])
    (root / ANSWERS_NAME).write_text(ANSWERS_YAML, encoding="utf-8")

    def rel(path: Path) -> str:
        return path.relative_to(root).as_posix()

    largest, smallest = max(TRAIN_COUNTS, key=TRAIN_COUNTS.get), min(TRAIN_COUNTS, key=TRAIN_COUNTS.get)
    ratio = TRAIN_COUNTS[largest] / TRAIN_COUNTS[smallest]
    stray = f"{DATA_NAME}/val/{STRAY_CLASS}"
    return DemoResult(
        dest=root,  # the staging folder; write_demo sets the final place
        images=len(written),
        problems=[
            (f"class imbalance: {TRAIN_COUNTS[largest]} training images of {largest}, "
             f"{TRAIN_COUNTS[smallest]} of {smallest} ({ratio:.0f}:1)"),
            f"a corrupt (truncated) image: {rel(corrupt)}",
            f"a validation image that is also in training: {rel(duplicate)} = {rel(copy_of)}",
            f"a label only in validation: {stray}/ ({STRAY_COUNT} images)",
        ],
    )


def draw_shape(label: str, rng: random.Random) -> Image.Image:
    """One IMAGE_SIZE x IMAGE_SIZE RGB image of a shape: random colours, size, place, rotation and noise."""
    from PIL import Image, ImageDraw

    big = IMAGE_SIZE * SUPERSAMPLE
    dark_background = rng.random() < 0.5
    background = _colour(rng, saturation=(0.0, 0.5), value=(0.05, 0.35) if dark_background else (0.65, 0.95))
    fill = _colour(rng, saturation=(0.4, 1.0), value=(0.65, 1.0) if dark_background else (0.1, 0.45))
    image = Image.new("RGB", (big, big), background)
    pen = ImageDraw.Draw(image)
    for _ in range(rng.randint(0, 2)):  # clutter: thin lines the model has to learn to ignore
        clutter = _colour(rng, saturation=(0.0, 0.6), value=(0.3, 0.8))
        pen.line([_point(rng, big) for _ in range(2)], fill=clutter, width=SUPERSAMPLE)
    radius = rng.uniform(0.2, 0.4) * big
    cx, cy = (rng.uniform(radius + 2, big - radius - 2) for _ in range(2))
    if label == "circle":
        pen.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill)
    else:
        pen.polygon(_polygon(label, cx, cy, radius, rng.uniform(0, 2 * math.pi)), fill=fill)
    image = image.resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.LANCZOS)
    noise = Image.frombytes("L", (IMAGE_SIZE, IMAGE_SIZE), rng.randbytes(IMAGE_SIZE * IMAGE_SIZE))
    return Image.blend(image, noise.convert("RGB"), rng.uniform(0.03, 0.15))


def _polygon(label: str, cx: float, cy: float, radius: float, angle: float) -> list[tuple[float, float]]:
    if label == "star":  # five points, inner corners at 45% of the radius
        radii = [radius if k % 2 == 0 else 0.45 * radius for k in range(10)]
    else:
        radii = [radius] * {"square": 4, "triangle": 3, "hexagon": 6}[label]
    step = 2 * math.pi / len(radii)
    return [(cx + r * math.cos(angle + k * step), cy + r * math.sin(angle + k * step))
            for k, r in enumerate(radii)]


def _colour(rng: random.Random, *, saturation: tuple[float, float],
            value: tuple[float, float]) -> tuple[int, ...]:
    rgb = colorsys.hsv_to_rgb(rng.random(), rng.uniform(*saturation), rng.uniform(*value))
    return tuple(round(255 * c) for c in rgb)


def _point(rng: random.Random, size: int) -> tuple[float, float]:
    return rng.uniform(0, size), rng.uniform(0, size)


def next_commands(result: DemoResult, cwd: Path | None = None) -> list[str]:
    """The walkthrough as commands: check the data, generate, test capacity, train, evaluate."""
    cwd = cwd or Path.cwd()
    try:
        shown = result.dest.relative_to(cwd).as_posix()
    except ValueError:
        shown = str(result.dest)
    steps = [] if shown == "." else [(f"cd {shlex.quote(shown)}", "")]
    steps += [
        (f"trainwizard check-data {DATA_NAME}", "finds them (exit 1: three are errors)"),
        (f"trainwizard new --answers {ANSWERS_NAME}", "the wizard, pre-filled; it leaves those three out"),
        (f"cd {PROJECT_SLUG} && pip install -e .", ""),
        ("python scripts/capacity_test.py", "can the model fit a small subset? PASS"),
        ("python scripts/baseline.py", "what simple models score: the bar to beat"),
        ("python scripts/train.py --run-dir runs/first", ""),
        ("python scripts/evaluate.py --checkpoint runs/first/best.pt", ""),
    ]
    return [f"{command.ljust(COMMENT_COLUMN)}  # {comment}" if comment else command
            for command, comment in steps]
