"""Benchmark: whole-process start-up and --no-input render of trainwizard against plain cookiecutter (SPEC §7).

Runs the two commands of each pair alternately, N times each, and prints medians and the ratio
trainwizard/cookiecutter (goal: <= 1.0 for both pairs).

    python scripts/bench_cli.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        sys.exit(f"{name} is not installed next to {sys.executable}; run `pip install -e .` in this venv")
    return str(path)


def _time(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _pair(label: str, ours, theirs, runs: int) -> float:
    ours(), theirs()  # warm the page cache and .pyc files
    a, b = [], []
    for _ in range(runs):
        a.append(ours())
        b.append(theirs())
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{label:<44} trainwizard {ma * 1000:7.1f} ms   cookiecutter {mb * 1000:7.1f} ms   ratio {ma / mb:.2f}")
    return ma / mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    trainwizard, cookiecutter = _tool("trainwizard"), _tool("cookiecutter")
    template = REPO / "templates" / "pytorch"
    work = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    answers = work / "answers.yml"
    answers.write_text("version: 1\nproject:\n  name: My Project\n", encoding="utf-8")
    counter = iter(range(10**6))

    def new_ours() -> float:
        dest = work / f"tw{next(counter)}"
        seconds = _time([trainwizard, "new", str(dest), "--answers", str(answers), "--no-input"], work)
        shutil.rmtree(dest)
        return seconds

    def new_theirs() -> float:
        out = work / f"cc{next(counter)}"
        seconds = _time([cookiecutter, str(template), "--no-input", "-o", str(out)], work)
        shutil.rmtree(out)
        return seconds

    try:
        print(f"{args.runs} runs each, alternating; medians of whole processes")
        help_ratio = _pair("--help", lambda: _time([trainwizard, "--help"], work),
                           lambda: _time([cookiecutter, "--help"], work), args.runs)
        new_ratio = _pair("new --no-input vs cookiecutter --no-input", new_ours, new_theirs, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"goal <= 1.0: --help {'met' if help_ratio <= 1 else 'NOT met'}, "
          f"render {'met' if new_ratio <= 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
