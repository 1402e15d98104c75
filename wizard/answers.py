"""The answers file (SPEC §3): pydantic models, YAML load/save, and readable validation errors."""

from __future__ import annotations

import difflib
import errno
import keyword
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, get_args

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from wizard import timm_models, vocabulary
from wizard.combinations import combination_problems
from wizard.errors import AnswersError
from wizard.escape import is_control, yaml_dump
from wizard.safeyaml import MAX_BYTES, compose_yaml, describe_yaml_error, load_yaml

ANSWERS_VERSION = 1

Task = Literal[vocabulary.TASKS]
Layout = Literal["auto", "imagefolder", "csv"]
Source = Literal[vocabulary.MODEL_SOURCES]
PretrainedBackbone = Literal[vocabulary.PRETRAINED_BACKBONES]
ScratchBackbone = Literal[vocabulary.SCRATCH_BACKBONES]
Backbone = Literal[PretrainedBackbone, ScratchBackbone]
"""The curated backbone names; `model.backbone` also takes timm/<architecture>[.<tag>] (TimmOrCurated)."""
Freeze = Literal[vocabulary.FREEZES]
Normalization = Literal["batchnorm", "frozen-batchnorm", "groupnorm", "instancenorm", "layernorm", "none"]
Augmentation = Literal[
    "hflip", "vflip", "rotate90", "random-resized-crop", "color-jitter", "rotation", "trivial-augment"
]
ImageDomain = Literal["natural", "documents", "medical", "aerial", "microscopy", "drawings", "other"]
Monitor = Literal["val_loss", "val_accuracy", "val_macro_f1", "val_micro_f1", "val_mae", "val_rmse", "val_r2"]
ImbalanceStrategy = Literal[vocabulary.IMBALANCE_STRATEGIES]
Optimizer = Literal["sgd", "adam", "adamw"]
Scheduler = Literal["none", "cosine", "step", "onecycle"]
Precision = Literal["auto", "fp32", "bf16", "fp16"]
Distributed = Literal["none", "ddp"]
Tracker = Literal[vocabulary.TRACKERS]
ValueSource = Literal[vocabulary.SOURCES]
TABULAR_TASKS = vocabulary.TABULAR_TASKS  # tests/e2e import it from here


MAX_SLUG_LENGTH = 64  # the slug names the project folder and the package: well inside every OS's name limit


def _no_bool(value: Any) -> Any:
    # pydantic reads true as 1 in its lax mode; a yes/no where a number belongs is a mistake worth naming.
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "got {value}, a yes/no value; allowed: a number",
                                  {"value": str(value).lower()})
    return value


Int = Annotated[int, BeforeValidator(_no_bool)]
Float = Annotated[float, BeforeValidator(_no_bool)]


def _backbone(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    # timm names are checked against the shipped list (read only now); the rest are the curated Literal names.
    if timm_models.is_timm(value):
        problem = timm_models.name_problem(value)
        if problem is not None:
            raise PydanticCustomError("timm_backbone", "{problem}", {"problem": problem})
        return value
    return handler(value)


@dataclass(frozen=True)
class TypedNames:
    """Marks a choice that also takes typed names starting with `prefix` (the TUI adds a text input for them);
    `example` is one that fits wherever such names are allowed at all."""

    prefix: str
    example: str


TimmOrCurated = Annotated[
    Backbone,
    WrapValidator(_backbone),
    TypedNames(timm_models.PREFIX, "timm/convnext_atto"),  # has weights: fits source pretrained and scratch
    WithJsonSchema({"anyOf": [
        {"enum": list(vocabulary.BACKBONES)},
        {"type": "string", "pattern": r"^timm/[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)?$",
         "description": "a timm model: timm/<architecture>[.<tag>], e.g. timm/resnet18.a1_in1k"},
    ]}),
]


def _check_text(value: Any, allowed: str) -> None:
    """Refuse control characters, line separators and lone surrogates in every string of `value`."""
    if isinstance(value, str):
        bad = next((c for c in value if is_control(c) and c not in allowed), None)
        if bad is not None:
            category = unicodedata.category(bad)
            what = {"Cs": "a lone surrogate", "Zl": "the line separator", "Zp": "the paragraph separator"}.get(
                category, "the control character")
            raise PydanticCustomError(
                "control_character", "contains {what} {char}; allowed: printable text on one line{extra}",
                {"what": what, "char": ascii(bad),
                 "extra": " (tabs allowed)" if "\t" in allowed else ""},
            )
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_text(item, allowed)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, allowed)
            _check_text(item, allowed)


class _Section(BaseModel):
    """Base of every section: unknown keys are errors, numbers finite, text printable; field docstrings become
    descriptions."""

    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, validate_default=True, allow_inf_nan=False
    )
    _TABS_ALLOWED: ClassVar[tuple[str, ...]] = ()
    """Fields whose text may hold tabs (free prose)."""
    _CHECK_TEXT: ClassVar[bool] = True
    """False where the strings come from the data (file and class names), not from the user."""

    @field_validator("*")
    @classmethod
    def _printable_text(cls, value: Any, info: ValidationInfo) -> Any:
        if cls._CHECK_TEXT:
            _check_text(value, "\t" if info.field_name in cls._TABS_ALLOWED else "")
        return value


class Project(_Section):
    _TABS_ALLOWED = ("description",)

    name: str = Field(min_length=1, max_length=200)
    """Human-readable project name (free text)."""
    slug: str | None = None
    """Python package name of the project; derived from the name when left out."""
    description: str = ""
    """One-line description (free text)."""
    author: str = ""
    """Author or team (free text)."""

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank", "must not be blank")
        return value

    @field_validator("slug")
    @classmethod
    def _slug_is_identifier(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if len(value) > MAX_SLUG_LENGTH:
            raise PydanticCustomError(
                "slug_too_long", "is {length} characters long; allowed: at most {limit} (it names the project "
                "folder and the Python package)", {"length": len(value), "limit": MAX_SLUG_LENGTH},
            )
        if not value.isidentifier() or not value.isascii() or keyword.iskeyword(value):
            raise PydanticCustomError(
                "not_a_package_name",
                "{value} is not a valid Python package name; use lowercase letters, digits and '_', "
                "starting with a letter (no paths, no spaces, no dashes)", {"value": repr(value)},
            )
        return value

    @model_validator(mode="after")
    def _derive_slug(self) -> Project:
        if self.slug is None:
            # Set without marking it as given: a derived slug is not the user's answer.
            self.__dict__["slug"] = slugify(self.name)
        return self


class Data(_Section):
    path: str = "data"
    """Dataset location: an ImageFolder root or a CSV file (relative to the answers file)."""
    layout: Layout = "auto"
    """How the dataset is organised; auto detects it."""
    label_column: str = "label"
    """CSV: the target column (multi-label: one column of separated labels)."""
    label_columns: list[str] = Field(default_factory=list)
    """CSV multi-label given as several 0/1 columns (leave empty to use label_column)."""
    image_column: str = "path"
    """CSV manifests of images: the column with image paths (relative to the CSV)."""
    val_fraction: Float = Field(default=0.2, gt=0, lt=1)
    """Share of the data held out for validation when the data has no validation split."""
    image_size: Int = Field(default=224, ge=32, le=2048)
    """Side length in pixels that images are resized/cropped to (32 or more: the networks downsample 32x)."""
    domain: ImageDomain = "natural"
    """Images: what they show — natural (photos like ImageNet's), documents (text, digits, symbols), medical,
    aerial (or satellite), microscopy, drawings (or synthetic renders), other."""
    mirror_keeps_label: bool = True
    """Images: a mirror image keeps its label (false for text and digits, and for scans where left/right
    matters)."""
    exclude: list[str] = Field(default_factory=list)
    """Images training leaves out: paths relative to the data folder (comma-separated; a folder ends with /)."""

    @field_validator("exclude")
    @classmethod
    def _relative_paths(cls, value: list[str]) -> list[str]:
        cleaned = []
        for entry in value:
            path = entry.strip().replace("\\", "/")
            parts = path.rstrip("/").split("/")
            if not path.strip("/"):
                raise PydanticCustomError("empty_path", "lists an empty path; allowed: paths relative to the data folder")
            if path.startswith("/") or re.match(r"[A-Za-z]:", path) or ".." in parts:
                raise PydanticCustomError(
                    "outside_data", "{entry} is not inside the data folder; allowed: paths relative to it, such as "
                    "train/cat/001.jpg or val/stray_class/", {"entry": repr(entry)},
                )
            cleaned.append(path)
        return cleaned


class ModelChoice(_Section):
    source: Source = vocabulary.PRETRAINED
    """Start from pretrained weights or train from scratch."""
    backbone: TimmOrCurated = vocabulary.DEFAULT_PRETRAINED
    """Network architecture: one of the list, or a timm model as timm/<architecture>[.<tag>] (the tag picks
    pretrained weights)."""
    freeze: Freeze = "early-layers"
    """Which pretrained layers stay frozen during training."""
    unfreeze_epoch: Int = Field(default=3, ge=1, le=1000)
    """freeze: gradual — the epoch from which the whole backbone trains."""
    head_dropout: Float = Field(default=0.5, ge=0, lt=1)
    """Dropout rate before the classification head (and in hidden dense layers)."""
    multiscale_pooling: bool = False
    """Spatial pyramid pooling (1x1, 2x2, 4x4) before the head, to capture context at several scales."""
    hidden_sizes: list[Int] = Field(default_factory=lambda: [256, 128], min_length=1, max_length=6)
    """Tables: the width of each hidden layer of the MLP (1 to 6 layers)."""

    @field_validator("hidden_sizes")
    @classmethod
    def _layer_widths(cls, value: list[int]) -> list[int]:
        if any(not 1 <= width <= 65536 for width in value):
            raise PydanticCustomError("layer_width", "has a layer width outside 1..65536")
        return value


class EarlyStopping(_Section):
    enabled: bool = True
    """Stop when the monitored metric stops improving."""
    patience: Int = Field(default=5, ge=1, le=1000)
    """Epochs without improvement before stopping."""
    monitor: Monitor = "val_macro_f1"
    """The validation metric watched for improvement."""
    min_delta: Float = Field(default=0.0, ge=0)
    """The smallest change that counts as an improvement."""


class Regularization(_Section):
    augmentation: list[Augmentation] = Field(
        default_factory=lambda: ["hflip", "random-resized-crop", "color-jitter", "rotation"]
    )
    """Training-time image augmentations (training split only)."""
    l1: Float = Field(default=0.0, ge=0, lt=1)
    """L1 penalty factor on weights (sparse weights; 0 turns it off)."""
    l2: Float = Field(default=0.0001, ge=0, lt=1)
    """Weight decay (L2) on weights, never on normalization or bias parameters."""
    dropconnect: Float = Field(default=0.0, ge=0, lt=1)
    """DropConnect rate on the weights of the head's linear layers."""
    spatial_dropout: Float = Field(default=0.0, ge=0, lt=1)
    """Dropout2d rate after the early conv blocks of the scratch CNN."""
    early_stopping: EarlyStopping = Field(default_factory=EarlyStopping)
    """Early stopping on a validation metric."""

    @field_validator("augmentation")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists an augmentation twice")
        return value


class Imbalance(_Section):
    strategy: ImbalanceStrategy = "class-weights"
    """How class imbalance is corrected."""
    focal_gamma: Float = Field(default=2.0, ge=0, le=10)
    """focal: the focusing parameter gamma."""


class Training(_Section):
    batch_size: Int = Field(default=32, ge=1, le=65536)
    """Samples per step (per GPU under DDP)."""
    epochs: Int = Field(default=30, ge=1, le=100000)
    """Maximum number of passes over the training data."""
    optimizer: Optimizer = "adamw"
    """The optimizer."""
    lr: Float = Field(default=0.0003, gt=0, le=10)
    """Learning rate."""
    scheduler: Scheduler = "cosine"
    """Learning-rate schedule."""
    precision: Precision = "auto"
    """Numeric precision (auto: bf16/fp16 autocast on CUDA, fp32 on CPU)."""
    distributed: Distributed = "none"
    """ddp: DistributedDataParallel under torchrun."""
    tracker: Tracker = "none"
    """Also log parameters, metrics and figures to TensorBoard, MLflow or W&B (the CSV and PNGs are always written)."""
    seed: Int = Field(default=42, ge=0, le=2**32 - 1)
    """Random seed for splits, initialisation and shuffling."""


class DataFacts(_Section):
    """What the data scan found, recorded so re-rendering explains the same recommendations."""

    _CHECK_TEXT = False  # class names and paths are the dataset's; every writer escapes them

    num_samples: Int = Field(default=0, ge=0)
    """Training samples found."""
    num_val_samples: Int = Field(default=0, ge=0)
    """Validation samples found (0 when split by val_fraction)."""
    class_counts: dict[str, Int] = Field(default_factory=dict)
    """Training samples per class (or per label)."""
    errors: Int = Field(default=0, ge=0)
    """Data-check errors found."""
    warnings: Int = Field(default=0, ge=0)
    """Data-check warnings found."""
    label_column: str | None = None
    """CSV data: the label column the scan found (used when data.label_column is left out)."""
    label_columns: list[str] = Field(default_factory=list)
    """CSV multi-label data: the 0/1 label columns the scan found."""
    image_column: str | None = None
    """CSV manifests: the image path column the scan found."""
    unusable: list[str] = Field(default_factory=list)
    """Paths training cannot use (unreadable images, validation labels unseen in training)."""
    task: Task | None = None
    """The task the data shows (a table with a numeric target, class folders ...), used when `task` is left out."""
    image_side: Int | None = None
    """Images: the median image's shorter side in pixels."""
    grayscale: bool | None = None
    """Images: True when the sampled images carry no colour."""
    extreme_share: Float | None = None
    """Images: share of near-black or near-white pixels (high for text, digits, scanned pages)."""
    pixel_mean: list[Float] = Field(default_factory=list)
    """Images: per-channel (R, G, B) mean of the training images on a 0–1 scale."""
    pixel_std: list[Float] = Field(default_factory=list)
    """Images: per-channel (R, G, B) standard deviation of the training images on a 0–1 scale."""
    num_features: Int | None = None
    """Tables: the number of input columns."""


class Meta(_Section):
    """Written by trainwizard into .trainwizard.yml; hand-written answers files leave it out."""

    trainwizard_version: str = ""
    """The trainwizard version that rendered the project."""
    template: str = "pytorch"
    """The template that rendered the project."""
    sources: dict[str, ValueSource] = Field(default_factory=dict)
    """Where each resolved value came from: your answer, recommended for your situation, or a default."""
    facts: DataFacts | None = None
    """The data scan's summary at generation time."""
    lang: Literal["en", "zh"] = "en"
    """Language of the generated README's explanations."""


class Answers(_Section):
    """A whole project: the answers file, version 1."""

    version: int = ANSWERS_VERSION
    """Answers-file format version."""
    project: Project
    """Name and package of the generated project."""
    task: Task = vocabulary.IMAGE_CLASSIFICATION
    """What the model predicts."""
    data: Data = Field(default_factory=Data)
    """Where the data is and how it is organised."""
    model: ModelChoice = Field(default_factory=ModelChoice)
    """Backbone, pretrained weights and freezing."""
    normalization: Normalization = "batchnorm"
    """Normalization layer of the network."""
    regularization: Regularization = Field(default_factory=Regularization)
    """Defenses against overfitting."""
    imbalance: Imbalance = Field(default_factory=Imbalance)
    """Class-imbalance strategy."""
    training: Training = Field(default_factory=Training)
    """Optimisation settings."""
    meta: Meta = Field(default_factory=Meta)
    """Bookkeeping written by trainwizard (leave out in hand-written files)."""

    @field_validator("version", mode="before")
    @classmethod
    def _supported_version(cls, value: Any) -> Any:
        if value != ANSWERS_VERSION:
            raise ValueError(f"version {value!r} is not supported; allowed: {ANSWERS_VERSION}")
        return value

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Answers:
        # A partial parse (keys still to be filled by recommendations) checks single fields only.
        if not (info.context or {}).get("partial"):
            for problem in combination_problems(self):
                raise ValueError(problem)
        return self

    @property
    def slug(self) -> str:
        assert self.project.slug is not None  # filled by Project._derive_slug
        return self.project.slug


def slugify(name: str) -> str:
    """A valid Python package name made from free text ('Leaf Disease v2' -> 'leaf_disease_v2'); other
    scripts are transliterated ('叶片分类' -> 'xie_pian_fen_lei', 'Café' -> 'cafe')."""
    if not name.isascii():
        from text_unidecode import unidecode  # Chinese as pinyin syllables, accents dropped

        name = unidecode(name)
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", name.encode("ascii", "ignore").decode()).strip("_").lower()
    slug = slug[:MAX_SLUG_LENGTH - len("_project")].rstrip("_")  # room for the prefix or suffix below
    if not slug:
        slug = "project"
    if slug[0].isdigit():
        slug = "p_" + slug
    if keyword.iskeyword(slug):
        slug += "_project"
    return slug


# --- loading -----------------------------------------------------------------------------------------------


def load_answers_data(path: Path) -> dict[str, Any]:
    """Read an answers file into a plain mapping (not yet validated); relative data paths are resolved."""
    data, _ = _read_yaml(path)
    _resolve_data_path(data, path)
    return data


def load_answers(path: Path, *, partial: bool = False) -> Answers:
    """Read and validate an answers file; every problem becomes an AnswersError naming the key and line."""
    data, text = _read_yaml(path)
    _resolve_data_path(data, path)
    return validate_answers(data, source=str(path), text=text, partial=partial)


def explicit_keys(model: BaseModel, prefix: str = "") -> set[str]:
    """Dotted paths of the leaf keys that were given explicitly (not filled by defaults)."""
    keys: set[str] = set()
    for name in model.model_fields_set:
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel) and name != "meta":
            keys |= explicit_keys(value, path + ".")
        else:
            keys.add(path)
    return keys


def leaf_keys(model_type: type[BaseModel] | None = None, prefix: str = "") -> list[str]:
    """Dotted paths of every leaf key of the answers file, in file order (meta excluded)."""
    model_type = model_type or Answers
    keys: list[str] = []
    for name, field in model_type.model_fields.items():
        if name == "meta":
            continue
        sub = field.annotation if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel) else None
        keys.extend(leaf_keys(sub, f"{prefix}{name}.") if sub else [f"{prefix}{name}"])
    return keys


def get_dotted(data: Any, dotted: str) -> Any:
    """The value at a dotted path of a model or mapping."""
    node = data
    for part in dotted.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def validate_answers(
    data: Any, *, source: str = "answers", text: str | None = None, partial: bool = False
) -> Answers:
    """Validate a mapping as Answers, turning pydantic's errors into short 'line N: key: message' lines.

    `partial=True` checks each value but not combinations, because keys left out are still to be filled
    by the recommendations; `explicit_keys()` then tells which keys the user actually gave.
    """
    if not isinstance(data, dict):
        raise AnswersError(f"{source}: the answers must be a mapping of keys (like 'project:'), not {_kind(data)}")
    try:
        return Answers.model_validate(data, context={"partial": partial})
    except ValidationError as exc:
        problems = validation_problems(exc, data)
        error = AnswersError(f"{source}: {_problems(len(problems))} in the answers")
        error.problems = problems
        raise _with_lines(error, text) from None


def locate_error(error: AnswersError, path: Path) -> AnswersError:
    """The same error, naming the answers file and the line of each key (for problems found after loading)."""
    problems = getattr(error, "problems", None)
    if not problems:
        return error
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    located = AnswersError(f"{path}: {_problems(len(problems))} in the answers")
    located.problems = problems
    return _with_lines(located, text)


def _problems(count: int) -> str:
    return "1 problem" if count == 1 else f"{count} problems"


def _with_lines(error: AnswersError, text: str | None) -> AnswersError:
    lines_by_key = key_lines(text) if text else {}
    error.details = []
    for key, message in error.problems:
        line = _nearest_line(lines_by_key, tuple(key.split(".")))
        error.details.append(f"{'line ' + str(line) + ': ' if line else ''}{key}: {message}")
    return error


def _read_yaml(path: Path) -> tuple[Any, str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AnswersError(f"{path}: no such answers file") from None
    except IsADirectoryError:
        raise AnswersError(f"{path}: is a directory; expected a YAML answers file") from None
    except OSError as exc:
        raise AnswersError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise AnswersError(f"{path}: is {len(raw):,} bytes; allowed: an answers file of at most {MAX_BYTES:,} bytes")
    if b"\0" in raw:
        raise AnswersError(f"{path}: is a binary file; expected a YAML answers file (text)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswersError(f"{path}: is not UTF-8 text; expected a YAML answers file") from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise AnswersError(f"{path}: {describe_yaml_error(exc)}") from None
    if data is None:
        raise AnswersError(f"{path}: is empty; an answers file needs at least 'project: {{name: ...}}'")
    if not isinstance(data, dict):
        raise AnswersError(f"{path}: the answers must be a mapping of keys (like 'project:'), not {_kind(data)}")
    return data, text


def _resolve_data_path(data: dict[str, Any], answers_file: Path) -> None:
    meta = data.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("sources"), dict) and meta["sources"].get("data.path") == "default":
        return  # the default path is the project's own data/ folder, wherever the project is rendered
    section = data.get("data")
    if isinstance(section, dict) and isinstance(section.get("path"), str):
        candidate = Path(section["path"]).expanduser()
        if not candidate.is_absolute():
            try:
                section["path"] = str((answers_file.parent / candidate).resolve())
            except (RuntimeError, OSError) as exc:  # RuntimeError: Python < 3.13's "Symlink loop"
                loop = isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP
                reason = "is a symbolic link loop" if loop else f"cannot be followed ({exc.strerror})"
                raise AnswersError(
                    f"{answers_file}: data.path: {section['path']!r} {reason}; allowed: a folder or CSV file"
                ) from None


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def validation_problems(exc: ValidationError, data: Any = None) -> list[tuple[str, str]]:
    """Pydantic's errors as (dotted key, short message) pairs, with "did you mean" for misspelt keys."""
    problems: list[tuple[str, str]] = []
    for err in exc.errors(include_url=False):
        loc = tuple(str(p) for p in err["loc"])
        key = ".".join(loc) or "(top level)"
        message = _describe(err, loc, data)
        if err["type"] == "value_error" and not loc and ":" in message:
            key, message = (part.strip() for part in message.split(":", 1))
        problems.append((key, message))
    return problems


def _describe(err: dict[str, Any], loc: tuple[str, ...], data: Any) -> str:
    kind = err["type"]
    msg = str(err["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        hint = difflib.get_close_matches(loc[-1], allowed, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        return f"unknown key{suggestion} (allowed here: {', '.join(allowed)})"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        timm = f", or {timm_models.FORM}" if loc[-2:] == ("model", "backbone") else ""
        return f"{err.get('input')!r} is not allowed; allowed: {expected.replace(' or ', ', ')}{timm}"
    if kind == "missing":
        return "is required"
    if kind == "string_unicode":
        return "contains a lone surrogate, which is not valid Unicode text; allowed: printable text"
    return msg


def _allowed_keys(loc: tuple[str, ...]) -> list[str]:
    model: type[BaseModel] = Answers
    for part in loc:
        field = model.model_fields.get(part)
        annotation = field.annotation if field else None
        candidates = [a for a in (get_args(annotation) or (annotation,)) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not candidates:
            return []
        model = candidates[0]
    return list(model.model_fields)


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each key path of a YAML mapping to its 1-based line number."""
    try:
        root = compose_yaml(text)
    except yaml.YAMLError:
        return {}
    found: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, prefix: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                path = (*prefix, str(key_node.value))
                found[path] = key_node.start_mark.line + 1
                walk(value_node, path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                path = (*prefix, str(index))
                found[path] = item.start_mark.line + 1
                walk(item, path)

    if root is not None:
        walk(root, ())
    return found


def _nearest_line(lines: dict[tuple[str, ...], int], loc: tuple[str, ...]) -> int | None:
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


# --- saving ------------------------------------------------------------------------------------------------


def answers_to_dict(answers: Answers, *, relative_to: Path | None = None) -> dict[str, Any]:
    """Every key of the answers, in file order; the data path made relative to `relative_to` when given."""
    data = answers.model_dump(mode="json")
    if relative_to is not None:
        data["data"]["path"] = relative_path(data["data"]["path"], relative_to)
    return data


def relative_path(path: str, start: Path) -> str:
    """`path` relative to `start` when both are on the same drive, else unchanged."""
    import os

    if not Path(path).is_absolute():
        return path
    try:
        return Path(os.path.relpath(path, start)).as_posix()
    except ValueError:
        return path


def dump_answers_yaml(answers: Answers, *, relative_to: Path | None = None) -> str:
    """The answers as YAML text (deterministic: fixed key order, no aliases)."""
    header = "# trainwizard answers (version 1). Edit and run `trainwizard update` to apply.\n"
    return header + yaml_dump(answers_to_dict(answers, relative_to=relative_to))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the answers file, for editors."""
    schema = Answers.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "trainwizard answers file (version 1)"
    return schema


def set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set data['a']['b'] = value for 'a.b', creating mappings on the way."""
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise AnswersError(f"{dotted}: '{part}' is not a section, so it has no key '{parts[-1]}'")
        node = child
    node[parts[-1]] = value


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse a KEY=VALUE override: the value is read as YAML (numbers, booleans, lists) by the answers file's
    reader and limits; text that is not valid YAML is taken as a string."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise AnswersError(f"--set {text!r}: expected KEY=VALUE, for example training.batch_size=64")
    try:
        value = load_yaml(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key.strip(), value
