"""Hostile data: check-data finishes, reports every planted problem, reads nothing it must not, and its
interrupted cold scans leave no worker traceback."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.unit.datacheck_fixtures import (
    image_bytes,
    imagefolder,
    jpeg_truncations,
    png_bomb_header,
    write,
    write_csv,
)
from wizard.datacheck import scan

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, /dev/zero and symlinks")


def check_data(path: Path, *extra: str) -> tuple[int, dict, str]:
    """Run `trainwizard check-data --json PATH` in a real process (60 s is a hang, never a slow run)."""
    proc = subprocess.run([sys.executable, "-m", "wizard", "check-data", "--json", "--no-cache", str(path), *extra],
                          capture_output=True, text=True, timeout=60, check=False)
    return proc.returncode, json.loads(proc.stdout) if proc.stdout else {}, proc.stderr


def examples(report: dict, check_id: str) -> list[str]:
    found = [c for c in report["checks"] if c["id"] == check_id]
    assert found, (check_id, [c["id"] for c in report["checks"]])
    return found[0]["examples"]


def hostile_folder(root: Path) -> Path:
    """Class folders holding a FIFO, a link to /dev/zero, a PNG declaring 10^10 pixels, links fanning out to
    their parents (a loop), a link to /, a class name with a line break, and numbers mixed with text among the
    classes."""
    imagefolder(root, {"cat": 3, "dog": 3, "1": 3, "01": 3, "a\nb": 3})
    os.mkfifo(root / "cat" / "fifo.jpg")
    (root / "cat" / "zero.jpg").symlink_to("/dev/zero")
    write(root / "dog" / "bomb.png", png_bomb_header())
    for name in ("up1", "up2", "up3"):
        (root / "dog" / name).symlink_to("..")
        (root / "cat" / name).symlink_to(root / "cat")
    (root / "dog" / "everything").symlink_to("/")  # followed, it would walk the whole disk
    return root


def test_a_hostile_image_folder_is_reported_not_hung_on(tmp_path: Path) -> None:
    code, report, err = check_data(hostile_folder(tmp_path / "data"))
    assert code == 1 and "Traceback" not in err, err
    assert examples(report, "not-regular-file") == ["cat/fifo.jpg (FIFO)", "cat/zero.jpg (character device)"]
    assert examples(report, "image-too-large") == ["dog/bomb.png (100000×100000 pixels)"]
    assert examples(report, "folder-loop") == ["cat/up1/", "cat/up2/", "cat/up3/", "dog/up1/", "dog/up2/", "dog/up3/"]
    assert examples(report, "folder-link-outside") == ["dog/everything/"]
    assert examples(report, "label-control") == ["a\nb/"]
    assert examples(report, "label-same-number") == ["01 = 1"]
    assert "cat (text)" in examples(report, "label-mixed-types")
    assert report["splits"]["train"] == {"01": 3, "1": 3, "a\nb": 3, "cat": 5, "dog": 4}
    assert {"cat/fifo.jpg", "cat/zero.jpg", "dog/bomb.png"} <= set(report["unusable"])


def test_the_new_findings_read_in_chinese_keep_only_names_in_latin(tmp_path: Path) -> None:
    report = scan(hostile_folder(tmp_path / "data"), workers=1, use_cache=False)
    allowed = {"cat", "dog", "jpg", "png", "fifo", "zero", "bomb", "up", "everything", "FIFO", "JSON", "CSV", "torchvision", "ImageFolder",
               "Pillow", "macro", "F1"}
    for check in report.checks:
        title, advice, shown = check.texts("zh")
        words = set(re.findall(r"[A-Za-z]{2,}", " ".join([title, advice, *shown]))) - allowed
        assert not words, (check.id, title, advice, shown)


def test_a_hostile_manifest_is_reported_and_paths_outside_are_never_opened(tmp_path: Path) -> None:
    root = tmp_path / "deep" / "data"
    rows = [[f"images/{i}.jpg", label] for i, label in enumerate(["cat", "cat", "dog", "dog", "1", "1.0", "ca\nt"])]
    for i in range(len(rows)):
        write(root / "images" / f"{i}.jpg", image_bytes(seed=i))
    os.mkfifo(root / "images" / "fifo.jpg")
    (root / "images" / "zero.jpg").symlink_to("/dev/zero")
    write(root / "images" / "bomb.png", png_bomb_header())
    os.mkfifo(tmp_path / "outside.jpg")  # opening it would block: the check must not even try
    rows += [["images/fifo.jpg", "cat"], ["images/zero.jpg", "dog"], ["images/bomb.png", "dog"],
             ["../../outside.jpg", "cat"], [str(tmp_path / "outside.jpg"), "dog"]]
    write_csv(root / "labels.csv", ["path", "label"], rows)
    code, report, err = check_data(root / "labels.csv")
    assert code == 1 and "Traceback" not in err, err
    assert examples(report, "outside-dataset") == ["row 12: ../../outside.jpg", f"row 13: {tmp_path / 'outside.jpg'}"]
    assert examples(report, "not-regular-file") == ["images/fifo.jpg (FIFO)", "images/zero.jpg (character device)"]
    assert examples(report, "image-too-large") == ["images/bomb.png (100000×100000 pixels)"]
    assert examples(report, "label-control") == ["row 8: ca\nt"]
    assert examples(report, "label-same-number") == ["1 = 1.0"]
    assert {"1.0 (number)", "cat (text)"} <= set(examples(report, "label-mixed-types"))


def test_json_list_labels_mixing_numbers_and_strings_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "data"
    cells = ['[1, "cat"]', '["1", "dog"]', '["cat"]', '["dog", 2]']
    for i in range(len(cells)):
        write(root / f"{i}.jpg", image_bytes(seed=i))
    write_csv(root / "labels.csv", ["path", "labels"], [[f"{i}.jpg", cell] for i, cell in enumerate(cells)])
    report = scan(root / "labels.csv", task="image-multilabel", workers=1, use_cache=False)
    mixed = report.check("label-mixed-types")
    assert mixed is not None and {"1 (number)", "1 (text)", "2 (number)"} <= set(mixed.examples)


def test_manifest_paths_next_to_its_folder_are_read_and_a_corrupt_one_is_named(tmp_path: Path) -> None:
    """labels/train.csv listing ../images/*: the images are checked; a corrupt one is reported by name and kept
    out of the data.exclude recommendation, which cannot name a path outside the data folder."""
    root = tmp_path / "ds"
    rows = []
    for i in range(6):
        write(root / "images" / f"{i}.jpg", image_bytes(seed=i))
        rows.append([f"../images/{i}.jpg", "cat" if i % 2 else "dog"])
    write(root / "images" / "bad.jpg", jpeg_truncations()["half"])
    rows.append(["../images/bad.jpg", "cat"])
    write_csv(root / "labels" / "train.csv", ["path", "label"], rows)
    report = scan(root / "labels" / "train.csv", workers=1, use_cache=False)
    corrupt = report.check("corrupt-image")
    assert corrupt is not None and corrupt.examples == ["../images/bad.jpg (truncated)"]
    assert report.check("outside-dataset") is None
    assert report.unusable == [] and report.unusable_outside == ["../images/bad.jpg"]
    assert corrupt in report.findings_left([])  # leaving nothing out cannot settle it


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the workers through /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm", "sigterm-to-group"])
def test_an_interrupted_cold_scan_leaves_no_worker_traceback(tmp_path: Path, how: str) -> None:
    """The signal comes the moment the first worker exists: the window in which workers used to run the
    parent's handlers (ForkPoolWorker ... KeyboardInterrupt) and the parent could be stopped mid-start.
    A hang (the pool's shutdown waiting for a lock a dead worker holds) fails on the 60 s timeout."""
    root = imagefolder(tmp_path / "data", {"cat": 300, "dog": 300})
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "check-data", "--json", "--no-cache", "--workers", "2",
                             str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    while not _children(proc.pid) and proc.poll() is None:
        time.sleep(0.001)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # the terminal sends it to the whole process group
    elif how == "sigterm":
        proc.send_signal(signal.SIGTERM)
    else:  # as a service manager stops a process group; the workers die first, maybe holding a queue lock
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert proc.returncode in (0, 1, 130)  # a scan that finished before the signal counts too


def test_new_names_the_corrupt_image_of_a_manifest_reaching_next_door_not_data_exclude(tmp_path: Path,
                                                                                      run_cli) -> None:
    root = tmp_path / "ds"
    rows = []
    for i in range(12):
        write(root / "images" / f"{i}.jpg", image_bytes(seed=i))
        rows.append([f"../images/{i}.jpg", "cat" if i % 2 else "dog"])
    write(root / "images" / "bad.jpg", jpeg_truncations()["half"])
    rows.append(["../images/bad.jpg", "cat"])
    write_csv(root / "labels" / "train.csv", ["path", "label"], rows)
    answers = tmp_path / "answers.yml"
    answers.write_text("project: {name: next door}\ndata: {path: ds/labels/train.csv}\n"
                       "model: {source: scratch, backbone: simple-cnn}\n", encoding="utf-8")
    result = run_cli("new", tmp_path / "out", "--answers", answers, "--no-input", "--dry-run")
    assert result.code == 0, result.err
    assert "data.exclude" not in result.err and "../images/bad.jpg (truncated)" in result.err


def test_a_table_whose_target_mixes_numbers_text_and_line_breaks_is_reported(tmp_path: Path) -> None:
    targets = ["1", "2", "1.0", "yes", "no\nmaybe"] * 4
    table = write_csv(tmp_path / "table.csv", ["age", "target"], [[20 + i, t] for i, t in enumerate(targets)])
    report = scan(table, task="tabular-classification", use_cache=False)
    assert report.check("label-control").examples[:2] == ["row 6: no\nmaybe", "row 11: no\nmaybe"]
    assert report.check("label-same-number").examples == ["1 = 1.0"]
    assert report.check("label-mixed-types") is not None


def test_a_file_over_the_size_cap_is_reported_without_being_read(tmp_path: Path) -> None:
    from wizard.datacheck import imagefile

    root = imagefolder(tmp_path / "data", {"cat": 3, "dog": 3})
    with open(root / "cat" / "huge.jpg", "wb") as f:  # sparse: nothing is written, yet reading would take it all
        f.write(image_bytes(seed=9))
        f.truncate(imagefile.MAX_FILE_BYTES + 2**20)
    report = scan(root, workers=1, use_cache=False)
    too_large = report.check("image-too-large")
    assert too_large is not None and too_large.examples == ["cat/huge.jpg (257 MiB file)"]


def test_pixel_statistics_skip_a_file_that_became_a_fifo_after_the_file_checks(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"cat": 3})
    os.mkfifo(root / "cat" / "later.jpg")
    code = ("import sys; from wizard.datacheck.pixels import pixel_stats; "
            "print(pixel_stats(sys.argv[1:]).images)")
    paths = sorted(str(p) for p in (root / "cat").iterdir())
    proc = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0 and proc.stdout.strip() == "3", proc.stderr


def test_numbers_are_compared_exactly_so_long_ids_stay_apart() -> None:
    from wizard.datacheck.label_values import type_checks

    kinds = {label: {"number"} for label in ("12345678901234567890", "12345678901234567891", "7", "7.00", "07")}
    assert [(c.id, c.examples) for c in type_checks(kinds, "id")] == [("label-same-number", ["07 = 7 = 7.00"])]
