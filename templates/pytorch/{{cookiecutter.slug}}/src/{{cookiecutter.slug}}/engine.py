{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Training: the epoch loop with validation, checkpoints, a metrics CSV, plots, early stopping and resume."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader
from tqdm import tqdm

from . import task
from .checkpoint import load_checkpoint, save_checkpoint
from .config import dump_config
from .data import Datasets, build_datasets
{%- if f.sync_bn %}
from .distributed import sync_batchnorm
{%- endif %}
from .errors import ConfigError, UserError
from .loaders import build_loaders, start_epoch
from .model import build_model, count_parameters{% if f.pretrained %}, freeze_mode, set_trainable{% endif %}
from .plots import plot_curves
from .processes import Processes
from .regularization import l1_penalty, parameter_groups
from .runtime import (
    autocast_dtype,
    configure_backends,
    pick_device,
    rng_state,
    seed_everything,
{%- if f.image %}
    use_channels_last,
{%- endif %}
)
{%- if f.tabular %}
from .tabular import FeatureSchema
{%- endif %}
from .tracking import final_files, open_tracker

# A visible progress bar shows the running loss every this many steps; reading it waits for the GPU.
SHOW_LOSS_EVERY = 50
# How torch words a normalization layer's refusal of a batch it cannot compute statistics from
TOO_FEW_VALUES = ("Expected more than 1 value per channel", "Expected more than 1 spatial element")


def build_optimizer(cfg: dict[str, Any], model: nn.Module) -> torch.optim.Optimizer:
    """training.optimizer: adamw (decoupled weight decay), adam (L2 added to the gradient) or sgd (Nesterov
    momentum 0.9). The weight decay (regularization.l2) applies to weights only, not to norm layers and biases."""
    groups = parameter_groups(model, cfg["regularization"]["l2"])
    name, lr = cfg["training"]["optimizer"], cfg["training"]["lr"]
    if name == "sgd":
        return torch.optim.SGD(groups, lr=lr, momentum=0.9, nesterov=True)
    if name == "adam":
        return torch.optim.Adam(groups, lr=lr)
    return torch.optim.AdamW(groups, lr=lr)


def build_scheduler(
    cfg: dict[str, Any], optimizer: torch.optim.Optimizer, steps_per_epoch: int
) -> torch.optim.lr_scheduler.LRScheduler:
    """training.scheduler, stepped every batch over the whole run (training.epochs):
    cosine: decay from lr to 0; step: divide by 10 after each third; onecycle: warm up to lr over the first 30%,
    then anneal far below it; none: lr throughout."""
    name, total_steps = cfg["training"]["scheduler"], cfg["training"]["epochs"] * steps_per_epoch
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=max(1, total_steps // 3), gamma=0.1)
    if name == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=cfg["training"]["lr"], total_steps=total_steps)
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)


class Trainer:
    """A model with its loss, optimizer, schedule and precision: runs training steps, epochs and evaluations.

    `net` is the plain network; evaluation and checkpoints use it. Training steps call `self.model`: the
    same network as this run's processes train it (DistributedDataParallel when several train together; see
    processes.py), compiled when training.compile is true.
    """

    def __init__(
        self,
        cfg: dict[str, Any],
        net: nn.Module,
        loss_fn: nn.Module,
        optimizer: torch.optim.Optimizer,
        scheduler: torch.optim.lr_scheduler.LRScheduler,
        device: torch.device,
    ) -> None:
        self.cfg = cfg
        self.net = net
        self.loss_fn = loss_fn
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.device = device
        self.processes = Processes()
        self.l1 = cfg["regularization"]["l1"]  # 0: no L1 term
        self.dtype = autocast_dtype(cfg["training"]["precision"], device)
        # fp16 needs loss scaling against underflow; bf16 and fp32 do not
        self.scaler = torch.amp.GradScaler(device.type, enabled=self.dtype == torch.float16)
{%- if f.image %}
        # channels-last (NHWC) images and weights: tensor cores run reduced-precision convolutions without transposes
        self.memory_format = torch.channels_last if use_channels_last(device, self.dtype) else torch.contiguous_format
        net.to(memory_format=self.memory_format)
{%- endif %}
        # tqdm's disable: None shows progress bars on a terminal only, and only the main process shows them
        self.hide_progress = None if self.processes.is_main else True
        self.model = self.wrap()

    def wrap(self) -> nn.Module:
        """The network that training steps call. Call again after changing which parameters train: a
        DistributedDataParallel wrapper registers the trainable ones when it is built."""
        model = self.processes.wrap(self.net, self.device)
        # torch.compile fuses operations into faster kernels; the first steps are slow while it compiles
        return torch.compile(model) if self.cfg["training"]["compile"] else model

    def to_device(self, inputs: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """A batch on the training device; copies from pinned memory run alongside the computation."""
        inputs = inputs.to(self.device, non_blocking=True{% if f.image %}, memory_format=self.memory_format{% endif %})
        return inputs, targets.to(self.device, non_blocking=True)

    def train_step(self, inputs: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One optimizer step on a batch on the device; returns the detached loss terms and logits.

        The loss terms: the data loss, and the L1 term when regularization.l1 > 0 (summed for the gradient).

        Nothing here copies a value to the host (no .item()), so the CPU queues the next step while the GPU
        still runs this one.
        """
        with torch.autocast(self.device.type, dtype=self.dtype, enabled=self.dtype is not None):
            try:
                logits = self.model(inputs)
            except ValueError as exc:
                if not str(exc).startswith(TOO_FEW_VALUES):
                    raise
                raise UserError(
                    f"training.batch_size: a batch of {len(inputs)} is too small for this network's normalization "
                    f"layers ({exc}); BatchNorm needs more than one value a channel (batch size x feature-map "
                    "pixels), InstanceNorm more than one pixel a feature map: raise training.batch_size or "
                    "data.image_size, or re-run the wizard with another normalization (groupnorm, frozen-batchnorm)"
                ) from None
            loss = self.loss_fn(logits, targets)
        parts = [loss.float()]
        if self.l1:  # the L1 term is logged apart from the data loss
            parts.append(self.l1 * l1_penalty(self.net))
        terms = torch.stack(parts)
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(terms.sum()).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.scheduler.step()
        return terms.detach(), logits.detach()

    def train_epoch(self, loader: DataLoader, desc: str) -> dict[str, float]:
        """One pass over the training data; the means of the loss terms and task.TRAIN_METRICS, over all processes.

        The sums stay on the device and are read once, at the end: reading a GPU value makes the CPU wait
        for all queued work, and doing that every step would leave the GPU idle between steps.
        """
        self.model.train()
        names = ["train_loss", *(["train_l1"] if self.l1 else []), *task.TRAIN_METRICS]  # the columns of metrics.csv
        sums = torch.zeros(len(names), device=self.device)
        seen = 0
        bar = tqdm(loader, desc=desc, leave=False, disable=self.hide_progress)
        for step, (inputs, targets) in enumerate(bar, start=1):
            inputs, targets = self.to_device(inputs, targets)
            terms, logits = self.train_step(inputs, targets)
            sums += torch.cat([terms, task.train_metrics(logits, targets)]) * len(targets)
            seen += len(targets)
            if not bar.disable and step % SHOW_LOSS_EVERY == 0:
                bar.set_postfix(loss=f"{sums[0].item() / seen:.4f}", refresh=False)
        totals = self.processes.sum_across(torch.cat([sums, torch.tensor([float(seen)], device=self.device)]))
        *totals, seen = totals.tolist()  # the epoch's one copy to the host
        return {name: total / seen for name, total in zip(names, totals, strict=True)}

    @torch.inference_mode()
    def evaluate(self, loader: DataLoader, desc: str = "validate") -> tuple[float, list[Any], list[Any]]:
        """Mean loss, the true targets and the predictions (task.predictions) over a loader, sample by sample.

        With several processes each evaluates its share of the loader and the shares are gathered: every
        process returns the results for the whole data, as one process would.
        """
        self.net.eval()
        self.processes.share_buffers(self.net)  # everyone evaluates the BatchNorm statistics checkpoints hold
        loss_sum = torch.zeros((), device=self.device)
        truths, predictions = [], []
        for inputs, targets in tqdm(loader, desc=desc, leave=False, disable=self.hide_progress):
            inputs, targets = self.to_device(inputs, targets)
            with torch.autocast(self.device.type, dtype=self.dtype, enabled=self.dtype is not None):
                logits = self.net(inputs).float()
            loss_sum += self.loss_fn(logits, targets) * len(targets)
            truths.append(targets)
            predictions.append(task.predictions(logits))
        # one copy to the host at the end instead of one per batch
        y_true = torch.cat(truths).tolist() if truths else []
        y_pred = torch.cat(predictions).tolist() if predictions else []
        y_true, y_pred, loss_sums = self.processes.gather_columns((y_true, y_pred, [loss_sum.item()]))
        return sum(loss_sums) / max(len(y_true), 1), y_true, y_pred


def fit(
    cfg: dict[str, Any], run_dir: Path, resume_from: Path | None = None, stop_after: int | None = None
) -> dict[str, Any] | None:
    """Train as cfg says, writing checkpoints, metrics.csv, curves.png and report.json into run_dir.

    resume_from: a last.pt to continue from. stop_after: stop after this epoch (the schedule still plans
    for training.epochs), to be continued with resume_from. Returns the final report, or None when stopped.

    When several processes train together (DDP under torchrun), every one calls fit after Processes().start:
    they train one model, each on its share of the data, and only the main process writes files.
    """
    processes = Processes()
    seed, epochs = cfg["training"]["seed"], cfg["training"]["epochs"]
    seed_everything(seed)
    device = pick_device(cfg["training"]["device"])
    configure_backends(cfg["training"]["deterministic"])
    state = load_checkpoint(resume_from) if resume_from else None
{% include f.family ~ "/package/engine/data.py" %}
{%- if f.sync_bn %}
    model = sync_batchnorm(model, cfg["training"]["batch_size"], device)
{%- endif %}
    optimizer = build_optimizer(cfg, model)  # holds every parameter, so layers unfrozen later train too
    loss_fn = task.loss_for(cfg, data).to(device)
    train_loader, val_loader = build_loaders(cfg, data, device)
    scheduler = build_scheduler(cfg, optimizer, len(train_loader))
    history: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None
    bad_epochs, start = 0, 1
    if state is not None:
        _check_same_schedule(state["config"], cfg)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        history, best, bad_epochs, start = state["history"], state["best"], state["bad_epochs"], state["epoch"] + 1
        print(f"resuming from {resume_from} (finished epoch {state['epoch']} of {epochs})")
    trainer = Trainer(cfg, model, loss_fn, optimizer, scheduler, device)
    if state is not None:
        trainer.scaler.load_state_dict(state["scaler"])
    processes.restore_rng(state, seed)  # last: building the model above drew random numbers
    precision = str(trainer.dtype or torch.float32).removeprefix("torch.")
    fallback = " (fp16 needs CUDA)" if cfg["training"]["precision"] == "fp16" and trainer.dtype is None else ""
    print(f"device: {device}, precision: {precision}{fallback}")
    processes.announce(cfg["training"]["batch_size"], "{{ 'rows' if f.tabular else 'images' }}")
    if processes.is_main:
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "config.yaml").write_text(dump_config(cfg), encoding="utf-8")
    # training.tracker (silent off the main process); it finishes the run however training ends
    with open_tracker(cfg, run_dir, processes.is_main) as tracker:
        stopping = cfg["regularization"]["early_stopping"]
        monitor, higher = stopping["monitor"], task.HIGHER_IS_BETTER[stopping["monitor"]]
        if stopping["enabled"] and bad_epochs >= stopping["patience"]:  # resuming a run that already stopped early
            start = epochs + 1
{%- if f.pretrained %}
        freeze, unfreeze_epoch = freeze_mode(cfg), cfg["model"]["unfreeze_epoch"]
        for epoch in range(start, epochs + 1):
            set_trainable(model, freeze, epoch, unfreeze_epoch)
            if epoch == start or (freeze == "gradual" and epoch == unfreeze_epoch):
                trainable, frozen = count_parameters(model)
                print(f"parameters: {trainable:,} trainable, {frozen:,} frozen (model.freeze: {freeze})")
{%- if f.ddp %}
                trainer.model = trainer.wrap()  # DDP syncs the gradients of the parameters trainable when it is built
{%- endif %}
{%- else %}
        trainable, frozen = count_parameters(model)
        print(f"parameters: {trainable:,} trainable, {frozen:,} frozen")
        for epoch in range(start, epochs + 1):
{%- endif %}
            start_epoch(train_loader, epoch)
            started = time.perf_counter()
            row: dict[str, Any] = {"epoch": epoch, "lr": optimizer.param_groups[0]["lr"]}
            row.update(trainer.train_epoch(train_loader, desc=f"epoch {epoch}/{epochs}"))
            val_loss, y_true, y_pred = trainer.evaluate(val_loader)
            row.update(val_loss=val_loss, **task.validation_metrics(data, y_true, y_pred))
            row["seconds"] = round(time.perf_counter() - started, 2)
            history.append(row)
            improved = best is None or _better(row[monitor], best["value"], higher, stopping["min_delta"])
            if improved:
                best, bad_epochs = {"epoch": epoch, "value": row[monitor]}, 0
            else:
                bad_epochs += 1
            train_text, val_text = task.summary(row)
            if trainer.l1:
                train_text += f" (L1 term {row['train_l1']:.4f})"
            print(
                f"epoch {epoch}/{epochs}  {train_text}"
                f"  |  {val_text}  |  {row['seconds']:.1f}s{'  (best)' if improved else ''}"
            )
            checkpoint = {
                "format": 1,
                "epoch": epoch,
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "scaler": trainer.scaler.state_dict(),
                "rng": rng_state(),
                "history": history,
                "best": best,
                "bad_epochs": bad_epochs,
                "config": cfg,
                **task.checkpoint_extras(data, y_true, y_pred),
{%- if f.tabular %}
                "schema": data.schema.to_dict(),
{%- endif %}
            }
            checkpoint.update(processes.checkpoint_rng(checkpoint["rng"]))
            if processes.is_main:
                _save_epoch(run_dir, history, improved, checkpoint)
                tracker.log_epoch(row)
            if stopping["enabled"] and bad_epochs >= stopping["patience"]:
                print(
                    f"early stopping: {monitor} has not improved for {bad_epochs} epochs "
                    f"(best {best['value']:.4f} at epoch {best['epoch']})"
                )
                break
            if stop_after is not None and epoch >= stop_after and epoch < epochs:
                print(f"stopped after epoch {epoch} as asked; continue with: --resume {run_dir / 'last.pt'}")
                return None
        processes.barrier()  # the main process has written best.pt, which every process now reads
        report = _final_report(trainer, model, val_loader, data, run_dir, monitor)
        tracker.log_files(final_files(run_dir))
    return report


def _check_same_schedule(started: dict[str, Any], cfg: dict[str, Any]) -> None:
    """A resumed run keeps the optimizer and scheduler it started with: their saved states fit no other."""
    for key in ("optimizer", "scheduler"):
        before, now = started["training"][key], cfg["training"][key]
        if before != now:
            raise ConfigError(
                f"training.{key}: this run started with {before!r} and a resumed run keeps it; "
                f"start a new run to train with {now!r}"
            )


def _better(value: float, best: float, higher: bool, min_delta: float) -> bool:
    return value > best + min_delta if higher else value < best - min_delta


def _save_epoch(run_dir: Path, history: list[dict[str, Any]], improved: bool, state: dict[str, Any]) -> None:
    with open(run_dir / "metrics.csv", "w", newline="", encoding="utf-8") as handle:
        # every column any epoch has (a resumed run may have turned the L1 term on)
        writer = csv.DictWriter(handle, fieldnames=list(dict.fromkeys(key for row in history for key in row)))
        writer.writeheader()
        writer.writerows(history)
    plot_curves(history, run_dir / "curves.png")
    save_checkpoint(run_dir / "last.pt", state)
    if improved:
        save_checkpoint(run_dir / "best.pt", state)


def _final_report(
    trainer: Trainer, model: nn.Module, loader: DataLoader, data: Datasets, run_dir: Path, monitor: str
) -> dict[str, Any]:
    """Evaluate the best epoch's weights (restored from best.pt); write report.json and the task's other report
    files (task.present)."""
    best = load_checkpoint(run_dir / "best.pt")
    model.load_state_dict(best["model"])
    val_loss, y_true, y_pred = trainer.evaluate(loader)
    report = {
        "best_epoch": best["epoch"],
        "monitor": monitor,
        "val_loss": val_loss,
        **task.final_report(data, y_true, y_pred, best),
    }
    if not trainer.processes.is_main:
        return report
    (run_dir / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    text = task.present(report, data, run_dir)
    print(f"\nbest epoch {best['epoch']} ({monitor} {best['best']['value']:.4f}) on the validation split:")
    print(text)
    print(f"run folder: {run_dir}")
    return report
