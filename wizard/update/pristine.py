"""The pristine archive: a copy of the last rendered files, kept in the project as the base `update` merges from."""

from __future__ import annotations

import gzip
import io
import stat
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from wizard.errors import UsageError

BASELINE_DIR = ".trainwizard"
BASELINE_FILE = f"{BASELINE_DIR}/pristine.tar.gz"
# Render inputs that are not answers travel inside the archive, under the folder no template file uses.
DATA_REPORT_MEMBER = f"{BASELINE_DIR}/data_report.md"


@dataclass
class Baseline:
    """The pristine render of a project: file contents and modes by project-relative path."""

    files: dict[str, bytes] = field(default_factory=dict)
    modes: dict[str, int] = field(default_factory=dict)
    data_report_md: str = ""


def project_files(root: Path) -> list[str]:
    """Project-relative paths of the regular files under `root`, sorted, without the baseline folder."""
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and path.relative_to(root).parts[0] != BASELINE_DIR
    )


def snapshot(root: Path, *, data_report_md: str = "") -> Baseline:
    """The files of a rendered tree (without its baseline folder), with modes reduced to 644/755."""
    baseline = Baseline(data_report_md=data_report_md)
    for rel in project_files(root):
        path = root / rel
        baseline.files[rel] = path.read_bytes()
        baseline.modes[rel] = 0o755 if path.stat().st_mode & stat.S_IXUSR else 0o644
    return baseline


def write_baseline(rendered: Path, *, data_report_md: str = "") -> None:
    """Store the pristine copy of a freshly rendered tree inside it, at BASELINE_FILE (before it is moved into
    place, so the archive lands with the files or not at all)."""
    baseline = snapshot(rendered, data_report_md=data_report_md)
    target = rendered / BASELINE_FILE
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(pack(baseline))


def pack(baseline: Baseline) -> bytes:
    """A tar.gz of the baseline with fixed metadata, so the same render always gives the same bytes."""
    members = dict(baseline.files)
    if baseline.data_report_md:
        members[DATA_REPORT_MEMBER] = baseline.data_report_md.encode("utf-8")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in sorted(members):
            info = tarfile.TarInfo(rel)
            info.size = len(members[rel])
            info.mode = baseline.modes.get(rel, 0o644)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(members[rel]))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue()


def unpack(data: bytes) -> Baseline:
    """Read a baseline archive back (regular files only; nothing is extracted to disk)."""
    baseline = Baseline()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for info in tar.getmembers():
            if not info.isfile():
                continue
            extracted = tar.extractfile(info)
            content = extracted.read() if extracted else b""
            if info.name == DATA_REPORT_MEMBER:
                baseline.data_report_md = content.decode("utf-8")
                continue
            if not _is_project_path(info.name):
                raise tarfile.TarError(f"unsafe path in the archive: {info.name!r}")
            baseline.files[info.name] = content
            baseline.modes[info.name] = info.mode & 0o777
    return baseline


def _is_project_path(name: str) -> bool:
    """A relative path that stays inside the project (the archive decides which files update may delete)."""
    parts = name.split("/")
    return (
        not name.startswith("/")
        and "\\" not in name
        and ":" not in parts[0]
        and all(part not in ("", ".", "..") for part in parts)
    )


def read_baseline(project_dir: Path) -> Baseline | None:
    """The project's recorded baseline, or None when it has none (made before update existed, or deleted)."""
    path = project_dir / BASELINE_FILE
    if not path.is_file():
        return None
    try:
        return unpack(path.read_bytes())
    except (OSError, tarfile.TarError, EOFError, gzip.BadGzipFile) as exc:
        raise UsageError(
            f"{path}: cannot be read ({exc}); restore it from version control, or run update with "
            "--base-from-answers"
        ) from None
