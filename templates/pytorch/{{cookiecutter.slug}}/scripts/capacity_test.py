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
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import torch  # noqa: E402
from tqdm import tqdm  # noqa: E402

from {{ c.slug }}.config import add_config_arguments, load_config  # noqa: E402
{% include f.family ~ "/scripts/capacity_imports.py" %}
from {{ c.slug }}.model import build_model, {% if f.pretrained %}freeze_mode, set_trainable, {% endif %}without_dropout  # noqa: E402
from {{ c.slug }}.plots import plot_loss_curves  # noqa: E402
from {{ c.slug }}.runtime import pick_device, seed_everything  # noqa: E402
{%- if not f.tabular %}
from {{ c.slug }}.transforms import build_transforms  # noqa: E402
{%- endif %}

{% include f.family ~ "/scripts/capacity_lr.py" -%}
FLAT_AFTER = 100  # steps (at most a third of the budget) after which a loss above 90% of its start "barely moves"
ZERO_STEPS = 50  # steps of the zero-input baseline (at most the real run's): enough to reach its floor
PAIR_ROWS = 128  # check_init pairs every output row with every target row of at most this many rows
{% include f.kind ~ "/scripts/capacity_constants.py" %}

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Overfit a small fixed subset with regularization off.")
    add_config_arguments(parser, "override a config value (repeatable); training.lr given here is used as is")
    parser.add_argument("--samples", type=int, help=f"subset size (default: {DEFAULT_SAMPLES})")
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
    result: dict[str, Any] = {"samples": len(indices), **target_names(subset), "device": str(device)}

    # 1. data: the subset, the encoding of its targets, and duplicates that make a perfect fit impossible
    conflicts = conflicting_duplicates(inputs, targets)
    counts, text = describe_data(subset)
    result["data"] = {**counts, "conflicts": conflicts, **skipped(subset)}
    warning = skipped_warning(subset)
    if conflicts:
        stage(
            "data",
            f"{text}; {conflicts} identical {{ "rows" if f.tabular else "images" }} with different {TARGETS}: {IMPOSSIBLE}",
            "FAIL",
        )
    else:
        stage("data", f"{text}, no conflicting duplicates", "WARN" if warning else "OK")
    if warning:
        print(warning)

    # 2. loss at initialisation: the model's outputs on the batch before any update (see check_init)
    init = initial_check(cfg, subset, seed, device)
    init_status = init["status"]
    result["init"] = init
    why = f" - {init['why']}" if init["why"] else ""
    stage("init", f"loss {init['loss']:.3f} ({init_text(init, subset)}){why}", init_status)
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
    stage(
        "fit",
        f"step {best['steps']}, loss {best['final_loss']:.4f}, {fit_text(best)}{note}, {best['seconds']:.0f}s",
        status,
    )
    print("        true -> predicted: " + ", ".join(shown_predictions(subset, best["predictions"])))

    # 4. input-independent baseline: with every input zeroed the model can only reach a constant floor
    floor = constant_floor(cfg, targets)  # the lowest loss without the inputs
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
        why = f" - the {TARGETS} leak through something other than the {{ "features" if f.tabular else "image" }}" if leak else ""
        stage(
            "zero",
            f"zero-input loss {zero['final_loss']:.3f} ({FLOOR_NAME} {floor:.3f}) vs real "
            f"{best['final_loss']:.4f}{why}",
            zero_status,
        )
    else:  # nothing to compare: the real inputs did not help either
        zero, zero_status = {"final_loss": None, "losses": []}, "SKIP"
        stage("zero", "not run: the real run did not learn either", zero_status)
    result["zero_input"] = {"final_loss": zero["final_loss"], FLOOR_KEY: floor, "status": zero_status}

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
    title = f"Capacity test {result['verdict']}: {model_name(cfg)}, {subset_words(subset)}"
    plot_loss_curves(curves, out / "capacity_test.png", title, reference=plot_references(expected, floor))
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
    return check_init(outputs, subset.targets, capacity_loss(cfg), uninformed_output(subset), rescaled)


def check_init(
    outputs: torch.Tensor, targets: torch.Tensor, loss_fn: Any, uninformed: float, rescaled: torch.Tensor | None = None
) -> dict[str, Any]:
    """The [init] stage: is the loss before training what a sane initialisation gives, and if not, why not?

    The loss of the initial outputs, of the same outputs with the targets shuffled (`expected`) and of the
    `uninformed` output; judge_init tells what they mean for this task.
    """
    outputs = outputs.detach().float()
    if not bool(torch.isfinite(outputs).all()):
        return unjudged("outputs inf or NaN before any update: huge initial weights? inputs not normalized?")
    invalid = invalid_targets(outputs, targets)
    if invalid:
        return unjudged(invalid)
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
    report.update(judge_init(report, outputs, rescaled))
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
    loss_fn = capacity_loss(cfg)
    losses: list[float] = []
    started, flat = time.perf_counter(), False
    flat_after = min(FLAT_AFTER, max(10, steps // 3))
    # A bar on a terminal only (disable=None): a big backbone on a CPU takes minutes per learning rate.
    bar = tqdm(range(steps), desc=f"        lr {lr:g}", unit="step", leave=False, disable=None)
    for _ in bar:
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
        losses.append(loss.item())
        bar.set_postfix(loss=f"{losses[-1]:.4f}", refresh=False)
        if stop_on_pass and fitted(outputs.detach(), targets, losses[-1]):
            eval_loss, eval_score, _ = evaluate(model, inputs, targets, loss_fn)  # confirmed in eval mode
            if passes(eval_loss, eval_score):
                break
        if stop_on_pass and len(losses) == flat_after and losses[-1] > 0.9 * losses[0]:
            flat = True
            break
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    bar.close()
    final_loss, score, predictions = evaluate(model, inputs, targets, loss_fn)
    return {
        "lr": lr,
        "steps": len(losses),
        "final_loss": final_loss,
        SCORE: score,
        "passed": passes(final_loss, score),
        "flat": flat,
        "predictions": predictions,
        "seconds": time.perf_counter() - started,
        "losses": losses,
    }


{% include f.kind ~ "/scripts/capacity_scoring.py" %}

def conflicting_duplicates(inputs: torch.Tensor, targets: torch.Tensor) -> int:
    """How many {{ "rows" if f.tabular else "images" }} are identical to another with a different target."""
    labels_by_hash: dict[str, set[str]] = {}
    hashes = [hashlib.sha1(item.cpu().numpy().tobytes()).hexdigest() for item in inputs]
    for digest, target in zip(hashes, targets.tolist(), strict=True):
        labels_by_hash.setdefault(digest, set()).add(str(target))  # str: hashable
    return sum(1 for digest in hashes if len(labels_by_hash[digest]) > 1)


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
            f"fix the {TARGETS}: {conflicts} identical {{ "rows" if f.tabular else "images" }} carry different {TARGETS} (python scripts/check_data.py)"
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
    actions += more_capacity(cfg)
    if not fit["flat"]:
        actions.append(f"or a longer budget: --steps {fit['steps'] * 3}")
    return actions


def stage(name: str, text: str, status: str) -> None:
    line = f"[{name}]".ljust(8) + text + " "
    print(line + "." * max(3, 100 - len(line) - len(status)) + " " + status, flush=True)


if __name__ == "__main__":
    sys.exit(main())
