# each image carries a random set of labels; its colour mixes the colours of its labels
LABEL_SETS = ((), ("cat",), ("dog",), ("fox",), ("cat", "dog"), ("dog", "fox"), ("cat", "fox"), ("cat", "dog", "fox"))


def draw(path: Path, labels: tuple[str, ...], rng: random.Random, size: int = 24) -> None:
    """A noisy image whose red, green and blue channels say which labels it carries (cat, dog, fox)."""
    base = tuple(200 if name in labels else 30 for name in CLASSES)
    pixels = [tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in base) for _ in range(size * size)]
    image = Image.new("RGB", (size, size))
    image.putdata(pixels)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def make_dataset(root: Path, per_class: int = 8, val_per_class: int = 3, seed: int = 0) -> Path:
    """root/images/*.png and root/labels.csv (path, tags separated by "|", split); returns the CSV's path.

    Every label set appears `per_class` times in training and `val_per_class` times in validation.
    """
    rng = random.Random(seed)
    rows = []
    for number, labels in enumerate(LABEL_SETS):
        for split, count in (("train", per_class), ("val", val_per_class)):
            for i in range(count):
                name = f"images/set{number}_{split}_{i}.png"
                draw(root / name, labels, rng)
                rows.append({"path": name, "tags": "|".join(labels), "split": split})
    manifest = root / "labels.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["path", "tags", "split"])
        writer.writeheader()
        writer.writerows(rows)
    return manifest