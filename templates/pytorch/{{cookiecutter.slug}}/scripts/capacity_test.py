{%- set slug = cookiecutter.slug -%}
{%- set pretrained = cookiecutter.model.source == "pretrained" and cookiecutter.task in ("image-classification", "image-multilabel") -%}
{%- set task = cookiecutter.task -%}
{%- set tabular = task in ("tabular-classification", "tabular-regression") -%}
{%- set regression = task == "tabular-regression" -%}
{%- set multilabel = task == "image-multilabel" -%}
{%- set single_label = task in ("image-classification", "tabular-classification") -%}
{%- set items = "rows" if tabular else "images" -%}
{%- set spec = "data.schema" if tabular else "len(classes)" -%}
"""Capacity test: can the model memorise a small fixed subset of the training data? Run it before training.

    python scripts/capacity_test.py [--config config.yaml] [--set key=value ...] [--samples N] [--steps N]

If a model cannot overfit a few dozen {{ items }} with regularization off, training longer will not help: there
is a bug in the data or model, or too little capacity. If it can, add regularization. Exit code: 0 PASS,
1 FAIL, 2 error (bad config, no data). Writes reports/capacity_test.json and reports/capacity_test.png.
"""

from __future__ import annotations

import argparse
import hashlib
import json
{%- if not regression %}
import math
{%- endif %}
import random
import sys
import time
{%- if single_label %}
from collections import Counter
{%- endif %}
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import torch  # noqa: E402
{%- if not regression %}
import torch.nn.functional as F  # noqa: E402
{%- endif %}

from {{ slug }}.config import load_config  # noqa: E402
{%- if tabular %}
from {{ slug }}.data import build_datasets  # noqa: E402
from {{ slug }}.errors import UserError  # noqa: E402
{%- if regression %}
from {{ slug }}.losses import build_loss  # noqa: E402
{%- endif %}
{%- else %}
from {{ slug }}.data import ImageDataset, check_labels, class_mapping, find_splits  # noqa: E402
from {{ slug }}.errors import DataError, UserError  # noqa: E402
{%- endif %}
from {{ slug }}.model import build_model, {% if pretrained %}freeze_mode, set_trainable, {% endif %}without_dropout  # noqa: E402
from {{ slug }}.plots import plot_loss_curves  # noqa: E402
from {{ slug }}.runtime import pick_device, seed_everything  # noqa: E402
{%- if not tabular %}
from {{ slug }}.transforms import build_transforms  # noqa: E402
{%- endif %}
{% if regression %}
PASS_R2 = 0.99  # pass: R² at least this on the subset (the model explains 99% of the targets' variance)
{%- elif multilabel %}
PASS_LOSS = 0.05  # pass: per-label accuracy of at least PASS_ACCURACY on the subset and mean loss at most this
PASS_ACCURACY = 0.99  # the share of (image, label) decisions that must be right
{%- else %}
PASS_LOSS = 0.05  # pass: 100% accuracy on the subset and mean loss at most this
{%- endif %}
{%- if tabular %}
DEFAULT_LR = 1e-3  # Adam's default: small MLPs on tables train well at it (3e-4 crawls)
RETRY_LRS = (3e-3, 1e-2, 3e-4)  # tried in turn when the loss barely moves (unless --set training.lr was given)
{%- else %}
DEFAULT_LR = 3e-4  # Adam at 3e-4 is the safe first try (Karpathy)
RETRY_LRS = (1e-3, 3e-3, 1e-4)  # tried in turn when the loss barely moves (unless --set training.lr was given)
{%- endif %}
FLAT_AFTER = 100  # steps (at most a third of the budget) after which a loss above 90% of its start "barely moves"
ZERO_STEPS = 50  # steps of the zero-input baseline (at most the real run's): enough to reach its floor


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Overfit a small fixed subset with regularization off.")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml", help="config file (default: config.yaml)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config value (repeatable); training.lr given here is used as is")
{%- if regression %}
    parser.add_argument("--samples", type=int, help="subset size (default: 64 rows)")
{%- elif multilabel %}
    parser.add_argument("--samples", type=int, help="subset size (default: 2 per label, at least 16, at most 64)")
{%- else %}
    parser.add_argument("--samples", type=int, help="subset size (default: 2 per class, at least 16, at most 64)")
{%- endif %}
    parser.add_argument("--steps", type=int, default=300, help="step budget per learning rate (default: 300)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="folder for the JSON result and the plot")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.overrides)
        if (args.samples is not None and args.samples < 1) or args.steps < 1:
            raise UserError("--samples and --steps must be at least 1")
        lr_given = any(item.partition("=")[0].strip() == "training.lr" for item in args.overrides)
        return run(cfg, args.samples, args.steps, args.out, lr_given)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def run(cfg: dict[str, Any], samples: int | None, steps: int, out: Path, lr_given: bool) -> int:
    started = time.perf_counter()
    seed = cfg["training"]["seed"]
    seed_everything(seed)
    device = pick_device(cfg["training"]["device"])
{%- if tabular %}
    data = build_datasets(cfg)  # the feature schema is fitted on the training split, as in training
{%- if regression %}
    size = min(samples or 64, len(data.train))
    indices = random.Random(seed).sample(range(len(data.train)), size)  # a fixed random subset
    inputs = data.train.features[indices].to(device)  # the same batch every step
    targets = data.train.targets[indices].to(device)  # in the units the model learns
    result: dict[str, Any] = {"samples": len(indices), "target": data.schema.target, "device": str(device)}

    # 1. data: the subset, the target's encoding, and duplicates that make a perfect fit impossible
    conflicts = conflicting_duplicates(inputs, targets)
    result["data"] = {"target_mean": targets.mean().item(), "target_std": targets.std(unbiased=False).item(),
                      "conflicts": conflicts}
    scale = "standardized with the training mean and std" if data.schema.standardize_target else "in its own units"
    text = (f"{len(indices)} rows of {inputs.shape[1]} inputs, target float32 {scale} "
            f"(subset mean {result['data']['target_mean']:.3f}, std {result['data']['target_std']:.3f})")
    if conflicts:
        stage("data", f"{text}; {conflicts} identical rows with different targets: R² {PASS_R2} may be impossible",
              "FAIL")
    else:
        stage("data", f"{text}, no conflicting duplicates", "OK")
{%- else %}
    classes = data.classes
    size = samples or min(64, max(16, 2 * len(classes)))
    indices = subset_order(data.train.targets, seed)[:size]  # class-balanced
    inputs = data.train.features[indices].to(device)  # the same batch every step
    targets = data.train.labels[indices].to(device)
    result: dict[str, Any] = {"samples": len(indices), "classes": classes, "device": str(device)}

    # 1. data: the subset, the label encoding, and duplicates that make 100% impossible
    per_class = Counter(targets.tolist())
    conflicts = conflicting_duplicates(inputs, targets)
    result["data"] = {"per_class": {classes[k]: v for k, v in sorted(per_class.items())}, "conflicts": conflicts}
    text = (f"{len(indices)} rows, {len(per_class)} of {len(classes)} classes "
            f"({min(per_class.values())}-{max(per_class.values())} per class), labels int64 in 0..{len(classes) - 1}")
    if conflicts:
        stage("data", f"{text}; {conflicts} identical rows with different labels: 100% is impossible", "FAIL")
    else:
        stage("data", f"{text}, no conflicting duplicates", "OK")
{%- endif %}
{%- else %}
    splits = find_splits(cfg)
    class_to_idx = class_mapping(splits.train)
    check_labels(splits, class_to_idx)  # a label training never sees is an error here too, as in training
    classes = list(class_to_idx)
    train = ImageDataset(splits.train, class_to_idx, build_transforms(cfg, train=False))  # no augmentation
    size = samples or min(64, max(16, 2 * len(classes)))
    indices, tensors, unreadable = [], [], []
{%- if multilabel %}
    for index in label_order(train.targets, seed):  # every label on a few images; an unreadable image is replaced
{%- else %}
    for index in subset_order(train.targets, seed):  # class-balanced; an unreadable image is replaced
{%- endif %}
        try:
            tensors.append(train[index][0])
            indices.append(index)
        except DataError:
            unreadable.append(str(train.samples[index].path))
        if len(indices) == size:
            break
    if not indices:
        raise DataError(f"no readable training images under {cfg['data']['path']}")
    inputs = torch.stack(tensors).to(device)  # the same batch every step
{%- if multilabel %}
    targets = train.targets[indices].to(device)  # (images, labels) of 0/1
    result: dict[str, Any] = {"samples": len(indices), "labels": classes, "device": str(device)}

    # 1. data: the subset, the label encoding, and duplicates that make a perfect fit impossible
    per_label = targets.sum(dim=0).int().tolist()
    conflicts = conflicting_duplicates(inputs, targets)
    result["data"] = {"per_label": dict(zip(classes, per_label, strict=True)), "conflicts": conflicts,
                      "unreadable": unreadable}
    present = [count for count in per_label if count]
    text = (f"{len(indices)} images, {len(present)} of {len(classes)} labels present "
            f"({min(present, default=0)}-{max(present, default=0)} images each), "
            f"targets float 0/1 of shape {tuple(targets.shape)}")
    if conflicts:
        stage("data", f"{text}; {conflicts} identical images with different labels: a perfect fit is impossible",
              "FAIL")
{%- else %}
    targets = torch.tensor([train.targets[i] for i in indices], dtype=torch.int64, device=device)
    result: dict[str, Any] = {"samples": len(indices), "classes": classes, "device": str(device)}

    # 1. data: the subset, the label encoding, and duplicates that make 100% impossible
    per_class = Counter(targets.tolist())
    conflicts = conflicting_duplicates(inputs, targets)
    result["data"] = {"per_class": {classes[k]: v for k, v in sorted(per_class.items())}, "conflicts": conflicts,
                      "unreadable": unreadable}
    text = (f"{len(indices)} samples, {len(per_class)} of {len(classes)} classes "
            f"({min(per_class.values())}-{max(per_class.values())} per class), labels int64 in 0..{len(classes) - 1}")
    if conflicts:
        stage("data", f"{text}; {conflicts} identical images with different labels: 100% is impossible", "FAIL")
{%- endif %}
    else:
        stage("data", f"{text}, no conflicting duplicates", "WARN" if unreadable else "OK")
    if unreadable:
        print(f"        {len(unreadable)} unreadable images skipped, e.g. {unreadable[0]} "
              "(python scripts/check_data.py lists every problem)")
{%- endif %}
{% if regression %}
    # 2. loss at initialisation (the first step's loss, before any update) vs the loss of predicting the mean
    loss_fn = build_loss(cfg)  # target.loss, as in training
    lr = cfg["training"]["lr"] if lr_given else DEFAULT_LR
    runs = [overfit(cfg, {{ spec }}, inputs, targets, lr, steps, device, seed)]
    # the output starts at the training mean (zero output weights), so the first loss is that of always
    # predicting the mean: the subset's variance around it (for MSE)
    expected = loss_fn(torch.full_like(targets, data.schema.target_bias), targets).item()
{%- else %}
    # 2. loss at initialisation (the first step's loss, before any update) vs {% if multilabel %}ln 2 per label{% else %}ln C{% endif %}
    lr = cfg["training"]["lr"] if lr_given else DEFAULT_LR
    runs = [overfit(cfg, {{ spec }}, inputs, targets, lr, steps, device, seed)]
{%- if multilabel %}
    expected = math.log(2)  # every label's probability starts near 1/2: binary cross-entropy ln 2
{%- else %}
    expected = math.log(len(classes))
{%- endif %}
{%- endif %}
    init_loss = runs[0]["losses"][0]
    ratio = init_loss / expected
    init_status = "OK" if abs(ratio - 1) <= 0.25 else "WARN" if 0.5 <= ratio <= 2 else "FAIL"
    result["init"] = {"loss": init_loss, "expected": expected, "status": init_status}
{%- if regression %}
    hint = "" if init_status == "OK" else " (output bias not at the mean? unscaled targets? huge initial weights?)"
    stage("init", f"loss {init_loss:.3f}, expected {expected:.3f} (always predicting the training mean){hint}",
          init_status)
{%- elif multilabel %}
    hint = "" if init_status == "OK" else " (sigmoid before the loss? labels not 0/1? huge initial weights?)"
    stage("init", f"loss {init_loss:.3f}, expected ln 2 = {expected:.3f} per label{hint}", init_status)
{%- else %}
    hint = "" if init_status == "OK" else " (softmax before the loss? labels offset? huge initial weights?)"
    stage("init", f"loss {init_loss:.3f}, expected ln {len(classes)} = {expected:.3f}{hint}", init_status)
{%- endif %}

    # 3. overfit: Adam, constant lr, the same batch every step; other learning rates if the loss barely moves
    if runs[0]["flat"] and not lr_given:
        for retry in RETRY_LRS:
            print(f"        loss barely moved at lr {lr:g}; retrying with lr {retry:g}")
            runs.append(overfit(cfg, {{ spec }}, inputs, targets, retry, steps, device, seed))
            if runs[-1]["passed"]:
                break
    best = min(runs, key=lambda r: (not r["passed"], r["final_loss"]))
    result["fit"] = {k: v for k, v in best.items() if k != "losses"}
    result["fit"]["lrs_tried"] = [r["lr"] for r in runs]
    status = "PASS" if best["passed"] else "FAIL"
    note = f", lr {best['lr']:g}" + (f" (of {len(runs)} tried)" if len(runs) > 1 else "")
    if best["passed"] and len(runs) > 1 and best["lr"] in (max(RETRY_LRS), min(RETRY_LRS)):
        note += " - at the edge of the range tried; the best lr may lie beyond it"
{%- if regression %}
    stage("fit", f"step {best['steps']}, loss {best['final_loss']:.4f}, R² {best['r2']:.4f}{note}, "
                 f"{best['seconds']:.0f}s", status)
    unscale = data.schema.unscale
    truths, predictions = unscale(targets.cpu()[:6]), unscale(torch.tensor(best["predictions"][:6]))
    pairs = zip(truths.tolist(), predictions.tolist(), strict=True)
    print("        true -> predicted: " + ", ".join(f"{t:.4g} -> {p:.4g}" for t, p in pairs))
{%- elif multilabel %}
    stage("fit", f"step {best['steps']}, loss {best['final_loss']:.4f}, per-label accuracy {best['accuracy']:.1%}"
                 f"{note}, {best['seconds']:.0f}s", status)

    def names(row: list[float]) -> str:
        return "{" + ", ".join(name for name, value in zip(classes, row, strict=True) if value > 0.5) + "}"

    pairs = zip(targets.tolist()[:4], best["predictions"][:4], strict=True)
    print("        true -> predicted: " + ", ".join(f"{names(t)} -> {names(p)}" for t, p in pairs))
{%- else %}
    stage("fit", f"step {best['steps']}, loss {best['final_loss']:.4f}, accuracy {best['accuracy']:.0%}{note}, "
                 f"{best['seconds']:.0f}s", status)
    print("        true -> predicted: " + ", ".join(
        f"{classes[t]} -> {classes[p]}" for t, p in sample_pairs(targets.tolist(), best["predictions"])))
{%- endif %}

    # 4. input-independent baseline: with every input zeroed the model can only learn {% if regression %}the mean target{% else %}the label frequencies{% endif %}
{%- if regression %}
    floor = loss_fn(torch.full_like(targets, targets.mean().item()), targets).item()  # the best constant guess
{%- else %}
    floor = label_entropy(targets)
{%- endif %}
    learned = best["final_loss"] < 0.5 * init_loss
    if learned:
        zero = overfit(cfg, {{ spec }}, torch.zeros_like(inputs), targets, best["lr"],
                       min(best["steps"], ZERO_STEPS), device, seed, stop_on_pass=False)
        uses_inputs = best["final_loss"] <= 0.5 * zero["final_loss"]
        leak = zero["final_loss"] < 0.5 * floor  # below the floor: labels reach the model some other way
        zero_status = "OK" if uses_inputs and not leak else "FAIL"
        why = " - the {% if regression %}targets leak{% else %}labels leak{% endif %} through something other than the {% if tabular %}features{% else %}image{% endif %}" if leak else ""
        stage("zero", f"zero-input loss {zero['final_loss']:.3f} ({% if regression %}predicting the mean{% elif multilabel %}mean label entropy{% else %}label entropy{% endif %} {floor:.3f}) vs real "
                      f"{best['final_loss']:.4f}{why}", zero_status)
    else:  # nothing to compare: the real inputs did not help either
        zero, zero_status = {"final_loss": None, "losses": []}, "SKIP"
        stage("zero", "not run: the real run did not learn either", zero_status)
    result["zero_input"] = {"final_loss": zero["final_loss"], {% if regression %}"constant_guess"{% else %}"label_entropy"{% endif %}: floor, "status": zero_status}

    # 5. verdict
    passed = best["passed"] and zero_status == "OK" and init_status != "FAIL" and not conflicts
    actions = next_actions(cfg, passed, best, init_status, zero_status != "FAIL", conflicts, lr_given)
    result.update(verdict="PASS" if passed else "FAIL", actions=actions,
                  seconds=round(time.perf_counter() - started, 1))
    print(f"VERDICT {result['verdict']} -> {actions[0]}")
    for action in actions[1:]:
        print(f"        -> {action}")

    out.mkdir(parents=True, exist_ok=True)
    curves = {f"lr {r['lr']:g}": r["losses"] for r in runs}
    if zero["losses"]:
        curves["inputs zeroed"] = zero["losses"]
{%- if regression %}
    title = f"Capacity test {result['verdict']}: MLP {cfg['model']['hidden_sizes']}, {len(indices)} rows"
    pass_loss = (1 - PASS_R2) * floor  # R² = 1 - loss / variance
    plot_loss_curves(curves, out / "capacity_test.png", title,
                     reference={f"expected initial loss (predicting the mean) = {expected:.2f}": expected,
                                f"pass line: R² {PASS_R2} (loss {pass_loss:.3g})": pass_loss})
{%- else %}
    title = (f"Capacity test {result['verdict']}: {% if tabular %}MLP {cfg['model']['hidden_sizes']}{% else %}{cfg['model']['backbone']}{% endif %}, {len(indices)} samples, "
             f"{len(classes)} {% if multilabel %}labels{% else %}classes{% endif %}")
    plot_loss_curves(curves, out / "capacity_test.png", title,
                     reference={f"expected initial loss {% if multilabel %}ln 2{% else %}ln C{% endif %} = {expected:.2f}": expected,
                                f"pass line: loss {PASS_LOSS}": PASS_LOSS})
{%- endif %}
    (out / "capacity_test.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"wrote {out / 'capacity_test.json'} and {out / 'capacity_test.png'} ({result['seconds']:.0f}s)")
    return 0 if passed else 1


def overfit(cfg: dict[str, Any], {% if tabular %}schema: Any{% else %}num_classes: int{% endif %}, inputs: torch.Tensor, targets: torch.Tensor, lr: float,
            steps: int, device: torch.device, seed: int, stop_on_pass: bool = True) -> dict[str, Any]:
    """Train a fresh model on one fixed batch: Adam, constant lr, fp32, no weight decay, no dropout.

    Stops early on a pass, or when the loss barely moved in the first third of the budget (unless
    stop_on_pass is off: the zero-input baseline runs its whole budget).
    """
    seed_everything(seed)
    model = without_dropout(build_model(cfg, {% if tabular %}schema{% else %}num_classes{% endif %}))
{%- if pretrained %}
    # freezing as configured: this tests the model that training will train (gradual: its first epoch)
    set_trainable(model, freeze_mode(cfg), epoch=1, unfreeze_epoch=cfg["model"]["unfreeze_epoch"])
{%- endif %}
    model.to(device).train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    if not trainable:
        raise UserError("the model has no trainable parameters (model.freeze)")
    optimizer = torch.optim.Adam(trainable, lr=lr)
{%- if regression %}
    loss_fn = build_loss(cfg)
{%- endif %}
    losses: list[float] = []
    started, flat = time.perf_counter(), False
    flat_after = min(FLAT_AFTER, max(10, steps // 3))
    for _ in range(steps):
{%- if regression %}
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
        losses.append(loss.item())
        if stop_on_pass and r_squared(outputs.detach(), targets) >= PASS_R2:
            eval_loss, eval_r2, _ = evaluate(model, inputs, targets, loss_fn)  # confirmed in eval mode
            if passes(eval_loss, eval_r2):
                break
{%- elif multilabel %}
        logits = model(inputs)
        loss = F.binary_cross_entropy_with_logits(logits, targets)  # unweighted: no pos_weight here
        losses.append(loss.item())
        if stop_on_pass and losses[-1] <= PASS_LOSS:
            eval_loss, eval_accuracy, _ = evaluate(model, inputs, targets)  # confirmed in eval mode
            if passes(eval_loss, eval_accuracy):
                break
{%- else %}
        logits = model(inputs)
        loss = F.cross_entropy(logits, targets)  # unweighted: no class weights or sampling here
        losses.append(loss.item())
        if stop_on_pass and losses[-1] <= PASS_LOSS and bool((logits.argmax(1) == targets).all()):
            eval_loss, eval_accuracy, _ = evaluate(model, inputs, targets)  # confirmed in eval mode
            if passes(eval_loss, eval_accuracy):
                break
{%- endif %}
        if stop_on_pass and len(losses) == flat_after and losses[-1] > 0.9 * losses[0]:
            flat = True
            break
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
{%- if regression %}
    final_loss, r2, predictions = evaluate(model, inputs, targets, loss_fn)
    return {"lr": lr, "steps": len(losses), "final_loss": final_loss, "r2": r2,
            "passed": passes(final_loss, r2), "flat": flat, "predictions": predictions,
            "seconds": time.perf_counter() - started, "losses": losses}
{%- else %}
    final_loss, accuracy, predictions = evaluate(model, inputs, targets)
    return {"lr": lr, "steps": len(losses), "final_loss": final_loss, "accuracy": accuracy,
            "passed": passes(final_loss, accuracy), "flat": flat, "predictions": predictions,
            "seconds": time.perf_counter() - started, "losses": losses}
{%- endif %}
{%- if regression %}


def passes(loss: float, r2: float) -> bool:
    """The subset is fitted: R² of at least PASS_R2 (the loss follows from it)."""
    return r2 >= PASS_R2


@torch.no_grad()
def evaluate(model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor,
             loss_fn: torch.nn.Module) -> tuple[float, float, list[float]]:
    """Loss, R² and predictions in eval mode (normalization and dropout as in inference)."""
    model.eval()
    outputs = model(inputs)
    model.train()
    return loss_fn(outputs, targets).item(), r_squared(outputs, targets), outputs.tolist()


def r_squared(outputs: torch.Tensor, targets: torch.Tensor) -> float:
    """1 - squared error / the targets' variance: 1 is a perfect fit, 0 is no better than their mean."""
    spread = ((targets - targets.mean()) ** 2).sum()
    return 1.0 - float(((outputs - targets) ** 2).sum() / spread) if spread > 0 else 0.0
{%- elif multilabel %}


def passes(loss: float, accuracy: float) -> bool:
    """The subset is memorised: at least PASS_ACCURACY of the (image, label) decisions right, loss <= PASS_LOSS."""
    return accuracy >= PASS_ACCURACY and loss <= PASS_LOSS


@torch.no_grad()
def evaluate(
    model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor
) -> tuple[float, float, list[list[float]]]:
    """Loss, per-label accuracy and predicted labels (0/1) in eval mode (BatchNorm uses its running statistics)."""
    model.eval()
    logits = model(inputs)
    model.train()
    predictions = (logits > 0).float()  # probability above 0.5
    loss = F.binary_cross_entropy_with_logits(logits, targets).item()
    return loss, (predictions == targets).float().mean().item(), predictions.tolist()


def label_order(targets: torch.Tensor, seed: int) -> list[int]:
    """Every image index, ordered so that any prefix covers the labels evenly: the labels take turns, each
    adding an image that carries it (fixed by the seed); images without labels come last."""
    rng = random.Random(seed)
    queues = [rng.sample(rows, len(rows)) for rows in (targets[:, j].nonzero().flatten().tolist()
                                                       for j in range(targets.shape[1]))]
    order: list[int] = []
    taken: set[int] = set()
    while any(queues):
        for queue in queues:
            while queue and queue[-1] in taken:
                queue.pop()
            if queue:
                taken.add(queue[-1])
                order.append(queue.pop())
    return order + rng.sample([i for i in range(len(targets)) if i not in taken], len(targets) - len(taken))
{%- else %}


def passes(loss: float, accuracy: float) -> bool:
    """The subset is memorised: every prediction right and the mean loss at most PASS_LOSS."""
    return accuracy == 1.0 and loss <= PASS_LOSS


@torch.no_grad()
def evaluate(model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor) -> tuple[float, float, list[int]]:
    """Loss, accuracy and predictions in eval mode (BatchNorm uses its running statistics, as in inference)."""
    model.eval()
    logits = model(inputs)
    model.train()
    predictions = logits.argmax(1)
    return F.cross_entropy(logits, targets).item(), (predictions == targets).float().mean().item(), predictions.tolist()


def sample_pairs(truths: list[int], predictions: list[int], count: int = 6) -> list[tuple[int, int]]:
    """A few (true, predicted) pairs, one class after another, to eyeball that labels and predictions align."""
    first_of_class = {}
    for index, truth in enumerate(truths):
        first_of_class.setdefault(truth, index)
    order = list(first_of_class.values()) + [i for i in range(len(truths)) if i not in first_of_class.values()]
    return [(truths[i], predictions[i]) for i in order[:count]]


def subset_order(targets: list[int], seed: int) -> list[int]:
    """Every index, ordered so that any prefix is spread evenly over the classes (fixed by the seed)."""
    rng = random.Random(seed)
    by_class: dict[int, list[int]] = {}
    for index, target in enumerate(targets):
        by_class.setdefault(target, []).append(index)
    queues = [rng.sample(by_class[c], len(by_class[c])) for c in sorted(by_class)]
    order: list[int] = []
    while any(queues):
        order += [queue.pop() for queue in queues if queue]
    return order
{%- endif %}


def conflicting_duplicates(inputs: torch.Tensor, targets: torch.Tensor) -> int:
    """How many {{ items }} are identical to another with a different {% if regression %}target{% else %}label{% endif %}."""
    labels_by_hash: dict[str, set[str]] = {}
    hashes = [hashlib.sha1(item.cpu().numpy().tobytes()).hexdigest() for item in inputs]
    for digest, target in zip(hashes, targets.tolist(), strict=True):
        labels_by_hash.setdefault(digest, set()).add(str(target))  # str: {% if multilabel %}a row of 0/1 labels{% elif regression %}the exact value{% else %}the class index{% endif %}, hashable
    return sum(1 for digest in hashes if len(labels_by_hash[digest]) > 1)
{%- if multilabel %}


def label_entropy(targets: torch.Tensor) -> float:
    """The lowest loss a model that ignores its input can reach: the mean binary entropy of each label's
    frequency in the subset."""
    p = targets.float().mean(dim=0).clamp(1e-7, 1 - 1e-7)
    return float(-(p * p.log() + (1 - p) * (1 - p).log()).mean())
{%- elif not regression %}


def label_entropy(targets: torch.Tensor) -> float:
    """The lowest loss a model that ignores its input can reach: the entropy of the label frequencies."""
    p = torch.bincount(targets).float()
    p = p[p > 0] / p.sum()
    return float(-(p * p.log()).sum())
{%- endif %}


def next_actions(cfg: dict[str, Any], passed: bool, fit: dict[str, Any], init_status: str, uses_inputs: bool,
                 conflicts: int, lr_given: bool) -> list[str]:
    """What to do next, most likely first."""
    if passed:
        return ["the model can fit this data: now add regularization and train",
                "defenses enabled in config.yaml: " + ", ".join(defenses(cfg)),
                "python scripts/train.py"]
    actions = []
    if conflicts:
        actions.append(f"fix the {% if regression %}targets{% else %}labels{% endif %}: {conflicts} identical {{ items }} carry different {% if regression %}targets{% else %}labels{% endif %} "
                       "(python scripts/check_data.py)")
    if init_status == "FAIL":
{%- if regression %}
        actions.append("check the model output and targets: the initial loss is far from that of predicting the mean")
{%- elif multilabel %}
        actions.append("check the model output and labels: the initial loss is far from ln 2 per label")
{%- else %}
        actions.append("check the model output and labels: the initial loss is far from ln C")
{%- endif %}
    if not uses_inputs:
        actions.append("check the data pipeline: the model does as well without its inputs "
                       "(look at a batch just before it enters the model)")
    if lr_given:
        actions.append(f"the learning rate came from --set training.lr={cfg['training']['lr']:g}; run without it "
                       f"to use {DEFAULT_LR:g} with automatic retries")
    elif fit["flat"]:
        actions.append("the loss did not move at any learning rate: check that the parameters get gradients")
    if not actions:
        actions.append("check data and labels first: python scripts/check_data.py")
{%- if pretrained %}
    if cfg["model"]["freeze"] != "none":
        actions.append("unfreeze more layers: --set model.freeze=none (then set it in config.yaml)")
{%- endif %}
{%- if tabular %}
    actions.append("more capacity: wider or more hidden layers (--set model.hidden_sizes=512,256)")
{%- else %}
    actions.append("more capacity: a bigger backbone or a wider head (trainwizard update --set model.backbone=...)")
{%- endif %}
    if not fit["flat"]:
        actions.append(f"or a longer budget: --steps {fit['steps'] * 3}")
    return actions


def defenses(cfg: dict[str, Any]) -> list[str]:
    """The regularization config.yaml enables, in words."""
    reg = cfg["regularization"]
    found = []
{%- if tabular %}
    for key, words in (("l2", "weight decay"), ("l1", "L1"), ("dropconnect", "DropConnect")):
        if reg[key] > 0:
            found.append(f"{words} {reg[key]:g}")
    if cfg["model"]["head_dropout"] > 0:
        found.append(f"dropout {cfg['model']['head_dropout']:g}")
    if reg["early_stopping"]["enabled"]:
        found.append(f"early stopping (patience {reg['early_stopping']['patience']})")
    return found or ["none enabled yet: add weight decay or dropout in config.yaml"]
{%- else %}
    if reg["augmentation"]:
        found.append("augmentation " + "/".join(reg["augmentation"]))
    for key, words in (("l2", "weight decay"), ("l1", "L1"), ("dropconnect", "DropConnect"),
                       ("spatial_dropout", "SpatialDropout")):
        if reg[key] > 0:
            found.append(f"{words} {reg[key]:g}")
    if cfg["model"]["head_dropout"] > 0:
        found.append(f"head dropout {cfg['model']['head_dropout']:g}")
    if reg["early_stopping"]["enabled"]:
        found.append(f"early stopping (patience {reg['early_stopping']['patience']})")
    return found or ["none enabled yet: add augmentation or weight decay in config.yaml"]
{%- endif %}


def stage(name: str, text: str, status: str) -> None:
    line = f"[{name}]".ljust(8) + text + " "
    print(line + "." * max(3, 100 - len(line) - len(status)) + " " + status, flush=True)


if __name__ == "__main__":
    sys.exit(main())
