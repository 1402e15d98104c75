"""Checks on the image files themselves: unreadable, corrupt or mis-named files, duplicates and leakage,
and the spread of sizes, modes and EXIF rotations."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from wizard.datacheck.dataset import EXTENSION_FORMATS, SPLIT_ORDER, Item, extension
from wizard.datacheck.report import Check, ImageSummary, finding, natural_key

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


def duplicate_checks(items: list[Item], results: dict[str, tuple[Any, ...]]) -> tuple[list[Check], list[str]]:
    """(findings, names of the leaked copies for `data.exclude`): exact duplicates (same bytes) within a split,
    duplicates with different labels, and copies across splits. A copy across splits is leakage, an error like
    a near copy across splits (near_duplicates): the copies outside the group's first split are recommended
    for `data.exclude`; copies within one split are a warning, as near copies there are."""
    first: dict[str, Item] = {}
    repeats: dict[str, list[Item]] = {}
    for item in items:
        digest, _, problem = results[item.path][:3]
        if not digest or problem == "empty":
            continue
        other = first.setdefault(digest, item)
        if other is not item:
            repeats.setdefault(digest, [other]).append(item)
    groups = [sorted(group, key=split_rank) for group in repeats.values()]
    checks: list[Check] = []
    if not groups:
        return checks, []
    within: list[list[Item]] = []
    leaks: list[tuple[Item, Item]] = []
    for group in groups:
        by_split: dict[str, list[Item]] = defaultdict(list)
        for item in group:
            by_split[item.split].append(item)
        within.extend(members for members in by_split.values() if len(members) > 1)
        kept = by_split[group[0].split]
        leaks.extend((item, kept[0]) for item in group if item.split != group[0].split)
    if within:
        extra = sum(len(g) - 1 for g in within)
        checks.append(finding(
            "duplicate-files", "warning", extra, [" = ".join(i.name for i in g[:3]) for g in within],
            share=f"{extra / max(1, len(items)):.1%}",
        ))
    conflicts = [g for g in groups if len({i.labels for i in g}) > 1]
    if conflicts:
        checks.append(finding(
            "duplicate-conflicting-labels", "error", len(conflicts),
            [" = ".join(f"{i.name} ({', '.join(i.labels) or 'no label'})" for i in g[:3]) for g in conflicts],
        ))
    if leaks:
        held_out = sum(1 for i in items if i.split != "train")
        checks.append(finding(
            "train-val-duplicates", "error", len(leaks), [f"{i.name} = {t.name}" for i, t in leaks],
            share=f"{len(leaks) / max(1, held_out):.1%}",
        ))
    # A manifest may list one file in two splits: leaving that path out would drop it from training too.
    kept_paths = {kept.path for _, kept in leaks}
    return checks, sorted({copy.name for copy, _ in leaks if copy.path not in kept_paths}, key=natural_key)


def split_rank(item: Item) -> tuple[int, list[str | int]]:
    """Sort key: train, val, test, then other splits; by name within one."""
    order = SPLIT_ORDER.index(item.split) if item.split in SPLIT_ORDER else len(SPLIT_ORDER)
    return order, natural_key(item.name)


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
