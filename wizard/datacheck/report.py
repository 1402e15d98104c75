"""The data report: the checks found in a dataset, class counts per split, and image statistics."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from wizard.datacheck.pixels import PixelStats
from wizard.vocabulary import imbalance_band

if TYPE_CHECKING:
    from wizard.answers import DataFacts

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
MAX_EXAMPLES = 8
BLOCKING_CHECKS: tuple[str, ...] = (
    "no-training-data", "single-class", "task-layout", "no-readable-images", "target-not-numeric", "target-constant",
)
"""Findings that make training on the data impossible whatever else is chosen (the wizard stops on them)."""
EXCLUDABLE_CHECKS: tuple[str, ...] = (
    "empty-file", "unreadable-file", "not-an-image", "corrupt-image", "image-too-large", "val-label-not-in-train",
    "not-regular-file", "near-duplicate-leakage", "train-val-duplicates",
)
"""Findings settled by leaving the unusable paths out of training (`data.exclude`)."""


def unusable_kept(unusable: list[str], exclude: list[str]) -> list[str]:
    """The unusable paths that `exclude` (paths; a folder ends with /) does not leave out."""
    folders = tuple(path for path in exclude if path.endswith("/"))
    return [path for path in unusable if path not in exclude and not path.startswith(folders)]


def band_text(band: str, lang: str = "en") -> str:
    """What an imbalance band (largest/smallest non-empty class) calls for, in words."""
    from wizard.datacheck.texts import text

    return text(lang, "bands", band)


@dataclass
class Check:
    """One finding: what is wrong (or worth knowing), how often, a few examples, and what to do.

    `title` and `advice` are English; `title_key`, `advice_key` and `params` give them in any language
    (`texts`). Build findings with `finding()`, which fills all of them from the catalogue.
    """

    id: str
    severity: Severity
    title: str
    count: int = 0
    examples: list[str] = field(default_factory=list)
    advice: str = ""
    title_key: str = ""
    advice_key: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.examples = sorted(self.examples, key=natural_key)[:MAX_EXAMPLES]

    def texts(self, lang: str) -> tuple[str, str, list[str]]:
        """(title, advice, examples) in `lang`."""
        from wizard.datacheck.texts import example, text

        if lang == "en" or not self.title_key:
            return self.title, self.advice, self.examples
        params = _localized(self.params, lang)
        advice = text(lang, "advice", self.advice_key, params) if self.advice_key else self.advice
        return (text(lang, "titles", self.title_key, params), advice,
                [example(lang, shown) for shown in self.examples])


def _localized(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Parameters that are texts themselves (`band_key`: an imbalance band) filled in `lang`."""
    if "band_key" in params:
        return {**params, "band": band_text(params["band_key"], lang)}
    return params


def finding(check_id: str, severity: Severity, count: int = 0, examples: list[str] | None = None, *,
            title: str | None = None, advice: str | None = None, **params: Any) -> Check:
    """A Check whose texts come from the catalogue: `title` and `advice` name variants of the texts
    (default: the check's id); `params` fill their placeholders."""
    from wizard.datacheck.texts import text

    title_key, advice_key = title or check_id, advice or check_id
    shown = _localized(params, "en")
    return Check(check_id, severity, text("en", "titles", title_key, shown), count, list(examples or []),
                 text("en", "advice", advice_key, shown), title_key, advice_key, params)


def natural_key(text: str) -> list[str | int]:
    """Sort key that orders 'row 9' before 'row 10'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


@dataclass
class ImageSummary:
    """Sizes, modes and formats of the images that could be read."""

    count: int = 0
    min_size: tuple[int, int] = (0, 0)
    median_size: tuple[int, int] = (0, 0)
    max_size: tuple[int, int] = (0, 0)
    modes: dict[str, int] = field(default_factory=dict)
    formats: dict[str, int] = field(default_factory=dict)
    exif_rotated: int = 0
    pixels: PixelStats | None = None
    """Colour statistics of a sample of the training images."""


@dataclass
class ScanStats:
    """How the scan went: files inspected, decoded now, or taken from the cache."""

    files: int = 0
    decoded: int = 0
    cached: int = 0
    workers: int = 1


@dataclass
class DataReport:
    """Everything the data checks found; feeds the CLI, the UI's data step, the knowledge rules and the
    generated project's reports/data_report.md."""

    path: str
    layout: str
    task: str
    splits: dict[str, dict[str, int]] = field(default_factory=dict)
    """Split name -> class -> samples (multi-label: label -> positives; regression: empty)."""
    split_sizes: dict[str, int] = field(default_factory=dict)
    """Split name -> samples (items or rows)."""
    checks: list[Check] = field(default_factory=list)
    label_format: str = ""
    label_column: str | None = None
    label_columns: list[str] = field(default_factory=list)
    image_column: str | None = None
    feature_columns: list[str] = field(default_factory=list)
    """Tabular: the input columns (every column but the target and the split)."""
    backbone: str | None = None
    images: ImageSummary | None = None
    stats: ScanStats = field(default_factory=ScanStats)
    unusable: list[str] = field(default_factory=list)
    """Paths (relative to the data folder; a folder ends with /) that training cannot use: files that cannot
    be read as images, validation/test samples whose labels the training split lacks, and validation/test
    near duplicates of images in an earlier split (leakage). The wizard recommends them for `data.exclude`."""
    unusable_outside: list[str] = field(default_factory=list)
    """Unusable files outside the data folder (a manifest's ../ paths), which `data.exclude` cannot name:
    they must be fixed, or their rows removed."""

    def __post_init__(self) -> None:
        self.checks = sorted(self.checks, key=lambda c: SEVERITY_ORDER[c.severity])

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.severity == "error"]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.severity == "warning"]

    @property
    def blocking(self) -> Check | None:
        """The first finding that makes this data unusable for training (None when it can train)."""
        return next((c for c in self.checks if c.id in BLOCKING_CHECKS), None)

    def findings_left(self, exclude: list[str]) -> list[Check]:
        """The errors and warnings that still matter once `exclude` is left out of training."""
        settled = not unusable_kept(self.unusable, exclude) and not self.unusable_outside
        return [c for c in self.checks if c.severity != "info" and not (settled and self._excludable(c))]

    def _excludable(self, check: Check) -> bool:
        # data.exclude names image files: a table's rows shared by training and validation stay until the CSV
        # is filtered.
        return check.id in EXCLUDABLE_CHECKS and not (check.id == "train-val-duplicates" and self.layout == "tabular-csv")

    def first_error(self) -> str:
        """The first error's title with its first example, for a one-line message ('' when there is none)."""
        error = next(iter(self.errors), None)
        if error is None:
            return ""
        return error.title + (f": {error.examples[0]}" if error.examples else "")

    @property
    def has_errors(self) -> bool:
        return any(c.severity == "error" for c in self.checks)

    @property
    def num_samples(self) -> int:
        return self.split_sizes.get("train", 0)

    @property
    def num_val_samples(self) -> int:
        return self.split_sizes.get("val", 0)

    @property
    def class_counts(self) -> dict[str, int]:
        """Training samples per class (or positives per label)."""
        return dict(self.splits.get("train", {}))

    @property
    def imbalance_ratio(self) -> float | None:
        """Largest / smallest non-empty class in train; None without at least two non-empty classes."""
        counts = [n for n in self.class_counts.values() if n > 0]
        if len(counts) < 2:
            return None
        return max(counts) / min(counts)

    @property
    def imbalance_band(self) -> str | None:
        """none | class-weights | oversample | collect-more-data (None when not applicable)."""
        counts = [n for n in self.class_counts.values() if n > 0]
        return imbalance_band(self.imbalance_ratio, min(counts) if counts else None)

    def check(self, check_id: str) -> Check | None:
        """The check with this id, if it was raised."""
        return next((c for c in self.checks if c.id == check_id), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict of the whole report (with the derived figures)."""
        data = asdict(self)
        data["summary"] = {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "num_samples": self.num_samples,
            "num_val_samples": self.num_val_samples,
            "imbalance_ratio": None if self.imbalance_ratio is None else round(self.imbalance_ratio, 3),
            "imbalance_band": self.imbalance_band,
        }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DataReport:
        """The report back from to_dict()'s output (raises KeyError/TypeError on malformed input)."""
        fields = {k: v for k, v in data.items() if k not in ("summary", "checks", "images", "stats")}
        images = data["images"]
        if images is not None:
            sizes = {k: tuple(images[k]) for k in ("min_size", "median_size", "max_size")}
            pixels = images.get("pixels")
            if pixels is not None:
                pixels = PixelStats(**{**pixels, "mean": tuple(pixels["mean"]), "std": tuple(pixels["std"])})
            images = ImageSummary(**{**images, **sizes, "pixels": pixels})
        return cls(**fields, checks=[Check(**c) for c in data["checks"]], images=images,
                   stats=ScanStats(**data["stats"]))

    def facts(self) -> DataFacts:
        """The summary the knowledge rules (and .trainwizard.yml) use."""
        from wizard.answers import DataFacts

        return DataFacts(
            num_samples=self.num_samples,
            num_val_samples=self.num_val_samples,
            class_counts=self.class_counts,
            errors=len(self.errors),
            warnings=len(self.warnings),
            label_column=self.label_column if not self.label_columns else None,
            label_columns=list(self.label_columns),
            image_column=self.image_column,
            unusable=list(self.unusable),
            task=self.task,
            **self._image_facts(),
            num_features=len(self.feature_columns) if self.layout == "tabular-csv" else None,
        )

    def _image_facts(self) -> dict[str, Any]:
        summary = self.images
        if summary is None:
            return {}
        facts: dict[str, Any] = {"image_side": min(summary.median_size) or None}
        pixels = summary.pixels
        if pixels is not None:
            facts.update(grayscale=pixels.grayscale, extreme_share=pixels.extreme_share,
                         pixel_mean=list(pixels.mean), pixel_std=list(pixels.std))
        return facts
