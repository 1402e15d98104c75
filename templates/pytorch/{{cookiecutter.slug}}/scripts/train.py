{%- set slug = cookiecutter.slug -%}
{%- set ddp = cookiecutter.training.distributed == "ddp" -%}
"""Train the model as config.yaml says; every run writes a folder under runs/ (checkpoints, metrics, plots, report).

    python scripts/train.py [--config config.yaml] [--set training.epochs=5 ...] [--resume auto|PATH]
{%- if ddp %}
    torchrun --standalone --nproc_per_node=N scripts/train.py ...   # one process per GPU (DDP)
{%- endif %}
"""

from __future__ import annotations

import argparse
{%- if ddp %}
import os
{%- endif %}
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

from {{ slug }}.checkpoint import find_resume_checkpoint, load_checkpoint  # noqa: E402
from {{ slug }}.config import apply_overrides, load_config  # noqa: E402
from {{ slug }}.engine import fit  # noqa: E402
from {{ slug }}.errors import UserError  # noqa: E402
{%- if ddp %}
from {{ slug }}.runtime import cleanup_distributed, setup_distributed  # noqa: E402
{%- endif %}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train the model; see config.yaml for every setting.")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml", help="config file (default: config.yaml)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config value for this run, e.g. training.lr=0.001 (repeatable)")
    parser.add_argument("--resume", metavar="auto|PATH",
                        help="continue an interrupted run from its last.pt (auto: the newest run under output.dir)")
    parser.add_argument("--run-dir", type=Path, help="folder of this run (default: <output.dir>/<date-time>)")
    parser.add_argument("--stop-after", type=int, metavar="EPOCH",
                        help="stop after this epoch (the schedule still plans for training.epochs); resume later")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
{%- if ddp %}
        if setup_distributed() != 0:  # under torchrun: one copy of the log, from the first process
            sys.stdout = open(os.devnull, "w")
{%- endif %}
        cfg = load_config(args.config, args.overrides)
        resume_from = None
        if args.resume:
            resume_from = find_resume_checkpoint(args.resume, cfg["output"]["dir"])
            cfg = load_checkpoint(resume_from)["config"]  # a run continues with the config it started with,
            apply_overrides(cfg, args.overrides)  # plus this command's --set (e.g. more epochs)
            run_dir = resume_from.parent
        else:
            run_dir = args.run_dir or new_run_dir(Path(cfg["output"]["dir"]))
        fit(cfg, run_dir, resume_from=resume_from, stop_after=args.stop_after)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted; continue from the last finished epoch with: python scripts/train.py --resume auto",
              file=sys.stderr)
        return 130
{%- if ddp %}
    finally:
        cleanup_distributed()
{%- endif %}
    return 0


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
