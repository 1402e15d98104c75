"""The labelled image items a layout reader finds, and the names shared by the readers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from wizard.datacheck.report import Check

EXTENSION_FORMATS: dict[str, str] = {
    ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".bmp": "BMP", ".webp": "WEBP",
    ".tif": "TIFF", ".tiff": "TIFF", ".ppm": "PPM", ".pgm": "PPM",
}
"""Image extensions read as images, and the format (Pillow's name) each should hold."""
IMAGE_EXTENSIONS = frozenset(EXTENSION_FORMATS)
SPLIT_ALIASES: dict[str, str] = {
    "train": "train", "training": "train",
    "val": "val", "valid": "val", "validation": "val", "dev": "val",
    "test": "test", "testing": "test", "eval": "test", "evaluation": "test",
}
SPLIT_ORDER = ("train", "val", "test")
IGNORED_NAMES = frozenset({"__MACOSX", "__pycache__", "Thumbs.db", "desktop.ini"})


def is_hidden(name: str) -> bool:
    """Names no dataset reader should treat as data (.ipynb_checkpoints, .DS_Store, __MACOSX ...)."""
    return name.startswith(".") or name in IGNORED_NAMES


def extension(name: str) -> str:
    """The lower-case extension with its dot ('' for none; '.bashrc' has none)."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 and "/" not in name[dot:] and os.sep not in name[dot:] else ""


def is_image_name(name: str) -> bool:
    return extension(name) in IMAGE_EXTENSIONS


def display_name(path: str, root: Path) -> str:
    """A path as shown in the report: relative to the dataset root, with forward slashes."""
    prefix = os.path.join(str(root), "")
    if path.startswith(prefix):  # the common case, without relpath's cost on every file
        rel = path[len(prefix):]
        return rel if os.sep == "/" else rel.replace(os.sep, "/")
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()
    return Path(rel).as_posix()


class Item(NamedTuple):
    """One image file with its split and labels (no labels: the file has none).

    A named tuple because a rescan builds one per file before it can answer from the cache, and tuples are
    the cheapest objects Python makes.
    """

    path: str
    name: str
    split: str
    labels: tuple[str, ...]
    size: int = 0
    mtime_ns: int = 0


@dataclass
class Dataset:
    """What a layout reader found: the image items, the declared classes and the structural checks."""

    root: Path
    layout: str
    task: str
    items: list[Item] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)
    """Split -> class names declared by the layout (folders, even empty ones; manifest labels)."""
    checks: list[Check] = field(default_factory=list)
    label_format: str = ""
    label_column: str | None = None
    label_columns: list[str] = field(default_factory=list)
    image_column: str | None = None
