"""What one image's small decoded copy shows: a difference hash for near duplicates, and the brightness,
contrast, sharpness and colour figures the quality checks compare.

The hash is a dHash (Krawetz): the grayscale copy boxed down to 9×8 pixels, one bit per pair of horizontal
neighbours (is the left one darker?), and the same down the columns. It was chosen over pHash because it
needs nothing but Pillow (a pHash needs a DCT, which without numpy, not a dependency, costs about a
millisecond of Python per image), and because on the calibration set (scripts/calibrate_datacheck.py) it
keeps re-encoded, resized and PNG copies within a few bits of their original, lightly cropped ones within
about 20 of 128, while different images stay further apart.

Imported only where images are decoded (imagefile), like Pillow itself.
"""

from __future__ import annotations

import operator

from PIL import Image, ImageFilter

THUMB = 64
"""Longest side of the copy measured: statistics of a 64 px copy are the image's for brightness and colour,
and a 64 px copy is also where cleanvision judges blur; JPEGs decode straight to about this size."""
HASH_SIDE = 8  # 8×8 differences in each direction: 2 × 64 bits
REGIONS = 8  # the brightness and colour extremes are those of an 8×8 grid of region averages
# A 3×3 Laplacian; divided by 2 so that it saturates only on a full black-to-white step.
_LAPLACIAN = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=2, offset=128)
_LEVELS = range(256)
_SQUARES = [level * level for level in _LEVELS]
_BIT_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
MEASURED_MODES = frozenset({"1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "YCbCr", "CMYK"})
"""Modes whose pixels are plain 8-bit intensities (16-bit and float images are left unmeasured)."""

COLOUR_GRID = 4  # the colour layout near duplicates must share: a 4×4 grid of region averages
# (dhash, luminance mean, luminance std, darkest and brightest region in any colour channel, sharpness,
# colourfulness: the chroma's largest distance from grey in any region, colour layout: the 4×4 grid's Y, Cb, Cr
# averages as hex); levels on a 0–255 scale.
Looks = tuple[int, float, float, int, int, float, int, str]


def draft_mode(mode: str) -> str:
    """The mode a JPEG is asked to decode to: YCbCr skips the colour conversion, and Cb/Cr tell colour."""
    return "YCbCr" if mode in ("RGB", "YCbCr") else "L"


def measure(im: Image.Image) -> Looks | None:
    """The figures of a loaded image, which it shrinks to the thumbnail (None for modes they do not apply to)."""
    if im.mode not in MEASURED_MODES:
        return None
    small = im
    if max(im.size) > THUMB:  # in place: the caller is done with the full image
        small.thumbnail((THUMB, THUMB), Image.Resampling.BOX, reducing_gap=None)
    grey = small.mode in ("1", "L", "LA")
    ycbcr = small.convert("L" if grey else "RGB").convert("YCbCr") if small.mode != "YCbCr" else small
    gray = ycbcr.getchannel(0)
    mean, variance = _moments(gray.histogram())
    std = variance**0.5
    # The extremes of an 8×8 grid of region averages: a few stray pixels do not make an image bright; and per
    # colour channel, not luminance, as a saturated blue is bright though its luminance is a dark 29.
    regions = ycbcr.resize((REGIONS, REGIONS), Image.Resampling.BOX)
    channels = regions.convert("RGB").getextrema()
    darkest = min(low for low, _ in channels)
    brightest = max(high for _, high in channels)
    colourfulness = 0 if grey else max(abs(level - 128) for band in regions.getextrema()[1:] for level in band)
    layout = regions.resize((COLOUR_GRID, COLOUR_GRID), Image.Resampling.BOX).tobytes().hex()
    return (dhash(gray), round(mean, 2), round(std, 2), darkest, brightest, round(_sharpness(gray, std), 3),
            colourfulness, layout)


def dhash(gray: Image.Image) -> int:
    """128-bit difference hash of a grayscale image: 64 bits comparing horizontal neighbours in a 9×8 copy (the
    high half), then 64 comparing vertical ones in an 8×9 copy. The second half makes chance matches between
    different images of one texture several times rarer than the horizontal half alone (calibration:
    neighbouring tiles of one photo)."""
    side = HASH_SIDE
    across = gray.resize((side + 1, side), Image.Resampling.BOX).tobytes()
    down = gray.resize((side, side + 1), Image.Resampling.BOX).tobytes()
    lefts = b"".join(across[start:start + side] for start in range(0, len(across), side + 1))
    rights = b"".join(across[start + 1:start + side + 1] for start in range(0, len(across), side + 1))
    return int(bytes(map(operator.lt, lefts + down[:-side], rights + down[side:])).translate(_BIT_DIGITS), 2)


def _moments(histogram: list[int]) -> tuple[float, float]:
    """(mean, variance) of the levels a histogram counts."""
    count = sum(histogram) or 1
    mean = sum(map(operator.mul, histogram, _LEVELS)) / count
    return mean, max(0.0, sum(map(operator.mul, histogram, _SQUARES)) / count - mean * mean)


def _sharpness(gray: Image.Image, std: float) -> float:
    """Spread of the Laplacian per unit of contrast: how much of the image's contrast sits in fine detail.
    Dividing by the contrast keeps a dim or hazy but sharp photo from reading as blurred."""
    width, height = gray.size
    if width < 3 or height < 3 or std < 1:
        return 0.0
    edges = gray.filter(_LAPLACIAN).crop((1, 1, width - 1, height - 1))  # the filter copies the border pixels
    return 2 * _moments(edges.histogram())[1] ** 0.5 / std
