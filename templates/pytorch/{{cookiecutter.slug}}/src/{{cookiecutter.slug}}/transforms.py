"""Image transforms (torchvision v2): evaluation resize + crop, and the training augmentations of config.yaml."""

from __future__ import annotations

from typing import Any

import torch
from torchvision.transforms import v2

# ImageNet statistics: what pretrained backbones expect, and a fine default for models trained from scratch.
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)

# regularization.augmentation names -> transform, applied in this order (geometry first, then colour);
# random-resized-crop replaces the evaluation resize + centre crop.
AUGMENTATIONS = {
    "hflip": lambda: v2.RandomHorizontalFlip(),
    "vflip": lambda: v2.RandomVerticalFlip(),  # only for data without an up/down (microscopy, aerial...)
    "rotation": lambda: v2.RandomRotation(degrees=15),
    "color-jitter": lambda: v2.ColorJitter(brightness=0.2, contrast=0.2, saturation=0.2, hue=0.02),
    "trivial-augment": lambda: v2.TrivialAugmentWide(),
}


def build_transforms(cfg: dict[str, Any], train: bool) -> v2.Compose:
    """PIL image -> normalized float tensor of image_size x image_size; augmented only when `train`."""
    size = cfg["data"]["image_size"]
    names = cfg["regularization"]["augmentation"] if train else []
    steps: list[Any] = [v2.ToImage()]
    if "random-resized-crop" in names:
        steps.append(v2.RandomResizedCrop(size, scale=(0.35, 1.0), antialias=True))
    else:
        steps += [v2.Resize(size, antialias=True), v2.CenterCrop(size)]
    steps += [make() for name, make in AUGMENTATIONS.items() if name in names]
    steps += [v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)]
    return v2.Compose(steps)
