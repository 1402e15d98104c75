"""Jinja filters of the pytorch template: free text and numbers written safely into Python, YAML, TOML and Markdown,
and the flags that decide which code a project gets."""
# The context this template receives, and the filters below, are described in CONTRACT.md beside this file.

from __future__ import annotations

import json
import math
import re
import unicodedata
from typing import Any

from jinja2.ext import Extension

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\x85\u2028\u2029")
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>#|~&")


def _hex_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI_CONTROLS


def pyrepr(value: Any) -> str:
    """A Python literal for a value: free text can never break out of its string, whatever it contains."""
    if isinstance(value, str):
        # repr() escapes quotes, backslashes, line breaks and non-printable characters (lone surrogates too),
        # so the literal is valid UTF-8 source; `{{ }}` inside stays inert text.
        # The quotes ruff format chooses: double, unless the text holds more double quotes than single ones.
        # repr() chooses single quotes unless the text holds one and no double quote; its single-quoted form
        # escapes every ' (always as \', a backslash itself being \\), so swapping the escapes is exact.
        literal = repr(value)
        if literal.startswith("'") and value.count('"') <= value.count("'"):
            return '"' + literal[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
        return literal
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} as a Python literal")
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Python literal for {type(value).__name__}")


def _yaml_printable(char: str) -> bool:
    # PyYAML's reader refuses characters outside this set, and reads \x85, \u2028, \u2029 as line breaks.
    code = ord(char)
    return (
        0x20 <= code <= 0x7E or code == 0x09 or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ) and char not in _LINE_BREAKS and char != "\ufeff"


def yamlval(value: Any) -> str:
    """A one-line YAML value (flow style): strings always double-quoted with every non-printable character
    escaped, floats always read back as floats, non-finite numbers refused."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} as a YAML number")
        text = repr(value)
        # YAML 1.1 (PyYAML) reads 1e-05 as a string: it needs a dot in the mantissa.
        if "e" in text and "." not in text.split("e")[0]:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        body = "".join(
            "\\" + c if c in '"\\' else c if _yaml_printable(c) else _hex_escape(c) for c in value
        )
        return f'"{body}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yamlval(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yamlval(str(k))}: {yamlval(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no YAML value for {type(value).__name__}")


def tomlstr(text: Any) -> str:
    """A TOML basic string ("...") holding the text exactly; control characters and DEL are \\u-escaped."""
    out = []
    for char in str(text):
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"a lone surrogate ({_hex_escape(char)}) cannot be written in TOML")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def mdtext(value: Any) -> str:
    """Free text for Markdown prose on one line: whitespace runs become one space, Markdown and HTML
    characters are backslash-escaped (so `<b>` shows as text), control characters are shown escaped."""
    text = " ".join(str(value).split())
    text = "".join(
        "\\" + c if c in _MARKDOWN_SPECIAL else _hex_escape(c) if _is_control(c) else c for c in text
    )
    # Text that starts like a list item, a thematic break or a setext underline stays a paragraph.
    marker = re.match(r"\d{1,9}(?=[.)])|(?=[-+=])", text)
    return text if marker is None else text[:marker.end()] + "\\" + text[marker.end():]


def mdcode(value: Any) -> str:
    """Text as an inline Markdown code span (shown verbatim, never as HTML), whatever backticks it holds."""
    text = "".join(_hex_escape(c) if _is_control(c) else c for c in " ".join(str(value).split()))
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.strip()) else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else "` `"


def as_float(value: Any) -> float:
    """A float from a number or its text (plain `cookiecutter --no-input` passes numbers as text)."""
    return float(value)


def as_int(value: Any) -> int:
    """An int from a number or its text."""
    return int(float(value))


def as_bool(value: Any) -> bool:
    """A bool from a bool or its text ('true', 'False', '1' ...)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


TRACKER_REQUIREMENTS = {"tensorboard": "tensorboard>=2.15", "mlflow": "mlflow>=3.7", "wandb": "wandb>=0.19"}
"""What each experiment tracker (config.yaml training.tracker) needs installed: an extra of every project, and a
dependency of the project whose answers chose it."""


def flags(cookiecutter: dict[str, Any]) -> dict[str, Any]:
    """Which code and which files the project gets, derived from the answers in one place.

    Every template file starts with `{%- set c, f = cookiecutter, cookiecutter | flags -%}` and asks `f.tabular`,
    `f.pretrained`, ...; file names, where `|` is not allowed (Windows), ask `flags(cookiecutter).sampler`.
    Values arrive typed from trainwizard and as text from plain cookiecutter, hence the casts.
    """
    task, model, reg = cookiecutter["task"], cookiecutter["model"], cookiecutter["regularization"]
    training, vocabulary = cookiecutter["training"], cookiecutter["_vocabulary"]
    image = task in vocabulary["image_tasks"]
    layout = cookiecutter["data"]["layout"]
    ddp = training["distributed"] == "ddp"
    # model.backbone "timm/<architecture>[.<tag>]": any timm model, built through timm's own API (backbones/timm.py)
    timm = image and model["backbone"].startswith("timm/")
    return {
        "family": "image" if image else "tabular",  # the folder of templates/ holding this task family's files
        "image": image,
        # the folder of templates/ for files that differ again within the image family: multi-label projects
        # have their own (templates/multilabel/README/intro.md, ...); every other project its family's
        "variant": "multilabel" if task == "image-multilabel" else "image" if image else "tabular",
        "tabular": task in vocabulary["tabular_tasks"],
        "single_label": task in ("image-classification", "tabular-classification"),
        "multilabel": task == "image-multilabel",
        # image data layouts the project reads: class folders (single-label only) and/or a CSV manifest
        "folders": image and task != "image-multilabel" and layout in ("auto", "imagefolder"),
        "manifest": image and layout in ("auto", "csv"),
        "regression": task == "tabular-regression",
        # what the model predicts: the folder of templates/ holding this kind's files (losses, metrics, task hooks)
        "kind": "regression" if task == "tabular-regression" else "multilabel" if task == "image-multilabel"
        else "single_label",
        "pretrained": image and model["source"] == "pretrained",
        # pretrained (or a timm model's) BatchNorm layers replaced by the chosen normalization
        "swap_bn": image and (model["source"] == "pretrained" or timm)
        and cookiecutter["normalization"] in ("groupnorm", "instancenorm", "layernorm", "none"),
        "torchvision_backbone": image and model["source"] == "pretrained" and model["backbone"] != "xception"
        and not timm,
        "timm": timm,
        "timm_model": model["backbone"][len("timm/"):] if timm else "",  # timm's name: <architecture>[.<tag>]
        # the generated pyproject's requirement on timm (Xception's predates the timm/<name> backbones)
        "timm_requirement": "timm>=1.0.29,<2" if timm else "timm>=0.9" if model["backbone"] == "xception" else "",
        # the file of templates/image/package/backbones/ that builds the backbone (the ResNets share one, and so
        # do the timm models)
        "backbone": "timm" if timm else model["backbone"][:6] if model["backbone"].startswith("resnet")
        else model["backbone"],
        "dropconnect": as_float(reg["dropconnect"]) > 0,
        "pyramid": as_bool(model["multiscale_pooling"]),  # spatial pyramid pooling
        "spatial_dropout": as_float(reg["spatial_dropout"]) > 0,
        "layers": as_float(reg["dropconnect"]) > 0 or as_bool(model["multiscale_pooling"]),  # layers.py
        "sampler": cookiecutter["imbalance"]["strategy"] in ("oversample", "undersample"),
        # the class of samplers.py that draws the training batches (oversample or undersample)
        "sampler_class": "BalancedOversampler" if cookiecutter["imbalance"]["strategy"] == "oversample"
        else "BalancedUndersampler",
        "ddp": ddp,
        "sync_bn": ddp and cookiecutter["normalization"] == "batchnorm",
    }


class TrainwizardExtension(Extension):
    """Registers the filters above on the template environment, `flags` also as a function (file names), and
    the trackers' requirements."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters.update(
            pyrepr=pyrepr, yamlval=yamlval, tomlstr=tomlstr, mdtext=mdtext, mdcode=mdcode, as_float=as_float,
            as_int=as_int, as_bool=as_bool, flags=flags,
        )
        environment.globals["flags"] = flags
        environment.globals["tracker_requirements"] = TRACKER_REQUIREMENTS
