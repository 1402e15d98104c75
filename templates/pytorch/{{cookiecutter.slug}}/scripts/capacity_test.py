{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Capacity test: can the model memorise a small fixed subset of the training data? Run it before training.

    python scripts/capacity_test.py [--config config.yaml] [--set key=value ...] [--samples N] [--steps N]

If a model cannot overfit a few dozen {{ "rows" if f.tabular else "images" }} with regularization off, training longer will not help: there
is a bug in the data or model, or too little capacity. If it can, add regularization. Exit code: 0 PASS,
1 FAIL, 2 error (bad config, no data). Writes reports/capacity_test.json and reports/capacity_test.png.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
{%- if f.single_label %}
from collections import Counter
{%- endif %}
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import torch  # noqa: E402
{%- if not f.regression %}
import torch.nn.functional as F  # noqa: E402
{%- endif %}

from {{ c.slug }}.config import add_config_arguments, load_config  # noqa: E402
{%- if f.tabular %}
from {{ c.slug }}.data import build_datasets  # noqa: E402
from {{ c.slug }}.errors import UserError  # noqa: E402
{%- if f.regression %}
from {{ c.slug }}.losses import build_loss  # noqa: E402
{%- endif %}
{%- else %}
from {{ c.slug }}.data import ImageDataset, check_labels, class_mapping, find_splits  # noqa: E402
from {{ c.slug }}.errors import DataError, UserError  # noqa: E402
{%- endif %}
from {{ c.slug }}.model import build_model, {% if f.pretrained %}freeze_mode, set_trainable, {% endif %}without_dropout  # noqa: E402
from {{ c.slug }}.plots import plot_loss_curves  # noqa: E402
from {{ c.slug }}.runtime import pick_device, seed_everything  # noqa: E402
{%- if not f.tabular %}
from {{ c.slug }}.transforms import build_transforms  # noqa: E402
{%- endif %}
{% if f.regression %}
PASS_R2 = 0.99  # pass: R² at least this on the subset (the model explains 99% of the targets' variance)
{%- elif f.multilabel %}
PASS_LOSS = 0.05  # pass: per-label accuracy of at least PASS_ACCURACY on the subset and mean loss at most this
PASS_ACCURACY = 0.99  # the share of (image, label) decisions that must be right
{%- else %}
PASS_LOSS = 0.05  # pass: 100% accuracy on the subset and mean loss at most this
{%- endif %}
{%- if f.tabular %}
DEFAULT_LR = 1e-3  # Adam's default: small MLPs on tables train well at it (3e-4 crawls)
RETRY_LRS = (3e-3, 1e-2, 3e-4)  # tried in turn when the loss barely moves (unless --set training.lr was given)
{%- else %}
DEFAULT_LR = 3e-4  # Adam at 3e-4 is the safe first try (Karpathy)
RETRY_LRS = (1e-3, 3e-3, 1e-4)  # tried in turn when the loss barely moves (unless --set training.lr was given)
{%- endif %}
FLAT_AFTER = 100  # steps (at most a third of the budget) after which a loss above 90% of its start "barely moves"
ZERO_STEPS = 50  # steps of the zero-input baseline (at most the real run's): enough to reach its floor
{%- if f.regression %}
# [init] (check_init): the initial outputs' extra loss over always predicting the training mean, as a share
# of that loss, with the targets shuffled. OK up to INIT_OK, WARN up to INIT_WARN, FAIL beyond. This project's
# model starts exactly at the mean (zero output weights): 0.
INIT_OK, INIT_WARN = 0.5, 3.0
{%- elif f.multilabel %}
# [init] (check_init): the extra loss, in nats per (image, label) decision, that the spread of the initial
# logits costs over all-zero logits (ln 2), with the labels shuffled. OK up to INIT_OK, WARN up to INIT_WARN,
# FAIL beyond. Measured over 100 seeds: this project's small CNN stays below 0.3 nats; weights drawn from
# N(0, 1) (the classic "huge initial weights") give 1.4 to 11.
INIT_OK, INIT_WARN = 1.0, 3.0
{%- else %}
# [init] (check_init): the extra loss, in nats per sample, that the spread of the initial logits costs over
# all-zero logits (ln C), with the labels shuffled. OK up to INIT_OK, WARN up to INIT_WARN, FAIL beyond.
# Measured over 100 seeds: this project's models stay below 0.9 nats (MLPs below 0.1, the small CNN with any
# normalization up to 0.85, ResNet-18 with random weights up to 0.5, 2 to 10 classes); weights drawn from
# N(0, 1) (the classic "huge initial weights") give 2 to 20 at the default widths (1 to 1.7 through a layer of
# only 16 units: such an init is "only" 4x too large there).
INIT_OK, INIT_WARN = 1.5, 4.0
{%- endif %}
{%- if not f.regression %}
# the loss of the capacity test: unweighted (no class weights, pos_weight, focal loss or sampling here), so at
# zero logits it is exactly ln {% if f.multilabel %}2 per label{% else %}C{% endif %}
LOSS = F.{% if f.multilabel %}binary_cross_entropy_with_logits{% else %}cross_entropy{% endif %}
OUTPUT_SCALE = 100.0  # initial_outputs scales the output layer by this: raw logits follow, probabilities cannot
{%- endif %}
PAIR_ROWS = 128  # check_init pairs every output row with every target row of at most this many rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Overfit a small fixed subset with regularization off.")
    add_config_arguments(parser, "override a config value (repeatable); training.lr given here is used as is")
{%- if f.regression %}
    parser.add_argument("--samples", type=int, help="subset size (default: 64 rows)")
{%- elif f.multilabel %}
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
    subset = load_subset(cfg, samples, seed, device)
    inputs, targets, indices = subset.inputs, subset.targets, subset.indices  # the same batch every step
{%- if f.regression %}
    schema = subset.spec
    result: dict[str, Any] = {"samples": len(indices), "target": schema.target, "device": str(device)}

    # 1. data: the subset, the target's encoding, and duplicates that make a perfect fit impossible
    conflicts = conflicting_duplicates(inputs, targets)
    result["data"] = {
        "target_mean": targets.mean().item(),
        "target_std": targets.std(unbiased=False).item(),
        "conflicts": conflicts,
    }
    scale = "standardized with the training mean and std" if schema.standardize_target else "in its own units"
    text = (
        f"{len(indices)} rows of {inputs.shape[1]} inputs, target float32 {scale} "
        f"(subset mean {result['data']['target_mean']:.3f}, std {result['data']['target_std']:.3f})"
    )
    if conflicts:
        stage(
            "data", f"{text}; {conflicts} identical rows with different targets: R² {PASS_R2} may be impossible", "FAIL"
        )
    else:
        stage("data", f"{text}, no conflicting duplicates", "OK")
{%- elif f.tabular %}
    classes = subset.classes
    result: dict[str, Any] = {"samples": len(indices), "classes": classes, "device": str(device)}

    # 1. data: the subset, the label encoding, and duplicates that make 100% impossible
    per_class = Counter(targets.tolist())
    conflicts = conflicting_duplicates(inputs, targets)
    result["data"] = {"per_class": {classes[k]: v for k, v in sorted(per_class.items())}, "conflicts": conflicts}
    text = (
        f"{len(indices)} rows, {len(per_class)} of {len(classes)} classes "
        f"({min(per_class.values())}-{max(per_class.values())} per class), labels int64 in 0..{len(classes) - 1}"
    )
    if conflicts:
        stage("data", f"{text}; {conflicts} identical rows with different labels: 100% is impossible", "FAIL")
    else:
        stage("data", f"{text}, no conflicting duplicates", "OK")
{%- else %}
    classes, unreadable = subset.classes, subset.unreadable
{%- if f.multilabel %}
    result: dict[str, Any] = {"samples": len(indices), "labels": classes, "device": str(device)}

    # 1. data: the subset, the label encoding, and duplicates that make a perfect fit impossible
    per_label = targets.sum(dim=0).int().tolist()
    conflicts = conflicting_duplicates(inputs, targets)
    result["data"] = {
        "per_label": dict(zip(classes, per_label, strict=True)),
        "conflicts": conflicts,
        "unreadable": unreadable,
    }
    present = [count for count in per_label if count]
    text = (
        f"{len(indices)} images, {len(present)} of {len(classes)} labels present "
        f"({min(present, default=0)}-{max(present, default=0)} images each), "
        f"targets float 0/1 of shape {tuple(targets.shape)}"
    )
    if conflicts:
        stage(
            "data", f"{text}; {conflicts} identical images with different labels: a perfect fit is impossible", "FAIL"
        )
{%- else %}
    result: dict[str, Any] = {"samples": len(indices), "classes": classes, "device": str(device)}

    # 1. data: the subset, the label encoding, and duplicates that make 100% impossible
    per_class = Counter(targets.tolist())
    conflicts = conflicting_duplicates(inputs, targets)
    result["data"] = {
        "per_class": {classes[k]: v for k, v in sorted(per_class.items())},
        "conflicts": conflicts,
        "unreadable": unreadable,
    }
    text = (
        f"{len(indices)} samples, {len(per_class)} of {len(classes)} classes "
        f"({min(per_class.values())}-{max(per_class.values())} per class), labels int64 in 0..{len(classes) - 1}"
    )
    if conflicts:
        stage("data", f"{text}; {conflicts} identical images with different labels: 100% is impossible", "FAIL")
{%- endif %}
    else:
        stage("data", f"{text}, no conflicting duplicates", "WARN" if unreadable else "OK")
    if unreadable:
        print(
            f"        {len(unreadable)} unreadable images skipped, e.g. {unreadable[0]} "
            "(python scripts/check_data.py lists every problem)"
        )
{%- endif %}

    # 2. loss at initialisation: the model's outputs on the batch before any update (see check_init)
{%- if f.regression %}
    loss_fn = build_loss(cfg)  # target.loss, as in training
{%- endif %}
    init = initial_check(cfg, subset, seed, device)
    init_status = init["status"]
    result["init"] = init
    why = f" - {init['why']}" if init["why"] else ""
{%- if f.regression %}
    stage(
        "init",
        f"loss {init['loss']:.3f} (expected {init['uninformed']:.3f} predicting the training mean; "
        f"{init['expected']:.3f} with the targets shuffled: {init['ratio']:.2f}x){why}",
        init_status,
    )
{%- elif f.multilabel %}
    stage(
        "init",
        f"loss {init['loss']:.3f} (expected ln 2 = {init['uninformed']:.3f} per label at zero logits; "
        f"{init['expected']:.3f} with the labels shuffled: {init['excess']:+.2f} nats){why}",
        init_status,
    )
{%- else %}
    stage(
        "init",
        f"loss {init['loss']:.3f} (expected ln {len(classes)} = {init['uninformed']:.3f} at zero logits; "
        f"{init['expected']:.3f} with the labels shuffled: {init['excess']:+.2f} nats){why}",
        init_status,
    )
{%- endif %}
    expected = init["uninformed"]  # the reference line of the plot

    # 3. overfit: Adam, constant lr, the same batch every step; other learning rates if the loss barely moves
    lr = cfg["training"]["lr"] if lr_given else DEFAULT_LR
    runs = [overfit(cfg, subset.spec, inputs, targets, lr, steps, device, seed)]
    init_loss = runs[0]["losses"][0]  # equals init["loss"]: the same model on the same batch
    if runs[0]["flat"] and not lr_given:
        for retry in RETRY_LRS:
            print(f"        loss barely moved at lr {lr:g}; retrying with lr {retry:g}")
            runs.append(overfit(cfg, subset.spec, inputs, targets, retry, steps, device, seed))
            if runs[-1]["passed"]:
                break
    best = min(runs, key=lambda r: (not r["passed"], r["final_loss"]))
    result["fit"] = {k: v for k, v in best.items() if k != "losses"}
    result["fit"]["lrs_tried"] = [r["lr"] for r in runs]
    status = "PASS" if best["passed"] else "FAIL"
    note = f", lr {best['lr']:g}" + (f" (of {len(runs)} tried)" if len(runs) > 1 else "")
    if best["passed"] and len(runs) > 1 and best["lr"] in (max(RETRY_LRS), min(RETRY_LRS)):
        note += " - at the edge of the range tried; the best lr may lie beyond it"
{%- if f.regression %}
    stage(
        "fit",
        f"step {best['steps']}, loss {best['final_loss']:.4f}, R² {best['r2']:.4f}{note}, {best['seconds']:.0f}s",
        status,
    )
    unscale = schema.unscale
    truths, predictions = unscale(targets.cpu()[:6]), unscale(torch.tensor(best["predictions"][:6]))
    pairs = zip(truths.tolist(), predictions.tolist(), strict=True)
    print("        true -> predicted: " + ", ".join(f"{t:.4g} -> {p:.4g}" for t, p in pairs))
{%- elif f.multilabel %}
    stage(
        "fit",
        f"step {best['steps']}, loss {best['final_loss']:.4f}, per-label accuracy {best['accuracy']:.1%}"
        f"{note}, {best['seconds']:.0f}s",
        status,
    )

    def names(row: list[float]) -> str:
        return "{" + ", ".join(name for name, value in zip(classes, row, strict=True) if value > 0.5) + "}"

    pairs = zip(targets.tolist()[:4], best["predictions"][:4], strict=True)
    print("        true -> predicted: " + ", ".join(f"{names(t)} -> {names(p)}" for t, p in pairs))
{%- else %}
    stage(
        "fit",
        f"step {best['steps']}, loss {best['final_loss']:.4f}, accuracy {best['accuracy']:.0%}{note}, "
        f"{best['seconds']:.0f}s",
        status,
    )
    print(
        "        true -> predicted: "
        + ", ".join(f"{classes[t]} -> {classes[p]}" for t, p in sample_pairs(targets.tolist(), best["predictions"]))
    )
{%- endif %}

    # 4. input-independent baseline: with every input zeroed the model can only learn {% if f.regression %}the mean target{% else %}the label frequencies{% endif %}
{%- if f.regression %}
    floor = loss_fn(torch.full_like(targets, targets.mean().item()), targets).item()  # the best constant guess
{%- else %}
    floor = label_entropy(targets)
{%- endif %}
    learned = best["final_loss"] < 0.5 * init_loss
    if learned:
        zero = overfit(
            cfg,
            subset.spec,
            torch.zeros_like(inputs),
            targets,
            best["lr"],
            min(best["steps"], ZERO_STEPS),
            device,
            seed,
            stop_on_pass=False,
        )
        uses_inputs = best["final_loss"] <= 0.5 * zero["final_loss"]
        leak = zero["final_loss"] < 0.5 * floor  # below the floor: labels reach the model some other way
        zero_status = "OK" if uses_inputs and not leak else "FAIL"
        why = " - the {% if f.regression %}targets leak{% else %}labels leak{% endif %} through something other than the {% if f.tabular %}features{% else %}image{% endif %}" if leak else ""
        stage(
            "zero",
            f"zero-input loss {zero['final_loss']:.3f} ({% if f.regression %}predicting the mean{% elif f.multilabel %}mean label entropy{% else %}label entropy{% endif %} {floor:.3f}) vs real "
            f"{best['final_loss']:.4f}{why}",
            zero_status,
        )
    else:  # nothing to compare: the real inputs did not help either
        zero, zero_status = {"final_loss": None, "losses": []}, "SKIP"
        stage("zero", "not run: the real run did not learn either", zero_status)
    result["zero_input"] = {"final_loss": zero["final_loss"], {% if f.regression %}"constant_guess"{% else %}"label_entropy"{% endif %}: floor, "status": zero_status}

    # 5. verdict
    passed = best["passed"] and zero_status == "OK" and init_status != "FAIL" and not conflicts
    actions = next_actions(cfg, passed, best, init, zero_status != "FAIL", conflicts, lr_given)
    result.update(
        verdict="PASS" if passed else "FAIL", actions=actions, seconds=round(time.perf_counter() - started, 1)
    )
    print(f"VERDICT {result['verdict']} -> {actions[0]}")
    for action in actions[1:]:
        print(f"        -> {action}")

    out.mkdir(parents=True, exist_ok=True)
    curves = {f"lr {r['lr']:g}": r["losses"] for r in runs}
    if zero["losses"]:
        curves["inputs zeroed"] = zero["losses"]
{%- if f.regression %}
    title = f"Capacity test {result['verdict']}: MLP {cfg['model']['hidden_sizes']}, {len(indices)} rows"
    pass_loss = (1 - PASS_R2) * floor  # R² = 1 - loss / variance
    plot_loss_curves(
        curves,
        out / "capacity_test.png",
        title,
        reference={
            f"loss of predicting the training mean = {expected:.2f}": expected,
            f"pass line: R² {PASS_R2} (loss {pass_loss:.3g})": pass_loss,
        },
    )
{%- else %}
{%- if f.tabular %}
    title = (
        f"Capacity test {result['verdict']}: MLP {cfg['model']['hidden_sizes']}, {len(indices)} samples, "
        f"{len(classes)} classes"
    )
{%- else %}
    title = (
        f"Capacity test {result['verdict']}: {cfg['model']['backbone']}, {len(indices)} samples, {len(classes)} {% if f.multilabel %}labels{% else %}classes{% endif %}"
    )
{%- endif %}
    plot_loss_curves(
        curves,
        out / "capacity_test.png",
        title,
        reference={f"loss at zero logits {% if f.multilabel %}ln 2{% else %}ln C{% endif %} = {expected:.2f}": expected, f"pass line: loss {PASS_LOSS}": PASS_LOSS},
    )
{%- endif %}
    (out / "capacity_test.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"wrote {out / 'capacity_test.json'} and {out / 'capacity_test.png'} ({result['seconds']:.0f}s)")
    return 0 if passed else 1


{% include f.family ~ "/scripts/capacity_subset.py" %}

def fresh_model(cfg: dict[str, Any], spec: Any, seed: int, device: torch.device) -> torch.nn.Module:
    """The model as training builds it (seeded), with dropout off, on the device, in train mode."""
    seed_everything(seed)
    model = without_dropout(build_model(cfg, spec))
{%- if f.pretrained %}
    # freezing as configured: this tests the model that training will train (gradual: its first epoch)
    set_trainable(model, freeze_mode(cfg), epoch=1, unfreeze_epoch=cfg["model"]["unfreeze_epoch"])
{%- endif %}
    return model.to(device).train()


@torch.no_grad()
def initial_outputs(
    cfg: dict[str, Any], spec: Any, inputs: torch.Tensor, seed: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor | None]:
{%- if f.regression %}
    """The outputs before any update: the model of overfit()'s first step (same seed, train mode); and None
    (for classification, the outputs of a rescaled output layer)."""
    return fresh_model(cfg, spec, seed, device)(inputs), None
{%- else %}
    """The outputs before any update: the model of overfit()'s first step (same seed, train mode); and the
    outputs once the output layer (the last nn.Linear) has its weights and bias multiplied by OUTPUT_SCALE.

    Raw logits grow with that layer; outputs squashed into probabilities by a sigmoid or softmax after it stay
    in [0, 1]. The rescaled outputs tell the two apart where the outputs alone cannot: a random network's
    logits can be small and all positive by chance (ResNet-18 with random weights, 1 seed in 20, 3 classes).
    None when the model has no nn.Linear.
    """
    model = fresh_model(cfg, spec, seed, device)
    outputs = model(inputs)
    layers = [module for module in model.modules() if isinstance(module, torch.nn.Linear)]
    if not layers:
        return outputs, None
    for param in layers[-1].parameters():
        param.mul_(OUTPUT_SCALE)
    return outputs, model(inputs)
{%- endif %}


def initial_check(cfg: dict[str, Any], subset: Subset, seed: int, device: torch.device) -> dict[str, Any]:
    """check_init for the model overfit() starts from, with this task's loss and uninformed output."""
    outputs, rescaled = initial_outputs(cfg, subset.spec, subset.inputs, seed, device)
{%- if f.regression %}
    return check_init(outputs, subset.targets, build_loss(cfg), uninformed=subset.spec.target_bias)
{%- else %}
    return check_init(outputs, subset.targets, LOSS, uninformed=0.0, rescaled=rescaled)
{%- endif %}


{% if f.regression -%}
def check_init(outputs: torch.Tensor, targets: torch.Tensor, loss_fn: Any, uninformed: float) -> dict[str, Any]:
{%- else -%}
def check_init(
    outputs: torch.Tensor, targets: torch.Tensor, loss_fn: Any, uninformed: float, rescaled: torch.Tensor | None = None
) -> dict[str, Any]:
{%- endif %}
    """The [init] stage: is the loss before training what a sane initialisation gives, and if not, why not?

{%- if f.regression %}

    `uninformed` is the output of a model that knows nothing: the training mean, in the units the model learns.
    This project's model starts exactly there (zero output weights, bias at the mean), so its initial loss is
    that of predicting the mean. A model with a random output layer does not: its outputs spread, and on a
    small batch they agree or disagree with the targets by chance, so its loss is taken apart:

    - uninformed: the loss of always predicting the training mean (MSE: the subset's variance around it).
    - expected: the loss of these outputs with the targets shuffled (every output row paired with every target
      row): it keeps the outputs' spread and centre and drops their chance agreement with the targets. For MSE
      it is the targets' variance + the outputs' variance + (mean output - mean target)².
    - loss: the actual loss. loss - expected is chance agreement: its sign is random over seeds, so it is
      reported but judges nothing.

    Status: expected / uninformed - 1 above INIT_OK is WARN, above INIT_WARN FAIL: outputs that spread far
    wider than the targets (huge initial weights) or sit far from them (an output bias not at the mean,
    targets not standardized).
{%- else %}

    `uninformed` is the logit of a model that knows nothing: 0, where the unweighted loss is exactly
    {% if f.multilabel %}ln 2 per label{% else %}ln C{% endif %}. Comparing the initial loss with it directly raises false alarms: a randomly
    initialised network's logits are not zero (their std is 0.2 to 1 for this project's models), and through
    random features of informative inputs they agree or disagree with the labels of a small batch by chance.
    With 2 classes and 16 samples that chance alone moves the loss between 0.50 and 0.97 around ln 2 = 0.69
    (breast cancer data, 20 seeds), with nothing wrong. So the loss is taken apart:

    - uninformed: the loss at zero logits ({% if f.multilabel %}ln 2{% else %}ln C{% endif %}).
    - expected: the loss of these logits with the labels shuffled (every output row paired with every label
      row): it keeps the logits' spread and drops their chance agreement with the labels. For balanced
      {% if f.multilabel %}labels{% else %}classes{% endif %}, expected - uninformed is the mean KL divergence from the uniform to the predicted
      distribution{% if f.multilabel %} of each label{% endif %}: how confident the model is before it has seen anything.
    - loss: the actual loss. loss - expected is chance agreement: its sign is random over seeds and its size is
      bounded by the logits' spread, so it is reported but judges nothing.
{%- if f.multilabel %}
    The mean entropy of the labels' frequencies ([zero] reports it) is lower than ln 2: it is where a head whose
    bias starts at each label's prior would start (expected - uninformed then comes out negative, which is fine).
{%- endif %}

{%- if f.multilabel %}

    Status: FAIL when the outputs are squashed into probabilities (`rescaled`, from initial_outputs, stays in
    [0, 1]): a sigmoid before the loss, which applies the sigmoid itself (sigmoid twice: the loss can never
    approach 0).
{%- else %}

    Status: FAIL when the outputs are squashed into probabilities (`rescaled`, from initial_outputs, stays in
    [0, 1]): rows that sum to 1 are a softmax before the loss, which applies log-softmax itself (the loss then
    never drops below ln(e + C - 1) - 1), others a sigmoid. Without `rescaled`, only rows in [0, 1] that all
    sum to 1 count as a softmax (raw logits can lie in [0, 1] by chance, not sum to 1 in every row).
{%- endif %}
    Then expected - uninformed above INIT_OK nats is WARN, above INIT_WARN FAIL: too confident before
    training (huge initial weights, a scaled-up output or temperature). Labels offset by one cannot show at
    initialisation: random logits do not know which label is right.
{%- endif %}
    """
    outputs = outputs.detach().float()
    if not bool(torch.isfinite(outputs).all()):
        return unjudged("outputs inf or NaN before any update: huge initial weights? inputs not normalized?")
{%- if f.multilabel %}
    if not bool(((targets == 0) | (targets == 1)).all()):  # the loss would run, on nonsense
        return unjudged("the labels are not all 0 or 1: the loss wants one 0/1 target per label")
{%- elif not f.regression %}
    if int(targets.min()) < 0 or int(targets.max()) >= outputs.shape[1]:  # the loss would raise
        return unjudged(f"labels outside 0..{outputs.shape[1] - 1}: counted from 1? offset?")
{%- endif %}
    loss = float(loss_fn(outputs, targets))
    rows = min(len(outputs), PAIR_ROWS)  # all pairs of rows: rows² losses
    head, truth = outputs[:rows], targets[:rows]
    pairs = (head.repeat_interleave(rows, dim=0), truth.repeat(rows, *[1] * (truth.dim() - 1)))
    expected = float(loss_fn(*pairs))
    base = float(loss_fn(torch.full_like(head, uninformed), truth))
    report: dict[str, Any] = {
        "loss": loss,
        "expected": expected,
        "uninformed": base,
        "excess": expected - base,
        "output_std": float(outputs.std()) if outputs.numel() > 1 else 0.0,
    }
    if not torch.isfinite(torch.tensor([loss, expected])).all():  # finite outputs, but too large for the loss
        return {**report, "status": "FAIL", "why": "the loss is inf or NaN before any update: huge initial weights?"}
{%- if f.regression %}
    ratio = expected / max(base, 1e-12)  # base 0: targets all at the mean
    report["ratio"] = ratio
    if ratio - 1 > INIT_WARN:
        status, why = "FAIL", "the initial outputs are far off the targets' scale or centre"
    elif ratio - 1 > INIT_OK:
        status, why = "WARN", "the initial outputs spread wider than expected"
    else:
        status, why = "OK", ""
    if status != "OK":
        why += " (output bias not at the mean? unscaled targets? huge initial weights?)"
{%- else %}
{%- if f.multilabel %}
    if squashed(outputs, rescaled):
        status, why = "FAIL", "the outputs are probabilities: sigmoid before the loss? (it applies the sigmoid itself)"
{%- else %}
    rows_sum_to_1 = bool(((outputs.sum(dim=1) - 1).abs() < 1e-3).all())
    if (squashed(outputs, rescaled) or (rescaled is None and in_unit(outputs))) and rows_sum_to_1:
        status, why = "FAIL", "every output row is in [0, 1] and sums to 1: softmax before the loss? (it wants logits)"
    elif squashed(outputs, rescaled):
        status, why = "FAIL", "the outputs are squashed into [0, 1]: sigmoid before the loss? (it wants logits)"
{%- endif %}
    elif report["excess"] > INIT_WARN:
        status, why = "FAIL", "far too confident before training: huge initial weights? a scaled-up output?"
    elif report["excess"] > INIT_OK:
        status, why = "WARN", "confident before training: large initial weights? a scaled-up output?"
    else:
        status, why = "OK", ""
{%- endif %}
    report.update(status=status, why=why)
    return report


def unjudged(why: str) -> dict[str, Any]:
    """check_init's FAIL when there is no loss to judge (invalid outputs or targets)."""
    nan = float("nan")
    report = dict.fromkeys(("loss", "expected", "uninformed", "excess", "output_std"{% if f.regression %}, "ratio"{% endif %}), nan)
    return {**report, "status": "FAIL", "why": why}
{%- if not f.regression %}


def in_unit(values: torch.Tensor) -> bool:
    """Every value in [0, 1], as probabilities are."""
    return bool(((values >= 0) & (values <= 1)).all())


def squashed(outputs: torch.Tensor, rescaled: torch.Tensor | None) -> bool:
    """Outputs squashed into [0, 1] after the output layer: scaling that layer by OUTPUT_SCALE did not scale them
    (as it does raw logits, zeros included) and left them in [0, 1]."""
    if rescaled is None:
        return False
    return in_unit(rescaled) and not torch.allclose(rescaled, OUTPUT_SCALE * outputs, rtol=1e-3, atol=1e-5)
{%- endif %}


def overfit(
    cfg: dict[str, Any],
    spec: Any,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    lr: float,
    steps: int,
    device: torch.device,
    seed: int,
    stop_on_pass: bool = True,
) -> dict[str, Any]:
    """Train a fresh model on one fixed batch: Adam, constant lr, fp32, no weight decay, no dropout.

    Stops early on a pass, or when the loss barely moved in the first third of the budget (unless
    stop_on_pass is off: the zero-input baseline runs its whole budget).
    """
    model = fresh_model(cfg, spec, seed, device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    if not trainable:
        raise UserError("the model has no trainable parameters (model.freeze)")
    optimizer = torch.optim.Adam(trainable, lr=lr)
{%- if f.regression %}
    loss_fn = build_loss(cfg)
{%- endif %}
    losses: list[float] = []
    started, flat = time.perf_counter(), False
    flat_after = min(FLAT_AFTER, max(10, steps // 3))
    for _ in range(steps):
{%- if f.regression %}
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
        losses.append(loss.item())
        if stop_on_pass and r_squared(outputs.detach(), targets) >= PASS_R2:
            eval_loss, eval_r2, _ = evaluate(model, inputs, targets, loss_fn)  # confirmed in eval mode
            if passes(eval_loss, eval_r2):
                break
{%- elif f.multilabel %}
        logits = model(inputs)
        loss = LOSS(logits, targets)
        losses.append(loss.item())
        if stop_on_pass and losses[-1] <= PASS_LOSS:
            eval_loss, eval_accuracy, _ = evaluate(model, inputs, targets)  # confirmed in eval mode
            if passes(eval_loss, eval_accuracy):
                break
{%- else %}
        logits = model(inputs)
        loss = LOSS(logits, targets)
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
{%- if f.regression %}
    final_loss, r2, predictions = evaluate(model, inputs, targets, loss_fn)
    return {
        "lr": lr,
        "steps": len(losses),
        "final_loss": final_loss,
        "r2": r2,
        "passed": passes(final_loss, r2),
        "flat": flat,
        "predictions": predictions,
        "seconds": time.perf_counter() - started,
        "losses": losses,
    }
{%- else %}
    final_loss, accuracy, predictions = evaluate(model, inputs, targets)
    return {
        "lr": lr,
        "steps": len(losses),
        "final_loss": final_loss,
        "accuracy": accuracy,
        "passed": passes(final_loss, accuracy),
        "flat": flat,
        "predictions": predictions,
        "seconds": time.perf_counter() - started,
        "losses": losses,
    }
{%- endif %}


{% include ("regression" if f.regression else "multilabel" if f.multilabel else "single_label") ~ "/scripts/capacity_scoring.py" %}

def conflicting_duplicates(inputs: torch.Tensor, targets: torch.Tensor) -> int:
    """How many {{ "rows" if f.tabular else "images" }} are identical to another with a different {% if f.regression %}target{% else %}label{% endif %}."""
    labels_by_hash: dict[str, set[str]] = {}
    hashes = [hashlib.sha1(item.cpu().numpy().tobytes()).hexdigest() for item in inputs]
    for digest, target in zip(hashes, targets.tolist(), strict=True):
        labels_by_hash.setdefault(digest, set()).add(str(target))  # str: {% if f.multilabel %}a row of 0/1 labels{% elif f.regression %}the exact value{% else %}the class index{% endif %}, hashable
    return sum(1 for digest in hashes if len(labels_by_hash[digest]) > 1)
{%- if f.multilabel %}


def label_entropy(targets: torch.Tensor) -> float:
    """The lowest loss a model that ignores its input can reach: the mean binary entropy of each label's
    frequency in the subset."""
    p = targets.float().mean(dim=0).clamp(1e-7, 1 - 1e-7)
    return float(-(p * p.log() + (1 - p) * (1 - p).log()).mean())
{%- elif not f.regression %}


def label_entropy(targets: torch.Tensor) -> float:
    """The lowest loss a model that ignores its input can reach: the entropy of the label frequencies."""
    p = torch.bincount(targets).float()
    p = p[p > 0] / p.sum()
    return float(-(p * p.log()).sum())
{%- endif %}


def next_actions(
    cfg: dict[str, Any],
    passed: bool,
    fit: dict[str, Any],
    init: dict[str, Any],
    uses_inputs: bool,
    conflicts: int,
    lr_given: bool,
) -> list[str]:
    """What to do next, most likely first."""
    if passed:
        return [
            "the model can fit this data: now add regularization and train",
            "defenses enabled in config.yaml: " + ", ".join(defenses(cfg)),
            "python scripts/train.py",
        ]
    actions = []
    if conflicts:
        actions.append(
            f"fix the {% if f.regression %}targets{% else %}labels{% endif %}: {conflicts} identical {{ "rows" if f.tabular else "images" }} carry different {% if f.regression %}targets{% else %}labels{% endif %} (python scripts/check_data.py)"
        )
    if init["status"] == "FAIL":
        actions.append(f"check the model's output layer: {init['why']}")
    if not uses_inputs:
        actions.append(
            "check the data pipeline: the model does as well without its inputs "
            "(look at a batch just before it enters the model)"
        )
    if lr_given:
        actions.append(
            f"the learning rate came from --set training.lr={cfg['training']['lr']:g}; run without it "
            f"to use {DEFAULT_LR:g} with automatic retries"
        )
    elif fit["flat"]:
        actions.append("the loss did not move at any learning rate: check that the parameters get gradients")
    if not actions:
        actions.append("check data and labels first: python scripts/check_data.py")
{%- if f.pretrained %}
    if cfg["model"]["freeze"] != "none":
        actions.append("unfreeze more layers: --set model.freeze=none (then set it in config.yaml)")
{%- endif %}
{%- if f.tabular %}
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
{%- if f.tabular %}
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
    for key, words in (
        ("l2", "weight decay"),
        ("l1", "L1"),
        ("dropconnect", "DropConnect"),
        ("spatial_dropout", "SpatialDropout"),
    ):
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
