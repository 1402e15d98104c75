"""Data checks: the cache, worker processes, progress, model-size checks, and the report's outputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.unit.datacheck_fixtures import image_bytes, imagefolder, jpeg_truncations, write
from wizard.answers import DataFacts
from wizard.datacheck import DataReport, imagefile, imbalance_band, runner, scan
from wizard.datacheck.report_text import render_markdown, report_renderables
from wizard.errors import DataError


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Counts the files decoded in this process."""
    seen: list[bytes] = []
    real = imagefile.inspect_bytes

    def counting(data: bytes):
        seen.append(data)
        return real(data)

    monkeypatch.setattr(imagefile, "inspect_bytes", counting)
    return seen


def _cache_files() -> list[Path]:
    return sorted((Path(os.environ["XDG_CACHE_HOME"]) / "trainwizard").rglob("*.json"))


def _cache_file(kind: str) -> Path:
    """The one cache file of a kind: 'json' (per-file results), 'folders.json' or 'report.json'."""
    (found,) = [f for f in _cache_files() if f.name.split(".", 1)[1] == kind]
    return found


def test_a_rescan_of_an_unchanged_folder_decodes_nothing(tmp_path: Path, decodes: list[bytes]) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 12})
    write(root / "cat" / "broken.jpg", jpeg_truncations()["half"])
    first = scan(root, workers=1)
    assert len(decodes) == 23 and first.stats.decoded == 23 and first.stats.cached == 0
    assert [f.name.split(".", 1)[1] for f in _cache_files()] == ["folders.json", "json", "pixels.json", "report.json"]
    second = scan(root, workers=1)
    assert len(decodes) == 23
    assert (second.stats.decoded, second.stats.cached) == (0, 23)
    assert second.to_dict() | {"stats": None} == first.to_dict() | {"stats": None}


def _no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, any image opened or inspected fails the test."""
    from PIL import Image

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an image was decoded in a rescan of an unchanged folder")

    for target, name in ((imagefile, "inspect_bytes"), (imagefile, "inspect_path"), (Image, "open")):
        monkeypatch.setattr(target, name, refuse)


@pytest.mark.parametrize("options", [{}, {"backbone": "resnet18"}, {"task": "image-classification"}])
def test_a_rescan_of_an_unchanged_folder_does_no_image_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           options: dict[str, str]) -> None:
    """Not even with other options (a report built again): hashes, quality figures and pixel statistics
    all come from the cache."""
    root = imagefolder(tmp_path / "data", {"train/cat": 10, "train/dog": 12, "val/cat": 3, "val/dog": 3})
    write(root / "val/cat/leak.jpg", (root / "train/cat/002.jpg").read_bytes())
    first = scan(root, workers=1)
    assert first.images is not None and first.images.pixels is not None
    _no_decoding(monkeypatch)
    again = scan(root, workers=1, **options)
    assert (again.stats.decoded, again.stats.cached) == (0, 29)
    assert again.images is not None and again.images.pixels == first.images.pixels
    assert [c for c in again.checks if c.id != "model-size"] == first.checks
    assert again.unusable == first.unusable == ["val/cat/leak.jpg"]


def test_changed_added_and_removed_files_are_rescanned(tmp_path: Path, decodes: list[bytes]) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 10})
    scan(root, workers=1)
    write(root / "cat" / "000.jpg", b"")                        # changed: now empty
    os.utime(root / "cat" / "000.jpg", ns=(1, 1))
    write(root / "dog" / "new.jpg", image_bytes(seed=500))     # added
    (root / "dog" / "001.jpg").unlink()                        # removed
    decodes.clear()
    report = scan(root, workers=1)
    assert len(decodes) == 2 and report.stats.cached == 18
    assert report.check("empty-file").examples == ["cat/000.jpg"]
    cached = json.loads(_cache_file("json").read_text())["files"]  # the per-file results
    assert "dog/001.jpg" not in cached and "dog/new.jpg" in cached


def _age_folders(root: Path, seconds: int = 3600) -> None:
    """Date every folder's last change back, as for a dataset copied in some time ago."""
    old = os.stat(root).st_mtime_ns - seconds * 10**9
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(old, old))


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders os.scandir lists."""
    seen: list[str] = []
    real = os.scandir

    def counting(path):
        seen.append(os.path.basename(os.fspath(path)))
        return real(path)

    monkeypatch.setattr(os, "scandir", counting)
    return seen


def test_unchanged_folders_are_not_listed_again_and_changed_ones_are(tmp_path: Path,
                                                                      listed: list[str]) -> None:
    root = imagefolder(tmp_path / "data", {"cat/indoor": 3, "cat": 4, "dog": 5})
    _age_folders(root)
    first = scan(root, workers=1)
    assert {"cat", "indoor", "dog"} <= set(listed)
    listed.clear()
    assert scan(root, workers=1).to_dict() | {"stats": None} == first.to_dict() | {"stats": None}
    assert not {"cat", "indoor", "dog"} & set(listed)
    write(root / "cat" / "indoor" / "new.jpg", image_bytes(seed=77))  # changes indoor/'s mtime only
    (root / "dog" / "000.jpg").rename(root / "dog" / "renamed.jpg")
    listed.clear()
    report = scan(root, workers=1)
    assert sorted(set(listed) & {"cat", "indoor", "dog"}) == ["dog", "indoor"]
    assert report.splits["train"] == {"cat": 8, "dog": 5}
    folders = json.loads(_cache_file("folders.json").read_text())["folders"]
    assert "renamed.jpg" in folders["dog"][3] and "000.jpg" not in folders["dog"][3]


def test_a_tampered_folder_listing_is_ignored(tmp_path: Path, listed: list[str]) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 3, "dog": 3})
    _age_folders(root)
    first = scan(root, workers=1)
    cache = _cache_file("folders.json")
    data = json.loads(cache.read_text())
    data["folders"]["cat"][3] = [1, 2]  # not file names
    cache.write_text(json.dumps(data))
    listed.clear()
    assert scan(root, workers=1).to_dict() | {"stats": None} == first.to_dict() | {"stats": None}
    assert "cat" in listed and "dog" not in listed


def test_a_folder_listed_right_after_it_changed_is_listed_again(tmp_path: Path, listed: list[str]) -> None:
    """A second change in the same timestamp tick would leave the folder's mtime as it was."""
    root = imagefolder(tmp_path / "data", {"cat": 3, "dog": 3})  # just written: changed this instant
    scan(root, workers=1)
    listed.clear()
    scan(root, workers=1)
    assert {"cat", "dog"} <= set(listed)


def test_no_cache_neither_reads_nor_writes_it(tmp_path: Path, decodes: list[bytes]) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 10})
    scan(root, workers=1, use_cache=False)
    assert _cache_files() == []
    scan(root, workers=1)
    decodes.clear()
    assert scan(root, workers=1, use_cache=False).stats.decoded == 20 and len(decodes) == 20


@pytest.mark.parametrize("content", ["{not json", '{"format": 1, "files": []}', '[1, 2, 3]', "",
                                     '{"signature": "x", "report": {}}'])
def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path: Path, content: str) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 10})
    first = scan(root, workers=1)
    for cache in _cache_files():
        cache.write_text(content)
    again = scan(root, workers=1)
    assert again.stats.decoded == 20 and again.checks == first.checks
    assert scan(root, workers=1).stats.decoded == 0


def test_a_remembered_report_with_a_bad_body_is_rebuilt_from_the_file_cache(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 10})
    first = scan(root, workers=1)
    report_file = _cache_file("report.json")
    data = json.loads(report_file.read_text())
    data["report"]["checks"] = [{"unexpected": 1}]
    report_file.write_text(json.dumps(data))
    again = scan(root, workers=1)
    assert (again.stats.decoded, again.stats.cached) == (0, 20) and again.checks == first.checks


def test_other_options_reuse_the_per_file_results(tmp_path: Path, decodes: list[bytes]) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 10})
    scan(root, workers=1)
    decodes.clear()
    report = scan(root, workers=1, backbone="resnet18")
    assert decodes == [] and report.check("model-size") is not None
    assert scan(str(root) + "/", workers=1).path == str(root) + "/"


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert scan(imagefolder(tmp_path / "data", {"cat": 10, "dog": 10}), workers=1).stats.decoded == 20


def test_worker_processes_give_the_same_report_as_one_process(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 15, "train/dog": 15, "val/cat": 4, "val/dog": 4})
    write(root / "train/cat/trunc.jpg", jpeg_truncations()["no-end-marker"])
    write(root / "train/dog/zero.jpg", b"")
    write(root / "val/dog/leak.jpg", (root / "train/cat/003.jpg").read_bytes())
    write(root / "train/dog/rot.jpg", image_bytes(seed=9, orientation=8))
    monkeypatch.setattr(runner, "MIN_FILES_FOR_POOL", 0)
    single = scan(root, workers=1, use_cache=False)
    several = scan(root, workers=2, use_cache=False)
    assert several.stats.workers == 2
    assert several.to_dict() | {"stats": None} == single.to_dict() | {"stats": None}


def test_progress_reports_every_file_up_to_the_total(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 10})
    calls: list[tuple[int, int]] = []
    scan(root, workers=1, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 20) and calls[-1] == (20, 20)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    calls.clear()
    scan(root, workers=1, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(20, 20)]


def test_dataset_size_against_model_size(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 12, "dog": 5})
    report = scan(root, backbone="resnet50", workers=1)
    assert report.check("too-few-samples").examples == ["dog: 5"]
    assert report.check("few-samples").examples == ["cat: 12"]
    size = report.check("model-size")
    assert size.severity == "info" and "25,557,032 parameters for 17 training samples" in size.title
    scratch = scan(root, backbone="simple-cnn", workers=1).check("model-size")
    assert scratch.severity == "warning" and "overfitting" in scratch.advice
    assert scan(root, workers=1).check("model-size") is None


@pytest.mark.parametrize(("ratio", "smallest", "band"), [
    (1.0, 50, "none"), (3.0, 50, "none"), (3.1, 50, "class-weights"), (10.0, 50, "class-weights"),
    (10.5, 50, "oversample"), (100.0, 50, "oversample"), (101.0, 50, "collect-more-data"),
    (2.0, 9, "collect-more-data"), (None, None, None),
])
def test_imbalance_bands(ratio: float | None, smallest: int | None, band: str | None) -> None:
    assert imbalance_band(ratio, smallest) == band


def _problem_dataset(tmp_path: Path) -> Path:
    root = imagefolder(tmp_path / "data", {"train/cat": 40, "train/dog": 10, "val/cat": 3, "val/dog": 2})
    write(root / "train/cat/zero.jpg", b"")
    write(root / "val/owl/0.jpg", image_bytes(seed=4242))
    return root


def test_facts_and_json_summarise_the_report(tmp_path: Path) -> None:
    report = scan(_problem_dataset(tmp_path), workers=1)
    facts = report.facts()
    assert isinstance(facts, DataFacts)
    dumped = facts.model_dump()
    pixels = {key: dumped.pop(key) for key in ("extreme_share", "pixel_mean", "pixel_std")}
    assert dumped == {"num_samples": 51, "num_val_samples": 6,
                      "class_counts": {"cat": 41, "dog": 10}, "errors": 2, "warnings": 1,
                      "label_column": None, "label_columns": [], "image_column": None,
                      "unusable": ["train/cat/zero.jpg", "val/owl/"], "task": "image-classification",
                      "image_side": 24, "grayscale": False, "num_features": None}
    assert len(pixels["pixel_mean"]) == len(pixels["pixel_std"]) == 3
    assert all(0 < m < 1 for m in pixels["pixel_mean"]) and all(0 < s < 0.5 for s in pixels["pixel_std"])
    data = json.loads(json.dumps(report.to_dict()))
    assert data["summary"] == {"errors": 2, "warnings": 1, "num_samples": 51, "num_val_samples": 6,
                               "imbalance_ratio": 4.1, "imbalance_band": "class-weights"}
    assert {c["id"] for c in data["checks"]} >= {"empty-file", "val-label-not-in-train", "class-imbalance"}
    assert data["splits"]["val"] == {"cat": 3, "dog": 2, "owl": 1}


def test_markdown_is_deterministic_and_shows_counts_and_checks(tmp_path: Path) -> None:
    root = _problem_dataset(tmp_path)
    os.chdir(tmp_path)
    first = render_markdown(scan("data", workers=1))
    second = render_markdown(scan("data", workers=1))
    assert first == second
    assert str(tmp_path) not in first and "`data`" in first
    assert "| cat | 41 | 3 |" in first
    assert "4.1:1 → class-weighted loss" in first
    assert "- **empty-file** — Empty files (0 bytes) (1)" in first
    assert "Examples: `val: 'owl' (1)`" in first
    assert root.exists()


def test_terminal_report_is_rich_tables(tmp_path: Path) -> None:
    from rich.console import Console

    console = Console(record=True, width=120, color_system=None)
    for renderable in report_renderables(scan(_problem_dataset(tmp_path), workers=1)):
        console.print(renderable)
    text = console.export_text()
    assert "Class counts" in text and "Checks" in text and "empty-file" in text
    assert "2 error(s), 1 warning(s)" in text


def test_command_exit_codes_and_json(tmp_path: Path, run_cli) -> None:
    clean = imagefolder(tmp_path / "clean", {"cat": 10, "dog": 10})
    checked = run_cli("check-data", clean, "--workers", "1")
    assert checked.code == 0 and "0 error(s)" in checked.out
    broken = _problem_dataset(tmp_path)
    checked = run_cli("check-data", broken, "--json", "--workers", "1", "--no-cache")
    data = json.loads(checked.out)
    assert checked.code == 1 and data["layout"] == "imagefolder-splits" and data["summary"]["errors"] == 2
    missing = run_cli("check-data", tmp_path / "nope")
    assert missing.code == DataError.exit_code and "no such file or folder" in missing.err


def test_report_checks_are_sorted_by_severity() -> None:
    from wizard.datacheck import Check

    report = DataReport(path="x", layout="imagefolder", task="image-classification", checks=[
        Check("b", "info", "B"), Check("a", "error", "A"), Check("c", "warning", "C")])
    assert [c.severity for c in report.checks] == ["error", "warning", "info"]
    assert report.has_errors and len(report.errors) == 1 and len(report.warnings) == 1


def test_a_scan_in_a_worker_thread_starts_its_processes_safely(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The UI scans in a thread; forking a threaded process can deadlock, so another start method is used."""
    import threading

    root = imagefolder(tmp_path / "data", {"cat": 10, "dog": 10})
    write(root / "cat/broken.jpg", jpeg_truncations()["half"])
    monkeypatch.setattr(runner, "MIN_FILES_FOR_POOL", 0)
    found: list[DataReport] = []
    thread = threading.Thread(target=lambda: found.append(scan(root, workers=2, use_cache=False)))
    thread.start()
    thread.join(timeout=120)
    assert found and found[0].stats.workers == 2
    assert found[0].check("corrupt-image").examples == ["cat/broken.jpg (truncated)"]


def test_importing_the_package_loads_neither_pillow_nor_rich() -> None:
    import subprocess
    import sys

    code = "import sys, wizard.datacheck; print(sorted({m.split('.')[0] for m in sys.modules}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "'PIL'" not in out and "'rich'" not in out


def test_the_cycle_collector_runs_again_after_a_scan_even_a_failed_one(tmp_path: Path) -> None:
    import gc

    scan(imagefolder(tmp_path / "data", {"cat": 3, "dog": 3}), workers=1)
    assert gc.isenabled()
    with pytest.raises(DataError):
        scan(tmp_path / "missing", workers=1)
    assert gc.isenabled()
    gc.disable()  # a caller's own choice is kept
    try:
        scan(tmp_path / "data", workers=1)
        assert not gc.isenabled()
    finally:
        gc.enable()
