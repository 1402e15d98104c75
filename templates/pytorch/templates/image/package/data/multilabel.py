class ImageDataset(Dataset):
    """(image tensor, multi-hot label vector) pairs for a list of samples."""

    def __init__(self, samples: list[Sample], class_to_idx: dict[str, int], transform: Any) -> None:
        self.samples = samples
        # (images, labels) of 0/1: the labels each image carries
        self.targets = torch.stack([multi_hot(s.labels, class_to_idx) for s in samples]) if samples else torch.zeros(0)
        self.transform = transform

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[Any, torch.Tensor]:
        return self.transform(load_image(self.samples[index].path)), self.targets[index]


def class_mapping(samples: list[Sample]) -> dict[str, int]:
    """Label name -> index (the model's output for it), names in natural order ('2' before '10')."""
    names = sorted({label for s in samples for label in s.labels}, key=_natural_key)
    if not names:
        raise DataError("no training image carries a label")
    return {name: index for index, name in enumerate(names)}


def check_labels(splits: Splits, class_to_idx: dict[str, int]) -> None:
    """Every label of every split must be a label of the mapping built from the training split."""
    for name in ("train", "val", "test"):
        unseen = Counter(label for s in getattr(splits, name) for label in s.labels if label not in class_to_idx)
        if unseen:
            listed = ", ".join(f"{label!r} ({count} images)" for label, count in unseen.most_common(5))
            raise DataError(
                f"{name} split has labels the training split does not have: {listed}; "
                f"known classes: {', '.join(map(repr, class_to_idx))}. Check spelling, case and spaces, "
                "or leave those images out with data.exclude in config.yaml."
            )


def _all_splits(cfg: dict[str, Any], root: Path) -> Splits:
    """data.layout: a CSV manifest (csv), or a CSV manifest or a folder holding exactly one (auto)."""
    if root.is_dir():
        if cfg["data"]["layout"] == "csv":
            raise DataError(f"{root}: expected a CSV manifest file (data.layout: csv)")
        root = _only_manifest(root)
    return _manifest_splits(cfg, root)


def _manifest_splits(cfg: dict[str, Any], manifest: Path) -> Splits:
    """Rows of a CSV manifest: image path (relative to the CSV) and labels; an optional split column."""
    data = cfg["data"]
    try:
        with manifest.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{manifest}: cannot be read as CSV ({exc})") from None
    label_key = "data.label_columns" if data["label_columns"] else "data.label_column"
    needed = [("data.image_column", data["image_column"])]
    needed += [(label_key, column) for column in data["label_columns"] or [data["label_column"]]]
    for key, column in needed:
        if column not in columns:
            raise DataError(f"{manifest}: no column {column!r} ({key}); columns: {', '.join(columns)}")
    cells = [] if data["label_columns"] else [row[data["label_column"]] or "" for row in rows]
    labels = LabelReader.detect(cfg, cells)
    column = split_column(cfg, columns, manifest)
    by_split: dict[str, list[Sample]] = {"train": [], "val": [], "test": []}
    missing, unlabeled = [], 0
    for line, row in enumerate(rows, start=2):
        path = manifest.parent / (row[data["image_column"]] or "").strip()
        sample = Sample(path, labels.read(row, f"{manifest}: line {line}"))
        if not path.is_file():
            missing.append(row[data["image_column"]])
        else:
            unlabeled += not sample.labels
            split = split_of(row[column] if column else None, column or "split", f"{manifest}: line {line}")
            by_split[split].append(sample)
    if missing:
        raise DataError(f"{manifest}: {len(missing)} rows point to missing files, e.g. {missing[0]!r}")
    if not by_split["train"]:
        raise DataError(f"{manifest}: no training rows")
    notes = [f"{unlabeled} images carry none of the labels (they show the model what no label looks like)"]
    notes = notes if unlabeled else []
    if column and (by_split["val"] or by_split["test"]):
        val = by_split["val"] or by_split["test"]
        source = (
            f"rows the {column!r} column puts in val"
            if by_split["val"]
            else f"rows the {column!r} column puts in test (there are no val rows)"
        )
        return Splits(by_split["train"], val, by_split["test"], source, notes, labels.describe())
    train, val = holdout_split(by_split["train"], data["val_fraction"], cfg["training"]["seed"])
    source = (
        f"{data['val_fraction']:.0%} of the images held out, every label kept in training "
        f"(seed {cfg['training']['seed']})"
    )
    return Splits(train, val, by_split["test"], source, notes, labels.describe())


def _only_manifest(folder: Path) -> Path:
    """The CSV manifest inside a data folder (there must be exactly one)."""
    found = sorted(folder.glob("*.csv"))
    if len(found) != 1:
        listed = ", ".join(p.name for p in found) or "none"
        raise DataError(
            f"{folder}: expected one CSV manifest in the folder (found: {listed}); set data.path to the CSV file"
        )
    return found[0]


def holdout_split(samples: list[Sample], fraction: float, seed: int) -> tuple[list[Sample], list[Sample]]:
    """Hold out `fraction` of the images at random, except images whose label would then be missing from
    training (a label the model never sees in training cannot be learned)."""
    rng = random.Random(seed)
    n_val = min(len(samples) - 1, max(1, round(len(samples) * fraction)))
    left = Counter(label for sample in samples for label in sample.labels)  # training images per label
    train, val = [], []
    for sample in rng.sample(samples, len(samples)):
        if len(val) < n_val and all(left[label] > 1 for label in sample.labels):
            val.append(sample)
            left.subtract(sample.labels)
        else:
            train.append(sample)
    return train, val
