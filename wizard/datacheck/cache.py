"""Per-file scan results cached by (path, size, mtime_ns), one JSON file per dataset root, the folders'
listings, and the last report of that root, reused whole when nothing it was built from has changed.

The cache lives under $XDG_CACHE_HOME/trainwizard (default ~/.cache/trainwizard). It is an optimisation
only: an unreadable, corrupt or outdated cache is ignored, and failing to write it is not an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from wizard.files import write_text_atomic

CACHE_FORMAT = 4  # 3: per-file results end with the thumbnail figures (near-duplicate hash, quality statistics);
#                   4: and the colour layout near duplicates must share


def cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "trainwizard"


def _pillow_version() -> str:
    try:
        from PIL import __version__  # the package's __init__ only; PIL.Image stays unimported
    except ImportError:
        return "none"
    return __version__


def _cache_file(root: Path, suffix: str) -> Path:
    key = hashlib.blake2b(str(root.resolve()).encode("utf-8", "surrogateescape"), digest_size=10).hexdigest()
    return cache_home() / "datacheck" / f"{key}{suffix}"


def _code_stamp() -> str:
    """Changes whenever the checks' code does (a new version, or an edited module in a checkout)."""
    from wizard import __version__

    folder = Path(__file__).parent
    try:
        newest = max(p.stat().st_mtime_ns for p in folder.glob("*.py"))
    except (OSError, ValueError):
        newest = 0
    return f"{__version__}:{newest}"


def _write_json(file: Path, data: Any) -> bool:
    """Write atomically (a temporary file renamed over the old one); False when that is not possible."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(file, json.dumps(data, separators=(",", ":")))
    except OSError:
        return False
    return True


class FileCache:
    """The cached results for the files under one dataset root."""

    def __init__(self, root: Path) -> None:
        self.file = _cache_file(root, ".json")
        self.stamp = {"format": CACHE_FORMAT, "pillow": _pillow_version(), "root": str(root.resolve())}
        self.entries: dict[str, list[Any]] = {}
        self.changed = False

    def load(self) -> FileCache:
        try:
            with open(self.file, encoding="utf-8") as f:
                data = json.load(f)
            if isinstance(data, dict) and all(data.get(k) == v for k, v in self.stamp.items()):
                entries = data.get("files")
                if isinstance(entries, dict):
                    self.entries = entries
        except (OSError, ValueError):
            self.entries = {}
        return self

    # Keys are the files' names relative to the dataset root (as shown in the report).
    def get(self, name: str, size: int, mtime_ns: int) -> tuple[Any, ...] | None:
        entry = self.entries.get(name)
        if not isinstance(entry, list) or len(entry) != 10 or entry[0] != size or entry[1] != mtime_ns:
            return None
        return tuple(entry[2:])

    def put(self, name: str, size: int, mtime_ns: int, result: tuple[Any, ...]) -> None:
        if mtime_ns == 0 or (result[2] or "").startswith("unreadable"):
            return  # nothing stable to key on
        self.entries[name] = [size, mtime_ns, *result]
        self.changed = True

    def keep_only(self, names: set[str]) -> None:
        """Forget files that are no longer part of the dataset."""
        stale = [k for k in self.entries if k not in names]
        for key in stale:
            del self.entries[key]
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        if self.changed and _write_json(self.file, {**self.stamp, "files": self.entries}):
            self.changed = False


class FolderListings:
    """The last listing of each folder under one dataset root, reused while the folder's mtime shows that no
    entry was added, removed or renamed in it since (files' own changes are caught by their stat)."""

    # A listing taken this soon after the folder's last change may have missed a second change within the
    # same timestamp tick (FAT keeps 2 s), so it is not trusted; the next scan lists that folder again.
    RACY_NS = 2_000_000_000

    def __init__(self, root: Path) -> None:
        self.file = _cache_file(root, ".folders.json")
        self.entries: dict[str, list[Any]] = {}
        self.seen: set[str] = set()
        self.changed = False

    def load(self) -> FolderListings:
        try:
            with open(self.file, encoding="utf-8") as f:
                data = json.load(f)
            if isinstance(data, dict) and data.get("format") == CACHE_FORMAT and isinstance(data.get("folders"),
                                                                                           dict):
                self.entries = data["folders"]
        except (OSError, ValueError):
            self.entries = {}
        return self

    def get(self, key: str, mtime_ns: int) -> list[list[str]] | None:
        """The lists stored for a folder (sub-folders, images, hidden, others), if still valid."""
        self.seen.add(key)
        entry = self.entries.get(key)
        if not (isinstance(entry, list) and len(entry) == 6 and entry[0] == mtime_ns
                and isinstance(entry[1], int) and entry[1] - mtime_ns >= self.RACY_NS):
            return None
        lists = entry[2:]
        if all(isinstance(part, list) and set(map(type, part)) <= {str} for part in lists):  # map: in C
            return lists
        return None

    def put(self, key: str, mtime_ns: int, listed_at_ns: int, lists: list[list[str]]) -> None:
        self.seen.add(key)
        self.entries[key] = [mtime_ns, listed_at_ns, *lists]
        self.changed = True

    def save(self) -> None:
        stale = [key for key in self.entries if key not in self.seen]
        for key in stale:
            del self.entries[key]
        if (self.changed or stale) and _write_json(self.file, {"format": CACHE_FORMAT, "folders": self.entries}):
            self.changed = False


class ReportMemo:
    """The last report built for a dataset root, with a signature of everything it was built from; with
    kind="pixels", the last pixel statistics (a report with other options reuses them: no image decoded)."""

    def __init__(self, root: Path, kind: str = "report") -> None:
        self.file = _cache_file(root, f".{kind}.json")

    @staticmethod
    def signature(*parts: object) -> str:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{CACHE_FORMAT}\0{_code_stamp()}\0{_pillow_version()}".encode())
        for part in parts:
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogateescape")
            digest.update(b"\0" + data)
        return digest.hexdigest()

    def load(self, signature: str) -> dict[str, Any] | None:
        try:
            with open(self.file, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            return None
        if isinstance(data, dict) and data.get("signature") == signature and isinstance(data.get("report"),
                                                                                        dict):
            return data["report"]
        return None

    def save(self, signature: str, report: dict[str, Any]) -> None:
        _write_json(self.file, {"signature": signature, "report": report})
