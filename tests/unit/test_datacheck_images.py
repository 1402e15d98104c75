"""Data checks on image files: corrupt, truncated, empty and mis-named files, duplicates and leakage,
sizes, modes and EXIF rotation."""

from __future__ import annotations

import collections
import io
import random
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from tests.unit.datacheck_fixtures import (
    image_bytes,
    imagefolder,
    jpeg_truncations,
    png_with_bad_bytes,
    write,
    write_csv,
)
from wizard.datacheck import imagefile, scan


@pytest.mark.parametrize("cut", sorted(jpeg_truncations()))
def test_truncated_jpeg_passes_verify_but_fails_the_reduced_decode(cut: str) -> None:
    data = jpeg_truncations()[cut]
    Image.open(io.BytesIO(data)).verify()  # the check most tools rely on accepts the broken file
    _digest, fmt, problem, width, height, *_ = imagefile.inspect_bytes(data)
    assert (fmt, problem, width, height) == ("JPEG", "corrupt: truncated", 64, 64)


def test_jpeg_decode_is_reduced_in_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = []
    real_load = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile):
        result = real_load(self)
        sizes.append(self.size)
        return result

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    assert imagefile.inspect_bytes(image_bytes(size=(256, 128)))[2] is None
    assert sizes[0] == (128, 64)  # the IDCT scales by 1/2, the most that keeps both sides at the thumbnail's 64


def test_truncated_images_are_errors_whatever_pillow_was_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    results = dict(imagefile.inspect_many([(0, _tmp_file(jpeg_truncations()["half"]))]))
    assert results[0][2] == "corrupt: truncated"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for the caller


def _full_reduced_decode_fails(data: bytes) -> bool:
    """The reference verdict: decode every block of the file at 1/8 scale."""
    try:
        im = Image.open(io.BytesIO(data), formats=["JPEG"])
        im.draft("L", (max(1, im.width // 8), max(1, im.height // 8)))
        im.load()
    except Exception:  # noqa: BLE001 - any failure is the verdict
        return True
    return False


def _jpeg_variants() -> dict[str, bytes]:
    noisy = image_bytes(size=(64, 48), seed=11, noisy=True)
    image = Image.open(io.BytesIO(noisy))
    with_restarts, with_comment, gray = io.BytesIO(), io.BytesIO(), io.BytesIO()
    image.save(with_restarts, "JPEG", restart_marker_blocks=4)
    # a comment holding scan and end markers, which a decoder must skip by its length, not by its bytes
    image.save(with_comment, "JPEG", comment=b"\xff\xda\x00\x08\xff\xd9")
    image.convert("L").save(gray, "JPEG", quality=60)
    return {
        "baseline": noisy,
        "progressive": image_bytes(size=(64, 48), seed=11, noisy=True, progressive=True),
        "restart markers": with_restarts.getvalue(),
        "comment with markers": with_comment.getvalue(),
        "grayscale": gray.getvalue(),
        "exif": image_bytes(size=(64, 48), seed=12, orientation=6),
    }


def _corruptions(data: bytes, rnd: random.Random) -> dict[str, bytes]:
    scan = data.rindex(b"\xff\xda")

    def flipped(lo: int, hi: int, flips: int) -> bytes:
        out = bytearray(data)
        for _ in range(flips):
            out[rnd.randrange(lo, hi)] ^= 1 << rnd.randrange(8)
        return bytes(out)

    cut = rnd.randrange(scan + 16, len(data) - 2)
    return {
        "intact": data,
        "cut in the header": data[: rnd.randrange(4, scan)],
        "cut in the scan data": data[:cut],
        "cut, end marker appended": data[:cut] + b"\xff\xd9",
        "cut, zero padded": data[:cut] + bytes(len(data) - cut),
        "no end marker": data[:-2],
        "data after the end": data + rnd.randbytes(64),
        "header bits flipped": flipped(2, scan + 10, 3),
        "scan bits flipped": flipped(scan + 16, len(data) - 2, 8),
    }


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow on the flipped EXIF bytes
def test_jpeg_verdict_is_that_of_a_full_reduced_decode() -> None:
    rnd = random.Random(5)
    verdicts = collections.Counter()
    for variant, data in _jpeg_variants().items():
        for _ in range(12):
            for corruption, broken in _corruptions(data, rnd).items():
                flagged = imagefile.inspect_bytes(broken)[2] is not None
                assert flagged == _full_reduced_decode_fails(broken), (variant, corruption)
                verdicts[flagged] += 1
    assert verdicts[True] > 100 and verdicts[False] > 100  # the suite holds both kinds


def test_sound_jpeg_streams_are_measured_from_their_pixels() -> None:
    for data in (image_bytes(size=(128, 96), seed=11, noisy=True),
                 image_bytes(size=(64, 48), seed=11, noisy=True, progressive=True)):
        result = imagefile.inspect_bytes(data)
        problem, looks = result[2], result[7]
        assert (problem, looks is not None) == (None, True)
        assert looks[2] > 20  # noise: a wide spread of brightness, so the pixels were decoded


def _tmp_file(data: bytes) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".jpg", delete=False) as f:
        f.write(data)
    return f.name


def test_png_with_bad_bytes_is_corrupt() -> None:
    _, fmt, problem, *_ = imagefile.inspect_bytes(png_with_bad_bytes())
    assert fmt == "PNG" and problem is not None and problem.startswith("corrupt")


@pytest.mark.parametrize(("data", "expected"), [
    (b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "not-image: HTML page"),
    (b"just some words", "not-image: text"),
    (b"\x00\x01\x02\xfe\xff" * 20, "not-image: unknown binary content"),
    (b"", "empty"),
])
def test_files_that_are_not_images(data: bytes, expected: str) -> None:
    assert imagefile.inspect_bytes(data)[2] == expected


def test_every_file_problem_is_reported_once_with_examples(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 10, "train/dog": 10, "val/cat": 2, "val/dog": 2})
    write(root / "train/cat/truncated.jpg", jpeg_truncations()["90%"])
    write(root / "train/cat/zero.jpg", b"")
    write(root / "train/dog/page.jpg", b"<html><body>Access denied</body></html>")
    write(root / "train/dog/badbytes.png", png_with_bad_bytes())
    write(root / "train/dog/really_png.jpg", image_bytes("PNG", seed=77))
    report = scan(root, workers=1)
    found = {c.id: c for c in report.checks}
    truncated, bad_png = found["corrupt-image"].examples
    assert truncated == "train/cat/truncated.jpg (truncated)"
    assert bad_png.startswith("train/dog/badbytes.png (broken")
    assert found["empty-file"].examples == ["train/cat/zero.jpg"]
    assert found["not-an-image"].examples == ["train/dog/page.jpg (HTML page)"]
    assert found["extension-mismatch"].examples == ["train/dog/really_png.jpg (a PNG file)"]
    assert found["extension-mismatch"].severity == "warning"
    assert all(found[i].severity == "error" for i in ("corrupt-image", "empty-file", "not-an-image"))
    assert report.images is not None and report.images.count == 25


def test_duplicates_conflicting_labels_and_train_val_leakage(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 10, "train/dog": 10, "val/cat": 3, "val/dog": 3})
    write(root / "train/cat/copy.jpg", (root / "train/cat/000.jpg").read_bytes())      # plain duplicate
    write(root / "train/dog/as_dog.jpg", (root / "train/cat/001.jpg").read_bytes())    # conflicting labels
    write(root / "val/cat/leak.jpg", (root / "train/cat/002.jpg").read_bytes())        # train/val leakage
    report = scan(root, workers=1)
    duplicates = report.check("duplicate-files")  # within a split: a warning, as near copies there are
    assert duplicates is not None and duplicates.count == 2 and duplicates.severity == "warning"
    assert "train/cat/000.jpg = train/cat/copy.jpg" in duplicates.examples
    conflict = report.check("duplicate-conflicting-labels")
    assert conflict is not None and conflict.severity == "error"
    assert conflict.examples == ["train/cat/001.jpg (cat) = train/dog/as_dog.jpg (dog)"]
    leak = report.check("train-val-duplicates")  # across splits: leakage, an error as a near copy there is
    assert leak is not None and leak.severity == "error"
    assert leak.examples == ["val/cat/leak.jpg = train/cat/002.jpg"]
    assert report.unusable == ["val/cat/leak.jpg"]  # the copy is recommended for data.exclude, not the original
    assert "train-val-duplicates" not in {c.id for c in report.findings_left(report.unusable)}


def test_exact_copies_across_val_and_test_leave_the_later_split(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 4, "val/cat": 2, "test/cat": 2})
    write(root / "test/cat/again.jpg", (root / "val/cat/000.jpg").read_bytes())
    write(root / "val/cat/twice.jpg", (root / "val/cat/001.jpg").read_bytes())
    report = scan(root, workers=1)
    leak = report.check("train-val-duplicates")
    assert leak is not None and leak.severity == "error"
    assert leak.examples == ["test/cat/again.jpg = val/cat/000.jpg"]
    within = report.check("duplicate-files")
    assert within is not None and within.severity == "warning"
    assert within.examples == ["val/cat/001.jpg = val/cat/twice.jpg"]
    assert report.unusable == ["test/cat/again.jpg"]


def test_exif_rotation_modes_and_odd_sizes(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 10})
    write(root / "cat/rotated.jpg", image_bytes(seed=60, orientation=6))
    write(root / "cat/upright.jpg", image_bytes(seed=61, orientation=1))
    write(root / "dog/gray.png", image_bytes("PNG", seed=62, mode="L"))
    write(root / "dog/alpha.png", image_bytes("PNG", seed=63, mode="RGBA"))
    write(root / "dog/huge.png", image_bytes("PNG", size=(400, 300), seed=64))
    report = scan(root, workers=1)
    rotation = report.check("exif-rotation")
    assert rotation is not None and rotation.examples == ["cat/rotated.jpg (orientation 6)"]
    modes = report.check("mixed-modes")
    assert modes is not None and modes.examples == ["dog/alpha.png (RGBA)", "dog/gray.png (L)"]
    odd = report.check("odd-image-size")
    assert odd is not None and odd.examples == ["dog/huge.png (400x300)"]
    summary = report.images
    assert summary is not None
    assert summary.exif_rotated == 1
    assert summary.modes == {"L": 1, "RGB": 23, "RGBA": 1}
    assert summary.formats == {"JPEG": 22, "PNG": 3}
    assert (summary.min_size, summary.median_size, summary.max_size) == ((24, 24), (24, 24), (400, 300))


def test_oversized_images_and_broken_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 10})
    write(root / "cat/big.png", image_bytes("PNG", size=(300, 300), seed=5))
    (root / "dog/gone.jpg").symlink_to(tmp_path / "nowhere.jpg")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 300 * 300 // 3)  # the bomb check refuses above twice this
    report = scan(root, workers=1, use_cache=False)
    assert report.check("image-too-large").examples[0].startswith("cat/big.png (")
    unreadable = report.check("unreadable-file")
    assert unreadable is not None and unreadable.examples == ["dog/gone.jpg (No such file or directory)"]


def test_unusable_paths_name_bad_files_and_stray_classes_for_data_exclude(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "split", {"train/cat": 3, "train/dog": 3, "val/cat": 2, "val/owl": 2})
    write(root / "train/dog/broken.jpg", jpeg_truncations()["half"])
    write(root / "val/owl/empty.jpg", b"")  # inside the stray class: the folder entry covers it
    write(root / "val/cat/page.jpg", b"<html>404</html>")
    assert scan(root, workers=1).unusable == ["train/dog/broken.jpg", "val/cat/page.jpg", "val/owl/"]
    assert scan(imagefolder(tmp_path / "clean", {"cat": 3, "dog": 3}), workers=1).unusable == []


def test_unusable_paths_of_a_manifest_are_its_files(tmp_path: Path) -> None:
    root = tmp_path / "data"
    rows = []
    for i, (label, split) in enumerate([("cat", "train"), ("dog", "train"), ("cat", "val"), ("owl", "val")]):
        write(root / "images" / f"{i}.jpg", image_bytes(seed=i))
        rows.append([f"images/{i}.jpg", label, split])
    write(root / "images" / "0.jpg", b"")
    write_csv(root / "labels.csv", ["path", "label", "split"], rows)
    assert scan(root / "labels.csv", workers=1).unusable == ["images/0.jpg", "images/3.jpg"]
