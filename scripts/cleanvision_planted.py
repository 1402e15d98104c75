"""Runs cleanvision on a folder and prints what it flags as one JSON line (for eval_datacheck_planted.py).

Runs in a separate venv that has cleanvision (0.3.7 was compared); cleanvision is never a project dependency.

    /tmp/cv-venv/bin/python scripts/cleanvision_planted.py FOLDER
"""

from __future__ import annotations

import contextlib
import json
import os
import sys


def main() -> None:
    from cleanvision import Imagelab

    root = os.path.abspath(sys.argv[1])
    with contextlib.redirect_stdout(sys.stderr):  # cleanvision prints its progress and summary
        lab = Imagelab(data_path=root)
        lab.find_issues()

    def name(path: str) -> str:
        return os.path.relpath(path, root).replace(os.sep, "/")

    issues = {}
    for column in lab.issues.columns:
        if column.startswith("is_") and column.endswith("_issue"):
            flagged = lab.issues.index[lab.issues[column]]
            issues[column[3:-6]] = sorted(name(p) for p in flagged)
    sets = lab.info.get("near_duplicates", {}).get("sets", [])
    print(json.dumps({"issues": issues, "near_duplicate_sets": [[name(p) for p in s] for s in sets]}))


if __name__ == "__main__":
    main()
