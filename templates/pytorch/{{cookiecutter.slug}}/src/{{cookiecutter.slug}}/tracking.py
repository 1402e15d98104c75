"""Experiment tracking (config.yaml training.tracker): TensorBoard, MLflow or W&B, written inside the run folder."""

from __future__ import annotations

import importlib
import json
import netrc
import os
import shutil
import time
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlparse

from .config import dump_config
from .errors import UserError

PROJECT = __name__.split(".")[0]
# Files of the run folder that go to the tracker at the end, besides every PNG figure (curves, confusion matrix)
FINAL_FILES = ("report.json", "metrics.csv", "config.yaml")
# How a run ends, in MLflow's words: trained to the end (or stopped as asked), stopped by an error, by Ctrl+C
FINISHED, FAILED, KILLED = "FINISHED", "FAILED", "KILLED"


class Tracker:
    """The common interface, and tracker `none`: every method does nothing.

    Used as a context manager around training, it finishes the run however training ends: FAILED when an
    error stops it and KILLED on Ctrl+C, so that no run is left RUNNING; the error itself goes on.
    """

    ended = FINISHED  # how the run had ended before this process reopened it (evaluate.py leaves it so)

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        if kind is None:
            self.finish(FINISHED)
        else:
            self.finish(KILLED if issubclass(kind, KeyboardInterrupt) else FAILED)

    def log_epoch(self, row: dict[str, Any]) -> None:
        """Log one epoch's row of metrics.csv (numbers only), at step = the epoch."""

    def log_files(self, paths: list[Path]) -> None:
        """Log the run's figures and report files."""

    def finish(self, status: str = FINISHED) -> None:
        """Close the run as FINISHED, FAILED or KILLED, and write everything out."""


def open_tracker(cfg: dict[str, Any], run_dir: Path, is_main: bool = True) -> Tracker:
    """The tracker config.yaml chose, started with the run's config; a silent one on every process but the main."""
    name = cfg["training"]["tracker"]
    if not is_main or name == "none":
        return Tracker()
    return TRACKERS[name](cfg, run_dir.resolve())  # absolute: MLflow records file URIs, W&B may change directory


def log_evaluation(cfg: dict[str, Any], run_dir: Path, epoch: int, report: dict[str, Any], files: list[Path]) -> None:
    """evaluate.py's scores (as eval_<split>_<metric>, at the evaluated checkpoint's epoch) and files, added to the
    tracker run that trained the checkpoint in run_dir, reopened as a resumed run is; nowhere with tracker none."""
    tracker = open_tracker(cfg, run_dir)
    try:
        tracker.log_epoch({"epoch": epoch, **{f"eval_{report['split']}_{key}": value for key, value in report.items()}})
        tracker.log_files(files)
    finally:
        tracker.finish(tracker.ended)  # evaluating neither fails nor finishes the training run


def final_files(run_dir: Path) -> list[Path]:
    """The run folder's figures and report files, as they are at the end of training."""
    files = sorted(run_dir.glob("*.png")) + [run_dir / name for name in FINAL_FILES]
    return [path for path in files if path.is_file()]


def numbers(row: dict[str, Any]) -> dict[str, float]:
    """The numeric columns of a metrics row, without the epoch (it is the step)."""
    return {
        key: float(value)
        for key, value in row.items()
        if key != "epoch" and isinstance(value, (int, float)) and not isinstance(value, bool)
    }


def flat(cfg: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"training": {"lr": 0.001}} as {"training.lr": 0.001}."""
    out: dict[str, Any] = {}
    for key, value in cfg.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def require(module: str, package: str) -> ModuleType:
    """Import a tracker's library only when config.yaml chose it, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UserError(
            f"training.tracker: {package} is not installed; run: pip install {package} "
            f'(or pip install -e ".[{package}]"), or set training.tracker: none'
        ) from None


class TensorBoardTracker(Tracker):
    """Event files in <run>/tensorboard, through torch's SummaryWriter; view them with: tensorboard --logdir runs."""

    def __init__(self, cfg: dict[str, Any], run_dir: Path) -> None:
        require("tensorboard", "tensorboard")
        from torch.utils.tensorboard import SummaryWriter

        folder = run_dir / "tensorboard"
        started = folder.is_dir()  # resumed, or evaluated: the config is in it already
        self.writer = SummaryWriter(log_dir=str(folder))
        if not started:
            self.writer.add_text("config", "```yaml\n" + dump_config(cfg) + "```")

    def log_epoch(self, row: dict[str, Any]) -> None:
        for key, value in numbers(row).items():
            self.writer.add_scalar(key, value, global_step=row["epoch"])
        self.writer.flush()  # a crash later keeps the epochs already logged

    def log_files(self, paths: list[Path]) -> None:
        import numpy as np
        from PIL import Image

        for path in paths:
            if path.suffix == ".png":
                with Image.open(path) as image:
                    pixels = np.asarray(image.convert("RGB"))
                self.writer.add_image(path.stem, pixels, dataformats="HWC")
            elif path.name == "report.json":
                self.writer.add_text("report", "```json\n" + path.read_text(encoding="utf-8") + "\n```")

    def finish(self, status: str = FINISHED) -> None:
        if status != FINISHED:  # TensorBoard has no run status: say it beside the epochs already logged
            self.writer.add_text("status", status)
        self.writer.close()


class MLflowTracker(Tracker):
    """An MLflow run in <run>/mlflow: its metadata in the SQLite store mlflow.db, its files under artifacts/.

    SQLite rather than a plain folder store: MLflow 3 deprecated the folder store (./mlruns) and its newer
    releases refuse it unless MLFLOW_ALLOW_FILE_STORE=true. View it with:
    mlflow ui --backend-store-uri sqlite:///runs/<run>/mlflow/mlflow.db
    """

    def __init__(self, cfg: dict[str, Any], run_dir: Path) -> None:
        mlflow = require("mlflow", "mlflow")
        from mlflow.entities import Param

        store = run_dir / "mlflow"
        store.mkdir(parents=True, exist_ok=True)
        self.client = mlflow.tracking.MlflowClient(tracking_uri=sqlite_uri(store / "mlflow.db"))
        experiment = self.client.get_experiment_by_name(PROJECT)
        if experiment is None:
            experiment_id = self.client.create_experiment(PROJECT, artifact_location=(store / "artifacts").as_uri())
        else:
            experiment_id = experiment.experiment_id
        saved = store / "run_id"
        if saved.is_file():  # a resumed run continues the MLflow run it started
            self.run_id = saved.read_text(encoding="utf-8").strip()
            self.ended = self.client.get_run(self.run_id).info.status
            self.client.update_run(self.run_id, status="RUNNING")
            return
        self.run_id = self.client.create_run(experiment_id, run_name=run_dir.name).info.run_id
        saved.write_text(self.run_id, encoding="utf-8")
        # MLflow params are strings of at most 6000 characters
        params = [Param(key, str(value)[:6000]) for key, value in flat(cfg).items()]
        self.client.log_batch(self.run_id, params=params)

    def log_epoch(self, row: dict[str, Any]) -> None:
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        metrics = [Metric(key, value, now, row["epoch"]) for key, value in numbers(row).items()]
        self.client.log_batch(self.run_id, metrics=metrics)

    def log_files(self, paths: list[Path]) -> None:
        for path in paths:
            self.client.log_artifact(self.run_id, str(path))

    def finish(self, status: str = FINISHED) -> None:
        self.client.set_terminated(self.run_id, status=status)


def sqlite_uri(path: Path) -> str:
    """sqlite:////abs/mlflow.db on Linux and macOS, sqlite:///C:/abs/mlflow.db on Windows."""
    return "sqlite:///" + path.resolve().as_posix()


class WandbTracker(Tracker):
    """A W&B run in <run>/wandb: offline unless you have logged in (wandb login) or set WANDB_MODE yourself.

    Upload an offline run later with: wandb sync runs/<run>/wandb/offline-run-*
    """

    def __init__(self, cfg: dict[str, Any], run_dir: Path) -> None:
        self.wandb = require("wandb", "wandb")
        folder = run_dir / "wandb"
        folder.mkdir(parents=True, exist_ok=True)
        saved = folder / "run_id"
        run_id = saved.read_text(encoding="utf-8").strip() if saved.is_file() else None
        self.run_dir = run_dir
        self.run = self.wandb.init(
            project=os.environ.get("WANDB_PROJECT", PROJECT),
            name=run_dir.name,
            id=run_id,
            resume="allow",  # a resumed training run continues its W&B run
            dir=str(run_dir),
            config=cfg,
            mode=os.environ.get("WANDB_MODE") or ("online" if wandb_logged_in() else "offline"),
            settings=self.wandb.Settings(console="off"),  # tqdm's bars stay on the terminal, not in the run's log
        )
        saved.write_text(self.run.id, encoding="utf-8")
        # W&B's own step counts log calls; charts use the epoch, logged as a value (what W&B's docs advise)
        self.run.define_metric("*", step_metric="epoch")

    def log_epoch(self, row: dict[str, Any]) -> None:
        self.run.log({"epoch": row["epoch"], **numbers(row)})

    def log_files(self, paths: list[Path]) -> None:
        images = {path.stem: self.wandb.Image(str(path)) for path in paths if path.suffix == ".png"}
        if images:
            self.run.log(images)
        report = self.run_dir / "report.json"
        if report in paths:
            summary = json.loads(report.read_text(encoding="utf-8"))
            self.run.summary.update({key: value for key, value in summary.items() if not isinstance(value, dict)})
        for path in paths:
            if path.suffix != ".png" and path.name != "config.yaml":  # W&B keeps the config itself, as config.yaml
                shutil.copy2(path, Path(self.run.dir) / path.name)  # run.save would symlink it, with a warning

    def finish(self, status: str = FINISHED) -> None:
        self.run.finish(exit_code={FINISHED: 0, FAILED: 1, KILLED: 130}[status])  # 130: a shell's code for Ctrl+C
        # run.finish returns before W&B's service has written the run's log to disk; this waits for it
        self.wandb.teardown()


def wandb_logged_in() -> bool:
    """An API key in WANDB_API_KEY or in ~/.netrc for the W&B host (what `wandb login` writes)."""
    if os.environ.get("WANDB_API_KEY"):
        return True
    host = urlparse(os.environ.get("WANDB_BASE_URL", "https://api.wandb.ai")).hostname
    try:
        return netrc.netrc().authenticators(host or "api.wandb.ai") is not None
    except (OSError, netrc.NetrcParseError):
        return False


TRACKERS: dict[str, type[Tracker]] = {
    "tensorboard": TensorBoardTracker,
    "mlflow": MLflowTracker,
    "wandb": WandbTracker,
}
