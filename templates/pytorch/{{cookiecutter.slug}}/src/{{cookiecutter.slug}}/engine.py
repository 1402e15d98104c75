{%- set c = cookiecutter -%}
{%- set pretrained = c.model.source == "pretrained" -%}
{%- set l1 = c.regularization.l1 | as_float > 0 -%}
{%- set sampler = c.imbalance.strategy in ("oversample", "undersample") -%}
{%- set ddp = c.training.distributed == "ddp" -%}
{%- set sched = c.training.scheduler -%}
{%- set opt = c.training.optimizer -%}
{%- set es = c.regularization.early_stopping.enabled | as_bool -%}
"""Training: the epoch loop with validation, checkpoints, a metrics CSV, plots{% if es %}, early stopping{% endif %} and resume."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import torch
{%- if ddp %}
import torch.distributed as dist
{%- endif %}
from torch import nn
{%- if ddp %}
from torch.nn.parallel import DistributedDataParallel
{%- endif %}
from torch.utils.data import DataLoader{% if ddp and not sampler %}, DistributedSampler{% endif %}
from tqdm import tqdm

from .checkpoint import load_checkpoint, save_checkpoint
from .config import dump_config
from .data import Datasets, build_datasets
from .losses import build_loss
from .metrics import classification_report, format_report
from .model import build_model, count_parameters{% if pretrained %}, set_trainable{% endif %}
from .plots import plot_confusion_matrix, plot_curves
from .regularization import {% if l1 %}l1_penalty, {% endif %}parameter_groups
from .runtime import autocast_dtype, pick_device, rng_state, seed_everything, set_rng_state
{%- if sampler %}
from .samplers import build_sampler
{%- endif %}

# The monitored metric (regularization.early_stopping.monitor) also picks the best checkpoint.
HIGHER_IS_BETTER = {"val_loss": False, "val_accuracy": True, "val_macro_f1": True}


def build_optimizer(cfg: dict[str, Any], model: nn.Module) -> torch.optim.Optimizer:
{%- if opt == "sgd" %}
    """SGD with Nesterov momentum 0.9; weight decay (l2) on weights only, not on norm layers and biases."""
    groups = parameter_groups(model, cfg["regularization"]["l2"])
    return torch.optim.SGD(groups, lr=cfg["training"]["lr"], momentum=0.9, nesterov=True)
{%- elif opt == "adam" %}
    """Adam; L2 (added to the gradient) on weights only, not on norm layers and biases."""
    groups = parameter_groups(model, cfg["regularization"]["l2"])
    return torch.optim.Adam(groups, lr=cfg["training"]["lr"])
{%- else %}
    """AdamW (decoupled weight decay); the decay (l2) applies to weights only, not to norm layers and biases."""
    groups = parameter_groups(model, cfg["regularization"]["l2"])
    return torch.optim.AdamW(groups, lr=cfg["training"]["lr"])
{%- endif %}
{%- if sched != "none" %}


def build_scheduler(
    cfg: dict[str, Any], optimizer: torch.optim.Optimizer, steps_per_epoch: int
) -> torch.optim.lr_scheduler.LRScheduler:
{%- if sched == "cosine" %}
    """Cosine decay of the learning rate from lr to 0 over the whole run (stepped every batch)."""
    total_steps = cfg["training"]["epochs"] * steps_per_epoch
    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
{%- elif sched == "step" %}
    """The learning rate divided by 10 after each third of the run (stepped every batch)."""
    total_steps = cfg["training"]["epochs"] * steps_per_epoch
    return torch.optim.lr_scheduler.StepLR(optimizer, step_size=max(1, total_steps // 3), gamma=0.1)
{%- else %}
    """One-cycle: warm up to lr over the first 30% of the run, then anneal far below it (stepped every batch)."""
    total_steps = cfg["training"]["epochs"] * steps_per_epoch
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=cfg["training"]["lr"], total_steps=total_steps)
{%- endif %}
{%- endif %}


def build_loaders(cfg: dict[str, Any], data: Datasets, device: torch.device) -> tuple[DataLoader, DataLoader]:
    """Training batches (shuffled{% if sampler %} by the imbalance sampler{% endif %}) and validation batches."""
    batch_size, workers = cfg["training"]["batch_size"], cfg["data"]["num_workers"]
{%- if sampler %}
    sampler = build_sampler(cfg, data.train.targets)
{%- elif ddp %}
    sampler = DistributedSampler(data.train, seed=cfg["training"]["seed"]) if dist.is_initialized() else None
{%- endif %}
    train = DataLoader(
        data.train,
        batch_size=batch_size,
{%- if sampler %}
        sampler=sampler,
{%- elif ddp %}
        shuffle=sampler is None,
        sampler=sampler,
{%- else %}
        shuffle=True,
{%- endif %}
        generator=torch.Generator(),  # reseeded every epoch, see start_epoch
        num_workers=workers,
        pin_memory=device.type == "cuda",
        drop_last=len({% if sampler %}sampler{% elif ddp %}sampler or data.train{% else %}data.train{% endif %}) > batch_size,  # no ragged last batch: BatchNorm dislikes tiny ones
    )
    val = DataLoader(data.val, batch_size=batch_size, num_workers=workers, pin_memory=device.type == "cuda")
    return train, val


def start_epoch(loader: DataLoader, epoch: int, seed: int) -> None:
    """This epoch's shuffling depends only on (seed, epoch), so a resumed run continues exactly."""
    loader.generator.manual_seed(seed + epoch)
{%- if sampler %}
    loader.sampler.set_epoch(epoch)
{%- elif ddp %}
    if isinstance(loader.sampler, DistributedSampler):
        loader.sampler.set_epoch(epoch)
{%- endif %}


class Trainer:
    """A model with its loss, optimizer{% if sched != "none" %}, schedule{% endif %} and precision: runs training epochs and evaluations."""

    def __init__(
        self,
        cfg: dict[str, Any],
        model: nn.Module,
        loss_fn: nn.Module,
        optimizer: torch.optim.Optimizer,
{%- if sched != "none" %}
        scheduler: torch.optim.lr_scheduler.LRScheduler,
{%- endif %}
        device: torch.device,
    ) -> None:
        self.cfg = cfg
        self.model = model
{%- if ddp %}
        self.net = model.module if isinstance(model, DistributedDataParallel) else model  # without the DDP wrapper
{%- endif %}
        self.loss_fn = loss_fn
        self.optimizer = optimizer
{%- if sched != "none" %}
        self.scheduler = scheduler
{%- endif %}
        self.device = device
        self.dtype = autocast_dtype(cfg["training"]["precision"], device)
        # fp16 needs loss scaling against underflow; bf16 and fp32 do not
        self.scaler = torch.amp.GradScaler(device.type, enabled=self.dtype == torch.float16)

    def train_epoch(self, loader: DataLoader, desc: str) -> dict[str, float]:
        """One pass over the training data; returns the mean data loss{% if l1 %}, the mean L1 term{% endif %} and the accuracy."""
        self.model.train()
        loss_sum = torch.zeros((), device=self.device)
{%- if l1 %}
        l1_sum = torch.zeros((), device=self.device)
{%- endif %}
        correct = torch.zeros((), device=self.device)
        seen = 0
        for images, targets in tqdm(loader, desc=desc, leave=False, disable=None):
            images = images.to(self.device, non_blocking=True)
            targets = targets.to(self.device, non_blocking=True)
            with torch.autocast(self.device.type, dtype=self.dtype, enabled=self.dtype is not None):
                logits = self.model(images)
                loss = self.loss_fn(logits, targets)
{%- if l1 %}
            penalty = self.cfg["regularization"]["l1"] * l1_penalty({% if ddp %}self.net{% else %}self.model{% endif %})  # logged apart from the data loss
{%- endif %}
            self.optimizer.zero_grad(set_to_none=True)
            self.scaler.scale({% if l1 %}loss + penalty{% else %}loss{% endif %}).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
{%- if sched != "none" %}
            self.scheduler.step()
{%- endif %}
            loss_sum += loss.detach().float() * len(targets)
{%- if l1 %}
            l1_sum += penalty.detach() * len(targets)
{%- endif %}
            correct += (logits.argmax(dim=1) == targets).sum()
            seen += len(targets)
{%- if ddp %}
        totals = torch.stack([loss_sum, {% if l1 %}l1_sum, {% endif %}correct.float(), torch.tensor(float(seen), device=self.device)])
        if dist.is_initialized():  # sums over every process
            dist.all_reduce(totals)
        {% if l1 %}loss_sum, l1_sum, correct, seen{% else %}loss_sum, correct, seen{% endif %} = totals
{%- endif %}
        return {
            "train_loss": (loss_sum / seen).item(),
{%- if l1 %}
            "train_l1": (l1_sum / seen).item(),
{%- endif %}
            "train_accuracy": (correct / seen).item(),
        }

    @torch.inference_mode()
    def evaluate(self, loader: DataLoader, desc: str = "validate") -> tuple[float, list[int], list[int]]:
        """Mean loss, true classes and predicted classes over a loader."""
{%- set net = "self.net" if ddp else "self.model" %}
        {{ net }}.eval()
        loss_sum = torch.zeros((), device=self.device)
        truths, predictions = [], []
        for images, targets in tqdm(loader, desc=desc, leave=False, disable=None):
            images = images.to(self.device, non_blocking=True)
            targets = targets.to(self.device, non_blocking=True)
            with torch.autocast(self.device.type, dtype=self.dtype, enabled=self.dtype is not None):
                logits = {{ net }}(images).float()
            loss_sum += self.loss_fn(logits, targets) * len(targets)
            truths.append(targets.cpu())
            predictions.append(logits.argmax(dim=1).cpu())
        y_true = torch.cat(truths).tolist()
        return (loss_sum / max(len(y_true), 1)).item(), y_true, torch.cat(predictions).tolist()


def fit(
    cfg: dict[str, Any], run_dir: Path, resume_from: Path | None = None, stop_after: int | None = None
) -> dict[str, Any] | None:
    """Train as cfg says, writing checkpoints, metrics.csv, curves.png and report.json into run_dir.

    resume_from: a last.pt to continue from. stop_after: stop after this epoch (the schedule still plans
    for training.epochs), to be continued with resume_from. Returns the final report, or None when stopped.
    """
{%- if ddp %}
    main = not dist.is_initialized() or dist.get_rank() == 0  # only the first process writes files
{%- endif %}
    seed, epochs = cfg["training"]["seed"], cfg["training"]["epochs"]
    seed_everything(seed)
    device = pick_device(cfg["training"]["device"])
    state = load_checkpoint(resume_from) if resume_from else None
    data = build_datasets(cfg, class_to_idx=state["class_to_idx"] if state else None)
    print(f"data: {len(data.train)} training and {len(data.val)} validation images, {len(data.classes)} classes "
          f"(validation: {data.splits.val_source})")
    for note in data.splits.notes:
        print(f"  note: {note}")
    model = build_model(cfg, len(data.classes)).to(device)
    optimizer = build_optimizer(cfg, model)  # holds every parameter, so layers unfrozen later train too
    loss_fn = build_loss(cfg, data.class_counts()).to(device)
    train_loader, val_loader = build_loaders(cfg, data, device)
{%- if sched != "none" %}
    scheduler = build_scheduler(cfg, optimizer, len(train_loader))
{%- endif %}
    history: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None
    bad_epochs, start = 0, 1
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
{%- if sched != "none" %}
        scheduler.load_state_dict(state["scheduler"])
{%- endif %}
        history, best, bad_epochs, start = state["history"], state["best"], state["bad_epochs"], state["epoch"] + 1
        print(f"resuming from {resume_from} (finished epoch {state['epoch']} of {epochs})")
{%- if ddp %}
    net = model
    if dist.is_initialized():
        model = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
{%- endif %}
    trainer = Trainer(cfg, model, loss_fn, optimizer, {% if sched != "none" %}scheduler, {% endif %}device)
    if state is not None:
        trainer.scaler.load_state_dict(state["scaler"])
        set_rng_state(state["rng"])  # last: building the model above drew random numbers
    precision = str(trainer.dtype or torch.float32).removeprefix("torch.")
    fallback = " (fp16 needs CUDA)" if cfg["training"]["precision"] == "fp16" and trainer.dtype is None else ""
    print(f"device: {device}, precision: {precision}{fallback}")
{%- if ddp %}
    if main:
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "config.yaml").write_text(dump_config(cfg), encoding="utf-8")
{%- else %}
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "config.yaml").write_text(dump_config(cfg), encoding="utf-8")
{%- endif %}
    stopping = cfg["regularization"]["early_stopping"]
    monitor, higher = stopping["monitor"], HIGHER_IS_BETTER[stopping["monitor"]]
{%- if es %}
    if stopping["enabled"] and bad_epochs >= stopping["patience"]:  # resuming a run that already stopped early
        start = epochs + 1
{%- endif %}
{%- set raw = "net" if ddp else "model" %}
{%- if not pretrained %}
    trainable, frozen = count_parameters({{ raw }})
    print(f"parameters: {trainable:,} trainable, {frozen:,} frozen")
{%- endif %}
    for epoch in range(start, epochs + 1):
{%- if pretrained %}
        freeze, unfreeze_epoch = cfg["model"]["freeze"], cfg["model"]["unfreeze_epoch"]
        set_trainable({{ raw }}, freeze, epoch, unfreeze_epoch)
        if epoch == start or (freeze == "gradual" and epoch == unfreeze_epoch):
            trainable, frozen = count_parameters({{ raw }})
            print(f"parameters: {trainable:,} trainable, {frozen:,} frozen (model.freeze: {freeze})")
{%- endif %}
        start_epoch(train_loader, epoch, seed)
        started = time.perf_counter()
        row: dict[str, Any] = {"epoch": epoch, "lr": optimizer.param_groups[0]["lr"]}
        row.update(trainer.train_epoch(train_loader, desc=f"epoch {epoch}/{epochs}"))
        val_loss, y_true, y_pred = trainer.evaluate(val_loader)
        report = classification_report(y_true, y_pred, data.classes)
        row.update(val_loss=val_loss, val_accuracy=report["accuracy"], val_macro_f1=report["macro_f1"])
        row["seconds"] = round(time.perf_counter() - started, 2)
        history.append(row)
        improved = best is None or _better(row[monitor], best["value"], higher, stopping["min_delta"])
        if improved:
            best, bad_epochs = {"epoch": epoch, "value": row[monitor]}, 0
        else:
            bad_epochs += 1
        print(f"epoch {epoch}/{epochs}  train loss {row['train_loss']:.4f} acc {row['train_accuracy']:.3f}"
{%- if l1 %}
              f" (L1 term {row['train_l1']:.4f})"
{%- endif %}
              f"  |  val loss {val_loss:.4f} acc {report['accuracy']:.3f} macro F1 {report['macro_f1']:.3f}"
              f"  |  {row['seconds']:.1f}s{'  (best)' if improved else ''}")
{%- if ddp %}
        if main:
            _save_epoch(run_dir, history, improved, {
                "format": 1, "epoch": epoch, "model": net.state_dict(), "optimizer": optimizer.state_dict(),
{%- if sched != "none" %}
                "scheduler": scheduler.state_dict(),
{%- endif %}
                "scaler": trainer.scaler.state_dict(), "rng": rng_state(), "history": history, "best": best,
                "bad_epochs": bad_epochs, "config": cfg, "class_to_idx": data.class_to_idx,
            })
{%- else %}
        _save_epoch(run_dir, history, improved, {
            "format": 1, "epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
{%- if sched != "none" %}
            "scheduler": scheduler.state_dict(),
{%- endif %}
            "scaler": trainer.scaler.state_dict(), "rng": rng_state(), "history": history, "best": best,
            "bad_epochs": bad_epochs, "config": cfg, "class_to_idx": data.class_to_idx,
        })
{%- endif %}
{%- if es %}
        if stopping["enabled"] and bad_epochs >= stopping["patience"]:
            print(f"early stopping: {monitor} has not improved for {bad_epochs} epochs "
                  f"(best {best['value']:.4f} at epoch {best['epoch']})")
            break
{%- endif %}
        if stop_after is not None and epoch >= stop_after and epoch < epochs:
            print(f"stopped after epoch {epoch} as asked; continue with: --resume {run_dir / 'last.pt'}")
            return None
{%- if ddp %}
    if not main:
        return None
    return _final_report(trainer, net, val_loader, data, run_dir, monitor)
{%- else %}
    return _final_report(trainer, model, val_loader, data, run_dir, monitor)
{%- endif %}


def _better(value: float, best: float, higher: bool, min_delta: float) -> bool:
    return value > best + min_delta if higher else value < best - min_delta


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
    """Evaluate the best epoch's weights (restored from best.pt) and write report.json and the confusion matrix."""
    best = load_checkpoint(run_dir / "best.pt")
    model.load_state_dict(best["model"])
    val_loss, y_true, y_pred = trainer.evaluate(loader)
    report = {"best_epoch": best["epoch"], "monitor": monitor, "val_loss": val_loss,
              **classification_report(y_true, y_pred, data.classes)}
    (run_dir / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    plot_confusion_matrix(report["confusion_matrix"], data.classes, run_dir / "confusion_matrix.png")
    print(f"\nbest epoch {best['epoch']} ({monitor} {best['best']['value']:.4f}) on the validation split:")
    print(format_report(report))
    print(f"run folder: {run_dir}")
    return report
