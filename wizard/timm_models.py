"""timm backbone names (`timm/<architecture>[.<tag>]`) checked against the list shipped with the wizard.

The list (timm_models.json, written by scripts/timm_catalogue.py) is read on first use only, so the CLI starts
as fast as before; the wizard never imports timm itself.
"""

from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path
from typing import Any

PREFIX = "timm/"
CATALOGUE = Path(__file__).with_name("timm_models.json")
FORM = "timm/<architecture>[.<tag>]"
EXAMPLES = "timm/resnet18.a1_in1k (pretrained) or timm/convnext_atto (scratch)"


def is_timm(name: Any) -> bool:
    """True for a backbone answer that names a timm model (a string starting with 'timm/')."""
    return isinstance(name, str) and name.startswith(PREFIX)


def split(name: str) -> tuple[str, str | None]:
    """('resnet18', 'a1_in1k') for 'timm/resnet18.a1_in1k'; the tag is None when none is named."""
    arch, dot, tag = name.removeprefix(PREFIX).partition(".")
    return arch, (tag if dot else None)


@functools.cache
def _catalogue() -> dict[str, Any]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def version() -> str:
    """The timm version the list was made from (the one generated projects pin)."""
    return str(_catalogue()["timm"])


def _models() -> dict[str, Any]:
    return _catalogue()["models"]


def tags(arch: str) -> tuple[str, ...]:
    """The pretrained weight tags of `arch`, timm's default first; () for an unknown or weightless one."""
    entry = _models().get(arch)
    return tuple(entry["tags"]) if entry else ()


def name_problem(name: str) -> str | None:
    """What is wrong with a `timm/...` name on its own (unknown architecture or tag), as one line; None when
    the list knows it. Whether it fits the model source is a combination rule (wizard/combinations.py)."""
    arch, tag = split(name)
    models = _models()
    listed = f"timm {version()}'s list shipped with trainwizard"
    if not arch:
        return f"{name!r} names no architecture; allowed: {FORM} from {listed}, e.g. {EXAMPLES}"
    if arch not in models:
        close = difflib.get_close_matches(arch, models, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(PREFIX + c for c in close)}? " if close else ""
        return f"{name!r}: no architecture {arch!r} in {listed}; {hint}allowed: {FORM}, e.g. {EXAMPLES}"
    if tag is None:
        return None
    known = tags(arch)
    if not known:
        return f"{name!r}: {arch} has no pretrained weights in {listed}; allowed: {PREFIX}{arch} with source 'scratch'"
    if tag not in known:
        close = difflib.get_close_matches(tag, known, n=1, cutoff=0.6)
        hint = f"did you mean {PREFIX}{arch}.{close[0]}? " if close else ""
        return f"{name!r}: {arch} has no weights tagged {tag!r}; {hint}allowed tags: {', '.join(known)}"
    return None


def weights_tag(name: str) -> str | None:
    """The tag of the weights a pretrained `name` loads: its own, else timm's default (the first listed)."""
    arch, tag = split(name)
    return tag or next(iter(tags(arch)), None)


def parameter_count(name: str) -> int | None:
    """Parameters of the architecture with timm's default head; None when unknown or not counted."""
    entry = _models().get(split(name)[0])
    return entry["params"] if entry else None


def weights_stats(name: str) -> tuple[list[float], list[float]] | None:
    """(mean, std) the pretrained weights of `name` were trained with (its tag, else the default tag)."""
    facts = _weights_facts(name)
    return None if facts is None else (list(facts[1]), list(facts[2]))


def input_size(name: str) -> int | None:
    """The image side the pretrained weights of `name` (its tag, else the default) were trained at."""
    facts = _weights_facts(name)
    return None if facts is None else int(facts[0][-1])


def _weights_facts(name: str) -> list | None:
    """[input_size, mean, std, num_classes] of the weights a pretrained `name` loads; None when it has none."""
    entry = _models().get(split(name)[0])
    tag = weights_tag(name)
    if entry is None or tag is None or tag not in entry["tags"]:
        return None
    return entry["tags"][tag]
