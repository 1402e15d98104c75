{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Training: the epoch loop with validation, checkpoints, a metrics CSV, plots{% if f.early_stopping %}, early stopping{% endif %} and resume."""

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

from .checkpoint import load_checkpoint, save_checkpoint
from .config import dump_config
from .data import Datasets, build_datasets
{%- if f.ddp %}
from .distributed import (
    barrier,
    concat_shards,
    gather,
    is_main,
    rank,
    share_buffers,
    sum_across,
{%- if f.sync_bn %}
    sync_batchnorm,
{%- endif %}
    world_size,
    wrap_ddp,
)
{%- endif %}
from .errors import UserError
from .loaders import build_loaders, start_epoch
from .losses import build_loss
{%- if f.regression %}
from .metrics import format_report, regression_report
{%- elif f.multilabel %}
from .metrics import format_report, multilabel_report
{%- else %}
from .metrics import classification_report, format_report
{%- endif %}
from .model import build_model, count_parameters{% if f.pretrained %}, freeze_mode, set_trainable{% endif %}
{%- if f.multilabel %}
from .multilabel import tune_thresholds
{%- endif %}
from .plots import {% if f.single_label %}plot_confusion_matrix, {% endif %}plot_curves
from .regularization import {% if f.l1 %}l1_penalty, {% endif %}parameter_groups
from .runtime import (
    autocast_dtype,
    configure_backends,
    pick_device,
    rng_state,
    seed_everything,
    set_rng_state,
{%- if f.image %}
    use_channels_last,
{%- endif %}
)
{%- if f.tabular %}
from .tabular import FeatureSchema
{%- endif %}

# The monitored metric (regularization.early_stopping.monitor) also picks the best checkpoint.
{%- if f.regression %}
HIGHER_IS_BETTER = {"val_loss": False, "val_mae": False, "val_rmse": False, "val_r2": True}
{%- elif f.multilabel %}
HIGHER_IS_BETTER = {"val_loss": False, "val_macro_f1": True, "val_micro_f1": True}
{%- else %}
HIGHER_IS_BETTER = {"val_loss": False, "val_accuracy": True, "val_macro_f1": True}
{%- endif %}
# A visible progress bar shows the running loss every this many steps; reading it waits for the GPU.
SHOW_LOSS_EVERY = 50
# How torch words a normalization layer's refusal of a batch it cannot compute statistics from
TOO_FEW_VALUES = ("Expected more than 1 value per channel", "Expected more than 1 spatial element")


def build_optimizer(cfg: dict[str, Any], model: nn.Module) -> torch.optim.Optimizer:
{%- if c.training.optimizer == "sgd" %}
    """SGD with Nesterov momentum 0.9; weight decay (l2) on weights only, not on norm layers and biases."""
    groups = parameter_groups(model, cfg["regularization"]["l2"])
    return torch.optim.SGD(groups, lr=cfg["training"]["lr"], momentum=0.9, nesterov=True)
{%- elif c.training.optimizer == "adam" %}
    """Adam; L2 (added to the gradient) on weights only, not on norm layers and biases."""
    groups = parameter_groups(model, cfg["regularization"]["l2"])
    return torch.optim.Adam(groups, lr=cfg["training"]["lr"])
{%- else %}
    """AdamW (decoupled weight decay); the decay (l2) applies to weights only, not to norm layers and biases."""
    groups = parameter_groups(model, cfg["regularization"]["l2"])
    return torch.optim.AdamW(groups, lr=cfg["training"]["lr"])
{%- endif %}
{%- if f.scheduler %}


def build_scheduler(
    cfg: dict[str, Any], optimizer: torch.optim.Optimizer, steps_per_epoch: int
) -> torch.optim.lr_scheduler.LRScheduler:
{%- if c.training.scheduler == "cosine" %}
    """Cosine decay of the learning rate from lr to 0 over the whole run (stepped every batch)."""
    total_steps = cfg["training"]["epochs"] * steps_per_epoch
    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
{%- elif c.training.scheduler == "step" %}
    """The learning rate divided by 10 after each third of the run (stepped every batch)."""
    total_steps = cfg["training"]["epochs"] * steps_per_epoch
    return torch.optim.lr_scheduler.StepLR(optimizer, step_size=max(1, total_steps // 3), gamma=0.1)
{%- else %}
    """One-cycle: warm up to lr over the first 30% of the run, then anneal far below it (stepped every batch)."""
    total_steps = cfg["training"]["epochs"] * steps_per_epoch
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=cfg["training"]["lr"], total_steps=total_steps)
{%- endif %}
{%- endif %}


class Trainer:
    """A model with its loss, optimizer{% if f.scheduler %}, schedule{% endif %} and precision: runs training steps, epochs and evaluations.

    `net` is the plain network; evaluation and checkpoints use it. Training steps call `self.model`: the
    same network{% if f.ddp %}, wrapped in DistributedDataParallel under torchrun, and{% endif %} compiled when training.compile is true.
    """

    def __init__(
        self,
        cfg: dict[str, Any],
        net: nn.Module,
        loss_fn: nn.Module,
        optimizer: torch.optim.Optimizer,
{%- if f.scheduler %}
        scheduler: torch.optim.lr_scheduler.LRScheduler,
{%- endif %}
        device: torch.device,
    ) -> None:
        self.cfg = cfg
        self.net = net
        self.loss_fn = loss_fn
        self.optimizer = optimizer
{%- if f.scheduler %}
        self.scheduler = scheduler
{%- endif %}
        self.device = device
        self.dtype = autocast_dtype(cfg["training"]["precision"], device)
        # fp16 needs loss scaling against underflow; bf16 and fp32 do not
        self.scaler = torch.amp.GradScaler(device.type, enabled=self.dtype == torch.float16)
{%- if f.image %}
        # channels-last (NHWC) images and weights: tensor cores run reduced-precision convolutions without transposes
        self.memory_format = torch.channels_last if use_channels_last(device, self.dtype) else torch.contiguous_format
        net.to(memory_format=self.memory_format)
{%- endif %}
        self.model = self.wrap()

    def wrap(self) -> nn.Module:
        """The network that training steps call{% if f.ddp %}. Call again after changing which parameters train: DDP
        registers the trainable ones when it is built{% endif %}."""
{%- if f.ddp %}
        model = wrap_ddp(self.net, self.device) if world_size() > 1 else self.net
{%- else %}
        model = self.net
{%- endif %}
        # torch.compile fuses operations into faster kernels; the first steps are slow while it compiles
        return torch.compile(model) if self.cfg["training"]["compile"] else model

    def to_device(self, inputs: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """A batch on the training device; copies from pinned memory run alongside the computation."""
        inputs = inputs.to(self.device, non_blocking=True{% if f.image %}, memory_format=self.memory_format{% endif %})
        return inputs, targets.to(self.device, non_blocking=True)

    def train_step(self, inputs: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """One optimizer step on a batch on the device; returns the detached loss{% if f.l1 %}, logits and L1 term{% else %} and logits{% endif %}.

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
{%- if f.l1 %}
        penalty = self.cfg["regularization"]["l1"] * l1_penalty(self.net)  # logged apart from the data loss
{%- endif %}
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale({% if f.l1 %}loss + penalty{% else %}loss{% endif %}).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
{%- if f.scheduler %}
        self.scheduler.step()
{%- endif %}
        return loss.detach(), logits.detach(){% if f.l1 %}, penalty.detach(){% endif %}

    def train_epoch(self, loader: DataLoader, desc: str) -> dict[str, float]:
        """One pass over the training data; returns the mean loss{% if f.l1 %}, L1 term{% endif %}{% if f.multilabel %} and per-label accuracy{% elif not f.regression %} and accuracy{% endif %}{% if f.ddp %} of all processes{% endif %}.

        The sums stay on the device and are read once, at the end: reading a GPU value makes the CPU wait
        for all queued work, and doing that every step would leave the GPU idle between steps.
        """
        self.model.train()
        loss_sum = torch.zeros((), device=self.device)
{%- if f.l1 %}
        l1_sum = torch.zeros((), device=self.device)
{%- endif %}
{%- if not f.regression %}
        correct = torch.zeros((), device=self.device)
{%- endif %}
        seen = 0
        bar = tqdm(loader, desc=desc, leave=False, disable={% if f.ddp %}None if is_main() else True{% else %}None{% endif %})
        for step, (inputs, targets) in enumerate(bar, start=1):
            inputs, targets = self.to_device(inputs, targets)
            loss, logits{% if f.l1 %}, penalty{% endif %} = self.train_step(inputs, targets)
            loss_sum += loss.float() * len(targets)
{%- if f.l1 %}
            l1_sum += penalty * len(targets)
{%- endif %}
{%- if f.multilabel %}
            correct += ((logits > 0) == (targets > 0.5)).float().mean(dim=1).sum()  # share of right labels per image
{%- elif not f.regression %}
            correct += (logits.argmax(dim=1) == targets).sum()
{%- endif %}
            seen += len(targets)
            if not bar.disable and step % SHOW_LOSS_EVERY == 0:
                bar.set_postfix(loss=f"{loss_sum.item() / seen:.4f}", refresh=False)
        totals = torch.stack([loss_sum, {% if f.l1 %}l1_sum, {% endif %}{% if not f.regression %}correct, {% endif %}torch.tensor(float(seen), device=self.device)])
{%- if f.ddp %}
        sum_across(totals)  # sums over every process
{%- endif %}
        loss_sum, {% if f.l1 %}l1_sum, {% endif %}{% if not f.regression %}correct, {% endif %}seen = totals.tolist()  # the epoch's one copy to the host
        return {
            "train_loss": loss_sum / seen,
{%- if f.l1 %}
            "train_l1": l1_sum / seen,
{%- endif %}
{%- if not f.regression %}
            "train_accuracy": correct / seen,
{%- endif %}
        }

    @torch.inference_mode()
{%- if f.multilabel %}
    def evaluate(
        self, loader: DataLoader, desc: str = "validate"
    ) -> tuple[float, list[list[float]], list[list[float]]]:
        """Mean loss, the true labels (0/1 per label) and the predicted probabilities, image by image.
{%- elif f.regression %}
    def evaluate(self, loader: DataLoader, desc: str = "validate") -> tuple[float, list[float], list[float]]:
        """Mean loss, the true targets and the model's outputs over a loader (in the units the model learns).
{%- else %}
    def evaluate(self, loader: DataLoader, desc: str = "validate") -> tuple[float, list[int], list[int]]:
        """Mean loss, true classes and predicted classes over a loader.
{%- endif %}
{%- if f.ddp %}

        Under torchrun each process evaluates its share of the loader (ShardSampler: no sample twice) and the
        shares are gathered: every process returns the results for the whole data, as one process would.
        """
{%- else %}"""
{%- endif %}
        self.net.eval()
{%- if f.ddp %}
        share_buffers(self.net)  # everyone evaluates rank 0's BatchNorm statistics, the ones checkpoints hold
{%- endif %}
        loss_sum = torch.zeros((), device=self.device)
        truths, predictions = [], []
        for inputs, targets in tqdm(loader, desc=desc, leave=False, disable={% if f.ddp %}None if is_main() else True{% else %}None{% endif %}):
            inputs, targets = self.to_device(inputs, targets)
            with torch.autocast(self.device.type, dtype=self.dtype, enabled=self.dtype is not None):
                logits = self.net(inputs).float()
            loss_sum += self.loss_fn(logits, targets) * len(targets)
            truths.append(targets)
{%- if f.multilabel %}
            predictions.append(logits.sigmoid())
{%- elif f.regression %}
            predictions.append(logits)
{%- else %}
            predictions.append(logits.argmax(dim=1))
{%- endif %}
        # one copy to the host at the end instead of one per batch
        y_true = torch.cat(truths).tolist() if truths else []
        y_pred = torch.cat(predictions).tolist() if predictions else []
{%- if f.ddp %}
        y_true, y_pred, loss_sums = concat_shards(gather((y_true, y_pred, [loss_sum.item()])))
        return sum(loss_sums) / max(len(y_true), 1), y_true, y_pred
{%- else %}
        return loss_sum.item() / max(len(y_true), 1), y_true, y_pred
{%- endif %}


def fit(
    cfg: dict[str, Any], run_dir: Path, resume_from: Path | None = None, stop_after: int | None = None
) -> dict[str, Any] | None:
    """Train as cfg says, writing checkpoints, metrics.csv, curves.png and report.json into run_dir.

    resume_from: a last.pt to continue from. stop_after: stop after this epoch (the schedule still plans
    for training.epochs), to be continued with resume_from. Returns the final report, or None when stopped.
{%- if f.ddp %}

    Under torchrun every process calls fit (after setup_distributed): they train one model together, each
    on its share of the data, and only rank 0 writes files.
{%- endif %}
    """
{%- if f.ddp %}
    main = is_main()
{%- endif %}
    seed, epochs = cfg["training"]["seed"], cfg["training"]["epochs"]
    seed_everything(seed)
    device = pick_device(cfg["training"]["device"])
    configure_backends(cfg["training"]["deterministic"])
    state = load_checkpoint(resume_from) if resume_from else None
{%- if f.tabular %}
    data = build_datasets(cfg, schema=FeatureSchema.from_dict(state["schema"]) if state else None)
    print(
        f"data: {len(data.train)} training and {len(data.val)} validation rows, {len(data.schema.columns)} feature "
{%- if f.regression %}
        f"columns, target {data.schema.target!r} (validation: {data.splits.val_source})"
{%- else %}
        f"columns, {len(data.classes)} classes (validation: {data.splits.val_source})"
{%- endif %}
    )
{%- else %}
    data = build_datasets(cfg, class_to_idx=state["class_to_idx"] if state else None)
    print(
        f"data: {len(data.train)} training and {len(data.val)} validation images, {len(data.classes)} "
        f"{% if f.multilabel %}labels{% else %}classes{% endif %} (validation: {data.splits.val_source})"
    )
{%- endif %}
    for note in data.splits.notes:
        print(f"  note: {note}")
{%- if f.tabular %}
    model = build_model(cfg, data.schema).to(device)
{%- else %}
    model = build_model(cfg, len(data.classes)).to(device)
{%- endif %}
{%- if f.sync_bn %}
    model = sync_batchnorm(model, cfg["training"]["batch_size"], device)
{%- endif %}
    optimizer = build_optimizer(cfg, model)  # holds every parameter, so layers unfrozen later train too
{%- if f.regression %}
    loss_fn = build_loss(cfg).to(device)
{%- elif f.multilabel %}
    loss_fn = build_loss(cfg, data.label_counts(), len(data.train)).to(device)
{%- else %}
    loss_fn = build_loss(cfg, data.class_counts()).to(device)
{%- endif %}
    train_loader, val_loader = build_loaders(cfg, data, device)
{%- if f.scheduler %}
    scheduler = build_scheduler(cfg, optimizer, len(train_loader))
{%- endif %}
    history: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None
    bad_epochs, start = 0, 1
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
{%- if f.scheduler %}
        scheduler.load_state_dict(state["scheduler"])
{%- endif %}
        history, best, bad_epochs, start = state["history"], state["best"], state["bad_epochs"], state["epoch"] + 1
        print(f"resuming from {resume_from} (finished epoch {state['epoch']} of {epochs})")
    trainer = Trainer(cfg, model, loss_fn, optimizer, {% if f.scheduler %}scheduler, {% endif %}device)
    if state is not None:
        trainer.scaler.load_state_dict(state["scaler"])
{%- if f.ddp %}
        _restore_rng(state, seed)  # last: building the model above drew random numbers
    elif world_size() > 1:
        seed_everything(seed + rank())  # same initial weights everywhere, then other dropout and augmentation draws
{%- else %}
        set_rng_state(state["rng"])  # last: building the model above drew random numbers
{%- endif %}
    precision = str(trainer.dtype or torch.float32).removeprefix("torch.")
    fallback = " (fp16 needs CUDA)" if cfg["training"]["precision"] == "fp16" and trainer.dtype is None else ""
    print(f"device: {device}, precision: {precision}{fallback}")
{%- if f.ddp %}
    if world_size() > 1:
        batch = cfg["training"]["batch_size"]
        print(f"DDP: {world_size()} processes x {batch} {{ 'rows' if f.tabular else 'images' }} per step = {world_size() * batch} per optimizer step")
{%- endif %}
{%- if f.ddp %}
    if main:
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "config.yaml").write_text(dump_config(cfg), encoding="utf-8")
{%- else %}
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "config.yaml").write_text(dump_config(cfg), encoding="utf-8")
{%- endif %}
    stopping = cfg["regularization"]["early_stopping"]
    monitor, higher = stopping["monitor"], HIGHER_IS_BETTER[stopping["monitor"]]
{%- if f.early_stopping %}
    if stopping["enabled"] and bad_epochs >= stopping["patience"]:  # resuming a run that already stopped early
        start = epochs + 1
{%- endif %}
{%- if not f.pretrained %}
    trainable, frozen = count_parameters(model)
    print(f"parameters: {trainable:,} trainable, {frozen:,} frozen")
{%- else %}
    freeze, unfreeze_epoch = freeze_mode(cfg), cfg["model"]["unfreeze_epoch"]
{%- endif %}
    for epoch in range(start, epochs + 1):
{%- if f.pretrained %}
        set_trainable(model, freeze, epoch, unfreeze_epoch)
        if epoch == start or (freeze == "gradual" and epoch == unfreeze_epoch):
            trainable, frozen = count_parameters(model)
            print(f"parameters: {trainable:,} trainable, {frozen:,} frozen (model.freeze: {freeze})")
{%- if f.ddp %}
            trainer.model = trainer.wrap()  # DDP syncs the gradients of the parameters trainable when it is built
{%- endif %}
{%- endif %}
        start_epoch(train_loader, epoch)
        started = time.perf_counter()
        row: dict[str, Any] = {"epoch": epoch, "lr": optimizer.param_groups[0]["lr"]}
        row.update(trainer.train_epoch(train_loader, desc=f"epoch {epoch}/{epochs}"))
{%- if f.multilabel %}
        val_loss, y_true, scores = trainer.evaluate(val_loader)
        thresholds = tune_thresholds(y_true, scores)  # saved in the checkpoint; predict.py uses them
        report = multilabel_report(y_true, scores, data.classes, [0.5] * len(data.classes))  # monitored at 0.5
        row.update(
            val_loss=val_loss,
            val_accuracy=report["accuracy"],
            val_macro_f1=report["macro_f1"],
            val_micro_f1=report["micro_f1"],
        )
{%- elif f.regression %}
        val_loss, y_true, y_pred = trainer.evaluate(val_loader)
        report = _regression_report(data, y_true, y_pred)
        row.update(val_loss=val_loss, val_mae=report["mae"], val_rmse=report["rmse"], val_r2=report["r2"])
{%- else %}
        val_loss, y_true, y_pred = trainer.evaluate(val_loader)
        report = classification_report(y_true, y_pred, data.classes)
        row.update(val_loss=val_loss, val_accuracy=report["accuracy"], val_macro_f1=report["macro_f1"])
{%- endif %}
        row["seconds"] = round(time.perf_counter() - started, 2)
        history.append(row)
        improved = best is None or _better(row[monitor], best["value"], higher, stopping["min_delta"])
        if improved:
            best, bad_epochs = {"epoch": epoch, "value": row[monitor]}, 0
        else:
            bad_epochs += 1
        print(
{%- if f.regression %}
            f"epoch {epoch}/{epochs}  train loss {row['train_loss']:.4f}"
{%- elif f.multilabel %}
            f"epoch {epoch}/{epochs}  train loss {row['train_loss']:.4f} label acc {row['train_accuracy']:.3f}"
{%- else %}
            f"epoch {epoch}/{epochs}  train loss {row['train_loss']:.4f} acc {row['train_accuracy']:.3f}"
{%- endif %}
{%- if f.l1 %}
            f" (L1 term {row['train_l1']:.4f})"
{%- endif %}
{%- if f.regression %}
            f"  |  val loss {val_loss:.4f} MAE {report['mae']:.4g} RMSE {report['rmse']:.4g} R² {report['r2']:.3f}"
{%- elif f.multilabel %}
            f"  |  val loss {val_loss:.4f} label acc {report['accuracy']:.3f} macro F1 {report['macro_f1']:.3f}"
            f" micro F1 {report['micro_f1']:.3f}"
{%- else %}
            f"  |  val loss {val_loss:.4f} acc {report['accuracy']:.3f} macro F1 {report['macro_f1']:.3f}"
{%- endif %}
            f"  |  {row['seconds']:.1f}s{'  (best)' if improved else ''}"
        )
        checkpoint = {
            "format": 1,
            "epoch": epoch,
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
{%- if f.scheduler %}
            "scheduler": scheduler.state_dict(),
{%- endif %}
            "scaler": trainer.scaler.state_dict(),
            "rng": rng_state(),
            "history": history,
            "best": best,
            "bad_epochs": bad_epochs,
            "config": cfg,
{%- if not f.regression %}
            "class_to_idx": data.class_to_idx,
{%- endif %}
{%- if f.tabular %}
            "schema": data.schema.to_dict(),
{%- elif f.multilabel %}
            "thresholds": thresholds,
{%- endif %}
        }
{%- if f.ddp %}
        checkpoint["rng_ranks"] = gather(checkpoint["rng"])  # every process's random streams, to continue each
        if main:
            _save_epoch(run_dir, history, improved, checkpoint)
{%- else %}
        _save_epoch(run_dir, history, improved, checkpoint)
{%- endif %}
{%- if f.early_stopping %}
        if stopping["enabled"] and bad_epochs >= stopping["patience"]:
            print(
                f"early stopping: {monitor} has not improved for {bad_epochs} epochs "
                f"(best {best['value']:.4f} at epoch {best['epoch']})"
            )
            break
{%- endif %}
        if stop_after is not None and epoch >= stop_after and epoch < epochs:
            print(f"stopped after epoch {epoch} as asked; continue with: --resume {run_dir / 'last.pt'}")
            return None
{%- if f.ddp %}
    barrier()  # rank 0 has written best.pt, which every process now reads
{%- endif %}
    return _final_report(trainer, model, val_loader, data, run_dir, monitor)


def _better(value: float, best: float, higher: bool, min_delta: float) -> bool:
    return value > best + min_delta if higher else value < best - min_delta
{%- if f.regression %}


def _regression_report(data: Datasets, y_true: list[float], y_pred: list[float]) -> dict[str, Any]:
    """MAE, RMSE and R² in the target's own units (the model may learn standardized values)."""
    unscale = data.schema.unscale
    return regression_report(unscale(torch.tensor(y_true)).tolist(), unscale(torch.tensor(y_pred)).tolist())
{%- endif %}
{%- if f.ddp %}


def _restore_rng(state: dict[str, Any], seed: int) -> None:
    """Each process continues the random streams it had when the checkpoint was written.

    After a change in the number of processes, every process starts fresh streams (from seed, epoch and rank).
    """
    streams = state.get("rng_ranks", [state["rng"]])
    if len(streams) == world_size():
        set_rng_state(streams[rank()])
    else:
        print(
            f"note: the checkpoint was written by {len(streams)} process(es), this run has {world_size()}: "
            "the random streams start afresh"
        )
        seed_everything(seed + 1000 * state["epoch"] + rank())
{%- endif %}


def _save_epoch(run_dir: Path, history: list[dict[str, Any]], improved: bool, state: dict[str, Any]) -> None:
    with open(run_dir / "metrics.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(history[0]))
        writer.writeheader()
        writer.writerows(history)
    plot_curves(history, run_dir / "curves.png")
    save_checkpoint(run_dir / "last.pt", state)
    if improved:
        save_checkpoint(run_dir / "best.pt", state)


def _final_report(
    trainer: Trainer, model: nn.Module, loader: DataLoader, data: Datasets, run_dir: Path, monitor: str
) -> dict[str, Any]:
{%- if f.multilabel %}
    """Evaluate the best epoch's weights (restored from best.pt) at its tuned thresholds; write report.json."""
    best = load_checkpoint(run_dir / "best.pt")
    model.load_state_dict(best["model"])
    val_loss, y_true, scores = trainer.evaluate(loader)
    at_half = multilabel_report(y_true, scores, data.classes, [0.5] * len(data.classes))
    report = {
        "best_epoch": best["epoch"],
        "monitor": monitor,
        "val_loss": val_loss,
        "thresholds_note": "tuned on this validation split, so these F1 scores are optimistic; "
        "confirm on a test split (scripts/evaluate.py --split test)",
        **multilabel_report(y_true, scores, data.classes, best["thresholds"]),
        "at_threshold_0.5": {key: at_half[key] for key in ("accuracy", "exact_match", "macro_f1", "micro_f1")},
    }
{%- elif f.regression %}
    """Evaluate the best epoch's weights (restored from best.pt) and write report.json."""
    best = load_checkpoint(run_dir / "best.pt")
    model.load_state_dict(best["model"])
    val_loss, y_true, y_pred = trainer.evaluate(loader)
    report = {
        "best_epoch": best["epoch"],
        "monitor": monitor,
        "val_loss": val_loss,
        "target": data.schema.target,
        **_regression_report(data, y_true, y_pred),
    }
{%- else %}
    """Evaluate the best epoch's weights (restored from best.pt) and write report.json and the confusion matrix."""
    best = load_checkpoint(run_dir / "best.pt")
    model.load_state_dict(best["model"])
    val_loss, y_true, y_pred = trainer.evaluate(loader)
    report = {
        "best_epoch": best["epoch"],
        "monitor": monitor,
        "val_loss": val_loss,
        **classification_report(y_true, y_pred, data.classes),
    }
{%- endif %}
{%- if f.ddp %}
    if not is_main():
        return report
{%- endif %}
    (run_dir / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
{%- if f.single_label %}
    plot_confusion_matrix(report["confusion_matrix"], data.classes, run_dir / "confusion_matrix.png")
{%- endif %}
    print(f"\nbest epoch {best['epoch']} ({monitor} {best['best']['value']:.4f}) on the validation split:")
    print(format_report(report))
{%- if f.multilabel %}
    print(
        f"(thresholds tuned on this split; at 0.5 for every label: macro F1 {at_half['macro_f1']:.3f}, "
        f"micro F1 {at_half['micro_f1']:.3f})"
    )
{%- endif %}
    print(f"run folder: {run_dir}")
    return report
