"""The data scan in a child process: the same report as in-process, errors with their keys, cancellation."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.unit.datacheck_fixtures import imagefolder
from wizard.datacheck import scan
from wizard.datacheck.child import ScanCancelled, ScanProcess
from wizard.errors import DataError


def request(path: Path) -> dict:
    return {"path": str(path), "task": None, "label_column": None, "image_column": None, "label_columns": None,
            "backbone": None}


def test_the_child_reports_what_an_in_process_scan_reports_with_progress(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 12, "train/dog": 4, "val/cat": 2, "val/dog": 2})
    (root / "train" / "cat" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    seen: list[tuple[int, int]] = []
    report = ScanProcess(request(root)).run(lambda done, total: seen.append((done, total)))
    here = scan(root, use_cache=False)
    assert report.to_dict()["checks"] == here.to_dict()["checks"]
    assert report.splits == here.splits and report.unusable == here.unusable == ["train/cat/broken.png"]
    assert seen and seen[-1] == (21, 21) and all(total == 21 for _, total in seen)


def test_a_data_error_comes_back_with_its_message_and_key(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError) as caught:
        ScanProcess(request(tmp_path / "empty")).run()
    assert "found no class folders and no CSV manifest" in str(caught.value)
    assert caught.value.key == "no-layout" and caught.value.params["path"] == str(tmp_path / "empty")


def _alive_in_group(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies waiting to be reaped do not count)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


class StuckScan(ScanProcess):
    """A child that starts a worker and then hangs, as a scan stuck on a stalled network disk would."""

    child_code = ("import subprocess, sys, time; "
                  "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); time.sleep(120)")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_cancel_stops_a_stuck_child_and_its_workers(tmp_path: Path) -> None:
    process = StuckScan(request(tmp_path))
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            process.run()
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 20
    while (process._proc is None or len(_alive_in_group(process._proc.pid)) < 2) and time.monotonic() < deadline:
        time.sleep(0.02)
    pid = process._proc.pid
    assert thread.is_alive() and len(_alive_in_group(pid)) == 2  # the child and its worker
    process.cancel()
    thread.join(20)
    assert not thread.is_alive()
    assert outcome and isinstance(outcome[0], ScanCancelled)
    deadline = time.monotonic() + 10  # a worker signalled a moment ago may still be on its way out
    while _alive_in_group(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _alive_in_group(pid) == []


def test_scan_workers_die_on_sigterm_whatever_handler_the_parent_set() -> None:
    import subprocess
    import sys

    probe = ("import signal\n"
             "signal.signal(signal.SIGTERM, lambda *a: None)  # as a parent's own handler would\n"
             "from wizard.datacheck.imagefile import init_worker\n"
             "init_worker()\n"
             "print(signal.getsignal(signal.SIGTERM) == signal.SIG_DFL, signal.getsignal(signal.SIGINT) == signal.SIG_IGN)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]
