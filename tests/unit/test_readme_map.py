"""The README's map for developers names every module, subpackage and script of the tree, and nothing that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def developer_map() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## For developers", 1)[1]
    return section.split("```", 2)[1]


def test_every_module_subpackage_and_script_is_on_the_map() -> None:
    named = developer_map()
    modules = [p.name for p in (ROOT / "wizard").glob("*.py") if p.stem not in ("__init__", "__main__")]
    packages = [f"{p.name}/" for p in (ROOT / "wizard").iterdir() if (p / "__init__.py").is_file()]
    scripts = [p.name for p in (ROOT / "scripts").glob("*.py")]
    missing = [name for name in modules + packages + scripts if not re.search(rf"(?<![\w/]){re.escape(name)}", named)]
    assert not missing, f"not on the README's map: {missing}"


def test_every_file_the_map_names_exists() -> None:
    named = set(re.findall(r"[\w./-]+\.(?:py|yaml|md)\b", developer_map()))
    tree = {p.name for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts}
    gone = sorted(name for name in named if Path(name).name not in tree)
    assert not gone, f"the README's map names files that are not in the tree: {gone}"
