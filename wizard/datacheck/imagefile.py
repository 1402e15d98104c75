"""The per-file work of a scan: read the bytes once, hash them, recognise the format, decode (JPEGs straight
to a thumbnail-sized scale, every block still decoded) and measure the small copy (`thumbnail`).

Imported only when some file is not in the cache (Pillow's import is the slow part of a warm rescan), and
by the worker processes.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import warnings
from collections.abc import Iterable, Iterator

from PIL import Image, ImageFile

from wizard.datacheck.thumbnail import THUMB, Looks, draft_mode, measure

# (blake2b-128 hex digest, format, problem, width, height, mode, EXIF orientation, thumbnail figures)
Result = tuple[str, str | None, str | None, int, int, str, int, Looks | None]

ORIENTATION_TAG = 0x0112
MAX_FILE_BYTES = 256 * 2**20
"""Larger files are reported, not read: memory per worker stays bounded (images this large are not
training data; Pillow's pixel limit, Image.MAX_IMAGE_PIXELS, bounds what a smaller file decodes to)."""
READ_CHUNK = 16 * 2**20
_SPECIAL_KINDS = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                  (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "folder"))


def sniff(head: bytes) -> str | None:
    """The image format the leading bytes announce (magic numbers), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head.startswith(b"BM") and len(head) >= 26:
        return "BMP"
    if len(head) >= 3 and head[:1] == b"P" and head[1:2] in b"123456" and head[2:3].isspace():
        return "PPM"
    return None


def describe_content(head: bytes) -> str:
    """What a file that is not an image seems to hold (for the report)."""
    text = head.lstrip()[:200].lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text:
        return "HTML page"
    if text.startswith(b"<"):
        return "XML/HTML text"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "unknown binary content"
    return "text"


def inspect_bytes(data: bytes) -> Result:
    """Hash, sniff and decode one file's bytes (JPEGs as `_jpeg_to_decode` explains)."""
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if not data:
        return digest, None, "empty", 0, 0, "", 0, None
    fmt = sniff(data[:32])
    if fmt is None:
        return digest, None, "not-image: " + describe_content(data[:512]), 0, 0, "", 0, None
    width = height = orientation = 0
    mode = ""
    try:
        if fmt == "PNG":  # chunk CRCs: the only corruption load() can miss in a PNG
            Image.open(io.BytesIO(data), formats=[fmt]).verify()
        im = Image.open(io.BytesIO(data), formats=[fmt])
        width, height = im.size
        mode = im.mode
        if fmt == "JPEG":
            # Scaled down in the IDCT to about the thumbnail's size (up to 1/8), without colour conversion; every
            # block is still decoded, so a truncated or broken stream fails as in a full decode.
            im.draft(draft_mode(mode), (THUMB, THUMB))
        im.load()
        if "exif" in im.info or fmt == "TIFF":
            orientation = _orientation(im)
        looks = measure(im)
    except Image.DecompressionBombError:
        width, height = _declared_size(data, fmt)
        return digest, fmt, f"too-large: {width}×{height} pixels", width, height, mode, 0, None
    except Exception as exc:  # noqa: BLE001 - any decoder failure means the file is unusable
        return digest, fmt, "corrupt: " + _reason(exc), width, height, mode, 0, None
    return digest, fmt, None, width, height, mode, orientation, looks


def _declared_size(data: bytes, fmt: str) -> tuple[int, int]:
    """The size a header declares, read without the bomb check that refused it (nothing is decoded)."""
    try:
        factory, _ = Image.OPEN[fmt]
        width, height = factory(io.BytesIO(data), "").size
    except Exception:  # noqa: BLE001 - the size only makes the finding clearer
        return 0, 0
    return width, height


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(ORIENTATION_TAG, 1)
        return int(value) if isinstance(value, int) else 1
    except Exception:  # noqa: BLE001 - a broken EXIF block does not make the image unusable
        return 1


def _reason(exc: Exception) -> str:
    message = str(exc) or type(exc).__name__
    if "truncated" in message.lower():
        return "truncated"
    return re.sub(r" <[^<>]* at 0x[0-9a-fA-F]+>", "", message.splitlines()[0])[:100]  # no memory addresses


def inspect_path(path: str) -> Result:
    """Read one file and inspect its bytes; anything but a regular file (a FIFO, a device, a socket, also
    behind a link) is reported without reading it, and a file over MAX_FILE_BYTES without reading it."""
    try:
        kind = _special_kind(os.stat(path).st_mode)
        if kind:
            return "", None, f"not-regular: {kind}", 0, 0, "", 0, None
        # O_NONBLOCK: should the file have become a FIFO since the stat, opening it does not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket
            return "", None, "not-regular: socket", 0, 0, "", 0, None
        return "", None, f"unreadable: {exc.strerror or exc}", 0, 0, "", 0, None
    try:
        st = os.fstat(fd)
        kind = _special_kind(st.st_mode)
        if kind:
            return "", None, f"not-regular: {kind}", 0, 0, "", 0, None
        if st.st_size > MAX_FILE_BYTES:
            return "", None, f"too-large: {st.st_size / 2**20:,.0f} MiB file", 0, 0, "", 0, None
        data = _read_at_most(fd, st.st_size, MAX_FILE_BYTES + 1)
    except OSError as exc:
        return "", None, f"unreadable: {exc.strerror or exc}", 0, 0, "", 0, None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # it grew since the fstat
        return "", None, f"too-large: {len(data) / 2**20:,.0f} MiB file", 0, 0, "", 0, None
    return inspect_bytes(data)


def _special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in _SPECIAL_KINDS:
        if test(mode):
            return kind
    return "special file"


def _read_at_most(fd: int, size: int, limit: int) -> bytes:
    """Up to `limit` bytes of a file whose size was `size`: one read when it still has that size."""
    data = os.read(fd, min(size + 1, limit))
    if len(data) <= size:  # a short read of a regular file: its end
        return data
    chunks = [data]
    left = limit - len(data)
    while left > 0:
        chunk = os.read(fd, min(left, READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def inspect_indexed(task: tuple[int, str]) -> tuple[int, Result]:
    """Pool entry point: small tuples in, small tuples out."""
    index, path = task
    return index, inspect_path(path)


def inspect_many(paths: Iterable[tuple[int, str]]) -> Iterator[tuple[int, Result]]:
    """Inspect files in this process, with truncated images treated as errors (Pillow's default, which
    some code switches off globally)."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's warnings about broken metadata; the report has the verdict
            for task in paths:
                yield inspect_indexed(task)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def init_worker() -> None:
    """Worker processes: decode truncated images as errors, stay out of the parent's Ctrl-C, and die at once
    on SIGTERM (the pool's terminate): a handler inherited from the parent (the CLI turns SIGTERM into
    KeyboardInterrupt) runs only between bytecodes, not while a worker waits on a lock, which leaves the
    pool's shutdown waiting for it (a hang of that shape was seen once in ~35 cold scans of 2,400 images)."""
    import signal

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    warnings.simplefilter("ignore")
    if os.name == "posix":
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # The parent starts its workers with both signals blocked (runner._hold_signals); from here on they
        # find the handlers above.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
