"""Small generated datasets for the data-check tests: images with planted problems, folders and CSVs."""

from __future__ import annotations

import csv
import io
import random
import struct
import zlib
from pathlib import Path

from PIL import Image

# tests/conftest.py gives every test its own $XDG_CACHE_HOME, so scans never touch the user's cache.


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (24, 24), seed: int = 0, mode: str = "RGB",
                orientation: int | None = None, progressive: bool = False, noisy: bool = False) -> bytes:
    """An image with content that depends on the seed (so different seeds give different files)."""
    rnd = random.Random(seed)
    small = Image.frombytes("RGB", (4, 4), rnd.randbytes(48)).resize(size, Image.BILINEAR)
    if noisy:  # detail, so that most of the file is compressed pixel data rather than headers
        small = Image.frombytes("RGB", size, rnd.randbytes(size[0] * size[1] * 3))
    image = small.convert(mode) if mode != "RGB" else small
    buffer = io.BytesIO()
    options: dict[str, object] = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif
    if progressive:
        options["progressive"] = True
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def imagefolder(root: Path, spec: dict[str, int], *, seed: int = 0, fmt: str = "JPEG") -> Path:
    """root/<class path>/<i>.jpg for each 'class path' (e.g. 'train/cat') -> count, all distinct images."""
    ext = {"JPEG": "jpg", "PNG": "png"}[fmt]
    for n, (folder, count) in enumerate(sorted(spec.items())):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            write(root / folder / f"{i:03d}.{ext}", image_bytes(fmt, seed=seed * 100_000 + n * 1000 + i))
    return root


def jpeg_truncations() -> dict[str, bytes]:
    """JPEGs cut at several points (Image.verify() accepts all of them)."""
    data = image_bytes(size=(64, 64), seed=7, noisy=True)
    progressive = image_bytes(size=(64, 64), seed=7, progressive=True, noisy=True)
    return {
        "half": data[: len(data) // 2],
        "90%": data[: int(len(data) * 0.9)],
        "no-end-marker": data[:-2],
        "progressive-70%": progressive[: int(len(progressive) * 0.7)],
        "progressive-no-end-marker": progressive[:-2],
    }


def png_with_bad_bytes() -> bytes:
    """A PNG whose compressed pixel data has a flipped byte in the middle."""
    data = bytearray(image_bytes("PNG", size=(64, 64), seed=3))
    start = data.index(b"IDAT") + 4
    end = start + int.from_bytes(data[start - 8: start - 4], "big")
    data[(start + end) // 2] ^= 0xFF
    return bytes(data)


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def png_bomb_header(width: int = 100_000, height: int = 100_000) -> bytes:
    """A small, valid PNG whose header declares width x height pixels (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))
