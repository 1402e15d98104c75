"""Image quality from the thumbnail figures the scan measured (thumbnail.measure): too dark, too bright,
near-constant, blurry, an odd aspect ratio, and grey images among colour ones (or the reverse).

The thresholds were calibrated on 150 crops (256 px) of scikit-learn's sample photos and altered copies of
them; scripts/calibrate_datacheck.py prints the figures and the share each threshold flags. Levels are on a
0–255 scale of the ≤64 px copy (thumbnail.measure).
"""

from __future__ import annotations

import math
import statistics
from typing import Any

from wizard.datacheck.dataset import Item
from wizard.datacheck.report import Check, finding

DARK_LEVEL = 65
"""Too dark: no region of the image (an 8×8 grid) is brighter than this in any colour channel (channels, not
luminance: a vivid blue is not dark). The clean crops' brightest region was 139 or more; dimmed to 25 % every
crop stayed at 64 or below, dimmed to 40 % 1 in 75 did: a dim photo with any light in it passes."""
BRIGHT_LEVEL = 185
"""Washed out: no region is darker than this in any colour channel. Blended 80 % with white, every crop was
above 202; of the clean crops, 1 in 150 (bare sky) was flagged."""
LOW_INFORMATION_STD = 3.0
"""Near-constant: the brightness varies by less than this (standard deviation). The clean crops started at
4.5 (bare sky) with a median of 57; dimmed to 25 % their median was 14, so a dark but detailed photo is dark,
not near-constant; a flat colour measures 0."""
BLURRY_SHARE = 0.35
"""Blurry: sharpness (the Laplacian's spread per unit of contrast) below this share of the set's median. The
clean crops stayed at 0.49 of their median or more; a Gaussian blur of radius 5 brought 99 % of them below
this share, radius 3 63 %."""
MAX_FLAGGED_SHARE = 0.5
"""A quality finding names a minority: when most images are dark, flat or washed out, that is what the data
looks like (night scenes, solid-colour swatches, scanned pages), not a problem with some of them."""
MIN_IMAGES_TO_COMPARE = 10
"""The blur and aspect checks compare each image with the set's median, which needs this many images."""
ODD_ASPECT_FACTOR = 2.0
"""An odd aspect ratio: width/height more than this factor away from the set's median (a square set's 2:1
images; a panorama set's squares)."""
GRAY_COLOURFULNESS = 2
"""No colour: no region's chroma (Cb, Cr) is further than this from grey. Grey pixels stored as RGB measure 0;
the clean colour crops 8 or more."""

MEAN, STD, DARKEST, BRIGHTEST, SHARPNESS, COLOURFULNESS = 1, 2, 3, 4, 5, 6  # positions in thumbnail.Looks


def quality_checks(items: list[Item], results: dict[str, tuple[Any, ...]]) -> tuple[list[Check], set[str]]:
    """(findings, paths of the near-constant images: their hashes say nothing about duplicates)."""
    measured: dict[str, tuple[Item, tuple[Any, ...]]] = {}
    for item in items:
        result = results[item.path]
        if not result[2] and result[7] and item.path not in measured:
            measured[item.path] = (item, result)
    if not measured:
        return [], set()

    def names(test: Any) -> list[str]:
        return [item.name for item, result in measured.values() if test(result[7], result)]

    def flat(looks: Any) -> bool:
        return looks[STD] < LOW_INFORMATION_STD

    def dark(looks: Any) -> bool:
        return looks[BRIGHTEST] < DARK_LEVEL and not flat(looks)

    def bright(looks: Any) -> bool:
        return looks[DARKEST] > BRIGHT_LEVEL and not flat(looks)

    checks: list[Check] = []
    minority = MAX_FLAGGED_SHARE * len(measured)
    _add(checks, "low-information-images", names(lambda looks, _: flat(looks)), minority, std=LOW_INFORMATION_STD)
    _add(checks, "dark-images", names(lambda looks, _: dark(looks)), minority, level=f"{DARK_LEVEL / 255:.0%}")
    _add(checks, "bright-images", names(lambda looks, _: bright(looks)), minority,
         level=f"{BRIGHT_LEVEL / 255:.0%}")
    if len(measured) >= MIN_IMAGES_TO_COMPARE:
        textured = [r[7][SHARPNESS] for _, r in measured.values() if not flat(r[7])]
        limit = BLURRY_SHARE * statistics.median(textured) if textured else 0.0
        _add(checks, "blurry-images", names(lambda looks, _: not flat(looks) and looks[SHARPNESS] < limit),
             minority, share=f"{BLURRY_SHARE:.0%}")
        median = statistics.median(math.log(r[3] / r[4]) for _, r in measured.values())
        odd = [f"{item.name} ({r[3]}x{r[4]})" for item, r in measured.values()
               if abs(math.log(r[3] / r[4]) - median) > math.log(ODD_ASPECT_FACTOR)]
        _add(checks, "odd-aspect-ratio", odd, minority, ratio=_ratio(math.exp(median)),
             factor=f"{ODD_ASPECT_FACTOR:g}")
    checks.extend(_colour_checks(measured, lambda looks: dark(looks) or flat(looks)))
    return checks, {path for path, (_, r) in measured.items() if flat(r[7])}


def _colour_checks(measured: dict[str, tuple[Item, tuple[Any, ...]]], unclear: Any) -> list[Check]:
    """The minority of grey images in a colour set, or of colour images in a grey set (dark or flat images,
    whose colour cannot be told, are left out)."""
    grey, colour = [], []
    for item, result in measured.values():
        looks = result[7]
        if not unclear(looks):
            (grey if looks[COLOURFULNESS] < GRAY_COLOURFULNESS else colour).append(item.name)
    checks: list[Check] = []
    if colour and len(grey) < len(colour):
        _add(checks, "grey-among-colour", grey, len(grey))
    elif grey and len(colour) < len(grey):
        _add(checks, "colour-among-grey", colour, len(colour))
    return checks


def _add(checks: list[Check], check_id: str, examples: list[str], most: float, **params: Any) -> None:
    """The finding, when some images and at most `most` have it."""
    if examples and len(examples) <= most:
        checks.append(finding(check_id, "warning", len(examples), examples, **params))


def _ratio(aspect: float) -> str:
    """An aspect ratio as width:height, e.g. 1:1, 1.3:1 or 1:2.5."""
    return f"{aspect:.2g}:1" if aspect >= 1 else f"1:{1 / aspect:.2g}"
