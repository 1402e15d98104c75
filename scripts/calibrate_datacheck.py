"""Prints the figures the near-duplicate radius and the image-quality thresholds were chosen from.

Crops of scikit-learn's two sample photos (256 px JPEGs) are compared with their altered copies (re-encoded,
resized, cropped, saved as PNG) and with non-overlapping tiles of the same photo (different images that look
alike); then the quality figures of clean, dimmed, brightened, blurred, grey and flat images are listed.

    python scripts/calibrate_datacheck.py        # needs scikit-learn (the test extra)
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

from PIL import Image, ImageEnhance, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wizard.datacheck import imagefile
from wizard.datacheck import quality_checks as q
from wizard.datacheck.near_duplicates import COLOUR_TOLERANCE, LAYOUT, NEAR_RADIUS, near_groups

SIDE = 256
FIGURES = ("mean", "std", "darkest region", "brightest region", "sharpness", "colourfulness")


def encoded(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def looks(image: Image.Image, fmt: str = "JPEG", **options: object) -> tuple:
    if fmt == "JPEG":
        options = {"quality": 90, **options}
    return imagefile.inspect_bytes(encoded(image, fmt, **options))[7]


def matched(a: tuple, b: tuple) -> bool:
    """Whether the scan pairs the two figures (hash radius through the band lookup, and colour layout)."""
    return bool(near_groups({"a": a[0], "b": b[0]}, layouts={"a": a[LAYOUT], "b": b[LAYOUT]}))


def colour_difference(a: tuple, b: tuple) -> float:
    """Mean level difference of the two colour layouts (what COLOUR_TOLERANCE bounds)."""
    x, y = bytes.fromhex(a[LAYOUT]), bytes.fromhex(b[LAYOUT])
    return sum(abs(i - j) for i, j in zip(x, y)) / len(x)


def recoloured(image: Image.Image) -> Image.Image:
    """The same photo with its hues turned a third of the way round: another image, one layout."""
    h, s, v = image.convert("HSV").split()
    return Image.merge("HSV", (h.point(lambda level: (level + 85) % 256), s, v)).convert("RGB")


def crops(photos: list[Image.Image], count: int, rnd: random.Random) -> list[Image.Image]:
    chosen = []
    for n in range(count):
        photo = photos[n % len(photos)]
        side = rnd.randint(160, 300)
        x, y = rnd.randint(0, photo.width - side), rnd.randint(0, photo.height - side)
        chosen.append(photo.crop((x, y, x + side, y + side)).resize((SIDE, SIDE)))
    return chosen


def near_duplicate_table(photos: list[Image.Image], rnd: random.Random) -> None:
    def trimmed(image: Image.Image, share: float) -> Image.Image:
        m = round(SIDE * share)
        return image.crop((m, m, SIDE - m, SIDE - m))

    copies = {
        "JPEG quality 30": lambda im: looks(im, quality=30),
        "resized -4 px": lambda im: looks(im.resize((SIDE - 4, SIDE - 4))),
        "resized +6 px": lambda im: looks(im.resize((SIDE + 6, SIDE + 6))),
        "cropped 3 % a side": lambda im: looks(trimmed(im, 0.03)),
        "cropped 5 % a side": lambda im: looks(trimmed(im, 0.05)),
        "saved as PNG": lambda im: looks(im, "PNG"),
        "recoloured (not one)": lambda im: looks(recoloured(im)),
    }
    originals = crops(photos, 200, rnd)
    print(f"near duplicates: within {NEAR_RADIUS} of 128 bits, found through the band index, and colour layouts "
          f"within {COLOUR_TOLERANCE} levels")
    print(f"{'copy':22} {'matched':>8} {'median bits':>12} {'max bits':>9} {'median colour':>14} {'max colour':>11}")
    for name, make in copies.items():
        distances, colours, hits = [], [], 0
        for image in originals:
            first, copy = looks(image), make(image)
            distances.append((first[0] ^ copy[0]).bit_count())
            colours.append(colour_difference(first, copy))
            hits += matched(first, copy)
        distances.sort()
        colours.sort()
        middle = len(originals) // 2
        print(f"{name:22} {hits / len(originals):>8.1%} {distances[middle]:>12} {distances[-1]:>9} "
              f"{colours[middle]:>14.1f} {colours[-1]:>11.1f}")
    for tile in (48, 64, 80, 100):
        hashes = [looks(photo.crop((x, y, x + tile, y + tile)).resize((SIDE, SIDE)))
                  for photo in photos for y in range(0, photo.height - tile, tile)
                  for x in range(0, photo.width - tile, tile)]
        textured = [h for h in hashes if h[2] >= 3]  # the flat ones are left out of matching
        pairs = len(textured) * (len(textured) - 1) // 2
        groups = near_groups({i: h[0] for i, h in enumerate(textured)},
                             layouts={i: h[LAYOUT] for i, h in enumerate(textured)})
        linked = sum(len(group) * (len(group) - 1) // 2 for group in groups)
        print(f"look-alikes: {tile} px tiles of one photo: {linked} of {pairs:,} pairs in one group")


def quality_table(photos: list[Image.Image], rnd: random.Random) -> None:
    originals = crops(photos, 150, rnd)
    variants = {
        "clean": lambda im: im,
        "dimmed to 40 %": lambda im: ImageEnhance.Brightness(im).enhance(0.4),
        "dimmed to 25 %": lambda im: ImageEnhance.Brightness(im).enhance(0.25),
        "washed out": lambda im: Image.blend(im, Image.new("RGB", im.size, "white"), 0.8),
        "blur radius 3": lambda im: im.filter(ImageFilter.GaussianBlur(3)),
        "blur radius 5": lambda im: im.filter(ImageFilter.GaussianBlur(5)),
        "grey as RGB": lambda im: im.convert("L").convert("RGB"),
        "flat colour": lambda im: Image.new("RGB", im.size, im.resize((1, 1)).getpixel((0, 0))),
    }
    clean_sharpness = sorted(looks(im)[5] for im in originals)
    median = clean_sharpness[len(clean_sharpness) // 2]
    flags = {
        "flat": lambda f: f[q.STD] < q.LOW_INFORMATION_STD,
        "dark": lambda f: f[q.BRIGHTEST] < q.DARK_LEVEL,
        "bright": lambda f: f[q.DARKEST] > q.BRIGHT_LEVEL,
        "blurry": lambda f: f[q.SHARPNESS] < q.BLURRY_SHARE * median,
        "grey": lambda f: f[q.COLOURFULNESS] < q.GRAY_COLOURFULNESS,
    }
    print(f"\nquality figures (min/median/max); sharpness as a share of the clean median {median}; then the share"
          " of images each threshold flags")
    print(f"{'variant':16} " + " ".join(f"{name:>20}" for name in FIGURES) + "".join(f"{n:>7}" for n in flags))
    for name, change in variants.items():
        figures = [looks(change(im)) for im in originals]
        cells = []
        for position in range(1, 7):
            values = sorted(f[position] / (median if position == 5 else 1) for f in figures)
            cells.append(f"{values[0]:.2f}/{values[len(values) // 2]:.2f}/{values[-1]:.2f}")
        shares = [sum(map(flag, figures)) / len(figures) for flag in flags.values()]
        print(f"{name:16} " + " ".join(f"{cell:>20}" for cell in cells) + "".join(f"{s:>7.0%}" for s in shares))


def main() -> None:
    from sklearn.datasets import load_sample_images

    photos = [Image.fromarray(array) for array in load_sample_images().images]
    near_duplicate_table(photos, random.Random(0))
    quality_table(photos, random.Random(1))


if __name__ == "__main__":
    main()
