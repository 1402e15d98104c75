"""Recall and false alarms of the image checks on a planted set (issue 20), optionally next to cleanvision's.

Builds, from a seed, an image folder with train/val splits and class folders: crops, rescales, flips and colour
shifts of scikit-learn's two sample photos (china, flower) as clean images, plus planted problems with a
recorded ground truth: near duplicates (re-encoded at JPEG quality 40, resized by a few px, cropped 3 % a
side, recompressed as PNG; within train and across train/val), too dark, too bright, blurry, near-constant,
odd size, odd aspect ratio, grey stored as RGB, EXIF-rotated and unreadable files. Then runs trainwizard's
scan and prints, per kind: planted, found, recall, and false alarms among the clean images (bar: recall
>= 90 % for each kind, false alarms <= 1 % of the clean images).

With --cleanvision PYTHON (a separate venv with cleanvision, never a project dependency), runs cleanvision on
a copy without the unreadable files (it stops on them) through scripts/cleanvision_planted.py and prints its
table too; its issue types are mapped to the same kinds.

    python scripts/eval_datacheck_planted.py [--seed 0] [--dir DIR] [--cleanvision /tmp/cv-venv/bin/python]
                                             [--digits]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from PIL import Image, ImageEnhance, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wizard.datacheck import near_duplicates, scan, scanner
from wizard.datacheck import report as report_module

SIDE = 256
CLEAN = 440
CLASSES = ("c0", "c1", "c2", "c3", "c4")
VAL_SHARE = 0.2
COPIES = ("jpeg-q40", "resized", "cropped-3%", "png")
COPIES_WITHIN, COPIES_ACROSS = 6, 4  # of each copy kind: 24 pairs within train, 16 across train/val
PLANTED = {"dark": 20, "bright": 20, "blurry": 20, "constant": 15, "odd-size": 10, "odd-aspect": 10,
           "grey": 15, "exif-rotated": 10, "unreadable": 3}
KINDS = ("near-duplicate", *PLANTED)
CHECK_KINDS = {
    "near-duplicate-leakage": "near-duplicate", "near-duplicate-files": "near-duplicate",
    "dark-images": "dark", "bright-images": "bright", "blurry-images": "blurry",
    "low-information-images": "constant", "odd-image-size": "odd-size", "odd-aspect-ratio": "odd-aspect",
    "grey-among-colour": "grey", "exif-rotation": "exif-rotated", "corrupt-image": "unreadable",
    "not-an-image": "unreadable",
}
CLEANVISION_KINDS = {"dark": "dark", "light": "bright", "blurry": "blurry", "low_information": "constant",
                     "odd_size": "odd-size", "odd_aspect_ratio": "odd-aspect", "grayscale": "grey"}


TURNS = (None, *Image.Transpose)  # the 8 ways to turn or mirror a square
SAME_SCALE = 1.3  # crops of one photo, turned alike, closer in scale than this ...
SAME_PLACE = 0.25 # ... whose centres lie closer than this share of their side show mostly the same view


def _same_view(a: tuple[int, object, float, float, int], b: tuple[int, object, float, float, int]) -> bool:
    if a[:2] != b[:2] or max(a[4], b[4]) > SAME_SCALE * min(a[4], b[4]):
        return False
    return max(abs(a[2] - b[2]), abs(a[3] - b[3])) < SAME_PLACE * min(a[4], b[4])


MIN_DETAIL = 0.10
"""A clean image shows something: at least this share of its pixels lie on an edge (Pillow's FIND_EDGES above
12 at full size; the crops' median is about 0.2). Crops of bare sky or of the flower photo's blurred background
fall below and are redrawn: they are low-information, washed-out or blurry images themselves (and bare-sky
crops with a roof in one corner look alike), which the checks rightly flag, so they cannot be clean ground
truth. Measured differently from the checks (full size, edge share, not the thumbnail's figures)."""
EDGE_LEVEL = 12


def _detail(image: Image.Image) -> float:
    """Share of the pixels on an edge."""
    edges = image.convert("L").filter(ImageFilter.FIND_EDGES)
    histogram = edges.crop((1, 1, edges.width - 1, edges.height - 1)).histogram()
    return sum(histogram[EDGE_LEVEL + 1:]) / max(1, sum(histogram))


class Planter:
    """Writes the planted set and records what each file is."""

    def __init__(self, root: Path, seed: int) -> None:
        from sklearn.datasets import load_sample_images

        self.root = root
        self.rnd = random.Random(seed)
        self.photos = [Image.fromarray(array) for array in load_sample_images().images]
        self.truth: dict[str, str] = {}  # name -> kind ("clean" for the clean images)
        self.pairs: list[tuple[str, str, str]] = []  # (original, copy, how it was copied)
        self.count = 0
        self.views: list[tuple[int, object, float, float, int]] = []
        self.featureless = 0  # crops redrawn as mostly bare sky or blurred background

    def photo(self, side: int = SIDE) -> Image.Image:
        """A natural-looking square crop: random place and scale, maybe mirrored or upside down, colours shifted
        a little; never mostly the same view as an earlier crop (two crops of one photo, turned alike, at
        about the same scale and place would be near duplicates themselves, not clean images)."""
        rnd = self.rnd
        while True:
            which, turn = rnd.randrange(len(self.photos)), rnd.choice(TURNS)
            photo = self.photos[which]
            crop = rnd.randint(150, 400)
            x, y = rnd.randint(0, photo.width - crop), rnd.randint(0, photo.height - crop)
            view = (which, turn, x + crop / 2, y + crop / 2, crop)
            if any(_same_view(view, other) for other in self.views):
                continue
            image = photo.crop((x, y, x + crop, y + crop))
            if _detail(image) >= MIN_DETAIL:
                break
            self.featureless += 1
        self.views.append(view)
        if turn is not None:
            image = image.transpose(turn)
        image = image.resize((side, side), Image.Resampling.LANCZOS)
        gains = [rnd.uniform(0.85, 1.15) for _ in range(3)]
        bands = [band.point(lambda v, g=g: min(255, round(v * g))) for band, g in zip(image.split(), gains)]
        return ImageEnhance.Brightness(Image.merge("RGB", bands)).enhance(rnd.uniform(0.85, 1.15))

    def save(self, image: Image.Image, kind: str, split: str = "train", fmt: str = "JPEG",
             **options: object) -> str:
        self.count += 1
        suffix = {"JPEG": "jpg", "PNG": "png"}[fmt]
        name = f"{split}/{self.rnd.choice(CLASSES)}/img_{self.count:04d}.{suffix}"
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "JPEG":
            options = {"quality": 90, **options}
        image.save(path, fmt, **options)
        self.truth[name] = kind
        return name

    def build(self) -> None:
        rnd = self.rnd
        clean = []
        for _ in range(CLEAN):
            split = "val" if rnd.random() < VAL_SHARE else "train"
            clean.append(self.save(self.photo(), "clean", split))
        originals = iter(rnd.sample([n for n in clean if n.startswith("train/")], len(COPIES) * 10))
        for how in COPIES:
            for n in range(COPIES_WITHIN + COPIES_ACROSS):
                original = next(originals)
                self._copy(original, how, "train" if n < COPIES_WITHIN else "val")
        self._plant_quality()

    def _copy(self, original: str, how: str, split: str) -> None:
        image = Image.open(self.root / original).convert("RGB")
        if how == "jpeg-q40":
            name = self.save(image, "near-duplicate", split, quality=40)
        elif how == "resized":
            side = SIDE + self.rnd.choice((-6, -4, -2, 2, 4, 6))
            name = self.save(image.resize((side, side), Image.Resampling.LANCZOS), "near-duplicate", split)
        elif how == "cropped-3%":
            m = round(SIDE * 0.03)
            name = self.save(image.crop((m, m, SIDE - m, SIDE - m)), "near-duplicate", split)
        else:
            name = self.save(image, "near-duplicate", split, "PNG")
        # The original is not counted as clean any more: it is one half of a planted pair.
        self.truth[original] = "near-duplicate"
        self.pairs.append((original, name, how))

    def _plant_quality(self) -> None:
        rnd = self.rnd
        for _ in range(PLANTED["dark"]):
            self.save(ImageEnhance.Brightness(self.photo()).enhance(rnd.uniform(0.12, 0.25)), "dark")
        for _ in range(PLANTED["bright"]):
            white = Image.new("RGB", (SIDE, SIDE), "white")
            self.save(Image.blend(self.photo(), white, rnd.uniform(0.75, 0.85)), "bright")
        for _ in range(PLANTED["blurry"]):
            self.save(self.photo().filter(ImageFilter.GaussianBlur(rnd.uniform(4, 6))), "blurry")
        for _ in range(PLANTED["constant"]):
            colour = tuple(rnd.randint(30, 220) for _ in range(3))
            noise = Image.effect_noise((SIDE, SIDE), 2).convert("RGB")  # a scanner's or sensor's faint noise
            self.save(Image.blend(Image.new("RGB", (SIDE, SIDE), colour), noise, 0.05), "constant")
        for n in range(PLANTED["odd-size"]):
            self.save(self.photo(56 if n % 2 else 1100), "odd-size")
        for n in range(PLANTED["odd-aspect"]):
            wide = self.photo(600).crop((0, 190, 600, 410))
            self.save(wide if n % 2 else wide.transpose(Image.Transpose.ROTATE_90), "odd-aspect")
        for _ in range(PLANTED["grey"]):
            self.save(self.photo().convert("L").convert("RGB"), "grey")
        for n in range(PLANTED["exif-rotated"]):
            exif = Image.Exif()
            exif[0x0112] = (6, 8, 3)[n % 3]
            self.save(self.photo(), "exif-rotated", exif=exif.tobytes())
        self._plant_unreadable()

    def _plant_unreadable(self) -> None:
        for n in range(PLANTED["unreadable"]):
            self.count += 1
            name = f"train/{CLASSES[n % len(CLASSES)]}/img_{self.count:04d}.jpg"
            buffer = io.BytesIO()
            self.photo().save(buffer, "JPEG", quality=90)
            data = buffer.getvalue()[: len(buffer.getvalue()) // 2] if n < 2 else b"<html><body>404</body></html>"
            (self.root / name).write_bytes(data)
            self.truth[name] = "unreadable"


def trainwizard_flags(root: Path) -> tuple[dict[str, set[str]], list[list[str]], float]:
    """(kind -> names flagged, near-duplicate groups as names, seconds) from one uncached scan."""
    report_module.MAX_EXAMPLES = 10**9  # every flagged file, not the report's first few
    groups: list[list[str]] = []
    checks = scanner.near_duplicate_checks

    def recorded(items: list[Any], results: dict[str, tuple[Any, ...]], skip: set[str]) -> Any:
        """The checks' result, and every group in full (the report shows a group's first three)."""
        names: dict[str, list[str]] = defaultdict(list)
        for item in items:
            names[results[item.path][0]].append(item.name)
        find = near_duplicates.near_groups

        def near_groups(hashes: dict[str, int], radius: int, layouts: dict[str, str]) -> list[list[str]]:
            found = find(hashes, radius, layouts)
            groups.extend([name for digest in group for name in names[digest]] for group in found)
            return found

        near_duplicates.near_groups = near_groups  # type: ignore[assignment]
        try:
            return checks(items, results, skip)
        finally:
            near_duplicates.near_groups = find

    scanner.near_duplicate_checks = recorded  # type: ignore[assignment]
    start = time.perf_counter()
    try:
        report = scan(root, use_cache=False)
    finally:
        scanner.near_duplicate_checks = checks
    seconds = time.perf_counter() - start
    flags: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for check in report.checks:
        kind = CHECK_KINDS.get(check.id)
        if kind is not None and kind != "near-duplicate":
            flags[kind].update(example.split(" (")[0] for example in check.examples)
    flags["near-duplicate"] = {name for group in groups for name in group}
    sizes = sorted((len(g) for g in groups), reverse=True)
    print(f"trainwizard: {len(groups)} near-duplicate groups, largest {sizes[:5]}")
    return flags, groups, seconds


def cleanvision_flags(python: str, root: Path, truth: dict[str, str]) -> tuple[dict[str, set[str]],
                                                                                  list[list[str]], float]:
    """The same from cleanvision, run by `python` on a copy of the folder without the unreadable files."""
    copy = Path(tempfile.mkdtemp(prefix="planted-cleanvision-"))
    try:
        for name, kind in truth.items():
            if kind != "unreadable":
                (copy / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / name, copy / name)
        helper = Path(__file__).with_name("cleanvision_planted.py")
        start = time.perf_counter()
        out = subprocess.run([python, str(helper), str(copy)], check=True, capture_output=True, text=True).stdout
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    found = json.loads(out.strip().splitlines()[-1])
    flags: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for issue, names in found["issues"].items():
        if issue in CLEANVISION_KINDS:
            flags[CLEANVISION_KINDS[issue]].update(names)
    groups = found["near_duplicate_sets"]
    flags["near-duplicate"] = {name for group in groups for name in group}
    return flags, groups, seconds


def table(title: str, truth: dict[str, str], pairs: list[tuple[str, str, str]],
          flags: dict[str, set[str]], groups: list[list[str]], seconds: float,
          checked: tuple[str, ...] = KINDS) -> list[str]:
    """Prints the per-kind table (kinds not `checked`: n/a); returns the kinds that miss the bar."""
    clean = {name for name, kind in truth.items() if kind == "clean"}
    print(f"\n{title}: {len(truth)} files, {len(clean)} clean, {seconds:.2f} s")
    print(f"{'kind':16} {'planted':>8} {'found':>6} {'recall':>7} {'false alarms':>13} {'of clean':>9}")
    failing = []
    members = [set(group) for group in groups]
    for kind in KINDS:
        if kind == "near-duplicate":
            planted = len(pairs)
            found = sum(1 for original, copy, _ in pairs if any({original, copy} <= g for g in members))
        else:
            names = {name for name, k in truth.items() if k == kind}
            planted, found = len(names), len(names & flags[kind])
        false = len(flags[kind] & clean)
        recall = found / planted if planted else 0.0
        if kind not in checked:
            print(f"{kind:16} {planted:>8} {'n/a':>6} {'':>7} {'':>13} {'':>9}")
            continue
        if recall < 0.9 or false > 0.01 * len(clean):
            failing.append(kind)
        print(f"{kind:16} {planted:>8} {found:>6} {recall:>7.0%} {false:>13} {false / len(clean):>9.1%}")
    alarmed = set().union(*(flags[k] for k in KINDS)) & clean
    print(f"{'any kind':16} {'':>8} {'':>6} {'':>7} {len(alarmed):>13} {len(alarmed) / len(clean):>9.1%}")
    if pairs:
        missed = [f"{how}: {original} / {copy}" for original, copy, how in pairs
                  if not any({original, copy} <= g for g in members)]
        print("near-duplicate pairs missed: " + ("; ".join(missed) if missed else "none"))
    return failing


def digits_findings(root: Path) -> None:
    """scikit-learn's 1,797 digits (8x8 drawings, scaled up to 32 px PNGs in class folders, 20 % in val): a
    set of different drawings that look alike, where the checks should find (almost) nothing. Prints every
    finding about the images' content."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    rnd = random.Random(0)
    for n, (pixels, label) in enumerate(zip(digits.images, digits.target)):
        split = "val" if rnd.random() < VAL_SHARE else "train"
        folder = root / split / str(label)
        folder.mkdir(parents=True, exist_ok=True)
        image = Image.fromarray((pixels * 255 / 16).astype("uint8")).resize((32, 32), Image.Resampling.NEAREST)
        image.save(folder / f"{n:04d}.png")
    report_module.MAX_EXAMPLES = 3
    report = scan(root, use_cache=False)
    content = [c for c in report.checks if c.id in CHECK_KINDS or c.id.startswith("duplicate")]
    print(f"\nscikit-learn digits ({len(digits.images)} PNGs): {len(content)} content finding(s)")
    for check in content:
        print(f"  {check.id} ({check.severity}): {check.count}; {check.title}; e.g. {check.examples[:2]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, help="folder to write the planted set to (default: a temp folder)")
    parser.add_argument("--cleanvision", metavar="PYTHON", help="a python with cleanvision 0.3.7 installed")
    parser.add_argument("--digits", action="store_true",
                        help="also scan scikit-learn's digits, look-alikes that should raise (almost) nothing")
    args = parser.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="planted-"))
    if root.exists() and any(root.iterdir()):
        shutil.rmtree(root)
    planter = Planter(root, args.seed)
    planter.build()
    print(f"planted set (seed {args.seed}) in {root}; {planter.featureless} featureless crops redrawn")
    failing = table("trainwizard check-data", planter.truth, planter.pairs, *trainwizard_flags(root))
    if args.cleanvision:
        table("cleanvision (a copy without the unreadable files)", planter.truth, planter.pairs,
              *cleanvision_flags(args.cleanvision, root, planter.truth),
              checked=("near-duplicate", *CLEANVISION_KINDS.values()))
    if args.digits:
        digits = Path(tempfile.mkdtemp(prefix="digits-"))
        try:
            digits_findings(digits)
        finally:
            shutil.rmtree(digits, ignore_errors=True)
    print("\ntrainwizard: " + (f"below the bar for {', '.join(failing)}" if failing else "every kind meets the bar"))
    if not args.dir:
        shutil.rmtree(root, ignore_errors=True)
    sys.exit(1 if failing else 0)


if __name__ == "__main__":
    main()
