"""Generated projects under torchrun: two CPU processes (gloo) train one model, write one set of outputs, and
resume, on one node or as two nodes meeting by c10d rendezvous; a project generated without DDP refuses torchrun
with an explanation."""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import SCRATCH, TINY, Project, merge

pytestmark = pytest.mark.skipif(find_spec("torch") is None, reason="needs torch")

TORCHRUN = ("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "scripts/train.py")
SMALL = ("--set", "data.num_workers=0", "--set", "training.device=cpu")
DDP: dict[str, Any] = {"training": {"distributed": "ddp"}}


def torchrun(project: Project, *args: str) -> str:
    proc = project.run(*TORCHRUN, *SMALL, *args, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    return proc.stdout


def results(project: Project, run: str) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """metrics.csv without the timings, and report.json."""
    with (project.path / "runs" / run / "metrics.csv").open(encoding="utf-8") as handle:
        rows = [{k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(handle)]
    return rows, json.loads((project.path / "runs" / run / "report.json").read_text(encoding="utf-8"))


def test_two_processes_write_one_set_of_outputs_and_resume_exactly(render_project) -> None:
    answers = merge(TINY, {"model": SCRATCH, "normalization": "batchnorm", **DDP,
                           "regularization": {"early_stopping": {"enabled": False}}})
    project = render_project("ddp-scratch", "split", answers)

    out = torchrun(project, "--run-dir", "runs/whole", "--set", "training.tracker=tensorboard")
    assert out.count("epoch 1/2 ") == 1 and out.count("epoch 2/2 ") == 1  # rank 0 logs, the other is silent
    assert "DDP: 2 processes x 8 images per step" in out
    assert [p.name for p in (project.path / "runs").iterdir()] == ["whole"]
    whole = project.path / "runs" / "whole"
    assert sorted(p.name for p in whole.iterdir()) == sorted(["config.yaml", "metrics.csv", "curves.png", "last.pt",
                                                              "best.pt", "report.json", "confusion_matrix.png",
                                                              "tensorboard"])
    rows, report = results(project, "whole")
    assert [row["epoch"] for row in rows] == ["1", "2"]
    assert_logged_by_rank_0_only(whole, rows)

    # stopped after epoch 1, then the restart-safe command torchrun --max-restarts would repeat
    assert "stopped after epoch 1" in torchrun(project, "--run-dir", "runs/parts", "--stop-after", "1")
    out = torchrun(project, "--run-dir", "runs/parts", "--resume", "auto")
    assert "resuming from runs/parts/last.pt (finished epoch 1 of 2)" in out and "epoch 2/2 " in out
    assert "epoch 1/2 " not in out
    assert results(project, "parts") == (rows, report)
    assert sorted(p.name for p in (project.path / "runs").iterdir()) == ["parts", "whole"]

    # the validation metrics gathered from two processes are those of one process evaluating the whole split
    evaluate = project.run("scripts/evaluate.py", "--checkpoint", "runs/whole/best.pt", *SMALL)
    assert evaluate.returncode == 0, evaluate.stderr[-3000:]
    single = json.loads((whole / "eval_val.json").read_text(encoding="utf-8"))
    assert single["confusion_matrix"] == report["confusion_matrix"] and single["macro_f1"] == report["macro_f1"]


def assert_logged_by_rank_0_only(run: Path, rows: list[dict[str, str]]) -> None:
    """One TensorBoard event file (one writer, on rank 0) whose scalars are metrics.csv's columns, one step an epoch."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    files = list(run.rglob("events.out.tfevents.*"))
    assert [path.parent for path in files] == [run / "tensorboard"], files  # a writer on rank 1 would add a file
    events = EventAccumulator(str(run / "tensorboard"), size_guidance={"scalars": 0})
    events.Reload()
    columns = set(rows[0]) - {"epoch"}  # results() leaves out the timings, which TensorBoard has too
    assert set(events.Tags()["scalars"]) == columns | {"seconds"}
    for name in columns:
        logged = [(event.step, event.value) for event in events.Scalars(name)]
        assert logged == [(int(row["epoch"]), pytest.approx(float(row[name]), rel=1e-5)) for row in rows], name


def test_freezing_and_unfreezing_under_ddp(render_project, planted_weights) -> None:
    """DDP syncs the gradients of the parameters trainable when it is built: the project wraps again at unfreezing."""
    answers = merge(TINY, {"model": {"source": "pretrained", "backbone": "resnet18", "freeze": "gradual",
                                     "unfreeze_epoch": 2},
                           "normalization": "batchnorm", "imbalance": {"strategy": "oversample"}, **DDP})
    project = render_project("ddp-gradual", "single", answers)
    out = torchrun(project, "--run-dir", "runs/gradual")  # the planted "pretrained" weights: freezing applies
    counts = [line for line in out.splitlines() if line.startswith("parameters:")]
    assert len(counts) == 2 and ", 0 frozen" not in counts[0] and ", 0 frozen" in counts[1]
    assert "epoch 2/2 " in out and (project.path / "runs" / "gradual" / "report.json").is_file()


def test_a_project_without_ddp_refuses_torchrun(variant) -> None:
    project = variant("scratch-groupnorm")
    proc = project.run(*TORCHRUN, *SMALL, timeout=300)
    assert proc.returncode != 0
    assert "generated for one process (training.distributed: none)" in proc.stderr
    assert "trainwizard update --set training.distributed=ddp" in proc.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_nodes_meet_by_c10d_rendezvous_and_write_one_set_of_outputs(render_project) -> None:
    """Two torchrun agents, as on two machines (--nnodes=2, one CPU process each), find each other through the
    c10d rendezvous on node 0's address, with the restart-safe command of scripts/slurm/train.sbatch."""
    project = render_project("ddp-scratch", "split", merge(TINY, {"model": SCRATCH, "normalization": "batchnorm",
                             **DDP, "regularization": {"early_stopping": {"enabled": False}}}))
    sbatch = project.path / "scripts" / "slurm" / "train.sbatch"
    assert "--rdzv-backend=c10d" in sbatch.read_text(encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(sbatch)], check=False).returncode == 0  # valid shell
    before = set((project.path / "runs").iterdir()) if (project.path / "runs").exists() else set()
    endpoint = f"127.0.0.1:{free_port()}"
    nodes = [
        subprocess.Popen(
            [sys.executable, "-m", "torch.distributed.run", "--nnodes=2", f"--node-rank={rank}", "--nproc-per-node=1",
             "--rdzv-backend=c10d", f"--rdzv-endpoint={endpoint}", "--rdzv-id=e2e", "--max-restarts=1",
             "scripts/train.py", *SMALL, "--run-dir", "runs/two-nodes", "--resume", "auto"],
            cwd=project.path, env=project.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for rank in (0, 1)
    ]
    try:
        outputs = [node.communicate(timeout=300) for node in nodes]
    finally:
        for node in nodes:
            node.kill()
    for node, (out, err) in zip(nodes, outputs, strict=True):
        assert node.returncode == 0, out[-2000:] + err[-4000:]
    logs = "".join(out for out, _ in outputs)
    assert "DDP: 2 processes x 8 images per step" in logs
    assert logs.count("epoch 1/2 ") == 1 and logs.count("epoch 2/2 ") == 1  # one rank logs, on one node
    run = project.path / "runs" / "two-nodes"
    assert set((project.path / "runs").iterdir()) - before == {run}
    assert sorted(p.name for p in run.iterdir()) == sorted(
        ["config.yaml", "metrics.csv", "curves.png", "last.pt", "best.pt", "report.json", "confusion_matrix.png"])
    rows, _ = results(project, "two-nodes")
    assert [row["epoch"] for row in rows] == ["1", "2"]


# Loaded by the Python processes of the restart test (PYTHONPATH): the worker of rank 1 dies once, as soon as the
# run has a last.pt, so that torchrun (--max-restarts) restarts every worker.
CRASH_ONCE = """
import os, threading, time
if os.environ.get("RANK") == "1" and os.environ.get("TORCHELASTIC_RESTART_COUNT") == "0":
    def crash_after_the_first_checkpoint():
        while not os.path.exists(os.path.join("runs", "restarted", "last.pt")):
            time.sleep(0.01)
        os._exit(17)
    threading.Thread(target=crash_after_the_first_checkpoint, daemon=True).start()
"""


def test_workers_restarted_by_torchrun_continue_from_the_last_checkpoint(render_project, tmp_path) -> None:
    """A worker dies after the first checkpoint; torchrun restarts both workers, which join a fresh process
    group (distributed.restart_store) and continue from last.pt: every epoch is in metrics.csv once."""
    project = render_project("ddp-scratch", "split", merge(TINY, {"model": SCRATCH, "normalization": "batchnorm",
                             **DDP, "regularization": {"early_stopping": {"enabled": False}}}))
    (tmp_path / "sitecustomize.py").write_text(CRASH_ONCE, encoding="utf-8")
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=2", "--max-restarts=1",
               "scripts/train.py", *SMALL, "--set", "training.epochs=6", "--run-dir", "runs/restarted", "--resume",
               "auto"]
    # a session of its own: a hung run is killed with its workers, not left behind
    agent = subprocess.Popen(command, cwd=project.path, env={**project.env, "PYTHONPATH": str(tmp_path)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = agent.communicate(timeout=240)
    finally:
        if agent.poll() is None:
            os.killpg(agent.pid, signal.SIGKILL)
            agent.communicate()
    assert agent.returncode == 0, out[-2000:] + err[-4000:]
    assert "(exitcode: 17)" in err  # the worker did die, and torchrun restarted both
    assert "resuming from runs/restarted/last.pt (finished epoch " in out
    assert out.count("epoch 6/6 ") == 1
    rows, _ = results(project, "restarted")
    assert [row["epoch"] for row in rows] == ["1", "2", "3", "4", "5", "6"]  # every epoch once
