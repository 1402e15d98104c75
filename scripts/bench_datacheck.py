"""Benchmark: `trainwizard check-data`'s scan against a plain single-process loop (SPEC §7).

Generates COUNT JPEGs of 256x256 px in 10 class folders (reused when the folder already holds them), then
measures, as medians of REPEATS runs:
  (a) baseline: one process walks the folder and, for each file, reads the bytes, hashes them and fully
      decodes them with Image.open(...).load();
  (b) first scan: scan() with an empty cache (the cache is cleared before every run);
  (c) second scan: scan() of the unchanged folder with the cache warm;
  (d) the decode floor: (a) with the JPEG decoded at 1/8 scale (every block still entropy-decoded, as any
      corruption check and any pixel statistic needs), nothing measured: the least per-file work a scan can
      do, so 2 x a/d bounds a/b on 2 idle cores.
Goals: a/b >= 3 and b/c >= 50 (issue 20). Files are in the page cache for all three (they were just written/read).

    python scripts/bench_datacheck.py [--count 20000] [--repeats 3] [--dir DIR] [--workers N]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from wizard.datacheck import scan

SIDE = 256
CLASSES = 10


def _make_image(task: tuple[str, int]) -> int:
    """A photo-like JPEG: a smooth random colour field with sensor-like noise, saved at quality 85."""
    path, seed = task
    rnd = random.Random(seed)
    field = Image.frombytes("RGB", (8, 8), rnd.randbytes(8 * 8 * 3)).resize((SIDE, SIDE), Image.BICUBIC)
    noise = Image.effect_noise((SIDE, SIDE), rnd.uniform(10, 40)).convert("RGB")
    image = Image.blend(field, noise, rnd.uniform(0.1, 0.3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    return len(buffer.getvalue())


def generate(root: Path, count: int) -> list[str]:
    """COUNT images under root/class_k/ (kept when already there)."""
    paths = [str(root / f"class_{i % CLASSES}" / f"img_{i:06d}.jpg") for i in range(count)]
    missing = [(p, i) for i, p in enumerate(paths) if not os.path.exists(p)]
    if missing:
        for k in range(CLASSES):
            (root / f"class_{k}").mkdir(parents=True, exist_ok=True)
        print(f"generating {len(missing):,} JPEGs in {root} ...", flush=True)
        with Pool(min(4, os.cpu_count() or 1)) as pool:
            for _ in pool.imap_unordered(_make_image, missing, chunksize=64):
                pass
    return paths


def baseline(root: Path) -> int:
    """The plain loop: walk, read, hash, full decode."""
    count = 0
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            hashlib.blake2b(data).digest()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
            count += 1
    return count


def decode_floor(root: Path) -> int:
    """The least a scan that looks at the pixels must do: walk, read, hash, decode at the smallest scale."""
    count = 0
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            hashlib.blake2b(data, digest_size=16).digest()
            with Image.open(io.BytesIO(data)) as image:
                image.draft("YCbCr", (image.width // 8, image.height // 8))
                image.load()
            count += 1
    return count


def timed(fn: Callable[[], object], cpu: list[float] | None = None) -> float:
    """Wall-clock seconds of fn(); its CPU seconds (this process and its finished children) go to `cpu`."""
    before = _cpu_seconds()
    start = time.perf_counter()
    fn()
    wall = time.perf_counter() - start
    if cpu is not None:
        cpu.append(_cpu_seconds() - before)
    return wall


def _cpu_seconds() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return time.process_time()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="number of JPEGs (default 20000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--dir", type=Path,
                        help="dataset folder to create or reuse (default: in the temp dir)")
    parser.add_argument("--workers", type=int, default=None, help="scan workers (default: min(CPUs, 8))")
    args = parser.parse_args()
    root = args.dir or Path(tempfile.gettempdir()) / f"trainwizard-bench-{args.count}"
    paths = generate(root, args.count)
    size_kb = sum(os.path.getsize(p) for p in paths) / len(paths) / 1024
    cache_home = Path(tempfile.mkdtemp(prefix="trainwizard-bench-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(cache_home)
    try:
        base, first, second, floor = [], [], [], []
        base_cpu: list[float] = []
        first_cpu: list[float] = []
        floor_cpu: list[float] = []
        for _ in range(args.repeats):  # interleaved, so that other load on the machine hits all alike
            base.append(timed(lambda: baseline(root), base_cpu))
            floor.append(timed(lambda: decode_floor(root), floor_cpu))
            shutil.rmtree(cache_home / "trainwizard", ignore_errors=True)
            report = None

            def first_scan() -> None:
                nonlocal report
                report = scan(root, workers=args.workers)

            first.append(timed(first_scan, first_cpu))
            assert report is not None and report.stats.decoded == len(paths), report and report.stats
            second.append(timed(lambda: scan(root, workers=args.workers)))
    finally:
        shutil.rmtree(cache_home, ignore_errors=True)
    a, b, c, d = (statistics.median(x) for x in (base, first, second, floor))
    print(f"{len(paths):,} JPEGs of {SIDE}x{SIDE} px, {size_kb:.1f} KB on average, in {root}")
    n = len(paths)
    print(f"CPUs available: {os.cpu_count()}; scan workers: {report.stats.workers}; "
          f"median of {args.repeats} runs")
    print(f"(a) baseline, 1 process, read+hash+full decode: {a:8.3f} s  ({a / n * 1e6:6.0f} us/file)")
    print(f"(b) first scan (empty cache):                   {b:8.3f} s  ({b / n * 1e6:6.0f} us/file)")
    print(f"(c) second scan (warm cache):                   {c:8.3f} s  ({c / n * 1e6:6.0f} us/file)")
    print(f"(d) decode floor, 1 process, read+hash+1/8 decode: {d:5.3f} s  ({d / n * 1e6:6.0f} us/file)")
    cpu_a, cpu_b, cpu_d = (statistics.median(x) for x in (base_cpu, first_cpu, floor_cpu))
    print(f"CPU time (all processes): baseline {cpu_a:.3f} s, first scan {cpu_b:.3f} s "
          f"({cpu_a / cpu_b:.2f}x less work per file), decode floor {cpu_d:.3f} s; load average now {_load()}")
    print(f"bound on 2 idle cores: 2 x baseline / floor = {2 * cpu_a / cpu_d:.2f}x (CPU time); "
          f"the scan's own CPU time allows {2 * cpu_a / cpu_b:.2f}x")
    print(f"baseline / first  = {a / b:6.2f}x   (goal >= 3)")
    print(f"first / second    = {b / c:6.2f}x   (goal >= 50)")


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


if __name__ == "__main__":
    main()
