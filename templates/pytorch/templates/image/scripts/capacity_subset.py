class Subset(NamedTuple):
    """The fixed batch the capacity test trains on (on the device), and what build_model needs for it."""

    inputs: torch.Tensor
    targets: torch.Tensor
    indices: list[int]  # positions in the training split
    spec: Any  # build_model's second argument: the number of classes
    classes: list[str]  # the {{ "label" if f.multilabel else "class" }} names, by index
    unreadable: list[str]  # images skipped because they could not be read


def load_subset(cfg: dict[str, Any], samples: int | None, seed: int, device: torch.device) -> Subset:
    """`samples` training images (default DEFAULT_SAMPLES) without augmentation, in subset_order (every
    {{ "label" if f.multilabel else "class" }} on a few), fixed by the seed; an unreadable image is replaced by the next one."""
    splits = find_splits(cfg)
    class_to_idx = class_mapping(splits.train)
    check_labels(splits, class_to_idx)  # a label training never sees is an error here too, as in training
    classes = list(class_to_idx)
    train = ImageDataset(splits.train, class_to_idx, build_transforms(cfg, train=False))  # no augmentation
    size = samples or min(64, max(16, 2 * len(classes)))
    indices, tensors, unreadable = [], [], []
    for index in subset_order(train.targets, seed):
        try:
            tensors.append(train[index][0])
            indices.append(index)
        except DataError:
            unreadable.append(str(train.samples[index].path))
        if len(indices) == size:
            break
    if not indices:
        raise DataError(f"no readable training images under {cfg['data']['path']}")
    targets = torch.as_tensor(train.targets)[indices].to(device)  # {{ "(images, labels) of 0/1" if f.multilabel else "class indices, int64" }}
    return Subset(torch.stack(tensors).to(device), targets, indices, len(classes), classes, unreadable)


def model_name(cfg: dict[str, Any]) -> str:
    """The model, for the plot's title."""
    return cfg["model"]["backbone"]


def more_capacity(cfg: dict[str, Any]) -> list[str]:
    """The last resorts of a FAIL: train more of the model, or a bigger one."""
    actions = []
    if cfg["model"]["freeze"] != "none":  # always "none" when trained from scratch
        actions.append("unfreeze more layers: --set model.freeze=none (then set it in config.yaml)")
    actions.append("more capacity: a bigger backbone or a wider head (trainwizard update --set model.backbone=...)")
    return actions


def defenses(cfg: dict[str, Any]) -> list[str]:
    """The regularization config.yaml enables, in words."""
    reg = cfg["regularization"]
    found = []
    if reg["augmentation"]:
        found.append("augmentation " + "/".join(reg["augmentation"]))
    for key, words in (
        ("l2", "weight decay"),
        ("l1", "L1"),
        ("dropconnect", "DropConnect"),
        ("spatial_dropout", "SpatialDropout"),
    ):
        if reg[key] > 0:
            found.append(f"{words} {reg[key]:g}")
    if cfg["model"]["head_dropout"] > 0:
        found.append(f"head dropout {cfg['model']['head_dropout']:g}")
    if reg["early_stopping"]["enabled"]:
        found.append(f"early stopping (patience {reg['early_stopping']['patience']})")
    return found or ["none enabled yet: add augmentation or weight decay in config.yaml"]


def skipped(subset: Subset) -> dict[str, Any]:
    """What load_subset skipped, for the JSON result: the unreadable images."""
    return {"unreadable": subset.unreadable}


def skipped_warning(subset: Subset) -> str:
    """[data]'s note on the unreadable images load_subset skipped ("" when there were none)."""
    if not subset.unreadable:
        return ""
    return (
        f"        {len(subset.unreadable)} unreadable images skipped, e.g. {subset.unreadable[0]} "
        "(python scripts/check_data.py lists every problem)"
    )
