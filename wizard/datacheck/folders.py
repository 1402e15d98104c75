"""ImageFolder layouts: class folders at the root, or inside train/val/test split folders."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import attrgetter
from pathlib import Path

from wizard.datacheck.cache import FolderListings
from wizard.datacheck.dataset import (
    IGNORED_NAMES,
    SPLIT_ALIASES,
    Dataset,
    Item,
    display_name,
    is_hidden,
    is_image_name,
)
from wizard.datacheck.label_values import control_check, kind_of, type_checks
from wizard.datacheck.report import finding
from wizard.datacheck.texts import data_error, text
from wizard.vocabulary import IMAGE_CLASSIFICATION


def expected_layouts() -> str:
    """The layouts a dataset may have, in words (appended to the errors about a folder)."""
    return text("en", "errors", "expected-layouts")
_BY_NAME = attrgetter("name")


@dataclass
class _Listing:
    """Files and folders found while walking, with what was skipped."""

    images: list[Item] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    looped: list[str] = field(default_factory=list)
    """Folders reached again through a link (a loop, or a second path to a folder), not walked twice."""
    outside_links: list[str] = field(default_factory=list)
    """Links below a class folder to folders outside the dataset, not followed."""
    walked: set[tuple[int, int]] = field(default_factory=set)
    """(st_dev, st_ino) of every folder walked or about to be, so that each is walked once."""


def looks_like_imagefolder(root: Path) -> bool:
    """True when the folder has at least one visible sub-folder (a class or a split)."""
    try:
        return any(e.is_dir() and not is_hidden(e.name) for e in os.scandir(root))
    except OSError:
        return False


def read_imagefolder(root: Path, listings: FolderListings | None = None) -> Dataset:
    """Read an ImageFolder tree; raises DataError when the folder has no class folders at all. `listings`
    caches the class folders' listings between scans."""
    top = _scan_dir(root)
    dirs = {name: path for name, path in top.dirs}
    split_dirs = {name: SPLIT_ALIASES[name.lower()] for name in dirs if name.lower() in SPLIT_ALIASES}
    has_splits = "train" in split_dirs.values() or len(split_dirs) >= 2
    listing = _Listing()
    _mark_walked(listing, [str(root), *(dirs[name] for name in split_dirs)])
    listing.hidden.extend(display_name(p, root) for p in top.hidden)
    ds = Dataset(root=root, layout="imagefolder-splits" if has_splits else "imagefolder",
                 task=IMAGE_CLASSIFICATION, label_format="class folders")
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
            _read_classes(split_top, split, root, ds, listing, empty, listings)
        if stray:
            ds.checks.append(finding("stray-folders", "warning", len(stray), [s + "/" for s in stray]))
    else:
        if not top.dirs:
            raise data_error("no-class-folders", path=str(root), expected=expected_layouts())
        _read_classes(top, "train", root, ds, listing, empty, listings)
    ds.items = listing.images
    _structure_checks(ds, listing, loose, empty)
    _class_name_checks(ds)
    return ds


def _class_name_checks(ds: Dataset) -> None:
    """Class folder names are labels too: control characters (Linux allows a line break in a name), numbers
    mixed with text, and one number written as two folders (1/ and 01/)."""
    names = {name for split_names in ds.classes.values() for name in split_names}
    ds.checks.extend(type_checks({name: {kind_of(name)} for name in names}, None))
    found = control_check(("", f"{name}/") for name in sorted(names))
    if found:
        ds.checks.append(found)


def _read_classes(top: _DirScan, split: str, root: Path, ds: Dataset, listing: _Listing,
                  empty: list[str], listings: FolderListings | None) -> None:
    names = ds.classes.setdefault(split, [])
    _mark_walked(listing, [path for _, path in top.dirs])
    for name, path in top.dirs:
        before = len(listing.images)
        _walk(Path(path), split, name, root, listing, listings)
        if name not in names:
            names.append(name)
        if len(listing.images) == before:
            empty.append(display_name(path, root) + "/")
    names.sort()


def _structure_checks(ds: Dataset, listing: _Listing, loose: list[str], empty: list[str]) -> None:
    if loose:
        ds.checks.append(finding("unlabeled-files", "error", len(loose), loose))
    if empty:
        ds.checks.append(finding("empty-class", "error", len(empty), empty))
    if listing.unreadable:
        ds.checks.append(finding("unreadable-folder", "error", len(listing.unreadable), listing.unreadable))
    if listing.looped:
        ds.checks.append(finding("folder-loop", "warning", len(listing.looped), listing.looped))
    if listing.outside_links:
        ds.checks.append(finding("folder-link-outside", "warning", len(listing.outside_links),
                                 listing.outside_links))
    if listing.hidden:
        ds.checks.append(finding("hidden-ignored", "info", len(listing.hidden), listing.hidden))
    if listing.other_files:
        ds.checks.append(finding("non-image-files", "info", len(listing.other_files), listing.other_files))


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
        raise data_error("no-such-folder", path=str(path), expected=expected_layouts()) from None
    except OSError as exc:
        raise data_error("folder-unreadable", path=str(path), reason=exc.strerror,
                         expected=expected_layouts()) from None
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


def _walk(folder: Path, split: str, label: str, root: Path, listing: _Listing,
          listings: FolderListings | None) -> None:
    """Every image below `folder` (recursively, like torchvision), labelled `label`."""
    labels = (label,)
    cut = len(os.path.join(str(root), ""))  # every path found below root starts with it
    posix = os.sep == "/"
    images = listing.images
    stack = [str(folder)]
    first = True
    # A link may lead anywhere inside the dataset or the class folder (which may itself be a link to another
    # disk); one leading elsewhere could make the walk cover a whole disk, so it is reported, not followed.
    inside = (os.path.join(os.path.realpath(root), ""), os.path.join(os.path.realpath(folder), ""))
    while stack:
        current = stack.pop()
        try:
            st = os.stat(current)
        except OSError:
            listing.unreadable.append(display_name(current, root) + "/")
            continue
        identity = (st.st_dev, st.st_ino)
        if first:  # the class folder itself, marked with all the others before the first walk
            first = False
        elif identity in listing.walked:
            listing.looped.append(display_name(current, root) + "/")
            continue
        elif os.path.islink(current) and not os.path.join(os.path.realpath(current), "").startswith(inside):
            listing.outside_links.append(display_name(current, root) + "/")
            continue
        listing.walked.add(identity)
        found = _list_folder(current, st.st_mtime_ns, root, listings)
        if found is None:
            listing.unreadable.append(display_name(current, root) + "/")
            continue
        subdirs, names, hidden, others = found
        listing.hidden.extend(hidden)
        listing.other_files.extend(others)
        prefix = os.path.join(current, "")
        paths = list(map(prefix.__add__, names))
        # A rescan's cost is mostly here: one stat call per file, so the loop over files stays in C.
        stats = _stats(paths)
        shown = [p[cut:] for p in paths] if posix else [p[cut:].replace(os.sep, "/") for p in paths]
        images.extend(map(_new_item, zip(paths, shown, repeat(split), repeat(labels),
                                          map(_SIZE, stats), map(_MTIME, stats))))
        stack.extend(prefix + name for name in reversed(subdirs))


def _mark_walked(listing: _Listing, folders: list[str]) -> None:
    for folder in folders:
        try:
            st = os.stat(folder)
        except OSError:
            continue
        listing.walked.add((st.st_dev, st.st_ino))


def _list_folder(folder: str, mtime_ns: int, root: Path, listings: FolderListings | None) -> list[list[str]] | None:
    """[sub-folder names, image names, hidden entries shown, other files shown], sorted by name; None when
    the folder cannot be listed. Reused from the cache while the folder is unchanged."""
    key = display_name(folder, root)
    if listings is not None:
        cached = listings.get(key, mtime_ns)
        if cached is not None:
            return cached
    listed_at_ns = time.time_ns()
    try:
        with os.scandir(folder) as scanned:
            entries = sorted(scanned, key=_BY_NAME)
    except OSError:
        return None
    subdirs: list[str] = []
    names: list[str] = []
    hidden: list[str] = []
    others: list[str] = []
    for entry in entries:
        name = entry.name
        if name[0] == "." or name in IGNORED_NAMES:
            if name[0] == "." and (_is_dir(entry) or is_image_name(name)):
                hidden.append(display_name(entry.path, root) + ("/" if _is_dir(entry) else ""))
        elif _is_dir(entry):
            subdirs.append(name)
        elif is_image_name(name):
            names.append(name)
        else:
            others.append(display_name(entry.path, root))
    found = [subdirs, names, hidden, others]
    if listings is not None:
        listings.put(key, mtime_ns, listed_at_ns, found)
    return found


def _stats(paths: list[str]) -> list[os.stat_result | _NoStat]:
    try:
        return list(map(os.stat, paths))
    except OSError:  # a broken link or a file removed meanwhile: the inspection reports it as unreadable
        return [_stat_or_none(p) for p in paths]


class _NoStat:
    st_size = 0
    st_mtime_ns = 0


def _stat_or_none(path: str) -> os.stat_result | _NoStat:
    try:
        return os.stat(path)
    except OSError:
        return _NoStat()


_SIZE = attrgetter("st_size")
_MTIME = attrgetter("st_mtime_ns")


_new_item = partial(tuple.__new__, Item)  # Item._make without its Python-level call


