"""Writes wizard/timm_models.json: every timm architecture with its parameter count and its pretrained tags.

The wizard never imports timm (or torch); it validates `model.backbone: timm/<name>` and sizes the model from
this list. Regenerate it when the generated projects' timm pin moves (needs torch and that timm version):

    PYTHONPATH=/path/to/timm python scripts/timm_catalogue.py [--out wizard/timm_models.json]
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "wizard" / "timm_models.json"
FIELDS = ["input_size", "mean", "std", "num_classes"]


def parameter_count(timm, torch, arch: str) -> int | None:
    """Parameters of `arch` with its default head, counted on the meta device (no memory, no weights)."""
    try:
        with torch.device("meta"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = timm.create_model(arch, pretrained=False)
    except Exception:  # noqa: BLE001 -- a few architectures cannot be built without extra arguments; they stay unsized
        return None
    return sum(p.numel() for p in model.parameters())


def tag_facts(timm, arch: str, tag: str) -> list:
    """[input_size, mean, std, num_classes] of the pretrained weights `arch.tag`."""
    cfg = timm.models.get_pretrained_cfg(f"{arch}.{tag}")
    return [list(cfg.input_size), [round(v, 4) for v in cfg.mean], [round(v, 4) for v in cfg.std], cfg.num_classes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    import timm
    import torch

    tags: dict[str, list[str]] = {}
    for name in timm.list_pretrained():  # timm lists each architecture's default weights first
        arch, _, tag = name.partition(".")
        tags.setdefault(arch, []).append(tag)
    models = {}
    for arch in timm.list_models():
        models[arch] = {
            "params": parameter_count(timm, torch, arch),
            "tags": {tag: tag_facts(timm, arch, tag) for tag in tags.get(arch, [])},
        }
    catalogue = {"timm": timm.__version__, "fields": FIELDS, "models": models}
    args.out.write_text(json.dumps(catalogue, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
    pretrained = sum(1 for m in models.values() if m["tags"])
    print(f"{args.out}: timm {timm.__version__}, {len(models)} architectures ({pretrained} with pretrained weights), "
          f"{sum(len(m['tags']) for m in models.values())} weight tags, {args.out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
