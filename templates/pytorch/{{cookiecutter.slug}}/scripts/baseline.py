{%- set c, f = cookiecutter, cookiecutter | flags -%}
"""Baselines: what simple models score on this project's split, so the trained model has a score to beat."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
{%- if not f.tabular %}
import random
{%- endif %}
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the scripts run without `pip install -e .` too

import numpy as np  # noqa: E402
{%- if not f.tabular %}
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.utils.data import DataLoader, Dataset, Subset  # noqa: E402
from tqdm import tqdm  # noqa: E402
{%- endif %}

from {{ c.slug }}.config import add_config_arguments, load_config  # noqa: E402
from {{ c.slug }}.data import build_datasets, eval_dataset  # noqa: E402
from {{ c.slug }}.errors import UserError  # noqa: E402
{%- if not f.tabular %}
from {{ c.slug }}.loaders import loader_options, worker_count  # noqa: E402
{%- endif %}
{%- if f.regression %}
from {{ c.slug }}.metrics import regression_report  # noqa: E402
{%- elif f.multilabel %}
from {{ c.slug }}.metrics import multilabel_report  # noqa: E402
{%- else %}
from {{ c.slug }}.metrics import classification_report  # noqa: E402
{%- endif %}
{%- if f.pretrained %}
from {{ c.slug }}.model import build_model  # noqa: E402
{%- endif %}
{%- if not f.tabular %}
from {{ c.slug }}.runtime import pick_device  # noqa: E402
{%- endif %}

TASK = {{ c.task | pyrepr }}
{%- if f.regression %}
METRICS = ("mae", "rmse", "r2")  # as evaluate.py reports them, in the target's own units
DEFAULT_METRIC = "r2"  # compared with the model unless early_stopping.monitor names another of METRICS
LOWER_IS_BETTER = ("mae", "rmse")
{%- elif f.multilabel %}
METRICS = ("macro_f1", "micro_f1", "accuracy", "exact_match")  # every label decided at probability 0.5
DEFAULT_METRIC = "macro_f1"  # compared with the model unless early_stopping.monitor names another of METRICS
LOWER_IS_BETTER: tuple[str, ...] = ()
{%- else %}
METRICS = ("accuracy", "macro_f1")  # as evaluate.py reports them
DEFAULT_METRIC = "accuracy"  # compared with the model unless early_stopping.monitor names another of METRICS
LOWER_IS_BETTER: tuple[str, ...] = ()
{%- endif %}
{%- if not f.tabular %}
PIXELS = 16  # without a pretrained backbone the linear model reads the image downscaled to 16x16 (x 3 channels)
{%- else %}
MAX_BINS = 255  # HistGradientBoosting's bins: a category column with more categories is read as a number
{%- endif %}
FORMATS = {
    "mae": ".4g",
    "rmse": ".4g",
    "r2": ".4f",
    "accuracy": ".3f",
    "macro_f1": ".3f",
    "micro_f1": ".3f",
    "exact_match": ".3f",
}  # as evaluate.py prints them
LOGISTIC_ITERATIONS = 2000  # enough for lbfgs to converge on standardized inputs


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Score simple models on the project's own split: the score a trained model has to beat.",
        epilog="evaluate.py prints the trained model's score next to the best of these (reports/baseline.json).",
    )
    add_config_arguments(parser, "override a config value, e.g. data.path=other/data (repeatable)")
    parser.add_argument(
        "--split",
        choices=("val", "test"),
        default="val",
        help="split to score on (default: val); the baselines always learn from the training split",
    )
{%- if not f.tabular %}
    parser.add_argument(
        "--max-images",
        type=int,
        default=5000,
        help="training images the linear model learns from at most (default: 5000, a random "
        "sample), to keep the run short",
    )
{%- endif %}
    parser.add_argument(
        "--out", type=Path, default=ROOT / "reports", help="folder for baseline.json (default: reports)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.overrides)
{%- if not f.tabular %}
        if args.max_images < 2:
            raise UserError("--max-images must be at least 2")
{%- endif %}
        require_sklearn()
        report = run(cfg, args.split{% if not f.tabular %}, args.max_images{% endif %})
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    path = args.out / "baseline.json"
    write_json(path, report)
    print(format_table(report))
    print(f"report: {path}")
    return 0


def require_sklearn() -> None:
    """A missing scikit-learn is one clear line instead of a traceback (the baselines import it where used)."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise UserError("the baselines need scikit-learn: pip install 'scikit-learn>=1.3'") from None


def main_metric(cfg: dict[str, Any]) -> str:
    """The metric to compare: the one early_stopping.monitor picks checkpoints by, when it is a metric here."""
    name = cfg["regularization"]["early_stopping"]["monitor"].removeprefix("val_")
    return name if name in METRICS else DEFAULT_METRIC
{%- if f.tabular %}


def split_fingerprint(dataset: Any) -> str:
    """A short hash of a split's rows (line and cells); evaluate.py compares it to know the split is the same."""
    digest = hashlib.sha256()
    for row in dataset.rows:
        digest.update(json.dumps([row.line, row.cells], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:16]


def run(cfg: dict[str, Any], split: str) -> dict[str, Any]:
    """Fit each baseline on the training split, exactly as encoded for the network, and score it on `split`."""
    data = build_datasets(cfg)  # the split and the feature schema of training (fitted on the training rows)
    evaluated = data.val if split == "val" else eval_dataset(cfg, split, data.schema)
    x_train, x_eval = data.train.features.numpy(), evaluated.features.numpy()
{%- if f.regression %}
    # the network learns standardized targets when target.standardize is true: back to the target's own units
    y_train = data.schema.unscale(data.train.targets).numpy().astype(np.float64)
    y_eval = data.schema.unscale(evaluated.targets).numpy().astype(np.float64)
{%- else %}
    y_train, y_eval = data.train.labels.numpy(), evaluated.labels.numpy()
{%- endif %}
    categories = [count for count, _ in data.schema.embedding_sizes]  # columns after the dense block
    results = {}
    for name, (title, model) in tabular_models(data.schema.dense_width, categories, cfg).items():
        started = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(x_train, y_train)
            predicted = model.predict(x_eval)
        results[name] = {
            "title": title,
            **scores(y_eval, predicted{% if not f.regression %}, data.classes{% endif %}),
            "seconds": round(time.perf_counter() - started, 3),
            "notes": notes_of(caught),
        }
    encoding = (
        f"the project's encoding of {len(data.schema.columns)} columns: {data.schema.dense_width} dense "
        f"inputs (standardized numbers, missing indicators, one-hot blocks)"
        + (f" and {len(categories)} embedded category column(s) (one-hot for the linear model)" if categories else "")
    )
    return make_report(
        cfg, split, results, {"train": len(data.train), split: len(evaluated)}, split_fingerprint(evaluated), encoding
    )


def tabular_models(dense: int, categories: list[int], cfg: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """name: (title, unfitted model), simplest first."""
    from sklearn.compose import ColumnTransformer
{%- if f.regression %}
    from sklearn.dummy import DummyRegressor
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import Ridge
{%- else %}
    from sklearn.dummy import DummyClassifier
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
{%- endif %}
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    width = dense + len(categories)
    # The numbers are standardized already; scaling the 0/1 indicator and one-hot inputs as well puts every
    # input on one scale for the penalty. Embedded columns hold category indices: one-hot them for a linear model.
    linear_inputs = ColumnTransformer(
        [
            ("dense", StandardScaler(), list(range(dense))),
            ("categories", OneHotEncoder(handle_unknown="ignore"), list(range(dense, width))),
        ]
    )
    # gradient boosting splits category indices as categories (when they fit its bins), everything else as numbers
    mask = [False] * dense + [count < MAX_BINS for count in categories]
    categorical = mask if any(mask) else None
    seed = cfg["training"]["seed"]
{%- if f.regression %}
    return {
        "mean": ("mean of the training targets", DummyRegressor(strategy="mean")),
        "ridge": ("Ridge regression", make_pipeline(linear_inputs, Ridge(alpha=1.0))),
        "gradient_boosting": (
            "HistGradientBoosting",
            HistGradientBoostingRegressor(categorical_features=categorical, random_state=seed),
        ),
    }
{%- else %}
    return {
        "majority": ("majority class", DummyClassifier(strategy="most_frequent")),
        "logistic": (
            "logistic regression",
            make_pipeline(linear_inputs, LogisticRegression(max_iter=LOGISTIC_ITERATIONS)),
        ),
        "gradient_boosting": (
            "HistGradientBoosting",
            HistGradientBoostingClassifier(categorical_features=categorical, random_state=seed),
        ),
    }
{%- endif %}
{%- else %}


def split_fingerprint(dataset: Any) -> str:
    """A short hash of a split's images (path and labels); evaluate.py compares it to know the split is the same."""
    digest = hashlib.sha256()
    for sample in dataset.samples:
{%- if f.multilabel %}
        digest.update(json.dumps([str(sample.path), list(sample.labels)]).encode("utf-8"))
{%- else %}
        digest.update(json.dumps([str(sample.path), sample.label]).encode("utf-8"))
{%- endif %}
    return digest.hexdigest()[:16]


def run(cfg: dict[str, Any], split: str, max_images: int) -> dict[str, Any]:
    """Fit each baseline on (at most `max_images` of) the training images and score it on `split`."""
    data = build_datasets(cfg, augment=False)  # evaluation transforms for the training images too
    evaluated = data.val if split == "val" else eval_dataset(cfg, split, data.class_to_idx)
    classes = data.classes
    seed = cfg["training"]["seed"]
    chosen = sorted(random.Random(seed).sample(range(len(data.train)), min(max_images, len(data.train))))
    device = pick_device(cfg["training"]["device"])
    backbone, features = feature_extractor(cfg, len(classes), device)
    x_train = extract(backbone, Subset(data.train, chosen), cfg, device, "training images")
    x_eval = extract(backbone, evaluated, cfg, device, f"{split} images")
{%- if f.multilabel %}
    y_all = data.train.targets.numpy().astype(bool)  # (images, labels)
    y_train, y_eval = y_all[chosen], evaluated.targets.numpy().astype(bool)
{%- else %}
    y_all = np.asarray(data.train.targets)
    y_train, y_eval = y_all[chosen], np.asarray(evaluated.targets)
{%- endif %}
    results = {}
    started = time.perf_counter()
{%- if f.multilabel %}
    # each label on its own: predict it on every image when most training images carry it, else on none
    frequency = y_all.mean(axis=0)
    majority = np.tile(frequency, (len(y_eval), 1))
    results["majority"] = {
        "title": "majority per label",
        **scores(y_eval, majority, classes),
        "seconds": round(time.perf_counter() - started, 3),
        "notes": [],
    }
{%- else %}
    from sklearn.dummy import DummyClassifier

    majority = DummyClassifier(strategy="most_frequent").fit(np.zeros((len(y_all), 1)), y_all)  # every image
    predicted = majority.predict(np.zeros((len(y_eval), 1)))
    results["majority"] = {
        "title": "majority class",
        **scores(y_eval, predicted, classes),
        "seconds": round(time.perf_counter() - started, 3),
        "notes": [],
    }
{%- endif %}
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        predicted = linear_probe(x_train, y_train, x_eval)
    title = "linear probe on the backbone" if backbone is not None else "logistic regression on pixels"
    results["linear"] = {
        "title": title,
        **scores(y_eval, predicted, classes),
        "seconds": round(time.perf_counter() - started, 3),
        "notes": notes_of(caught),
    }
    sizes = {"train": len(data.train), split: len(evaluated), "fitted_on": len(chosen)}
    return make_report(cfg, split, results, sizes, split_fingerprint(evaluated), features)


def feature_extractor(cfg: dict[str, Any], num_classes: int, device: torch.device) -> tuple[Any, str]:
{%- if f.pretrained %}
    """The project's pretrained backbone and pooling, frozen and without the head, and a description of the
    features; (None, why) when there are no pretrained weights to use: then the pixels are the features."""
    fallback = f"the pixels, downscaled to {PIXELS}x{PIXELS} (x 3 channels)"
    if cfg["model"]["weights"] is None:
        return None, f"{fallback}: model.weights is null, so there is no pretrained backbone"
    try:
        model = build_model(cfg, num_classes)
    except UserError as exc:
        print(f"note: the pretrained backbone is not available ({exc})", file=sys.stderr)
        return None, f"{fallback}: the pretrained weights could not be loaded (offline?)"
    backbone = torch.nn.Sequential(model.features, model.pool).to(device).eval()
    return backbone, f"the frozen pretrained {{ c.model.backbone }} backbone ({cfg['model']['weights']} weights)"
{%- else %}
    """No pretrained backbone in this project (trained from scratch): the features are the pixels."""
    return None, f"the pixels, downscaled to {PIXELS}x{PIXELS} (x 3 channels): the model trains from scratch"
{%- endif %}


@torch.inference_mode()
def extract(backbone: Any, dataset: Dataset, cfg: dict[str, Any], device: torch.device, desc: str) -> np.ndarray:
    """One feature vector per image: the backbone's pooled output, or the downscaled pixels without one."""
    where = device if backbone is not None else torch.device("cpu")
    workers = worker_count(cfg["data"]["num_workers"])
    loader = DataLoader(dataset, batch_size=cfg["training"]["batch_size"], **loader_options(workers, where))
    chunks = []
    for images, _ in tqdm(loader, desc=desc, leave=False, disable=None):
        images = images.to(where, non_blocking=True)
        out = backbone(images) if backbone is not None else F.adaptive_avg_pool2d(images, PIXELS)
        chunks.append(out.flatten(1).float().cpu())
    return torch.cat(chunks).numpy()  # float32: half the memory of float64 for a large split


def linear_probe(x_train: np.ndarray, y_train: np.ndarray, x_eval: np.ndarray) -> np.ndarray:
{%- if f.multilabel %}
    """Per-label probabilities from one logistic regression per label on standardized features (a label the
    fitted images always or never carry gets that constant)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x_train)
    inputs, outputs = scaler.transform(x_train), scaler.transform(x_eval)
    scores = np.zeros((len(x_eval), y_train.shape[1]))
    for label in range(y_train.shape[1]):
        column = y_train[:, label]
        if column.all() or not column.any():
            scores[:, label] = float(column.all())
            continue
        model = LogisticRegression(max_iter=LOGISTIC_ITERATIONS).fit(inputs, column)
        scores[:, label] = model.predict_proba(outputs)[:, 1]
    return scores
{%- else %}
    """Class predictions of a logistic regression on standardized features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if len(np.unique(y_train)) < 2:
        raise UserError("the training images the linear model learns from hold one class only; raise --max-images")
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=LOGISTIC_ITERATIONS))
    return model.fit(x_train, y_train).predict(x_eval)
{%- endif %}
{%- endif %}


{% if f.regression -%}
def scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """MAE, RMSE and R² in the target's own units, by the function evaluate.py uses."""
    report = regression_report(y_true.tolist(), np.asarray(y_pred, dtype=np.float64).tolist())
    return {name: report[name] for name in METRICS}
{%- elif f.multilabel -%}
def scores(y_true: np.ndarray, probabilities: np.ndarray, labels: list[str]) -> dict[str, float]:
    """Macro and micro F1, per-label accuracy and exact matches at probability 0.5, as evaluate.py computes them."""
    report = multilabel_report(y_true.tolist(), probabilities.tolist(), labels, [0.5] * len(labels))
    return {name: report[name] for name in METRICS}
{%- else -%}
def scores(y_true: np.ndarray, y_pred: np.ndarray, classes: list[str]) -> dict[str, float]:
    """Accuracy and macro F1, by the function evaluate.py uses."""
    report = classification_report(np.asarray(y_true).tolist(), np.asarray(y_pred).tolist(), classes)
    return {name: report[name] for name in METRICS}
{%- endif %}


def notes_of(caught: list[warnings.WarningMessage]) -> list[str]:
    """scikit-learn's warnings while fitting (e.g. no convergence), one line each, without repeats."""
    return list(dict.fromkeys(str(w.message).splitlines()[0] for w in caught if str(w.message).strip()))


def make_report(
    cfg: dict[str, Any],
    split: str,
    results: dict[str, dict[str, Any]],
    sizes: dict[str, int],
    fingerprint: str,
    features: str,
) -> dict[str, Any]:
    """Everything baseline.json holds: the split, its size and fingerprint, the metrics and each baseline's scores."""
    metric = main_metric(cfg)
    lower = metric in LOWER_IS_BETTER
    best = (min if lower else max)(results, key=lambda name: results[name][metric])
    return {
        "task": TASK,
        "split": split,
        "fingerprint": fingerprint,
        "data_path": cfg["data"]["path"],
        "sizes": sizes,
        "metrics": list(METRICS),
        "main_metric": metric,
        "higher_is_better": not lower,
        "features": features,
        "seed": cfg["training"]["seed"],
        "baselines": results,
        "best": best,
    }


def format_table(report: dict[str, Any]) -> str:
    """One line per baseline and its metrics, then the best one."""
    names = {
        "mae": "MAE",
        "rmse": "RMSE",
        "r2": "R²",
        "accuracy": "accuracy",
        "macro_f1": "macro F1",
        "micro_f1": "micro F1",
        "exact_match": "exact match",
    }
    results = report["baselines"]
    width = max(len("baseline"), *(len(row["title"]) for row in results.values()))
    sizes = ", ".join(f"{count} {name}" for name, count in report["sizes"].items() if name != "fitted_on")
    lines = [f"baselines on the {report['split']} split ({sizes} {{ "rows" if f.tabular else "images" }})"]
{%- if not f.tabular %}
    if report["sizes"]["fitted_on"] < report["sizes"]["train"]:
        lines.append(
            f"the linear model learned from {report['sizes']['fitted_on']} of the training images (--max-images)"
        )
{%- endif %}
    lines.append(f"features: {report['features']}")
    lines.append(f"{'baseline':<{width}}  " + "  ".join(f"{names[m]:>11}" for m in report["metrics"]))
    for row in results.values():
        lines.append(f"{row['title']:<{width}}  " + "  ".join(f"{row[m]:11{FORMATS[m]}}" for m in report["metrics"]))
        lines += [f"{'':<{width}}  note: {note}" for note in row["notes"]]
    best = results[report["best"]]
    metric = report["main_metric"]
    lines.append(
        f"best: {best['title']} ({names[metric]} {best[metric]:{FORMATS[metric]}}); evaluate.py compares "
        "the trained model with it"
    )
    return "\n".join(lines)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write to a temporary file, then rename: an interrupted run never leaves a half-written report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
