"""ImageFolder layouts: class folders at the root, or inside train/val/test split folders."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from wizard.datacheck.dataset import (
    IMAGE_EXTENSIONS,
    SPLIT_ALIASES,
    Dataset,
    Item,
    display_name,
    is_hidden,
    is_image_name,
)
from wizard.datacheck.report import Check
from wizard.errors import DataError

EXPECTED_LAYOUTS = (
    "expected class folders (ROOT/<class>/*.jpg), split folders (ROOT/train/<class>/*.jpg, ROOT/val/...), "
    "or a CSV file (an image manifest or a table)"
)


@dataclass
class _Listing:
    """Files and folders found while walking, with what was skipped."""

    images: list[Item] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def looks_like_imagefolder(root: Path) -> bool:
    """True when the folder has at least one visible sub-folder (a class or a split)."""
    try:
        return any(e.is_dir() and not is_hidden(e.name) for e in os.scandir(root))
    except OSError:
        return False


def read_imagefolder(root: Path) -> Dataset:
    """Read an ImageFolder tree; raises DataError when the folder has no class folders at all."""
    top = _scan_dir(root)
    dirs = {name: path for name, path in top.dirs}
    split_dirs = {name: SPLIT_ALIASES[name.lower()] for name in dirs if name.lower() in SPLIT_ALIASES}
    has_splits = "train" in split_dirs.values() or len(split_dirs) >= 2
    listing = _Listing()
    listing.hidden.extend(display_name(p, root) for p in top.hidden)
    ds = Dataset(root=root, layout="imagefolder-splits" if has_splits else "imagefolder",
                 task="image-classification", label_format="class folders")
    empty: list[str] = []
    loose: list[str] = [display_name(p, root) for p in top.images]
    listing.other_files.extend(display_name(p, root) for p in top.files)
    if has_splits:
        stray = sorted(name for name in dirs if name not in split_dirs)
        for name in sorted(split_dirs):
            split = split_dirs[name]
            split_top = _scan_dir(Path(dirs[name]))
            listing.hidden.extend(display_name(p, root) for p in split_top.hidden)
            loose.extend(display_name(p, root) for p in split_top.images)
            listing.other_files.extend(display_name(p, root) for p in split_top.files)
            _read_classes(split_top, split, root, ds, listing, empty)
        if stray:
            ds.checks.append(Check(
                "stray-folders", "warning", "Folders next to the split folders are ignored", len(stray),
                [s + "/" for s in stray],
                "Move these folders into train/ or val/ (as class folders), or out of the dataset.",
            ))
    else:
        if not top.dirs:
            raise DataError(f"{root}: has no class folders; {EXPECTED_LAYOUTS}")
        _read_classes(top, "train", root, ds, listing, empty)
    ds.items = listing.images
    _structure_checks(ds, listing, loose, empty)
    return ds


def _read_classes(top: _DirScan, split: str, root: Path, ds: Dataset, listing: _Listing,
                  empty: list[str]) -> None:
    names = ds.classes.setdefault(split, [])
    for name, path in top.dirs:
        before = len(listing.images)
        _walk(Path(path), split, name, root, listing)
        if name not in names:
            names.append(name)
        if len(listing.images) == before:
            empty.append(display_name(path, root) + "/")
    names.sort()


def _structure_checks(ds: Dataset, listing: _Listing, loose: list[str], empty: list[str]) -> None:
    if loose:
        ds.checks.append(Check(
            "unlabeled-files", "error", "Images outside any class folder have no label", len(loose), loose,
            "Move each image into the folder of its class (ROOT/<class>/ or ROOT/train/<class>/).",
        ))
    if empty:
        ds.checks.append(Check(
            "empty-class", "error", "Class folders without any image", len(empty), empty,
            "Add images to these folders or delete them; torchvision's ImageFolder refuses empty classes.",
        ))
    if listing.unreadable:
        ds.checks.append(Check(
            "unreadable-folder", "error", "Folders or files that cannot be listed or read",
            len(listing.unreadable), listing.unreadable,
            "Fix the permissions (or broken links) so every file of the dataset can be read.",
        ))
    if listing.hidden:
        ds.checks.append(Check(
            "hidden-ignored", "info", "Hidden folders and files were ignored", len(listing.hidden),
            listing.hidden,
            "Nothing to do: they are skipped here and by the generated loader (torchvision would make "
            "a folder such as .ipynb_checkpoints a class).",
        ))
    if listing.other_files:
        ds.checks.append(Check(
            "non-image-files", "info", "Files that are not images were skipped", len(listing.other_files),
            listing.other_files,
            "Only .jpg .jpeg .png .bmp .gif .webp .tif .tiff .ppm .pgm files are read as images.",
        ))


@dataclass
class _DirScan:
    """One folder's direct children, sorted into sub-folders, images and other files."""

    dirs: list[tuple[str, str]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)


def _scan_dir(path: Path) -> _DirScan:
    result = _DirScan()
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except FileNotFoundError:
        raise DataError(f"{path}: no such folder; {EXPECTED_LAYOUTS}") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}); {EXPECTED_LAYOUTS}") from None
    for entry in entries:
        if is_hidden(entry.name):
            if entry.name.startswith(".") and (_is_dir(entry) or is_image_name(entry.name)):
                result.hidden.append(entry.path + ("/" if _is_dir(entry) else ""))
        elif _is_dir(entry):
            result.dirs.append((entry.name, entry.path))
        elif is_image_name(entry.name):
            result.images.append(entry.path)
        else:
            result.files.append(entry.path)
    return result


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walk(folder: Path, split: str, label: str, root: Path, listing: _Listing) -> None:
    """Every image below `folder` (recursively, like torchvision), labelled `label`."""
    labels = (label,)
    cut = len(os.path.join(str(root), ""))  # every path found below root starts with it
    posix = os.sep == "/"
    images = listing.images
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scanned:
                entries = sorted(scanned, key=_name)
        except OSError:
            listing.unreadable.append(display_name(current, root) + "/")
            continue
        subdirs = []
        for entry in entries:  # the hot loop of a rescan: a stat call and a few string operations per file
            name = entry.name
            if is_hidden(name):
                if name.startswith(".") and (_is_dir(entry) or is_image_name(name)):
                    listing.hidden.append(display_name(entry.path, root) + ("/" if _is_dir(entry) else ""))
                continue
            if _is_dir(entry):
                subdirs.append(entry.path)
                continue
            dot = name.rfind(".")
            if dot <= 0 or name[dot:].lower() not in IMAGE_EXTENSIONS:
                listing.other_files.append(display_name(entry.path, root))
                continue
            path = entry.path
            try:
                st = entry.stat()
                size, mtime = st.st_size, st.st_mtime_ns
            except OSError:
                size = mtime = 0
            shown = path[cut:] if posix else path[cut:].replace(os.sep, "/")
            images.append(Item(path, shown, split, labels, size, mtime))
        stack.extend(reversed(subdirs))


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name
