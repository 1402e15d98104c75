{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Train the model as config.yaml says; every run writes a folder under runs/ (checkpoints, metrics, plots, report).

python scripts/train.py [--config config.yaml] [--set training.epochs=5 ...] [--resume auto|PATH] [--run-dir DIR]
{%- if f.ddp %}
torchrun --standalone --nproc_per_node=N scripts/train.py ...   # one process per GPU (DDP); see the README
{%- endif %}
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

from {{ c.slug }}.checkpoint import find_resume_checkpoint, load_checkpoint  # noqa: E402
from {{ c.slug }}.config import add_config_arguments, apply_overrides, load_config  # noqa: E402
from {{ c.slug }}.engine import fit  # noqa: E402
from {{ c.slug }}.errors import UserError  # noqa: E402
from {{ c.slug }}.processes import Processes  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train the model; see config.yaml for every setting.")
    add_config_arguments(parser, "override a config value for this run, e.g. training.lr=0.001 (repeatable)")
    parser.add_argument(
        "--resume",
        metavar="auto|PATH",
        help="continue a run from its last.pt: a checkpoint, a run folder, or auto (the newest run "
        "under output.dir; with --run-dir: that run if it has a last.pt, else a new run there)",
    )
    parser.add_argument("--run-dir", type=Path, help="folder of this run (default: <output.dir>/<date-time>)")
    parser.add_argument(
        "--stop-after",
        type=int,
        metavar="EPOCH",
        help="stop after this epoch (the schedule still plans for training.epochs); resume later",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    processes = Processes()
    try:
        cfg = load_config(args.config, args.overrides)
        resume_from = resume_checkpoint(args.resume, args.run_dir, cfg["output"]["dir"])
        if resume_from is not None:
            cfg = load_checkpoint(resume_from)["config"]  # a run continues with the config it started with,
            apply_overrides(cfg, args.overrides)  # plus this command's --set (e.g. more epochs)
        processes.start(cfg["training"]["device"])  # under torchrun, join the other processes (or refuse them)
        if resume_from is not None:
            run_dir = resume_from.parent
        else:
            # the main process names the folder for all: the processes' clocks may read different seconds
            run_dir = processes.broadcast(args.run_dir or new_run_dir(Path(cfg["output"]["dir"])))
        fit(cfg, run_dir, resume_from=resume_from, stop_after=args.stop_after)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "\ninterrupted; continue from the last finished epoch with: python scripts/train.py --resume auto",
            file=sys.stderr,
        )
        return 130
    finally:
        processes.stop()
    return 0


def resume_checkpoint(resume: str | None, run_dir: Path | None, output_dir: str) -> Path | None:
    """The checkpoint that --resume names, or None for a new run.

    `--resume auto --run-dir DIR` continues DIR when it holds a last.pt and starts it otherwise: a command
    that is safe to repeat{% if f.ddp %}, as torchrun --max-restarts does after a failure{% endif %}.
    """
    if resume is None:
        return None
    if resume == "auto" and run_dir is not None:
        last = run_dir / "last.pt"
        return last if last.is_file() else None
    return find_resume_checkpoint(resume, output_dir)


def new_run_dir(output_dir: Path) -> Path:
    """<output.dir>/<date-time>, with a suffix when two runs start in the same second."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    run_dir, n = output_dir / stamp, 1
    while run_dir.exists():
        n += 1
        run_dir = output_dir / f"{stamp}-{n}"
    return run_dir


if __name__ == "__main__":
    sys.exit(main())
