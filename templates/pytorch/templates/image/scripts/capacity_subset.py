class Subset(NamedTuple):
    """The fixed batch the capacity test trains on (on the device), and what build_model needs for it."""

    inputs: torch.Tensor
    targets: torch.Tensor
    indices: list[int]  # positions in the training split
    spec: Any  # build_model's second argument: the number of classes
    classes: list[str]  # the {% if f.multilabel %}label{% else %}class{% endif %} names, by index
    unreadable: list[str]  # images skipped because they could not be read


def load_subset(cfg: dict[str, Any], samples: int | None, seed: int, device: torch.device) -> Subset:
    """`samples` training images (default 2 per {% if f.multilabel %}label{% else %}class{% endif %}, at least 16, at most 64) without augmentation,
    {% if f.multilabel %}every label on a few{% else %}class-balanced{% endif %}, fixed by the seed; an unreadable image is replaced by the next one."""
    splits = find_splits(cfg)
    class_to_idx = class_mapping(splits.train)
    check_labels(splits, class_to_idx)  # a label training never sees is an error here too, as in training
    classes = list(class_to_idx)
    train = ImageDataset(splits.train, class_to_idx, build_transforms(cfg, train=False))  # no augmentation
    size = samples or min(64, max(16, 2 * len(classes)))
    indices, tensors, unreadable = [], [], []
{%- if f.multilabel %}
    for index in label_order(train.targets, seed):
{%- else %}
    for index in subset_order(train.targets, seed):
{%- endif %}
        try:
            tensors.append(train[index][0])
            indices.append(index)
        except DataError:
            unreadable.append(str(train.samples[index].path))
        if len(indices) == size:
            break
    if not indices:
        raise DataError(f"no readable training images under {cfg['data']['path']}")
{%- if f.multilabel %}
    targets = train.targets[indices].to(device)  # (images, labels) of 0/1
{%- else %}
    targets = torch.tensor([train.targets[i] for i in indices], dtype=torch.int64, device=device)
{%- endif %}
    return Subset(torch.stack(tensors).to(device), targets, indices, len(classes), classes, unreadable)
