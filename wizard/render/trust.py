"""Which templates may be rendered: the bundled one, one named on the command line, or one trusted before.

Rendering a template runs its code: cookiecutter hooks, local Jinja extensions, and Jinja itself (which is not
sandboxed). A project records the template that made it (meta.template in .trainwizard.yml), but anyone who
hands you a project wrote that record, so `update` renders a recorded template only when you trusted it. Naming
a template with `--template` (on `new` or `update`) trusts it: its absolute path and a digest of its files go
into the trust list, a file in your config folder, outside every project ($XDG_CONFIG_HOME/trainwizard/
trusted-templates, one `<sha256> <path>` line per template). A template whose files changed since then needs
`--template` again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from wizard.render.templates import default_template

TRUST_FILE = "trusted-templates"
# Written by Python and git while a template is used or versioned; not part of what renders.
_NOT_TEMPLATE = {".git", "__pycache__"}


def trust_file() -> Path:
    """The trust list: under $XDG_CONFIG_HOME (default ~/.config), never inside a project."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "trainwizard" / TRUST_FILE


def template_digest(template: Path) -> str:
    """A sha256 over the template's file names and contents (symlinks by their target)."""
    digest = hashlib.sha256()
    root = template.resolve()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if _NOT_TEMPLATE & set(rel.parts) or path.is_dir() and not path.is_symlink():
            continue
        content = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
        digest.update(rel.as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


def is_trusted(template: Path) -> bool:
    """The bundled template, or one whose path and current files are in the trust list."""
    template = template.resolve()
    if template == default_template().resolve():
        return True
    entry = _trusted().get(str(template))
    return entry is not None and entry == template_digest(template)


def trust_template(template: Path) -> bool:
    """Add (or refresh) the template in the trust list; False when the list cannot be written."""
    template = template.resolve()
    if template == default_template().resolve():
        return True
    if "\n" in str(template) or "\r" in str(template):
        return False  # the list has one template a line
    entries = _trusted()
    entries[str(template)] = template_digest(template)
    target = trust_file()
    text = "".join(f"{digest} {path}\n" for path, digest in sorted(entries.items()))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=f".{TRUST_FILE}-", delete=False
        ) as tmp:
            tmp.write(text)
    except OSError:
        return False
    try:
        os.replace(tmp.name, target)  # all at once: a concurrent reader sees the old list or the new one
    except OSError:
        Path(tmp.name).unlink(missing_ok=True)
        return False
    return True


def _trusted() -> dict[str, str]:
    """Path -> digest from the trust list (a missing or unreadable list trusts nothing)."""
    try:
        lines = trust_file().read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    entries = {}
    for line in lines:
        digest, _, path = line.partition(" ")
        if len(digest) == 64 and path:
            entries[path] = digest
    return entries
