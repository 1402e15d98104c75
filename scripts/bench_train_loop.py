"""Benchmark: the generated project's training loop against a minimal hand-written PyTorch loop (SPEC §7).

Renders a project through `trainwizard new` (a scratch simple-cnn, or resnet18 without pretrained weights),
imports its package, and trains the same architecture from the same initial weights on the same synthetic
images, batch size and optimizer (the project's own build_optimizer) in two ways, alternately: the generated
`Trainer.train_epoch` (what scripts/train.py runs each epoch, with its scheduler, metric sums and progress bar)
and a bare loop (forward, loss, backward, step, nothing else). Prints the median samples/s of each and their
ratio (goal: >= 0.95), with the machine's load. Each epoch is timed by the wall clock (the figure) and by
the process's CPU time, which other processes on a busy machine disturb much less (a cross-check).

    python scripts/bench_train_loop.py [--model simple-cnn|resnet18] [--repeats 9] [--device cpu|cuda] [--json]
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

REPO = Path(__file__).resolve().parent.parent
CLASSES = 10


def render(work: Path, model: str) -> Path:
    """A project rendered by `trainwizard new --no-input` (it needs a small dataset to look at)."""
    for label in ("a", "b", "c"):
        for i in range(4):
            path = work / "data" / label / f"{i}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.frombytes("RGB", (16, 16), os.urandom(16 * 16 * 3)).save(path)  # distinct: no duplicates
    if model == "resnet18":
        choice = "model: {source: pretrained, backbone: resnet18, freeze: none}\nnormalization: batchnorm\n"
    else:
        choice = "model: {source: scratch, backbone: simple-cnn, freeze: none}\nnormalization: batchnorm\n"
    answers = work / "answers.yml"
    answers.write_text(
        "version: 1\nproject: {name: Bench Loop}\ndata: {path: data}\n" + choice
        + "imbalance: {strategy: none}\nregularization: {l1: 0.0}\n"
        + "training: {optimizer: adamw, scheduler: cosine, distributed: none}\n",
        encoding="utf-8",
    )
    dest = work / "project"
    subprocess.run([sys.executable, "-m", "wizard", "new", str(dest), "--answers", str(answers), "--no-input"],
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return dest


def bare_epoch(model: nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer, device: torch.device,
               dtype: torch.dtype | None) -> None:
    """The minimal loop: what a practitioner writes by hand (same autocast dtype as the generated loop)."""
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    for images, targets in loader:
        images, targets = images.to(device, non_blocking=True), targets.to(device, non_blocking=True)
        with torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
            loss = loss_fn(model(images), targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("simple-cnn", "resnet18"), default="simple-cnn")
    parser.add_argument("--repeats", type=int, default=9, help="measured epochs of each loop (default: 9)")
    parser.add_argument("--steps", type=int, default=40, help="steps per epoch (default: 40)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default: cpu)")
    parser.add_argument("--precision", default="auto", help="training.precision: auto, fp32, bf16, fp16")
    parser.add_argument("--threads", type=int, help="torch.set_num_threads (default: torch's choice)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    load_before = os.getloadavg()

    work = Path(tempfile.mkdtemp(prefix="bench-loop-"))
    try:
        result = measure(args, render(work, args.model))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["load_average_before"], result["load_average_after"] = load_before[0], os.getloadavg()[0]
    if args.json:
        print(json.dumps(result, indent=2))
        return
    runs, medians = result["samples_per_second"], result["median_samples_per_second"]
    print(f"{args.model}, {args.image_size}px, batch {args.batch_size}, {args.steps} steps/epoch, {args.repeats} "
          f"repeats on {result['device']} ({result['torch_threads']} threads, load {load_before[0]:.2f} -> "
          f"{result['load_average_after']:.2f} on {os.cpu_count()} CPUs)")
    for name in ("generated", "bare"):
        spread = ", ".join(f"{value:.0f}" for value in runs[name])
        print(f"  {name:<9} median {medians[name]:8.1f} samples/s   ({spread})")
    print(f"  ratio generated/bare: {result['ratio']:.3f}  (goal >= 0.95); "
          f"by CPU time: {result['cpu_time_ratio']:.3f}")


def measure(args: argparse.Namespace, project: Path) -> dict[str, Any]:
    """Both loops, alternately, on the rendered project's model, optimizer and config."""
    sys.path.insert(0, str(project / "src"))
    slug = next(p.name for p in (project / "src").iterdir() if (p / "engine.py").is_file())
    config = importlib.import_module(f"{slug}.config")
    engine = importlib.import_module(f"{slug}.engine")
    losses = importlib.import_module(f"{slug}.losses")
    model_module = importlib.import_module(f"{slug}.model")
    overrides = [f"data.image_size={args.image_size}", f"training.batch_size={args.batch_size}",
                 f"training.device={args.device}", f"training.precision={args.precision}", "data.num_workers=0"]
    if args.model == "resnet18":
        overrides.append("model.weights=null")
    cfg = config.load_config(project / "config.yaml", overrides)
    device = torch.device(args.device)

    generator = torch.Generator().manual_seed(0)
    count = args.steps * args.batch_size
    images = torch.randn(count, 3, args.image_size, args.image_size, generator=generator)
    targets = torch.randint(CLASSES, (count,), generator=generator)
    loader = DataLoader(TensorDataset(images, targets), batch_size=args.batch_size, shuffle=True, drop_last=True,
                        pin_memory=device.type == "cuda", generator=generator)
    torch.manual_seed(0)
    initial = model_module.build_model(cfg, CLASSES)

    def generated() -> tuple[float, float]:
        model = copy.deepcopy(initial).to(device)
        optimizer = engine.build_optimizer(cfg, model)
        parts: list[Any] = [cfg, model, losses.build_loss(cfg, [1] * CLASSES).to(device), optimizer]
        if hasattr(engine, "build_scheduler"):
            parts.append(engine.build_scheduler(cfg, optimizer, len(loader)))
        trainer = engine.Trainer(*parts, device)
        wall, cpu = time.perf_counter(), time.process_time()
        trainer.train_epoch(loader, desc="generated")  # ends with its one host sync
        return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)

    def bare() -> tuple[float, float]:
        model = copy.deepcopy(initial).to(device)
        optimizer = engine.build_optimizer(cfg, model)
        dtype = engine.autocast_dtype(cfg["training"]["precision"], device)
        wall, cpu = time.perf_counter(), time.process_time()
        bare_epoch(model, loader, optimizer, device, dtype)
        return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)

    generated(), bare()  # warm-up: allocator, kernels, caches
    runs: dict[str, list[float]] = {"generated": [], "bare": []}
    cpu_runs: dict[str, list[float]] = {"generated": [], "bare": []}
    for repeat in range(args.repeats):
        order = (("generated", generated), ("bare", bare))
        for name, loop in order if repeat % 2 == 0 else reversed(order):
            wall_rate, cpu_rate = loop()
            runs[name].append(wall_rate)
            cpu_runs[name].append(cpu_rate)
    medians = {name: statistics.median(values) for name, values in runs.items()}
    cpu_medians = {name: statistics.median(values) for name, values in cpu_runs.items()}
    return {
        "model": args.model, "device": str(device), "precision": args.precision,
        "batch_size": args.batch_size, "image_size": args.image_size, "steps_per_epoch": args.steps,
        "repeats": args.repeats, "torch_threads": torch.get_num_threads(), "cpu_count": os.cpu_count(),
        "samples_per_second": runs, "median_samples_per_second": medians,
        "ratio": medians["generated"] / medians["bare"],
        "cpu_time_samples_per_second": cpu_runs, "cpu_time_ratio": cpu_medians["generated"] / cpu_medians["bare"],
    }


if __name__ == "__main__":
    main()
