{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Learning-rate range test (Smith 2017; fastai's lr_find): which training.lr to start from.

    python scripts/find_lr.py [--config config.yaml] [--set key=value ...] [--steps 100] [--apply]

Trains a fresh model as config.yaml builds it (optimizer, loss, batch size, {{ "precision" if f.tabular else "augmentation, precision" }})
for --steps batches while the learning rate grows geometrically from --start to --end, and records the
training loss, smoothed with an exponential moving average over a tenth of the steps. The test stops early
when the smoothed loss exceeds 4 times its minimum (the rate has become too high). The suggestion is the rate
at the smoothed loss's minimum divided by 10. The model, the optimizer and the random generators are put back
afterwards, and no run folder or checkpoint is written. Writes reports/find_lr.png (the curve, the suggestion
marked) and reports/find_lr.json; --apply also writes the suggestion into training.lr of the config file,
changing nothing else in it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import torch  # noqa: E402

from {{ c.slug }} import task  # noqa: E402
from {{ c.slug }}.config import add_config_arguments, load_config  # noqa: E402
from {{ c.slug }}.data import build_datasets  # noqa: E402
from {{ c.slug }}.engine import Trainer, build_optimizer, build_scheduler  # noqa: E402
from {{ c.slug }}.errors import UserError  # noqa: E402
from {{ c.slug }}.loaders import build_loaders  # noqa: E402
from {{ c.slug }}.lr_range import RULE, plot_range_test, range_test, rounded, suggest, write_lr  # noqa: E402
from {{ c.slug }}.model import build_model{% if f.pretrained %}, freeze_mode, set_trainable{% endif %}  # noqa: E402
from {{ c.slug }}.runtime import pick_device, seed_everything  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Find a learning rate: the LR range test.")
    add_config_arguments(parser, "override a config value (repeatable)")
    parser.add_argument("--start", type=float, default=1e-7, help="first learning rate (default: 1e-7)")
    parser.add_argument("--end", type=float, default=10.0, help="last learning rate (default: 10)")
    parser.add_argument("--steps", type=int, default=100, help="training steps, at most (default: 100)")
    parser.add_argument("--apply", action="store_true", help="write the suggestion into training.lr of --config")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="folder of find_lr.png and .json")
    return parser.parse_args(argv)


def fingerprint(model: torch.nn.Module) -> str:
    """A digest of the model's weights and buffers: equal before and after the test when it put them back."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode() + tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if not 0 < args.start < args.end or args.steps < 5:
            raise UserError("--start and --end must satisfy 0 < start < end, and --steps must be at least 5")
        cfg = load_config(args.config, args.overrides)
        seed_everything(cfg["training"]["seed"])
        device = pick_device(cfg["training"]["device"])
        data = build_datasets(cfg)
        model = build_model(cfg, {{ "data.schema" if f.tabular else "len(data.classes)" }}).to(device)
{%- if f.pretrained %}
        set_trainable(model, freeze_mode(cfg), epoch=1, unfreeze_epoch=cfg["model"]["unfreeze_epoch"])  # as epoch 1
{%- endif %}
        optimizer = build_optimizer(cfg, model)
        train_loader, _ = build_loaders(cfg, data, device)
        scheduler = build_scheduler(cfg, optimizer, len(train_loader))
        trainer = Trainer(cfg, model, task.loss_for(cfg, data).to(device), optimizer, scheduler, device)
        before = fingerprint(model)
        print(
            f"LR range test: up to {args.steps} steps of {cfg['training']['batch_size']} {{ "rows" if f.tabular else "images" }}, "
            f"lr {args.start:g} -> {args.end:g}, {cfg['training']['optimizer']} ({len(data.train)} training {{ "rows" if f.tabular else "images" }})"
        )
        curve = range_test(trainer, train_loader, args.start, args.end, args.steps)
        suggestion, index = suggest(curve)
        suggestion = rounded(suggestion)
        after = fingerprint(model)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    plot_range_test(curve, suggestion, index, args.out / "find_lr.png")
    report = {
        "suggestion": suggestion,
        "rule": RULE,
        "minimum_lr": curve.lrs[index],
        "minimum_loss": curve.smoothed[index],
        "steps": len(curve.lrs),
        "stopped": curve.stopped,
        "configured_lr": cfg["training"]["lr"],
        "restored": before == after,
        "curve": {"lr": curve.lrs, "loss": curve.losses, "smoothed": curve.smoothed},
    }
    (args.out / "find_lr.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"{len(curve.lrs)} steps; stopped: {curve.stopped}")
    print(f"smoothed loss lowest ({curve.smoothed[index]:.4g}) at lr {curve.lrs[index]:.3g}")
    print(f"suggested training.lr: {suggestion:g} ({RULE}); config.yaml has {cfg['training']['lr']:g}")
    print(f"model and optimizer put back as they were: {'yes' if before == after else 'NO'} (weights {after})")
    print(f"curve: {args.out / 'find_lr.png'}")
    if args.apply:
        try:
            old = write_lr(args.config, suggestion)
            if load_config(args.config)["training"]["lr"] != suggestion:  # read back as the scripts will
                write_lr(args.config, float(old))
                raise UserError(f"{args.config}: training.lr did not read back as {suggestion:g}; left at {old}")
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"{args.config}: training.lr {old} -> {suggestion:g}")
    else:
        print(f"use it: python scripts/find_lr.py --apply, or --set training.lr={suggestion:g} on train.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
