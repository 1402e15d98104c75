"""What the pixels show: channel mean/std, colour and ink share of a sample of training images (for the
image-domain suggestion and a scratch model's normalization statistics)."""

from __future__ import annotations

import os
import stat
import warnings
from dataclasses import dataclass
from typing import BinaryIO

SAMPLE = 256  # images decoded for the statistics: the mean and std of a few hundred images are stable
THUMB = 64  # decoded at most this large: statistics of a thumbnail are the image's, at a fraction of the cost
GRAY_SATURATION = 0.03  # mean HSV saturation below this: the images carry no colour (grey stored as RGB)
DARK, LIGHT = 32, 224  # luminance outside (DARK, LIGHT): ink or paper rather than a photo's mid-tones


@dataclass
class PixelStats:
    """Per-channel (R, G, B) mean and std on a 0–1 scale, and two shape-of-the-data figures."""

    images: int = 0
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    std: tuple[float, float, float] = (0.0, 0.0, 0.0)
    saturation: float = 0.0
    """Mean HSV saturation (0–1): near 0 for grayscale data, ~0.3 for everyday photos."""
    extreme_share: float = 0.0
    """Share of pixels that are near black or near white: high for text, digits and scanned pages."""

    @property
    def grayscale(self) -> bool:
        return self.saturation < GRAY_SATURATION


def sampled(paths: list[str], sample: int = SAMPLE) -> list[str]:
    """The `sample` paths pixel_stats reads: evenly spread over the sorted list."""
    chosen = sorted(paths)
    if len(chosen) > sample:
        step = len(chosen) / sample
        chosen = [chosen[int(i * step)] for i in range(sample)]
    return chosen


def pixel_stats(paths: list[str], sample: int = SAMPLE) -> PixelStats | None:
    """Statistics of up to `sample` of the images (evenly spread over the sorted list); None when none decode."""
    from PIL import Image, ImageStat

    chosen = sampled(paths, sample)
    count = pixels = 0
    sums, squares = [0.0] * 3, [0.0] * 3
    saturation = extreme = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in chosen:
            try:
                with _open_regular(path) as f, Image.open(f) as im:
                    if im.format == "JPEG":
                        im.draft("RGB", (THUMB, THUMB))
                    im.thumbnail((THUMB, THUMB))
                    rgb = im.convert("RGB")
            except Exception:  # noqa: BLE001, S112 - the file checks report unreadable images; skip them here
                continue
            n = rgb.width * rgb.height
            stat = ImageStat.Stat(rgb)
            for c in range(3):
                sums[c] += stat.sum[c]
                squares[c] += stat.sum2[c]
            saturation += ImageStat.Stat(rgb.convert("HSV").getchannel("S")).sum[0]
            histogram = rgb.convert("L").histogram()
            extreme += sum(histogram[:DARK]) + sum(histogram[LIGHT:])
            pixels += n
            count += 1
    if not count:
        return None
    mean = [s / pixels / 255 for s in sums]
    std = [max(0.0, q / pixels / 255**2 - m * m) ** 0.5 for q, m in zip(squares, mean)]
    return PixelStats(
        images=count,
        mean=tuple(round(m, 4) for m in mean),  # type: ignore[arg-type]
        std=tuple(round(s, 4) for s in std),  # type: ignore[arg-type]
        saturation=round(saturation / pixels / 255, 4),
        extreme_share=round(extreme / pixels, 4),
    )


def _open_regular(path: str) -> BinaryIO:
    """The file, opened without waiting should it have become a FIFO since the file checks, which saw a
    regular file; OSError for anything but a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"{path}: not a regular file")
    return os.fdopen(fd, "rb")
