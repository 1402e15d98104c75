class Subset(NamedTuple):
    """The fixed batch the capacity test trains on (on the device), and what build_model needs for it."""

    inputs: torch.Tensor
    targets: torch.Tensor
    indices: list[int]  # positions in the training split
    spec: Any  # build_model's second argument: the feature schema
{%- if not f.regression %}
    classes: list[str]  # the class names, by index
{%- endif %}


def load_subset(cfg: dict[str, Any], samples: int | None, seed: int, device: torch.device) -> Subset:
{%- if f.regression %}
    """`samples` training rows (default 64) drawn at random, fixed by the seed."""
    data = build_datasets(cfg)  # the feature schema is fitted on the training split, as in training
    size = min(samples or 64, len(data.train))
    indices = random.Random(seed).sample(range(len(data.train)), size)
    # targets in the units the model learns
    return Subset(data.train.features[indices].to(device), data.train.targets[indices].to(device), indices, data.schema)
{%- else %}
    """`samples` training rows (default 2 per class, at least 16, at most 64), class-balanced, fixed by the seed."""
    data = build_datasets(cfg)  # the feature schema is fitted on the training split, as in training
    size = samples or min(64, max(16, 2 * len(data.classes)))
    indices = subset_order(data.train.targets, seed)[:size]
    return Subset(
        data.train.features[indices].to(device),
        data.train.labels[indices].to(device),
        indices,
        data.schema,
        data.classes,
    )
{%- endif %}


def model_name(cfg: dict[str, Any]) -> str:
    """The model, for the plot's title."""
    return f"MLP {cfg['model']['hidden_sizes']}"


def more_capacity(cfg: dict[str, Any]) -> list[str]:
    """The last resort of a FAIL: a bigger model."""
    return ["more capacity: wider or more hidden layers (--set model.hidden_sizes=512,256)"]


def defenses(cfg: dict[str, Any]) -> list[str]:
    """The regularization config.yaml enables, in words."""
    reg = cfg["regularization"]
    found = []
    for key, words in (("l2", "weight decay"), ("l1", "L1"), ("dropconnect", "DropConnect")):
        if reg[key] > 0:
            found.append(f"{words} {reg[key]:g}")
    if cfg["model"]["head_dropout"] > 0:
        found.append(f"dropout {cfg['model']['head_dropout']:g}")
    if reg["early_stopping"]["enabled"]:
        found.append(f"early stopping (patience {reg['early_stopping']['patience']})")
    return found or ["none enabled yet: add weight decay or dropout in config.yaml"]


def skipped(subset: Subset) -> dict[str, Any]:
    """What load_subset skipped, for the JSON result: nothing (every row of a table can be read)."""
    return {}


def skipped_warning(subset: Subset) -> str:
    """[data]'s note on what load_subset skipped: none."""
    return ""
