def draw(path: Path, label: str, rng: random.Random, size: int = 24) -> None:
    """A noisy image in the class colour: easy to learn, so a short training run shows real progress."""
    base = COLOURS[label]
    pixels = [tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in base) for _ in range(size * size)]
    image = Image.new("RGB", (size, size))
    image.putdata(pixels)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def make_dataset(root: Path, per_class: int = 8, val_per_class: int = 3, seed: int = 0) -> Path:
{%- if not f.folders %}
    """root/images/*.png and root/labels.csv (path, label, split); returns the CSV's path."""
    rng = random.Random(seed)
    rows = []
    for label in CLASSES:
        for split, count in (("train", per_class), ("val", val_per_class)):
            for i in range(count):
                name = f"images/{label}_{split}_{i}.png"
                draw(root / name, label, rng)
                rows.append({"path": name, "label": label, "split": split})
    manifest = root / "labels.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["path", "label", "split"])
        writer.writeheader()
        writer.writerows(rows)
    return manifest
{%- else %}
    """root/{train,val}/<class>/*.png; returns root."""
    rng = random.Random(seed)
    for label in CLASSES:
        for split, count in (("train", per_class), ("val", val_per_class)):
            for i in range(count):
                draw(root / split / label / f"{i}.png", label, rng)
    return root
{%- endif %}