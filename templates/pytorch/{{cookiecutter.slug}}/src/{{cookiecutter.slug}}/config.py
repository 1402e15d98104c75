{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""config.yaml as a plain nested dict (`cfg["training"]["lr"]`), with type-checked --set overrides."""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config.yaml"
PATH_KEYS = ("data.path", "output.dir")
{%- if not f.tabular %}
AUGMENTATIONS = ("hflip", "vflip", "rotate90", "random-resized-crop", "color-jitter", "rotation", "trivial-augment")
{%- endif %}

# Every key of config.yaml and the type of its value.
SCHEMA: dict[str, str] = {
    "task": "str",
    "data.path": "str",
    "data.layout": "str",
{% include f.family ~ "/package/config/schema.py" %}
    "regularization.early_stopping.enabled": "bool",
    "regularization.early_stopping.patience": "int",
    "regularization.early_stopping.monitor": "str",
    "regularization.early_stopping.min_delta": "float",
{%- if not f.regression %}
    "imbalance.strategy": "str",
{%- endif %}
{%- if c.imbalance.strategy == "focal" and not f.regression %}
    "imbalance.focal_gamma": "float",
{%- endif %}
    "training.batch_size": "int",
    "training.epochs": "int",
    "training.optimizer": "str",
    "training.lr": "float",
    "training.scheduler": "str",
    "training.precision": "str",
    "training.distributed": "str",
    "training.seed": "int",
    "training.device": "str",
    "training.compile": "bool",
    "training.deterministic": "bool",
    "training.tracker": "str",
    "output.dir": "str",
}

# Keys whose value chose the code trainwizard wrote: another value needs `trainwizard update`.
GENERATED: dict[str, Any] = {
    "task": {{ c.task | pyrepr }},
    "model.source": {{ c.model.source | pyrepr }},
    "model.backbone": {{ c.model.backbone | pyrepr }},
    "normalization": {{ c.normalization | pyrepr }},
{%- if c.regularization.dropconnect | as_float == 0 %}
    "regularization.dropconnect": 0.0,
{%- endif %}
{% include f.family ~ "/package/config/generated.py" %}
{%- if not f.regression %}
    "imbalance.strategy": {{ c.imbalance.strategy | pyrepr }},
{%- endif %}
    "training.distributed": {{ c.training.distributed | pyrepr }},
}

CHOICES: dict[str, tuple[str, ...]] = {
{%- if f.image %}
    "data.layout": ("auto", {% if not f.multilabel %}"imagefolder", {% endif %}"csv"),
{%- endif %}
{%- if f.pretrained %}
    "model.freeze": ("none", "head-only", "early-layers", "gradual"),
{%- endif %}
{% include f.kind ~ "/package/config_choices.py" %}
    "training.optimizer": ("adamw", "adam", "sgd"),
    "training.scheduler": ("cosine", "step", "onecycle", "none"),
    "training.precision": ("auto", "fp32", "bf16", "fp16"),
    "training.device": ("auto", "cuda", "mps", "cpu"),
    "training.tracker": ("none", "tensorboard", "mlflow", "wandb"),
}

# key: (test, what is allowed)
LIMITS: dict[str, tuple[Any, str]] = {
    "data.val_fraction": {{ c._limits["data.val_fraction"] }},
{% include f.family ~ "/package/config/limits.py" %}
    "model.head_dropout": {{ c._limits["model.head_dropout"] }},
    "regularization.l1": {{ c._limits["regularization.l1"] }},
    "regularization.l2": {{ c._limits["regularization.l2"] }},
    "regularization.dropconnect": {{ c._limits["regularization.dropconnect"] }},
    "regularization.early_stopping.patience": {{ c._limits["regularization.early_stopping.patience"] }},
    "regularization.early_stopping.min_delta": {{ c._limits["regularization.early_stopping.min_delta"] }},
{%- if c.imbalance.strategy == "focal" and not f.regression %}
    "imbalance.focal_gamma": {{ c._limits["imbalance.focal_gamma"] }},
{%- endif %}
    "training.batch_size": {{ c._limits["training.batch_size"] }},
    "training.epochs": {{ c._limits["training.epochs"] }},
    "training.lr": {{ c._limits["training.lr"] }},
    "training.seed": {{ c._limits["training.seed"] }},
}


def add_config_arguments(parser: argparse.ArgumentParser, set_help: str, config_help: str | None = None) -> None:
    """The options every script reads its config with: --config FILE (`args.config`) and the repeatable
    --set KEY=VALUE (`args.overrides`, for load_config). Without `config_help`, --config defaults to the project's
    config.yaml; with it, to None (the script has another source, such as the config saved in a checkpoint)."""
    if config_help is None:
        parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="config file (default: config.yaml)")
    else:
        parser.add_argument("--config", type=Path, help=config_help)
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=set_help)


def load_config(path: str | Path | None = None, overrides: Sequence[str] = ()) -> dict[str, Any]:
    """Read config.yaml, apply `--set key=value` overrides, and check every key and value.

    Relative paths in the file (data.path, output.dir) start at the file's folder; relative paths given
    with --set start at the current directory.
    """
    path = Path(path) if path is not None else DEFAULT_CONFIG
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    try:
        cfg = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}:{where} is not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(cfg, dict):
        raise ConfigError(f"{path}: expected a mapping of sections (data:, model:, training: ...)")
    check_config(cfg, source=str(path))
    for key in PATH_KEYS:
        set_value(cfg, key, _absolute(get_value(cfg, key), path.parent))
    apply_overrides(cfg, overrides)
    return cfg


def apply_overrides(cfg: dict[str, Any], overrides: Sequence[str]) -> None:
    """Apply `--set key=value` overrides in order; relative paths among them start at the current directory."""
    for item in overrides:
        apply_override(cfg, item)
    for key in PATH_KEYS:
        set_value(cfg, key, _absolute(get_value(cfg, key), Path.cwd()))


def check_config(cfg: dict[str, Any], source: str = "config") -> None:
    """Every key present with a value of the right type and range; no unknown keys."""
    found = set(_leaf_keys(cfg))
    for key in sorted(found - SCHEMA.keys()):
        raise ConfigError(f"{source}: unknown key {key!r}{_did_you_mean(key)}")
    for key in SCHEMA:
        if key not in found:
            raise ConfigError(f"{source}: missing key {key!r}")
        value = get_value(cfg, key)
        if not _has_type(value, SCHEMA[key]):
            raise ConfigError(f"{source}: {key} must be {_type_words(SCHEMA[key])}, got {value!r}")
        _check_value(key, value, source)


def apply_override(cfg: dict[str, Any], item: str) -> None:
    """Apply one 'a.b=value' override; the value is read as YAML and must fit the key's type."""
    key, sep, raw = item.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(f"--set {item!r}: expected KEY=VALUE, for example training.lr=0.001")
    if key not in SCHEMA:
        raise ConfigError(f"--set {item}: unknown key {key!r}{_did_you_mean(key)}")
    value = _parse(raw, SCHEMA[key])
    if not _has_type(value, SCHEMA[key]):
        raise ConfigError(f"--set {item}: {key} must be {_type_words(SCHEMA[key])}, got {raw.strip()!r}")
    _check_value(key, value, f"--set {item}")
    set_value(cfg, key, value)


def get_value(cfg: dict[str, Any], key: str) -> Any:
    node: Any = cfg
    for part in key.split("."):
        node = node[part]
    return node


def set_value(cfg: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    node = cfg
    for part in parents:
        node = node[part]
    node[last] = value


def dump_config(cfg: dict[str, Any]) -> str:
    """The config as YAML text, in file order."""
    return yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True)


def _check_value(key: str, value: Any, source: str) -> None:
    if key in GENERATED and value != GENERATED[key]:
        raise ConfigError(
            f"{source}: {key} was {GENERATED[key]!r} when this project was generated and its code is written "
            f"for that choice; to change it run: trainwizard update --set {key}={value}"
        )
    if key in CHOICES and value not in CHOICES[key]:
        raise ConfigError(f"{source}: {key} is {value!r}; allowed: {', '.join(CHOICES[key])}")
    if key in LIMITS and not LIMITS[key][0](value):
        raise ConfigError(f"{source}: {key} is {value!r}; allowed: {LIMITS[key][1]}")
{%- if not f.tabular %}
    if key == "regularization.augmentation":
        for name in value:
            if name not in AUGMENTATIONS:
                raise ConfigError(f"{source}: unknown augmentation {name!r}; allowed: {', '.join(AUGMENTATIONS)}")
{%- endif %}


def _parse(raw: str, kind: str) -> Any:
    text = raw.strip()
    if kind == "str":
        return text
    if kind == "str or null":
        return None if text.lower() in ("", "null", "none", "~") else text
    if kind == "list" and text and not text.startswith("["):
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind.endswith(" list") and not text.startswith("["):  # numbers: 256,128 or 0.5,0.5,0.5 (empty: [])
        text = f"[{text}]"
    if kind in ("int", "float"{% if not f.tabular %}, "int or auto"{% endif %}):
        for number in (int, float):  # YAML 1.1 would read 1e-3 as text
            try:
                return number(text)
            except ValueError:
                pass
    try:
        return yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return text


def _has_type(value: Any, kind: str) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
{%- if not f.tabular %}
    if kind == "int or auto":
        return value == "auto" or (isinstance(value, int) and not isinstance(value, bool))
{%- endif %}
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind.endswith(" list"):  # a list of numbers: "int list", "float list"
        return isinstance(value, list) and all(_has_type(v, kind.removesuffix(" list")) for v in value)
    if kind == "str or null":
        return value is None or isinstance(value, str)
    return isinstance(value, str)


def _type_words(kind: str) -> str:
    words = {
        "bool": "true or false",
        "int": "an integer",
        "float": "a number",
        "list": "a list like [a, b]",
{%- if not f.tabular %}
        "int or auto": "an integer or auto",
{%- endif %}
        "str or null": "a name or null",
    }
    if kind.endswith(" list"):  # "a list of integers", "a list of numbers"
        return "a list of " + words[kind.removesuffix(" list")].split(" ", 1)[1] + "s"
    return words.get(kind, "text")


def _leaf_keys(node: dict[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for name, value in node.items():
        key = f"{prefix}{name}"
        keys.extend(_leaf_keys(value, key + ".") if isinstance(value, dict) else [key])
    return keys


def _did_you_mean(key: str) -> str:
    close = difflib.get_close_matches(key, SCHEMA, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    section = [known for known in SCHEMA if known.split(".")[0] == key.split(".")[0]]
    return f"; keys of this section: {', '.join(section)}" if section else "; see config.yaml for the keys"


def _absolute(value: str, base: Path) -> str:
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())
