"""Near duplicates: images whose difference hashes (thumbnail.dhash) lie within a small Hamming distance,
found through a multi-index of hash bands instead of comparing every pair, and reported as groups; a group
that spans splits is leakage, and its copies outside the first split are recommended for `data.exclude`."""

from __future__ import annotations

import operator
import random
from collections import defaultdict
from typing import Any

from wizard.datacheck.dataset import Item
from wizard.datacheck.image_checks import split_rank
from wizard.datacheck.report import Check, finding, natural_key

NEAR_RADIUS = 20
"""Bits of the 128-bit hash two near duplicates may differ in. Calibrated on 200 crops (256 px) of
scikit-learn's sample photos (scripts/calibrate_datacheck.py): copies re-encoded at JPEG quality 30, resized by
-4/+6 px or saved as PNG all matched; copies cropped by 3 % a side matched 94 %, by 5 % 61 %. Among
non-overlapping tiles of one photo (different images that look alike), 9 of 13,695 pairs of 48 px tiles
blown up to 256 px (smooth, nearly textureless) matched, and none of 7,297 pairs of larger tiles."""
SPREAD_SAMPLE = 128
"""Images whose nearest neighbour in the set is looked up to learn how far apart its distinct images lie."""
SPREAD_QUANTILE = 0.75
"""The nearest-neighbour distance of a typical image: a high quantile, so that a set full of real copies
(whose nearest neighbours are copies) still shows how far its distinct images lie."""
SPREAD_MARGIN = 10
"""A near copy lies at least this many bits closer to its original than a typical image to its nearest
neighbour. Photos: typical nearest neighbours 38-46 bits apart (400 overlapping crops of the calibration photos;
a planted set of 49), so the radius stays NEAR_RADIUS. scikit-learn's digits (8x8 drawings scaled up, 1,797
images): 13 bits, so the radius falls to 3 and different drawings of one digit (6-20 bits apart) stop chaining
into one group of 1,783 images; at half the typical distance (6) they still made 82 groups."""
MIN_RADIUS = 2  # re-encoding alone moves a small image's hash by a bit or two
COLOUR_TOLERANCE = 7
"""Mean difference (0-255 levels) of the 4×4 grids of Y, Cb and Cr averages two near duplicates may have.
The hash sees only where brightness rises and falls, so one drawing in other colours matches it; the colours
must match too. scripts/calibrate_datacheck.py (200 crops of the sample photos): re-encoded, resized and PNG
copies differ by at most 1.6 levels, copies cropped by 3 % a side by at most 6.9 (their match rate stays 94 %),
the same crops with their hues turned a third of the way round by 17.6 (median). 2,402 generated drawings of
shapes on random colours (96 px): 303 different validation images were 'near copies' of training ones without
this bound, 4 with it."""
MIN_SPREAD_SET = 20  # fewer distinct images than this say little about their spread: the radius stays
HALF_BITS = 64
LAYOUT = 7  # position of the colour layout in thumbnail.Looks
GUARANTEED_ACROSS = 7
"""Pairs found for certain: those whose horizontal halves differ in at most this many bits (see BANDS)."""
BANDS = (16, 16, 16, 16)
"""The hash's horizontal half cut into 4 bands of 16 bits, each looked up with its one-bit neighbours: two
hashes whose halves differ in at most GUARANTEED_ACROSS (7) bits share a band up to one bit (4 bands × 2 bits
> 7), and most pairs further apart there do too (on 3,000 overlapping crops of the calibration photos, 98.6 %
of the pairs within 9 bits there and NEAR_RADIUS in all). 65,536 keys a band keep the false candidates few:
5 bands of 13 bits, which guarantee 9 bits, checked twice as many candidates, the slow part in Python."""


def _band_layout() -> list[tuple[int, int, tuple[int, ...]]]:
    """(shift, width, the XOR masks of the key itself and of its one-bit neighbours) of each band."""
    layout, shift = [], HALF_BITS
    for width in BANDS:
        shift -= width
        layout.append((shift, width, (0, *(1 << bit for bit in range(width)))))
    return layout


_BAND_LAYOUT = _band_layout()


def set_radius(unique: list[int]) -> int:
    """NEAR_RADIUS, tightened for a set whose distinct images lie close together under the hash (small or
    simple images: digits, icons), where a fixed radius would call different images copies."""
    if len(unique) < MIN_SPREAD_SET:
        return NEAR_RADIUS
    sample = random.Random(0).sample(unique, min(SPREAD_SAMPLE, len(unique)))
    nearest = sorted(min((a ^ b).bit_count() for b in unique if b != a) for a in sample)
    typical = nearest[int(SPREAD_QUANTILE * (len(nearest) - 1))]
    return max(MIN_RADIUS, min(NEAR_RADIUS, typical - SPREAD_MARGIN))


def near_groups(hashes: dict[str, int], radius: int = NEAR_RADIUS,
                layouts: dict[str, str] | None = None) -> list[list[str]]:
    """Groups (of the keys) of hashes within `radius` bits of one another whose colour layouts (hex, from
    thumbnail.measure) match too, linked transitively; each group has two keys or more."""
    keys = list(hashes)
    colours = [bytes.fromhex(layouts[key]) for key in keys] if layouts is not None else None
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    values = [hashes[key] for key in keys]
    index: list[dict[int, list[int]]] = [{} for _ in BANDS]  # band value -> the keys holding it
    for i, value in enumerate(values):
        across = value >> HALF_BITS
        for band, (shift, width, flips) in zip(index, _BAND_LAYOUT):
            key = (across >> shift) & ((1 << width) - 1)
            for probe in filter(band.__contains__, map(key.__xor__, flips)):  # the key and its 1-bit neighbours
                for other in band[probe]:
                    if root(i) != root(other) and (values[other] ^ value).bit_count() <= radius and (
                            colours is None or same_colours(colours[i], colours[other])):
                        parent[root(i)] = root(other)
            band.setdefault(key, []).append(i)
    groups: dict[int, list[str]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[root(i)].append(key)
    return [group for group in groups.values() if len(group) > 1]


def same_colours(a: bytes, b: bytes) -> bool:
    """Whether two colour layouts are one image's: the mean difference of their grid's levels is small."""
    return sum(map(abs, map(operator.sub, a, b))) <= COLOUR_TOLERANCE * len(a)


def near_duplicate_checks(items: list[Item], results: dict[str, tuple[Any, ...]],
                          skip: set[str]) -> tuple[list[Check], list[str]]:
    """(findings, names of the leaked copies for `data.exclude`). Images in `skip` (near-constant ones, whose
    hashes are noise) are left out; files with the same bytes are the exact-duplicate check's."""
    hashes: dict[str, int] = {}
    layouts: dict[str, str] = {}
    members: dict[str, list[Item]] = defaultdict(list)
    seen: set[str] = set()
    for item in items:
        digest, _, problem, *_, looks = results[item.path]
        if problem or not looks or item.path in skip or item.path in seen:  # a manifest may list a file twice
            continue
        seen.add(item.path)
        hashes.setdefault(digest, looks[0])
        layouts.setdefault(digest, looks[LAYOUT])
        members[digest].append(item)
    leaked: list[tuple[Item, Item]] = []
    within: list[list[Item]] = []
    radius = set_radius(list(set(hashes.values())))
    for group in near_groups(hashes, radius, layouts):
        group_items = sorted((i for digest in group for i in members[digest]), key=split_rank)
        kept_split = group_items[0].split
        kept = [i for i in group_items if i.split == kept_split]
        kept_digests = {results[i.path][0] for i in kept}
        copies = [i for i in group_items if i.split != kept_split and results[i.path][0] not in kept_digests]
        leaked.extend((copy, _twin(copy, kept, results)) for copy in copies)
        if len(kept_digests) > 1:
            within.append(kept)
    checks: list[Check] = []
    if leaked:
        held_out = sum(1 for i in items if i.split != "train")
        checks.append(finding(
            "near-duplicate-leakage", "error", len(leaked), [f"{c.name} ≈ {t.name}" for c, t in leaked],
            share=f"{len(leaked) / max(1, held_out):.1%}", radius=radius,
        ))
    if within:
        extra = sum(len({results[i.path][0] for i in g}) - 1 for g in within)
        checks.append(finding(
            "near-duplicate-files", "warning", extra, [" ≈ ".join(i.name for i in g[:3]) for g in within],
            groups=len(within), radius=radius,
        ))
    return checks, sorted({copy.name for copy, _ in leaked}, key=natural_key)


def _twin(copy: Item, kept: list[Item], results: dict[str, tuple[Any, ...]]) -> Item:
    """The kept image nearest to a copy (what the example names)."""
    value = results[copy.path][7][0]
    return min(kept, key=lambda i: (results[i.path][7][0] ^ value).bit_count())
