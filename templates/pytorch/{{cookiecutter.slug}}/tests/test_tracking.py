"""Experiment tracking: each tracker whose library is installed logs a 1-epoch run that its own reader reads back."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from conftest import load_script

from {{ cookiecutter.slug }} import engine
from {{ cookiecutter.slug }}.config import CHOICES, load_config
from {{ cookiecutter.slug }}.engine import fit
from {{ cookiecutter.slug }}.errors import ConfigError, UserError
from {{ cookiecutter.slug }}.tracking import PROJECT, TRACKERS, Tracker, open_tracker, sqlite_uri


def train_with(tracker: str, cfg: dict, run: Path) -> dict[str, float]:
    """Train one epoch logging to `tracker`; the epoch's row of metrics.csv."""
    cfg["training"].update(epochs=1, tracker=tracker)
    fit(cfg, run)
    with open(run / "metrics.csv", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    return {key: float(value) for key, value in row.items()}


def tensorboard_events(run: Path):
    """The run's TensorBoard event files, read back with TensorBoard's own reader (every event kept)."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(run / "tensorboard"), size_guidance={"images": 0, "scalars": 0, "tensors": 0})
    events.Reload()
    return events


def figures(run: Path) -> set[str]:
    return {path.stem for path in run.glob("*.png")}


def train_and_evaluate(tracker: str, cfg: dict, run: Path) -> dict[str, float]:
    """Train one epoch logging to `tracker`, then evaluate best.pt on the val split; the report's scores."""
    train_with(tracker, cfg, run)
    assert load_script("evaluate").main(["--checkpoint", str(run / "best.pt")]) == 0
    report = json.loads((run / "eval_val.json").read_text(encoding="utf-8"))
    scores = {f"eval_val_{key}": value for key, value in report.items() if isinstance(value, float)}
    assert scores  # MAE, accuracy, ...: one of them at least
    return scores


def test_config_offers_exactly_the_trackers_there_are(overrides: list[str]) -> None:
    assert set(CHOICES["training.tracker"]) == {"none", *TRACKERS}
    with pytest.raises(ConfigError, match="training.tracker is 'comet'; allowed: none, tensorboard, mlflow, wandb"):
        load_config(None, [*overrides, "training.tracker=comet"])


def test_a_missing_library_is_named_with_its_pip_command(cfg: dict, tmp_path: Path, monkeypatch) -> None:
    for name in TRACKERS:
        monkeypatch.setitem(sys.modules, name, None)  # makes `import name` fail as if it were not installed
        cfg["training"]["tracker"] = name
        with pytest.raises(UserError, match=f"{name} is not installed; run: pip install {name}"):
            open_tracker(cfg, tmp_path / "run")


def test_only_the_main_process_logs(cfg: dict, tmp_path: Path) -> None:
    cfg["training"]["tracker"] = "tensorboard"
    assert type(open_tracker(cfg, tmp_path, is_main=False)) is Tracker
    cfg["training"]["tracker"] = "none"
    assert type(open_tracker(cfg, tmp_path)) is Tracker
    assert list(tmp_path.iterdir()) == []


def test_tensorboard_event_files_read_back(cfg: dict, tmp_path: Path) -> None:
    pytest.importorskip("tensorboard")
    run = tmp_path / "run"
    row = train_with("tensorboard", cfg, run)
    events = tensorboard_events(run)
    [val_loss] = events.Scalars("val_loss")
    assert (val_loss.step, val_loss.value) == (1, pytest.approx(row["val_loss"], rel=1e-5))
    assert set(events.Tags()["scalars"]) == set(row) - {"epoch"}
    assert set(events.Tags()["images"]) == figures(run)
    assert {"config/text_summary", "report/text_summary"} <= set(events.Tags()["tensors"])


def test_mlflow_store_reads_back_with_its_client(cfg: dict, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("mlflow")
    from mlflow.tracking import MlflowClient

    monkeypatch.chdir(tmp_path)
    run = Path("run")  # relative, as `--run-dir runs/first` gives it (MLflow needs absolute artifact URIs)
    row = train_with("mlflow", cfg, run)
    client = MlflowClient(tracking_uri=sqlite_uri(run / "mlflow" / "mlflow.db"))
    [logged] = client.search_runs([client.get_experiment_by_name(PROJECT).experiment_id])
    assert logged.info.status == "FINISHED"
    assert logged.info.run_name == "run"
    assert float(logged.data.params["training.lr"]) == cfg["training"]["lr"]
    assert logged.data.params["training.tracker"] == "mlflow"
    [val_loss] = client.get_metric_history(logged.info.run_id, "val_loss")
    assert (val_loss.step, val_loss.value) == (1, pytest.approx(row["val_loss"], rel=1e-5))
    artifacts = {item.path for item in client.list_artifacts(logged.info.run_id)}
    assert artifacts == {f"{name}.png" for name in figures(run)} | {"report.json", "metrics.csv", "config.yaml"}


def test_wandb_offline_run_folder_holds_the_run(cfg: dict, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("wandb")
    monkeypatch.delenv("WANDB_MODE", raising=False)
    monkeypatch.setenv("WANDB_API_KEY", "")  # not logged in: the run must stay offline, on disk
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc from `wandb login`, no ~/.config/wandb settings
    run = tmp_path / "run"
    row = train_with("wandb", cfg, run)
    [folder] = (run / "wandb").glob("offline-run-*")
    run_id = (run / "wandb" / "run_id").read_text(encoding="utf-8")
    assert folder.name.endswith(run_id)
    files = folder / "files"
    assert (files / "report.json").read_bytes() == (run / "report.json").read_bytes()
    assert (files / "metrics.csv").read_bytes() == (run / "metrics.csv").read_bytes()
    images = {path.name.split("_")[0] for path in (files / "media" / "images").glob("*.png")}
    assert images == {name.split("_")[0] for name in figures(run)}
    # wandb 0.31 reads its run log (protobuf records) only in its Go core, which `wandb sync` runs and which
    # needs the network: the metric names and the config must be in the log's records
    log = (folder / f"run-{run_id}.wandb").read_bytes()
    assert all(name.encode() in log for name in row if name != "epoch")
    assert b"training" in log and b"tracker" in log


def test_a_resumed_run_continues_its_mlflow_run(cfg: dict, tmp_path: Path) -> None:
    pytest.importorskip("mlflow")
    from mlflow.tracking import MlflowClient

    run = tmp_path / "run"
    cfg["training"].update(epochs=2, tracker="mlflow")
    assert fit(cfg, run, stop_after=1) is None
    fit(cfg, run, resume_from=run / "last.pt")
    client = MlflowClient(tracking_uri=sqlite_uri(run / "mlflow" / "mlflow.db"))
    [logged] = client.search_runs([client.get_experiment_by_name(PROJECT).experiment_id])
    assert logged.info.status == "FINISHED"
    assert [metric.step for metric in client.get_metric_history(logged.info.run_id, "val_loss")] == [1, 2]


def test_a_run_that_crashes_is_left_failed_with_the_epochs_it_finished(cfg: dict, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("mlflow")
    from mlflow.tracking import MlflowClient

    train_epoch = engine.Trainer.train_epoch

    def crash_in_epoch_2(self, loader, desc: str) -> dict[str, float]:
        if desc.startswith("epoch 2/"):
            raise RuntimeError("the GPU fell off the bus in epoch 2")
        return train_epoch(self, loader, desc)

    monkeypatch.setattr(engine.Trainer, "train_epoch", crash_in_epoch_2)
    run = tmp_path / "run"
    cfg["training"].update(epochs=2, tracker="mlflow")
    with pytest.raises(RuntimeError, match="fell off the bus"):  # the error itself goes on to the user
        fit(cfg, run)
    client = MlflowClient(tracking_uri=sqlite_uri(run / "mlflow" / "mlflow.db"))
    [logged] = client.search_runs([client.get_experiment_by_name(PROJECT).experiment_id])
    assert logged.info.status == "FAILED"
    assert [metric.step for metric in client.get_metric_history(logged.info.run_id, "val_loss")] == [1]
    # evaluating epoch 1's best.pt adds to the run and leaves it FAILED
    assert load_script("evaluate").main(["--checkpoint", str(run / "best.pt")]) == 0
    [logged] = client.search_runs([client.get_experiment_by_name(PROJECT).experiment_id])
    assert logged.info.status == "FAILED"
    assert "eval_val.json" in {item.path for item in client.list_artifacts(logged.info.run_id)}


def test_ctrl_c_leaves_the_run_killed(cfg: dict, tmp_path: Path) -> None:
    pytest.importorskip("mlflow")
    from mlflow.tracking import MlflowClient

    cfg["training"]["tracker"] = "mlflow"
    with pytest.raises(KeyboardInterrupt), open_tracker(cfg, tmp_path):
        raise KeyboardInterrupt
    client = MlflowClient(tracking_uri=sqlite_uri(tmp_path / "mlflow" / "mlflow.db"))
    [logged] = client.search_runs([client.get_experiment_by_name(PROJECT).experiment_id])
    assert logged.info.status == "KILLED"


def test_evaluate_adds_its_scores_and_files_to_the_mlflow_run(cfg: dict, tmp_path: Path) -> None:
    pytest.importorskip("mlflow")
    from mlflow.tracking import MlflowClient

    run = tmp_path / "run"
    scores = train_and_evaluate("mlflow", cfg, run)
    client = MlflowClient(tracking_uri=sqlite_uri(run / "mlflow" / "mlflow.db"))
    [logged] = client.search_runs([client.get_experiment_by_name(PROJECT).experiment_id])  # training's run
    assert logged.info.status == "FINISHED"
    for name, value in scores.items():
        [metric] = client.get_metric_history(logged.info.run_id, name)
        assert (metric.step, metric.value) == (1, pytest.approx(value, rel=1e-5)), name
    artifacts = {item.path for item in client.list_artifacts(logged.info.run_id)}
    assert {"eval_val.json", *(f"{name}.png" for name in figures(run))} <= artifacts  # confusion_matrix_val.png too


def test_evaluate_adds_its_scores_and_figures_to_the_tensorboard_run(cfg: dict, tmp_path: Path) -> None:
    pytest.importorskip("tensorboard")
    run = tmp_path / "run"
    scores = train_and_evaluate("tensorboard", cfg, run)
    events = tensorboard_events(run)
    for name, value in scores.items():
        [event] = events.Scalars(name)
        assert (event.step, event.value) == (1, pytest.approx(value, rel=1e-5)), name
    assert set(events.Tags()["images"]) == figures(run)
    assert len(events.Tensors("config/text_summary")) == 1  # not written again when evaluate reopens the run


def test_evaluate_adds_its_report_to_the_wandb_run(cfg: dict, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("wandb")
    monkeypatch.delenv("WANDB_MODE", raising=False)
    monkeypatch.setenv("WANDB_API_KEY", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    run = tmp_path / "run"
    scores = train_and_evaluate("wandb", cfg, run)
    run_id = (run / "wandb" / "run_id").read_text(encoding="utf-8")
    # W&B writes a resumed offline run in a folder of its own (offline-run-<time>-<id>, with -1 after it when the
    # time is the same second), with the same id: `wandb sync` joins them
    [saved] = (run / "wandb").glob(f"offline-run-*-{run_id}*/files/eval_val.json")
    assert saved.read_bytes() == (run / "eval_val.json").read_bytes()
    log = (saved.parent.parent / f"run-{run_id}.wandb").read_bytes()
    assert all(name.encode() in log for name in scores)
