class ImageDataset(Dataset):
    """(image tensor, class index) pairs for a list of samples."""

    def __init__(self, samples: list[Sample], class_to_idx: dict[str, int], transform: Any) -> None:
        self.samples = samples
        self.targets = [class_to_idx[s.label] for s in samples]
        self.transform = transform

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[Any, int]:
        return self.transform(load_image(self.samples[index].path)), self.targets[index]


def class_mapping(samples: list[Sample]) -> dict[str, int]:
    """Class name -> index, names in natural order ('2' before '10')."""
    names = sorted({s.label for s in samples}, key=_natural_key)
    if len(names) < 2:
        raise DataError(f"the training split has {len(names)} class(es); classification needs at least 2")
    return {name: index for index, name in enumerate(names)}


def check_labels(splits: Splits, class_to_idx: dict[str, int]) -> None:
    """Every label of every split must be a class of the mapping built from the training split."""
    for name in ("train", "val", "test"):
        unseen = Counter(s.label for s in getattr(splits, name) if s.label not in class_to_idx)
        if unseen:
            listed = ", ".join(f"{label!r} ({count} images)" for label, count in unseen.most_common(5))
            raise DataError(
                f"{name} split has labels the training split does not have: {listed}; "
                f"known classes: {', '.join(map(repr, class_to_idx))}. Check spelling, case and spaces, "
                "or leave those images out with data.exclude in config.yaml."
            )


def _all_splits(cfg: dict[str, Any], root: Path) -> Splits:
    """data.layout: a folder of class folders (imagefolder), a CSV manifest (csv), or whichever data.path is (auto)."""
    layout = cfg["data"]["layout"]
    if layout == "imagefolder" and not root.is_dir():
        raise DataError(f"{root}: expected a folder of class folders (data.layout: imagefolder)")
    if layout == "csv" and not root.is_file():
        raise DataError(f"{root}: expected a CSV manifest file (data.layout: csv)")
    return _manifest_splits(cfg, root) if root.is_file() else _folder_splits(cfg, root)


IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp"})


def _folder_splits(cfg: dict[str, Any], root: Path) -> Splits:
    """root/<class>/* split by val_fraction, or root/{train,val,test}/<class>/*."""
    subdirs = {d.name.lower(): d for d in _visible_dirs(root)}
    found = {split: next((subdirs[n] for n in names if n in subdirs), None) for split, names in SPLIT_NAMES.items()}
    notes: list[str] = []
    if found["train"] is None:
        samples = _class_folder_samples(root, notes)
        train, val = stratified_split(samples, cfg["data"]["val_fraction"], cfg["training"]["seed"])
        source = f"{cfg['data']['val_fraction']:.0%} of each class held out (seed {cfg['training']['seed']})"
        return Splits(train, val, val_source=source, notes=notes)
    train = _class_folder_samples(found["train"], notes)
    test = _class_folder_samples(found["test"], notes) if found["test"] else []
    if found["val"] is not None:
        val, source = _class_folder_samples(found["val"], notes), f"the {found['val'].name}/ folder"
    elif test:
        val, source = test, f"the {found['test'].name}/ folder (there is no val/ folder)"
    else:
        train, val = stratified_split(train, cfg["data"]["val_fraction"], cfg["training"]["seed"])
        source = f"{cfg['data']['val_fraction']:.0%} of each class in {found['train'].name}/ held out"
    return Splits(train, val, test, val_source=source, notes=notes)


def _class_folder_samples(folder: Path, notes: list[str]) -> list[Sample]:
    samples = []
    for class_dir in _visible_dirs(folder):
        files = _image_files(class_dir)
        if not files:
            notes.append(f"{class_dir}: empty class folder (skipped)")
        samples += [Sample(path, class_dir.name) for path in files]
    loose = [p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS]
    if loose:
        notes.append(f"{folder}: {len(loose)} images outside class folders (skipped), e.g. {loose[0]}")
    if not samples:
        raise DataError(f"{folder}: no images in class folders (expected {folder}/<class name>/<image>)")
    return samples


def _visible_dirs(folder: Path) -> list[Path]:
    return sorted(d for d in folder.iterdir() if d.is_dir() and not _hidden(d.name))


def _image_files(folder: Path) -> list[Path]:
    files = []
    for parent, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        files += [
            Path(parent, n) for n in sorted(names) if not _hidden(n) and Path(n).suffix.lower() in IMAGE_EXTENSIONS
        ]
    return files


def _manifest_splits(cfg: dict[str, Any], manifest: Path) -> Splits:
    """Rows of a CSV manifest: image path (relative to the CSV) and label; an optional split column."""
    image_column, label_column = cfg["data"]["image_column"], cfg["data"]["label_column"]
    try:
        with manifest.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{manifest}: cannot be read as CSV ({exc})") from None
    for key, column in (("data.image_column", image_column), ("data.label_column", label_column)):
        if column not in columns:
            raise DataError(f"{manifest}: no column {column!r} ({key}); columns: {', '.join(columns)}")
    column = split_column(cfg, columns, manifest)
    by_split: dict[str, list[Sample]] = {"train": [], "val": [], "test": []}
    missing, unlabeled = [], []
    for line, row in enumerate(rows, start=2):
        path, label = manifest.parent / (row[image_column] or "").strip(), (row[label_column] or "").strip()
        if not label:
            unlabeled.append(line)
        elif not path.is_file():
            missing.append(row[image_column])
        else:
            split = split_of(row[column] if column else None, column or "split", f"{manifest}: line {line}")
            by_split[split].append(Sample(path, label))
    if unlabeled:
        raise DataError(f"{manifest}: {len(unlabeled)} rows have no label (first at line {unlabeled[0]})")
    if missing:
        raise DataError(f"{manifest}: {len(missing)} rows point to missing files, e.g. {missing[0]!r}")
    if not by_split["train"]:
        raise DataError(f"{manifest}: no training rows")
    if column and (by_split["val"] or by_split["test"]):
        val = by_split["val"] or by_split["test"]
        source = (
            f"rows the {column!r} column puts in val"
            if by_split["val"]
            else f"rows the {column!r} column puts in test (there are no val rows)"
        )
        return Splits(by_split["train"], val, by_split["test"], val_source=source)
    train, val = stratified_split(by_split["train"], cfg["data"]["val_fraction"], cfg["training"]["seed"])
    source = f"{cfg['data']['val_fraction']:.0%} of each class held out (seed {cfg['training']['seed']})"
    return Splits(train, val, by_split["test"], val_source=source)


def stratified_split(samples: list[Sample], fraction: float, seed: int) -> tuple[list[Sample], list[Sample]]:
    """Hold out `fraction` of each class (at least one image of every class with two or more)."""
    rng = random.Random(seed)
    by_class: dict[str, list[Sample]] = {}
    for sample in samples:
        by_class.setdefault(sample.label, []).append(sample)
    train, val = [], []
    for label in sorted(by_class, key=_natural_key):
        items = by_class[label][:]
        rng.shuffle(items)
        n_val = min(len(items) - 1, max(1, round(len(items) * fraction)))
        val += items[:n_val]
        train += items[n_val:]
    return train, val


def _hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"
