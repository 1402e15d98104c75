"""How much of the bundled template is control flow: lines carrying `{%`, per file and in total.

    python scripts/template_stats.py [--top 15] [TEMPLATE_DIR]

Issue 19's bar is at most 6 % of the template's lines; tests/unit/test_template_shape.py keeps it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def control_lines(template: Path) -> dict[str, tuple[int, int]]:
    """Per file of the template (relative path): (lines carrying `{%`, all lines)."""
    counts = {}
    for path in sorted(template.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        counts[path.relative_to(template).as_posix()] = (sum("{%" in line for line in lines), len(lines))
    return counts


def main() -> int:
    from wizard.render import default_template

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("template", nargs="?", type=Path, default=None)
    parser.add_argument("--top", type=int, default=15, help="how many files to list, most control lines first")
    args = parser.parse_args()
    counts = control_lines(args.template or default_template())
    for name, (control, total) in sorted(counts.items(), key=lambda item: -item[1][0])[: args.top]:
        print(f"{control:5d} / {total:5d}  {name}")
    control = sum(c for c, _ in counts.values())
    total = sum(t for _, t in counts.values())
    print(f"{control} of {total} lines carry {{% ({100 * control / total:.1f} %) in {len(counts)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
