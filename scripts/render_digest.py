"""Digest of the render matrix: renders the e2e matrix's answer combinations and records each file's SHA-256, so
two checkouts can be compared byte for byte (a template refactor must not change what an answer did not change).

    python scripts/render_digest.py --out before.json [--seed 20261129] [--count 200]
    python scripts/render_digest.py --out after.json
    python scripts/render_digest.py --compare before.json after.json

--compare prints the projects and files that differ (added, removed, changed) and exits 1 when any does.
Paths holding the trainwizard version or the template's location are compared as they are: run both sides
from the same version string, or expect `.trainwizard.yml` to differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_SEED, DEFAULT_COUNT = 20261129, 200


def digest(seed: int, count: int) -> dict[str, dict[str, str]]:
    from tests.e2e.matrix import combinations
    from wizard.workflow import Prepared, generate

    valid, _ = combinations(seed, count)
    out: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="render-digest-") as scratch:
        for index, resolution in enumerate(valid):
            dest = generate(Prepared(resolution, None), Path(scratch) / f"p{index:03d}").dest  # as `new` writes it
            out[f"p{index:03d}"] = {
                p.relative_to(dest).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(dest.rglob("*")) if p.is_file()
            }
    return out


def compare(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> int:
    differing = 0
    for project in sorted(set(before) | set(after)):
        old, new = before.get(project, {}), after.get(project, {})
        lines = [f"  + {f}" for f in sorted(set(new) - set(old))]
        lines += [f"  - {f}" for f in sorted(set(old) - set(new))]
        lines += [f"  ~ {f}" for f in sorted(set(old) & set(new)) if old[f] != new[f]]
        if lines:
            differing += 1
            print(project, *lines, sep="\n")
    total = len(set(before) | set(after))
    print(f"{differing} of {total} projects differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write the digest (JSON) here")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        return compare(before, after)
    if not args.out:
        parser.error("give --out FILE or --compare BEFORE AFTER")
    result = digest(args.seed, args.count)
    args.out.write_text(json.dumps(result, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(result)} projects, {sum(map(len, result.values()))} files -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
