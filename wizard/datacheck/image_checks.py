"""Checks on the image files themselves: unreadable, corrupt or mis-named files, duplicates and leakage,
and the spread of sizes, modes and EXIF rotations."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from wizard.datacheck.dataset import EXTENSION_FORMATS, Item, extension
from wizard.datacheck.report import Check, ImageSummary, finding, natural_key

DUPLICATE_WARN_SHARE = 0.05
MIXED_MODE_SHARE = 0.05
ODD_SIZE_FACTOR = 16  # area this many times above or below the median


def file_checks(items: list[Item], results: dict[str, tuple[Any, ...]]) -> list[Check]:
    """Empty, unreadable, non-image, corrupt and mis-named files (each file counted once)."""
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.path, item)
    groups: dict[str, list[str]] = defaultdict(list)
    for path, item in seen.items():
        problem, fmt = results[path][2], results[path][1]
        if problem:
            kind, _, detail = problem.partition(": ")
            groups[kind].append(f"{item.name} ({detail})" if detail else item.name)
        elif fmt and EXTENSION_FORMATS.get(extension(path), fmt) != fmt:
            groups["mismatch"].append(f"{item.name} (a {fmt} file)")
    specs = {
        "empty": ("empty-file", "error"), "unreadable": ("unreadable-file", "error"),
        "not-image": ("not-an-image", "error"), "corrupt": ("corrupt-image", "error"),
        "too-large": ("image-too-large", "error"), "not-regular": ("not-regular-file", "error"),
        "mismatch": ("extension-mismatch", "warning"),
    }
    return [finding(check_id, severity, len(groups[kind]), groups[kind])  # type: ignore[arg-type]
            for kind, (check_id, severity) in specs.items() if groups.get(kind)]


def unusable_paths(items: list[Item], results: dict[str, tuple[Any, ...]], layout: str,
                   leaked: list[str] | tuple[str, ...] = ()) -> list[str]:
    """What training cannot use, as `data.exclude` entries: files that cannot be read as images,
    validation/test samples with a label the training split lacks (the whole class folder, for split
    folders, as a stray class usually is one folder), and the `leaked` near-duplicate copies (names)."""
    trained = {label for item in items if item.split == "train" for label in item.labels}
    folders: set[str] = set()
    files: set[str] = set(leaked)
    for item in items:
        if item.split != "train" and not trained.issuperset(item.labels):
            if layout == "imagefolder-splits":
                folders.add("/".join(item.name.split("/")[:2]) + "/")
            else:
                files.add(item.name)
        elif results[item.path][2]:
            files.add(item.name)
    inside = tuple(folders)
    return sorted([*folders, *(f for f in files if not f.startswith(inside))], key=natural_key)


def split_outside(paths: list[str]) -> tuple[list[str], list[str]]:
    """(paths inside the data folder, paths outside it): `data.exclude` can only name the first."""
    outside = [p for p in paths if p.startswith(("../", "/"))]
    left_out = set(outside)
    return [p for p in paths if p not in left_out], outside


def duplicate_checks(items: list[Item], results: dict[str, tuple[Any, ...]]) -> list[Check]:
    """Exact duplicates (same bytes), duplicates with different labels, and train/val leakage."""
    first: dict[str, Item] = {}
    repeats: dict[str, list[Item]] = {}
    for item in items:
        digest, _, problem = results[item.path][:3]
        if not digest or problem == "empty":
            continue
        other = first.setdefault(digest, item)
        if other is not item:
            repeats.setdefault(digest, [other]).append(item)
    groups = [sorted(group, key=lambda i: (i.split, i.name)) for group in repeats.values()]
    checks: list[Check] = []
    if not groups:
        return checks
    extra = sum(len(g) - 1 for g in groups)
    share = extra / max(1, len(items))
    checks.append(finding(
        "duplicate-files", "warning" if share > DUPLICATE_WARN_SHARE else "info", extra,
        [" = ".join(i.name for i in g[:3]) for g in groups], share=f"{share:.1%}",
    ))
    conflicts = [g for g in groups if len({i.labels for i in g}) > 1]
    if conflicts:
        checks.append(finding(
            "duplicate-conflicting-labels", "error", len(conflicts),
            [" = ".join(f"{i.name} ({', '.join(i.labels) or 'no label'})" for i in g[:3]) for g in conflicts],
        ))
    leaks = [(i, next(t for t in g if t.split == "train")) for g in groups
             if any(t.split == "train" for t in g) for i in g if i.split != "train"]
    if leaks:
        held_out = sum(1 for i in items if i.split != "train")
        checks.append(finding(
            "train-val-duplicates", "warning", len(leaks), [f"{i.name} = {t.name}" for i, t in leaks],
            share=f"{len(leaks) / max(1, held_out):.1%}",
        ))
    return checks


def geometry(items: list[Item], results: dict[str, tuple[Any, ...]]) -> tuple[ImageSummary | None,
                                                                              list[Check]]:
    """Size and mode spread, odd sizes and EXIF rotation of the images that decode."""
    readable = {}
    for item in items:
        result = results[item.path]
        if not result[2] and item.path not in readable:
            readable[item.path] = (item, result)
    if not readable:
        return None, []
    sizes = sorted((r[3], r[4]) for _, r in readable.values())
    areas = sorted(w * h for w, h in sizes)
    modes = Counter(r[5] for _, r in readable.values())
    summary = ImageSummary(
        count=len(readable),
        min_size=min(sizes, key=lambda s: (s[0] * s[1], s)),
        median_size=sorted(sizes, key=lambda s: (s[0] * s[1], s))[len(sizes) // 2],
        max_size=max(sizes, key=lambda s: (s[0] * s[1], s)),
        modes=dict(sorted(modes.items())),
        formats=dict(sorted(Counter(r[1] for _, r in readable.values()).items())),
        exif_rotated=sum(1 for _, r in readable.values() if r[6] not in (0, 1)),
    )
    checks: list[Check] = []
    median_area = areas[len(areas) // 2] or 1
    odd = [f"{i.name} ({r[3]}x{r[4]})" for i, r in readable.values()
           if r[3] * r[4] > median_area * ODD_SIZE_FACTOR or r[3] * r[4] * ODD_SIZE_FACTOR < median_area]
    if odd:
        mw, mh = summary.median_size
        checks.append(finding("odd-image-size", "warning", len(odd), odd, size=f"{mw}x{mh}"))
    main_mode = modes.most_common(1)[0][0]
    others = [f"{i.name} ({r[5]})" for i, r in readable.values() if r[5] != main_mode]
    if others and len(others) / len(readable) > MIXED_MODE_SHARE:
        checks.append(finding("mixed-modes", "warning", len(others), others, mode=main_mode))
    rotated = [f"{i.name} (orientation {r[6]})" for i, r in readable.values() if r[6] not in (0, 1)]
    if rotated:
        checks.append(finding("exif-rotation", "warning", len(rotated), rotated))
    return summary, checks
