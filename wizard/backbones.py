"""Facts about the backbones the wizard offers: parameter counts, for reasoning about overfitting risk."""

from __future__ import annotations

# Parameter counts with their ImageNet heads (torchvision weights meta "num_params"; timm for xception).
PRETRAINED_PARAMETER_COUNTS: dict[str, int] = {
    "resnet18": 11_689_512,
    "resnet34": 21_797_672,
    "resnet50": 25_557_032,
    "vgg16_bn": 138_365_992,
    "densenet121": 7_978_856,
    "efficientnet_b0": 5_288_548,
    "convnext_tiny": 28_589_128,
    "xception": 22_855_952,
}
# The generated scratch CNN: 3x3 convolutions 3->32->64->128->256 with norms (388,896), plus a
# 257-per-class head; two classes taken here.
SIMPLE_CNN_PARAMETERS = 389_410
