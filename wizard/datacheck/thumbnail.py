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

from bisect import bisect_left
from itertools import accumulate

from PIL import Image, ImageFilter, ImageStat

THUMB = 64
"""Longest side of the copy measured: statistics of a 64 px copy are the image's for brightness and colour,
and a 64 px copy is also where cleanvision judges blur; JPEGs decode straight to about this size."""
HASH_SIDE = 8  # 8×8 differences in each direction: 2 × 64 bits
# A 3×3 Laplacian; divided by 2 so that it saturates only on a full black-to-white step.
_LAPLACIAN = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=2, offset=128)
MEASURED_MODES = frozenset({"1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "YCbCr", "CMYK"})
"""Modes whose pixels are plain 8-bit intensities (16-bit and float images are left unmeasured)."""

# (dhash, luminance mean, luminance std, darkest 1 % and brightest 1 % of any colour channel, sharpness,
# colourfulness); levels on a 0–255 scale.
Looks = tuple[int, float, float, int, int, float, float]


def draft_mode(mode: str) -> str:
    """The mode a JPEG is asked to decode to: YCbCr skips the colour conversion, and Cb/Cr tell colour."""
    return "YCbCr" if mode in ("RGB", "YCbCr") else "L"


def measure(im: Image.Image) -> Looks | None:
    """The figures of a loaded image (None for modes they do not apply to)."""
    if im.mode not in MEASURED_MODES:
        return None
    small = im.copy() if max(im.size) <= THUMB else im
    small.thumbnail((THUMB, THUMB), Image.Resampling.BOX, reducing_gap=None)
    if small.mode in ("1", "L", "LA"):
        gray = small.convert("L")
        chroma, channels = None, [gray.histogram()]
    else:
        chroma = small if small.mode == "YCbCr" else small.convert("RGB").convert("YCbCr")
        gray = chroma.getchannel(0)
        histogram = chroma.convert("RGB").histogram()
        channels = [histogram[:256], histogram[256:512], histogram[512:]]
    stat = ImageStat.Stat(gray)
    mean, std = stat.mean[0], stat.stddev[0]
    # Per channel, not luminance: a saturated blue is bright, though its luminance is a dark 29.
    darkest = min(_percentile(levels, 0.01) for levels in channels)
    brightest = max(_percentile(levels, 0.99) for levels in channels)
    return (dhash(gray), round(mean, 2), round(std, 2), darkest, brightest, round(_sharpness(gray, std), 3),
            round(_colourfulness(chroma), 2))


def dhash(gray: Image.Image) -> int:
    """128-bit difference hash of a grayscale image: 64 bits comparing horizontal neighbours (the high half),
    then 64 comparing vertical ones. The second half makes chance matches between different images of one
    texture several times rarer than the horizontal half alone (calibration: neighbouring tiles of one photo)."""
    across = gray.resize((HASH_SIDE + 1, HASH_SIDE), Image.Resampling.BOX).tobytes()
    down = gray.resize((HASH_SIDE, HASH_SIDE + 1), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(0, len(across), HASH_SIDE + 1):
        for left, right in zip(across[row:row + HASH_SIDE], across[row + 1:row + HASH_SIDE + 1]):
            bits = bits << 1 | (left < right)
    for top, bottom in zip(down, down[HASH_SIDE:]):
        bits = bits << 1 | (top < bottom)
    return bits


def _percentile(histogram: list[int], share: float) -> int:
    """The lowest level at or below which `share` of the pixels lie."""
    running = list(accumulate(histogram))
    return min(bisect_left(running, share * running[-1]), len(histogram) - 1)


def _sharpness(gray: Image.Image, std: float) -> float:
    """Spread of the Laplacian per unit of contrast: how much of the image's contrast sits in fine detail.
    Dividing by the contrast keeps a dim or hazy but sharp photo from reading as blurred."""
    width, height = gray.size
    if width < 3 or height < 3 or std < 1:
        return 0.0
    edges = gray.filter(_LAPLACIAN).crop((1, 1, width - 1, height - 1))  # the filter copies the border pixels
    return 2 * ImageStat.Stat(edges).stddev[0] / std


def _colourfulness(ycbcr: Image.Image | None) -> float:
    """Root-mean-square distance of the chroma (Cb, Cr) from neutral grey: about 0 for grey pixels."""
    if ycbcr is None:
        return 0.0
    stat = ImageStat.Stat(ycbcr)
    return sum(stat.stddev[c] ** 2 + (stat.mean[c] - 128) ** 2 for c in (1, 2)) ** 0.5
