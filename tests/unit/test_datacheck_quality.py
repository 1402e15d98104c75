"""Near duplicates and image quality on generated photos: each check's hits and its near misses (look-alikes
of one class are not duplicates; a dark but detailed photo is not near-constant)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from tests.unit.datacheck_fixtures import write
from wizard.datacheck import imagefile, scan
from wizard.datacheck.near_duplicates import (
    GUARANTEED_ACROSS,
    HALF_BITS,
    MIN_RADIUS,
    NEAR_RADIUS,
    SPREAD_MARGIN,
    near_groups,
    set_radius,
)


def photo(seed: int, size: tuple[int, int] = (128, 128), background: int | None = None) -> Image.Image:
    """A photo-like image: a smooth coloured background (from `background`, default the seed), shapes with
    sharp edges placed by the seed, and a little sensor noise."""
    rnd = random.Random(seed)
    ground = random.Random(seed if background is None else background)
    image = Image.frombytes("RGB", (4, 4), ground.randbytes(48)).resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(10):
        x, y = rnd.randrange(width), rnd.randrange(height)
        w, h = rnd.randrange(8, width // 2), rnd.randrange(8, height // 2)
        shape = draw.ellipse if rnd.random() < 0.5 else draw.rectangle
        shape((x - w // 2, y - h // 2, x + w // 2, y + h // 2), fill=tuple(rnd.randrange(256) for _ in range(3)))
    noise = Image.effect_noise(size, 24).convert("RGB")
    return Image.blend(image, noise, 0.08)


def encoded(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def looks(image: Image.Image, fmt: str = "JPEG", **options: object) -> tuple:
    result = imagefile.inspect_bytes(encoded(image, fmt, **options))
    assert result[2] is None
    return result[7]


def distance(a: tuple, b: tuple) -> int:
    return (a[0] ^ b[0]).bit_count()


def cropped(image: Image.Image, share: float) -> Image.Image:
    width, height = image.size
    dx, dy = round(width * share), round(height * share)
    return image.crop((dx, dy, width - dx, height - dy))


@pytest.mark.parametrize("seed", range(4))
def test_copies_stay_within_the_radius_and_look_alikes_do_not(seed: int) -> None:
    original = photo(seed)
    first = looks(original, quality=90)
    copies = {
        "JPEG quality 40": looks(original, quality=40),
        "resized by -4 px": looks(original.resize((124, 124)), quality=90),
        "resized by +6 px": looks(original.resize((134, 134)), quality=90),
        "cropped by 3 %": looks(cropped(original, 0.03), quality=90),
        "saved as PNG": looks(original, "PNG"),
    }
    for name, copy in copies.items():
        assert distance(first, copy) <= NEAR_RADIUS, name
        assert near_groups({"a": first[0], "b": copy[0]}), name
    # Same background (one class), other shapes: alike at a glance, yet different images.
    look_alike = looks(photo(seed + 100, background=seed), quality=90)
    assert distance(first, look_alike) > NEAR_RADIUS
    assert near_groups({"a": first[0], "b": look_alike[0]}) == []


def _flip(value: int, bits: list[int]) -> int:
    for bit in bits:
        value ^= 1 << bit
    return value


def test_band_index_finds_every_pair_it_guarantees_and_links_no_pair_beyond_the_radii() -> None:
    rnd = random.Random(3)
    hashes: dict[str, int] = {}
    for n in range(150):
        centre = rnd.getrandbits(128)
        hashes[f"{n}"] = centre
        for m in range(rnd.randrange(3)):  # copies with flipped bits: some within the radii, some not
            across = rnd.sample(range(HALF_BITS, 2 * HALF_BITS), rnd.randrange(GUARANTEED_ACROSS + 5))
            down = rnd.sample(range(HALF_BITS), rnd.randrange(NEAR_RADIUS - len(across) + 3))
            hashes[f"{n}.{m}"] = _flip(centre, across + down)

    def within(a: int, b: int, across: int = HALF_BITS) -> bool:
        return ((a ^ b) >> HALF_BITS).bit_count() <= across and (a ^ b).bit_count() <= NEAR_RADIUS

    keys = list(hashes)
    guaranteed = {(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]
                  if within(hashes[a], hashes[b], across=GUARANTEED_ACROSS)}
    assert 30 < len(guaranteed)
    groups = near_groups(hashes)
    group_of = {key: n for n, group in enumerate(groups) for key in group}
    assert all(group_of.get(a) is not None and group_of.get(a) == group_of.get(b) for a, b in guaranteed)
    for group in groups:  # and no group without a close pair inside
        assert all(any(within(hashes[a], hashes[b]) for b in group if b != a) for a in group)
    beyond = sum(1 for key in keys if "." in key and not within(hashes[key], hashes[key.split(".")[0]]))
    assert beyond > 10  # the planted copies include some beyond the radius, left out above


def test_identical_hashes_of_different_files_are_one_group() -> None:
    assert near_groups({"x": 5, "y": 5, "z": (1 << 128) - 1}) == [["x", "y"]]


def test_the_radius_tightens_where_distinct_images_lie_close_together() -> None:
    rnd = random.Random(3)
    spread = [rnd.getrandbits(128) for _ in range(300)]  # distinct photos: nearest neighbours ~45 bits apart
    assert set_radius(spread) == NEAR_RADIUS
    centre = rnd.getrandbits(128)  # tiny drawings: every image a few bits from a common shape
    close = list({_flip(centre, rnd.sample(range(128), 7)) for _ in range(300)})
    typical = sorted(min((a ^ b).bit_count() for b in close if b != a) for a in close)[int(0.75 * (len(close) - 1))]
    assert set_radius(close) == max(MIN_RADIUS, min(NEAR_RADIUS, typical - SPREAD_MARGIN)) < NEAR_RADIUS
    assert set_radius(close[:5]) == NEAR_RADIUS  # too few images to tell


def test_distinct_drawings_of_one_shape_are_not_near_duplicates_but_their_copies_are(tmp_path: Path) -> None:
    """Like scikit-learn's digits: 8x8 drawings scaled up, different drawings only a few hash bits apart."""
    rnd = random.Random(5)
    base = [[rnd.random() < 0.4 for _ in range(8)] for _ in range(8)]
    spec: dict[str, Image.Image | bytes] = {}
    for i in range(60):
        cells = [[v != (rnd.random() < 0.03) for v in row] for row in base]  # this drawing's own strokes
        small = Image.new("L", (8, 8))
        small.putdata([255 * v for row in cells for v in row])
        spec[f"train/d/{i:02d}.png"] = encoded(small.resize((32, 32), Image.BILINEAR).convert("RGB"), "PNG")
    spec["train/d/copy.jpg"] = encoded(Image.open(io.BytesIO(spec["train/d/07.png"])).convert("RGB"), quality=60)
    report = scan(_folder(tmp_path, spec))
    within = report.check("near-duplicate-files")
    assert within is not None and "train/d/07.png ≈ train/d/copy.jpg" in within.examples
    assert within.count <= 12  # a few drawings that nearly coincide, not the set
    from wizard.datacheck.thumbnail import measure

    hashes = {name: measure(Image.open(io.BytesIO(data)))[0] for name, data in spec.items()}
    assert max(len(g) for g in near_groups(hashes, NEAR_RADIUS)) > 40  # the photo radius chains the drawings


def test_one_drawing_in_other_colours_is_not_a_near_duplicate(tmp_path: Path) -> None:
    """The hash sees where brightness rises and falls: a pale disc on a dark ground hashes alike whatever its
    colours (a field check: 303 such 'copies' among 2,402 drawings of shapes); the colours must match too."""

    def drawing(ground: tuple[int, int, int], ink: tuple[int, int, int]) -> Image.Image:
        image = Image.new("RGB", (96, 96), ground)
        ImageDraw.Draw(image).ellipse([20, 20, 70, 70], fill=ink)
        return image

    spec: dict[str, Image.Image | bytes] = {
        "train/a/disc.jpg": encoded(drawing((40, 50, 90), (230, 200, 180)), quality=90),
        "val/a/other_colours.jpg": encoded(drawing((90, 40, 40), (150, 230, 150)), quality=90),
        "val/a/reencoded.jpg": encoded(drawing((40, 50, 90), (230, 200, 180)), quality=50),
    }
    hashes = {name: looks(Image.open(io.BytesIO(data)), quality=90)[0] for name, data in spec.items()}
    assert (hashes["train/a/disc.jpg"] ^ hashes["val/a/other_colours.jpg"]).bit_count() <= NEAR_RADIUS
    report = scan(_folder(tmp_path, spec))
    leakage = report.check("near-duplicate-leakage")
    assert leakage is not None and leakage.examples == ["val/a/reencoded.jpg ≈ train/a/disc.jpg"]


def _folder(root: Path, spec: dict[str, Image.Image | bytes]) -> Path:
    for name, image in spec.items():
        write(root / name, image if isinstance(image, bytes) else encoded(image, quality=90))
    return root


def test_near_copies_across_splits_are_leakage_left_out_through_data_exclude(tmp_path: Path) -> None:
    spec: dict[str, Image.Image | bytes] = {}
    for split, count in (("train", 8), ("val", 3)):
        for label in ("cat", "dog"):
            for i in range(count):
                seed = len(spec) + 1000
                spec[f"{split}/{label}/{i}.jpg"] = photo(seed, background=7 if label == "cat" else 8)
    original = spec["train/cat/0.jpg"]
    spec["val/cat/again.jpg"] = encoded(original, quality=40)
    spec["train/dog/small.png"] = encoded(spec["train/dog/1.jpg"].resize((120, 120)), "PNG")
    report = scan(_folder(tmp_path, spec))
    leakage = report.check("near-duplicate-leakage")
    assert leakage is not None and leakage.severity == "error"
    assert leakage.examples == ["val/cat/again.jpg ≈ train/cat/0.jpg"]
    assert "val/cat/again.jpg" in report.unusable
    assert "near-duplicate-leakage" not in {c.id for c in report.findings_left(report.unusable)}  # settled
    exclude = _recommended_exclude(report)
    assert exclude.recommended == ["val/cat/again.jpg"] and "near copies of training images" in exclude.reason
    within = report.check("near-duplicate-files")
    assert within is not None and within.severity == "warning"
    assert within.examples == ["train/dog/1.jpg ≈ train/dog/small.png"]
    assert report.check("duplicate-files") is None  # no two files hold the same bytes


def test_exact_copies_across_splits_stay_with_the_exact_duplicate_check(tmp_path: Path) -> None:
    spec: dict[str, Image.Image | bytes] = {f"train/a/{i}.jpg": photo(i) for i in range(4)}
    spec.update({f"val/a/{i}.jpg": photo(50 + i) for i in range(2)})
    spec["val/a/same.jpg"] = encoded(spec["train/a/0.jpg"], quality=90)
    report = scan(_folder(tmp_path, spec))
    assert report.check("train-val-duplicates") is not None
    assert report.check("near-duplicate-leakage") is None
    assert report.check("near-duplicate-files") is None


def test_dark_bright_and_near_constant_images(tmp_path: Path) -> None:
    spec: dict[str, Image.Image | bytes] = {f"train/a/{i}.jpg": photo(i) for i in range(6)}
    spec["train/a/dark.jpg"] = ImageEnhance.Brightness(photo(40)).enhance(0.2)
    spec["train/a/dim.jpg"] = ImageEnhance.Brightness(photo(41)).enhance(0.5)
    spec["train/a/washed.jpg"] = Image.blend(photo(42), Image.new("RGB", (128, 128), "white"), 0.8)
    spec["train/a/blank.jpg"] = Image.new("RGB", (128, 128), (40, 90, 200))
    spec["train/a/black.jpg"] = Image.new("RGB", (128, 128), (2, 2, 2))
    blue = Image.new("RGB", (128, 128), (20, 10, 60))
    ImageDraw.Draw(blue).ellipse((20, 20, 100, 100), fill=(30, 40, 255))  # luminance 50, yet a bright blue
    spec["train/a/blue.jpg"] = blue
    report = scan(_folder(tmp_path, spec))
    assert _flagged(report, "dark-images") == ["train/a/dark.jpg"]  # not the dimmed one, nor the black frame
    assert _flagged(report, "bright-images") == ["train/a/washed.jpg"]
    assert _flagged(report, "low-information-images") == ["train/a/black.jpg", "train/a/blank.jpg"]
    assert report.check("near-duplicate-files") is None  # flat images all hash alike: they are left out


def test_a_dark_but_detailed_photo_is_dark_not_near_constant(tmp_path: Path) -> None:
    dark = ImageEnhance.Brightness(photo(5)).enhance(0.25)
    report = scan(_folder(tmp_path, {"train/a/0.jpg": dark, "train/a/1.jpg": photo(6), "train/b/2.jpg": photo(7)}))
    assert _flagged(report, "dark-images") == ["train/a/0.jpg"]
    assert report.check("low-information-images") is None


def test_blurry_images_relative_to_the_set(tmp_path: Path) -> None:
    spec: dict[str, Image.Image | bytes] = {f"train/a/{i}.jpg": photo(i) for i in range(12)}
    spec["train/a/blurred.jpg"] = photo(60).filter(ImageFilter.GaussianBlur(4))
    spec["train/a/soft.jpg"] = photo(61).filter(ImageFilter.GaussianBlur(0.6))
    report = scan(_folder(tmp_path, spec))
    assert _flagged(report, "blurry-images") == ["train/a/blurred.jpg"]


def test_too_few_images_to_judge_blur_or_aspect(tmp_path: Path) -> None:
    spec = {"train/a/0.jpg": photo(0), "train/a/1.jpg": photo(1).filter(ImageFilter.GaussianBlur(4)),
            "train/a/2.jpg": photo(2, size=(256, 64))}
    report = scan(_folder(tmp_path, spec))
    assert report.check("blurry-images") is None and report.check("odd-aspect-ratio") is None


def test_odd_aspect_ratios_relative_to_the_set(tmp_path: Path) -> None:
    spec: dict[str, Image.Image | bytes] = {f"train/a/{i}.jpg": photo(i, size=(160, 120)) for i in range(10)}
    spec["train/a/tall.jpg"] = photo(20, size=(60, 128))
    spec["train/a/square.jpg"] = photo(21, size=(120, 120))  # 4:3 against 1:1: within the factor
    report = scan(_folder(tmp_path, spec))
    check = report.check("odd-aspect-ratio")
    assert check is not None and check.examples == ["train/a/tall.jpg (60x128)"]
    assert "1.3:1" in check.title


def test_grey_among_colour_and_colour_among_grey(tmp_path: Path) -> None:
    colour = {f"train/a/{i}.jpg": photo(i) for i in range(5)}
    colour["train/a/grey.jpg"] = photo(30).convert("L").convert("RGB")  # grey content stored as RGB
    colour["train/a/mode-l.png"] = encoded(photo(31).convert("L"), "PNG")
    report = scan(_folder(tmp_path / "colour", colour))
    assert _flagged(report, "grey-among-colour") == ["train/a/grey.jpg", "train/a/mode-l.png"]
    grey = {f"train/a/{i}.png": encoded(photo(i).convert("L"), "PNG") for i in range(5)}
    grey["train/a/colour.jpg"] = photo(32)
    report = scan(_folder(tmp_path / "grey", grey))
    assert _flagged(report, "colour-among-grey") == ["train/a/colour.jpg"]
    assert report.check("grey-among-colour") is None


def test_a_clean_set_raises_no_quality_finding(tmp_path: Path) -> None:
    names = [f"{split}/{label}/{i}.jpg" for split, n in (("train", 10), ("val", 3)) for label in ("a", "b")
             for i in range(n)]
    spec = {name: photo(2000 + n) for n, name in enumerate(names)}
    report = scan(_folder(tmp_path, spec))
    new = {"near-duplicate-leakage", "near-duplicate-files", "low-information-images", "dark-images",
           "bright-images", "blurry-images", "odd-aspect-ratio", "grey-among-colour", "colour-among-grey"}
    assert not [c.id for c in report.checks if c.id in new]


def test_a_rescan_takes_hashes_and_statistics_from_the_cache(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    spec: dict[str, Image.Image | bytes] = {f"train/a/{i}.jpg": photo(i) for i in range(3)}
    spec["val/a/copy.jpg"] = encoded(spec["train/a/0.jpg"], quality=40)
    spec["train/a/dark.jpg"] = ImageEnhance.Brightness(photo(9)).enhance(0.2)
    root = _folder(tmp_path, spec)
    first = scan(root)

    def no_image_work(*_args: object) -> None:
        raise AssertionError("an unchanged file was decoded again")

    monkeypatch.setattr(imagefile, "inspect_bytes", no_image_work)
    again = scan(root, backbone="resnet18")  # another option: the file cache answers, not the report memo
    assert again.stats.decoded == 0
    for check_id in ("near-duplicate-leakage", "dark-images"):
        assert again.check(check_id) is not None and again.check(check_id) == first.check(check_id)
    assert again.unusable == first.unusable == ["val/a/copy.jpg"]


def _recommended_exclude(report):
    """The wizard's data.exclude decision for this report (the knowledge rules, as the UI resolves them)."""
    from wizard.answers import validate_answers
    from wizard.knowledge import resolve

    answers = validate_answers({"project": {"name": "t"}, "data": {"path": "x"}}, partial=True)
    return next(d for d in resolve(answers, report.facts()).decisions if d.key == "data.exclude")


def _flagged(report, check_id: str) -> list[str]:
    check = report.check(check_id)
    return check.examples if check else []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_data_checks_states_the_thresholds_in_use(lang: str) -> None:
    from wizard.datacheck import quality_checks as q
    from wizard.knowledge.explain import explain

    taught = explain("data-checks", lang)
    for shown in (NEAR_RADIUS, SPREAD_MARGIN, MIN_RADIUS, q.DARK_LEVEL, q.BRIGHT_LEVEL, f"{q.LOW_INFORMATION_STD:g}",
                  f"{q.BLURRY_SHARE * 100:g}", f"{q.ODD_ASPECT_FACTOR:g}"):
        assert f"{shown}" in taught
    assert "calibrate_datacheck.py" in taught


def test_what_most_images_share_is_the_data_not_a_finding(tmp_path: Path) -> None:
    night = {f"train/a/{i}.jpg": ImageEnhance.Brightness(photo(i)).enhance(0.2) for i in range(6)}
    night["train/a/day.jpg"] = photo(50)
    swatches = {f"train/{i % 2}/{i}.png": encoded(Image.new("RGB", (24, 24), (i * 37 % 256, i * 11, 40)), "PNG")
                for i in range(12)}
    for name, spec in (("night", night), ("swatches", swatches)):
        report = scan(_folder(tmp_path / name, spec))
        quality = {"low-information-images", "dark-images", "bright-images", "blurry-images",
                   "grey-among-colour", "colour-among-grey", "near-duplicate-files"}
        assert not [c.id for c in report.checks if c.id in quality], name
