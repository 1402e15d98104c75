"""Every rule as a table: situation (answers + data facts) -> recommendation, and situation -> warning."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.answers import DataFacts, get_dotted, validate_answers
from wizard.knowledge import Decision, Resolution, resolve


def counts(**per_class: int) -> DataFacts:
    """Data facts of an ImageFolder with these class counts."""
    return DataFacts(num_samples=sum(per_class.values()), class_counts=per_class)


def images(n: int, classes: int = 2) -> DataFacts:
    """Data facts of `n` training images spread evenly over `classes` classes."""
    return counts(**{f"c{i}": n // classes for i in range(classes)})


def resolved(answers: dict[str, Any], facts: DataFacts | None = None, lang: str = "en") -> Resolution:
    """Resolve an answers file given as a nested mapping (project name added)."""
    partial = validate_answers({"project": {"name": "t"}, **answers}, partial=True)
    return resolve(partial, facts, lang=lang)


def decision(resolution: Resolution, key: str) -> Decision:
    found = [d for d in resolution.decisions if d.key == key]
    assert found, f"no decision for {key}"
    return found[0]


def nested(**dotted: Any) -> dict[str, Any]:
    """{'model__source': 'scratch'} -> {'model': {'source': 'scratch'}} (keyword-friendly answers)."""
    out: dict[str, Any] = {}
    for key, value in dotted.items():
        node = out
        parts = key.split("__")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


TINY = images(70)  # ~70 training images, 35 per class
IMBALANCED_20 = counts(a=200, b=10)
PLENTY = images(6000, classes=3)
IMAGE_AUGMENTATION = ["hflip", "random-resized-crop", "color-jitter", "rotation"]
# Scanned pixels: 32-px grayscale glyphs (digits), colour photos, grayscale scans with mid-tones, a small table.
DIGITS = DataFacts(num_samples=1437, class_counts={str(d): 143 for d in range(10)}, image_side=32, grayscale=True,
                   extreme_share=0.81, pixel_mean=[0.21] * 3, pixel_std=[0.35] * 3)
PHOTOS = DataFacts(num_samples=6000, class_counts={"a": 2000, "b": 2000, "c": 2000}, image_side=256,
                   grayscale=False, extreme_share=0.05)
SCANS = DataFacts(num_samples=800, class_counts={"a": 400, "b": 400}, image_side=512, grayscale=True,
                  extreme_share=0.12)


def table(rows: int, features: int = 30) -> DataFacts:
    return DataFacts(num_samples=rows, class_counts={"0": rows // 2, "1": rows - rows // 2}, num_features=features,
                     task="tabular-classification", label_column="target")

# (id, answers, facts, key, recommended value, text the reason must contain)
# fmt: off
RECOMMENDATIONS: list[tuple[str, dict, DataFacts | None, str, Any, str]] = [
    # task and layout
    ("task-default", {}, None, "task", "image-classification", "One label per image"),
    ("task-from-mlp", nested(model__backbone="mlp"), None,
     "task", "tabular-classification", "model.backbone: mlp"),
    ("task-detected-table", {}, DataFacts(num_samples=178, label_column="class", task="tabular-classification"),
     "task", "tabular-classification", "target column holds class labels"),
    ("task-detected-regression", {}, DataFacts(num_samples=353, label_column="target", task="tabular-regression"),
     "task", "tabular-regression", "continuous numbers"),
    ("task-detected-multilabel", {}, DataFacts(num_samples=300, task="image-multilabel"),
     "task", "image-multilabel", "several labels each"),
    ("task-detected-images", {}, DataFacts(num_samples=300, task="image-classification"),
     "task", "image-classification", "one label each"),
    ("task-given-wins", nested(task="image-classification"), DataFacts(num_samples=300, task="tabular-regression"),
     "task", "image-classification", "One label per image"),
    ("label-column-detected", nested(task="tabular-regression"),
     DataFacts(num_samples=500, label_column="price"), "data.label_column", "price", "column `price`"),
    ("label-columns-detected", nested(task="image-multilabel"),
     DataFacts(num_samples=90, label_columns=["cat", "dog"], image_column="file"), "data.label_columns",
     ["cat", "dog"], "(cat, dog)"),
    ("image-column-detected", nested(task="image-multilabel"),
     DataFacts(num_samples=90, label_column="tags", image_column="file"), "data.image_column", "file",
     "column `file`"),
    ("exclude-unusable", {}, DataFacts(num_samples=90, unusable=["train/a/bad.jpg", "val/stray/"]),
     "data.exclude", ["train/a/bad.jpg", "val/stray/"], "2 paths training cannot use (`train/a/bad.jpg`"),
    ("exclude-clean", {}, images(90), "data.exclude", [], "nothing to leave out"),
    ("exclude-unknown", {}, None, "data.exclude", [], "run the data check"),
    ("exclude-tabular", {"task": "tabular-classification"}, DataFacts(num_samples=90, unusable=["x.jpg"]),
     "data.exclude", [], "filtered in the CSV"),
    ("task-from-regression-monitor", nested(regularization__early_stopping__monitor="val_mae"), None,
     "task", "tabular-regression", "val_mae"),
    ("task-from-micro-f1", nested(regularization__early_stopping__monitor="val_micro_f1"), None,
     "task", "image-multilabel", "val_micro_f1"),
    ("layout-images", {}, None, "data.layout", "auto", "ImageFolder"),
    ("layout-tabular", {"task": "tabular-classification"}, None, "data.layout", "auto", "CSV file"),
    ("layout-multilabel", {"task": "image-multilabel"}, None, "data.layout", "auto", "manifest"),
    # pretrained or scratch
    ("source-unknown-data", {}, None, "model.source", "pretrained", "not been scanned"),
    ("source-scarce", {}, images(500), "model.source", "pretrained", "500 training images"),
    ("source-plenty", {}, images(150_000), "model.source", "pretrained", "150,000"),
    ("source-tabular", {"task": "tabular-regression"}, None, "model.source", "scratch", "tabular"),
    ("source-from-backbone", nested(model__backbone="simple-cnn"), None,
     "model.source", "scratch", "simple-cnn"),
    ("source-from-freeze", nested(model__freeze="head-only"), None,
     "model.source", "pretrained", "head-only"),
    ("source-from-frozen-bn", {"normalization": "frozen-batchnorm"}, None,
     "model.source", "pretrained", "frozen-batchnorm"),
    ("source-from-spatial-dropout", nested(regularization__spatial_dropout=0.2), None,
     "model.source", "scratch", "0.2"),
    # backbone
    ("backbone-pretrained", {}, TINY, "model.backbone", "resnet50", "moderate depth"),
    ("backbone-pretrained-facts", {}, TINY, "model.backbone", "resnet50", "25.6M"),
    ("backbone-scratch", nested(model__source="scratch"), None, "model.backbone", "simple-cnn", "small CNN"),
    ("backbone-tabular", {"task": "tabular-classification"}, None, "model.backbone", "mlp", "MLP"),
    ("backbone-timm-tagged", nested(model__backbone="timm/resnet18.a1_in1k"), TINY,
     "model.backbone", "timm/resnet18.a1_in1k", "weights tagged `a1_in1k`"),
    ("backbone-timm-default", nested(model__backbone="timm/efficientnet_b0", model__source="pretrained"), None,
     "model.backbone", "timm/efficientnet_b0", "default pretrained weights, `ra4_e3600_r224_in1k`"),
    ("backbone-timm-scratch", nested(model__backbone="timm/convnext_atto", model__source="scratch"), None,
     "model.backbone", "timm/convnext_atto", "random weights"),
    # freezing by samples per class
    ("freeze-tiny", {}, TINY, "model.freeze", "head-only", "About 35 training images per class"),
    ("freeze-some", {}, images(2000, classes=4), "model.freeze", "early-layers", "500"),
    ("freeze-plenty", {}, PLENTY, "model.freeze", "none", "2,000"),
    ("freeze-unknown", {}, None, "model.freeze", "early-layers", "not been scanned"),
    ("freeze-scratch", nested(model__source="scratch"), TINY, "model.freeze", "none", "nothing to freeze"),
    ("unfreeze-30", nested(model__freeze="gradual"), None, "model.unfreeze_epoch", 3, "epoch 3 of 30"),
    ("unfreeze-100", nested(model__freeze="gradual", training__epochs=100), None,
     "model.unfreeze_epoch", 5, "100"),
    ("unfreeze-5", nested(model__freeze="gradual", training__epochs=5), None, "model.unfreeze_epoch", 1, "5"),
    # normalization by batch size
    ("norm-scratch-1", nested(model__source="scratch", training__batch_size=1), None,
     "normalization", "instancenorm", "batch size 1"),
    ("norm-scratch-2", nested(model__source="scratch", training__batch_size=2), None,
     "normalization", "groupnorm", "2–10"),
    ("norm-scratch-4", nested(model__source="scratch", training__batch_size=4), None,
     "normalization", "groupnorm", "Batch size 4"),
    ("norm-scratch-10", nested(model__source="scratch", training__batch_size=10), None,
     "normalization", "groupnorm", "Batch size 10"),
    ("norm-scratch-11", nested(model__source="scratch", training__batch_size=11), None,
     "normalization", "batchnorm", "above 10"),
    ("norm-scratch-64", nested(model__source="scratch", training__batch_size=64), None,
     "normalization", "batchnorm", "Batch size 64"),
    ("norm-pretrained-32", {}, None, "normalization", "batchnorm", "keeps its own BatchNorm"),
    ("norm-pretrained-4", nested(training__batch_size=4), None,
     "normalization", "frozen-batchnorm", "would throw away"),
    ("norm-tabular", {"task": "tabular-classification", "training": {"batch_size": 4}}, None,
     "normalization", "layernorm", "LayerNorm"),
    # dropout
    ("dropout-tiny", {}, TINY, "model.head_dropout", 0.5, "70 training samples"),
    ("dropout-unknown", {}, None, "model.head_dropout", 0.5, "classic rate"),
    ("dropout-plenty", {}, PLENTY, "model.head_dropout", 0.2, "6,000"),
    ("dropout-with-dropconnect", nested(regularization__dropconnect=0.3), None,
     "model.head_dropout", 0.0, "DropConnect (0.3)"),
    ("dropout-regression-big", {"task": "tabular-regression"}, DataFacts(num_samples=50_000),
     "model.head_dropout", 0.2, "50,000"),
    # multi-scale pooling
    ("pooling-images", {}, None, "model.multiscale_pooling", False, "baseline"),
    ("pooling-tabular", {"task": "tabular-classification"}, None,
     "model.multiscale_pooling", False, "tabular"),
    # augmentation
    ("augmentation-images", {}, PLENTY,
     "regularization.augmentation", IMAGE_AUGMENTATION, "Vertical flips are left out"),
    ("augmentation-small", {}, TINY,
     "regularization.augmentation", IMAGE_AUGMENTATION, "With 70 training images"),
    ("augmentation-multilabel", {"task": "image-multilabel"}, None,
     "regularization.augmentation", ["hflip", "color-jitter", "rotation"], "crop could cut"),
    ("augmentation-tabular", {"task": "tabular-classification"}, None,
     "regularization.augmentation", [], "do not apply"),
    # L1 / L2
    ("l1-images", {}, None, "regularization.l1", 0.0, "not differentiable at zero"),
    ("l1-tabular", {"task": "tabular-classification"}, None, "regularization.l1", 0.0, "select features"),
    ("l2-adamw", {}, None, "regularization.l2", 0.01, "AdamW"),
    ("l2-sgd", nested(training__optimizer="sgd"), None, "regularization.l2", 5e-4, "SGD"),
    ("l2-adam", nested(training__optimizer="adam"), None, "regularization.l2", 1e-4, "adaptive scaling"),
    # DropConnect, SpatialDropout
    ("dropconnect", {}, None, "regularization.dropconnect", 0.0, "stochastic depth"),
    ("dropconnect-tabular", {"task": "tabular-regression"}, None,
     "regularization.dropconnect", 0.0, "hidden linear layers"),
    ("spatial-dropout-small", nested(model__source="scratch"), TINY,
     "regularization.spatial_dropout", 0.1, "whole feature maps"),
    ("spatial-dropout-plenty", nested(model__source="scratch"), PLENTY,
     "regularization.spatial_dropout", 0.0, "6,000"),
    # early stopping and monitor
    ("early-stopping", {}, None, "regularization.early_stopping.enabled", True, "Too few epochs underfit"),
    ("patience-30", {}, None, "regularization.early_stopping.patience", 5, "Wait 5 epochs"),
    ("patience-100", nested(training__epochs=100), None, "regularization.early_stopping.patience", 10, "100"),
    ("patience-12", nested(training__epochs=12), None, "regularization.early_stopping.patience", 3, "12"),
    ("patience-3", nested(training__epochs=3), None, "regularization.early_stopping.patience", 2, "3 epochs"),
    ("patience-2", nested(training__epochs=2), None, "regularization.early_stopping.patience", 1, "2 epochs"),
    ("monitor-classification", {}, None,
     "regularization.early_stopping.monitor", "val_macro_f1", "rare class"),
    ("monitor-multilabel", {"task": "image-multilabel"}, None,
     "regularization.early_stopping.monitor", "val_macro_f1", "every label"),
    ("monitor-regression", {"task": "tabular-regression"}, None,
     "regularization.early_stopping.monitor", "val_loss", "validation loss"),
    # class imbalance bands (largest/smallest)
    ("imbalance-2", {}, counts(a=100, b=50), "imbalance.strategy", "none", "2:1"),
    ("imbalance-3", {}, counts(a=90, b=30), "imbalance.strategy", "none", "3:1"),
    ("imbalance-5", {}, counts(a=100, b=20), "imbalance.strategy", "class-weights", "5:1"),
    ("imbalance-10", {}, counts(a=200, b=20), "imbalance.strategy", "class-weights", "10:1"),
    ("imbalance-20", {}, IMBALANCED_20, "imbalance.strategy", "oversample", "20:1 (a: 200, b: 10)"),
    ("imbalance-100", {}, counts(a=1000, b=10), "imbalance.strategy", "oversample", "100:1"),
    ("imbalance-200", {}, counts(a=4000, b=20), "imbalance.strategy", "oversample", "collect more data"),
    ("imbalance-tiny-class", {}, counts(a=50, b=5), "imbalance.strategy", "oversample", "fewer than 10"),
    ("imbalance-multilabel-20", {"task": "image-multilabel"}, IMBALANCED_20,
     "imbalance.strategy", "class-weights", "negatives/positives"),
    # multi-label: each label's negatives/positives, not the ratio between labels
    ("imbalance-multilabel-rare", {"task": "image-multilabel"},
     DataFacts(num_samples=400, class_counts={"a": 80, "b": 80}), "imbalance.strategy", "class-weights",
     "80 of 400 training images (4:1 negatives/positives)"),
    ("imbalance-multilabel-balanced", {"task": "image-multilabel"},
     DataFacts(num_samples=200, class_counts={"a": 120, "b": 80}), "imbalance.strategy", "none", "1.5:1"),
    ("imbalance-multilabel-unknown", {"task": "image-multilabel"}, None,
     "imbalance.strategy", "class-weights", "pos_weight"),
    ("imbalance-unknown", {}, None, "imbalance.strategy", "class-weights", "not known"),
    ("imbalance-regression", {"task": "tabular-regression"}, DataFacts(num_samples=500),
     "imbalance.strategy", "none", "no classes"),
    ("focal-gamma", nested(imbalance__strategy="focal"), None, "imbalance.focal_gamma", 2.0, "Gamma 2"),
    # batch size, epochs
    ("batch-images", {}, None, "training.batch_size", 32, "Batch size 32"),
    ("batch-enough-data", {}, images(1000), "training.batch_size", 32, "32"),
    ("batch-tabular", {"task": "tabular-classification"}, None, "training.batch_size", 64, "64"),
    ("batch-70", {}, TINY, "training.batch_size", 16, "only 70 training samples, batch size 16"),
    ("batch-20", {}, images(20), "training.batch_size", 4, "batch size 4"),
    ("epochs", {}, None, "training.epochs", 30, "upper limit"),
    # optimizer and learning rate
    ("optimizer-finetune", {}, None, "training.optimizer", "adamw", "fine-tuning"),
    ("optimizer-tabular", {"task": "tabular-classification"}, None, "training.optimizer", "adamw", "MLPs"),
    ("optimizer-scratch-small-batch", nested(model__source="scratch"), None,
     "training.optimizer", "adamw", "batch size 32"),
    ("optimizer-scratch-large-batch", nested(model__source="scratch", training__batch_size=256), None,
     "training.optimizer", "sgd", "batch size 256"),
    ("lr-finetune", {}, None, "training.lr", 3e-4, "pretrained features"),
    ("lr-head-only", {}, TINY, "training.lr", 1e-3, "only the new head"),
    ("lr-scratch-adamw", nested(model__source="scratch"), None, "training.lr", 1e-3, "from scratch"),
    ("lr-sgd-256", nested(model__source="scratch", training__batch_size=256), None,
     "training.lr", 0.1, "0.1 × 256/256"),
    ("lr-sgd-128", nested(model__source="scratch", training__batch_size=128, training__optimizer="sgd"), None,
     "training.lr", 0.05, "0.05 = 0.1 × 128/256"),
    ("lr-sgd-16-clamped", nested(model__source="scratch", training__batch_size=16, training__optimizer="sgd"),
     None, "training.lr", 0.01, "0.01–0.1"),
    ("lr-sgd-finetune", nested(training__batch_size=64, training__optimizer="sgd"), None,
     "training.lr", 0.0025, "ten times lower"),
    ("scheduler", {}, None, "training.scheduler", "cosine", "Cosine decay"),
    ("tracker", {}, None, "training.tracker", "none", "metrics.csv, its curves"),
    # what the images show
    ("domain-glyphs", {}, DIGITS, "data.domain", "documents", "digits, letters"),
    ("domain-grayscale", {}, SCANS, "data.domain", "other", "Medical scans and microscopy"),
    ("domain-colour", {}, PHOTOS, "data.domain", "natural", "ordinary photos"),
    ("mirror-natural", {}, None, "data.mirror_keeps_label", True, "mirrored photo of a cat"),
    ("mirror-other", nested(data__domain="other"), None, "data.mirror_keeps_label", True, "Most images"),
    ("mirror-drawings", nested(data__domain="drawings"), None, "data.mirror_keeps_label", True, "mirrored drawing"),
    ("mirror-documents", {}, DIGITS, "data.mirror_keeps_label", False, "'b' and 'd'"),
    ("mirror-medical", nested(data__domain="medical"), None, "data.mirror_keeps_label", False, "Laterality"),
    ("mirror-aerial", nested(data__domain="aerial"), None, "data.mirror_keeps_label", True, "from above"),
    ("mirror-microscopy", nested(data__domain="microscopy"), None, "data.mirror_keeps_label", True,
     "no preferred side"),
    ("image-size-pretrained", {}, PHOTOS, "data.image_size", 224, "large enough"),
    ("image-size-pretrained-small", nested(model__source="pretrained"), DIGITS, "data.image_size", 224,
     "upscaled to 224"),
    ("image-size-native", {}, DIGITS, "data.image_size", 32, "own size (32 px)"),
    ("image-size-timm-weights", nested(model__backbone="timm/resnet18.a3_in1k"), None, "data.image_size", 160,
     "the size the pretrained weights of `timm/resnet18.a3_in1k` were trained at"),
    ("image-size-timm-weights-scanned", nested(model__backbone="timm/resnet18.a3_in1k"), PHOTOS,
     "data.image_size", 160, "160 pixels: pretrained filters"),
    ("image-size-scratch-large", nested(model__source="scratch"), PHOTOS, "data.image_size", 224, "downscaled"),
    ("source-glyphs", {}, DIGITS, "model.source", "scratch", "strokes on a plain background"),
    ("source-unlike", nested(data__domain="medical"), TINY, "model.source", "pretrained", "Raghu et al."),
    ("source-unlike-plenty", nested(data__domain="aerial"), images(120_000, 4), "model.source", "pretrained",
     "real option"),
    ("augmentation-documents", {}, DIGITS, "regularization.augmentation", ["rotation"], "tilted digit"),
    ("augmentation-medical", nested(data__domain="medical", data__mirror_keeps_label=True), None,
     "regularization.augmentation", ["hflip", "random-resized-crop", "rotation"], "positioning"),
    ("augmentation-medical-no-mirror", nested(data__domain="medical"), None,
     "regularization.augmentation", ["random-resized-crop", "rotation"], "left and right matter"),
    ("augmentation-aerial", nested(data__domain="aerial"), None, "regularization.augmentation",
     ["hflip", "vflip", "rotate90", "random-resized-crop", "color-jitter"], "eight orientations"),
    ("augmentation-aerial-no-mirror", nested(data__domain="aerial", data__mirror_keeps_label=False), None,
     "regularization.augmentation", ["rotate90", "random-resized-crop", "color-jitter"], "Quarter turns"),
    ("augmentation-microscopy", nested(data__domain="microscopy"), None, "regularization.augmentation",
     ["hflip", "vflip", "rotate90", "random-resized-crop", "color-jitter"], "staining differences"),
    ("augmentation-microscopy-no-mirror", nested(data__domain="microscopy", data__mirror_keeps_label=False), None,
     "regularization.augmentation", ["rotate90", "random-resized-crop", "color-jitter"], "colour changes for staining"),
    ("augmentation-drawings", nested(data__domain="drawings"), None, "regularization.augmentation",
     ["hflip", "random-resized-crop", "rotation"], "drawings' colours"),
    ("augmentation-no-mirror", nested(data__mirror_keeps_label=False), None, "regularization.augmentation",
     ["random-resized-crop", "color-jitter", "rotation"], "No flips"),
    # tables
    ("hidden-small", {}, table(455), "model.hidden_sizes", [64], "one hidden layer of 64"),
    ("hidden-medium", {}, table(5000), "model.hidden_sizes", [128, 64], "interactions"),
    ("hidden-large", {}, table(50_000), "model.hidden_sizes", [256, 128], "wider"),
    # a small table's budget counts optimizer steps: 455 rows / batch 64 = 8 steps per epoch
    ("epochs-small-table", {}, table(455), "training.epochs", 188, "8 optimizer steps per epoch"),
    ("epochs-tiny-table", {}, table(142), "training.epochs", 300, "within 30–300 epochs"),
    ("epochs-large-table", {}, table(50_000), "training.epochs", 30, "upper limit"),
    ("patience-small-table", {}, table(455), "regularization.early_stopping.patience", 13, "about 104 updates"),
    ("patience-large-table", {}, table(50_000), "regularization.early_stopping.patience", 5, "Wait 5 epochs"),
    ("patience-table-epochs-given", nested(training__epochs=30), table(455),
     "regularization.early_stopping.patience", 5, "a sixth of the 30"),
    ("lr-small-mlp", {}, table(455), "training.lr", 1e-2, "one hidden layer of 64 units"),
    ("lr-wider-mlp", {}, table(5000), "training.lr", 1e-3, "from scratch"),
    ("lr-small-mlp-sgd", nested(training__optimizer="sgd"), table(455), "training.lr", 0.025, "linear-scaling"),
]
# fmt: on


@pytest.mark.parametrize(
    ("answers", "facts", "key", "expected", "phrase"),
    [row[1:] for row in RECOMMENDATIONS],
    ids=[row[0] for row in RECOMMENDATIONS],
)
def test_recommendation(answers: dict, facts: DataFacts | None, key: str, expected: Any, phrase: str) -> None:
    resolution = resolved(answers, facts)
    found = decision(resolution, key)
    assert found.recommended == expected
    assert phrase in found.reason
    given = {k for k, s in resolution.answers.meta.sources.items() if s == "answer"}
    if key not in given:
        assert get_dotted(resolution.answers, key) == expected
        assert resolution.answers.meta.sources[key] == "recommended" or key == "task"


@pytest.mark.parametrize(
    ("answers", "facts"), [row[1:3] for row in RECOMMENDATIONS], ids=[row[0] for row in RECOMMENDATIONS]
)
def test_following_the_recommendations_raises_no_contradiction(
    answers: dict, facts: DataFacts | None
) -> None:
    """Recommended values never trigger the warnings meant for contradicting choices."""
    resolution = resolved(answers, facts)
    for found in resolution.decisions:
        if resolution.answers.meta.sources[found.key] == "recommended":
            assert found.value == found.recommended, found.key
            situational = [w for w in found.warnings if "collect more data" in w]
            assert list(found.warnings) == situational, found.key


# (id, answers, facts, key, text one of the key's warnings must contain)
# fmt: off
WARNINGS: list[tuple[str, dict, DataFacts | None, str, str]] = [
    ("unusable-files-kept", nested(data__exclude=["val/"]),  # a parent folder covers val/stray/
     DataFacts(num_samples=90, unusable=["train/a/bad.jpg", "val/stray/"]), "data.exclude",
     "1 paths the data check found unusable are not in `data.exclude` (`train/a/bad.jpg`)"),
    ("scratch-on-500-images", nested(model__source="scratch"), images(500),
     "model.source", "pretrained weights usually help"),
    ("vgg-on-tiny-data", nested(model__backbone="vgg16_bn", model__freeze="early-layers"), TINY,
     "model.backbone", "138M"),
    ("timm-scratch-on-tiny-data", nested(model__backbone="timm/convnext_atto", model__source="scratch"), TINY,
     "model.backbone", "3.7M parameters for 70 training images"),
    ("timm-huge-on-tiny-data", nested(model__backbone="timm/vit_large_patch16_224", model__freeze="early-layers"),
     TINY, "model.backbone", "304.3M parameters; on 70 images"),
    ("freeze-none-on-70-images", nested(model__backbone="resnet50", model__freeze="none"), TINY,
     "model.freeze", "all 25.6M parameters of `resnet50` on 70 images"),
    ("head-only-on-plenty", nested(model__freeze="head-only"), PLENTY,
     "model.freeze", "accuracy on the table"),
    ("unfreeze-after-last-epoch", nested(model__freeze="gradual", model__unfreeze_epoch=40), None,
     "model.unfreeze_epoch", "never unfreezes"),
    ("batchnorm-batch-1-scratch",
     nested(model__source="scratch", training__batch_size=1, normalization="batchnorm"), None,
     "normalization", "use `instancenorm`"),
    ("batchnorm-batch-1-pretrained", nested(training__batch_size=1, normalization="batchnorm"), None,
     "normalization", "use `frozen-batchnorm`"),
    ("batchnorm-batch-4-scratch",
     nested(model__source="scratch", training__batch_size=4, normalization="batchnorm"), None,
     "normalization", "`groupnorm` is recommended"),
    ("groupnorm-on-pretrained", {"normalization": "groupnorm"}, None,
     "normalization", "loses their pretrained statistics"),
    ("instancenorm-on-pretrained", {"normalization": "instancenorm"}, None, "normalization", "resnet50"),
    ("instancenorm-large-batch", nested(model__source="scratch", normalization="instancenorm"), None,
     "normalization", "batch size 32"),
    ("no-norm-scratch", nested(model__source="scratch", normalization="none"), None,
     "normalization", "less stably"),
    ("dropout-0-on-tiny-data", nested(model__head_dropout=0.0), TINY,
     "model.head_dropout", "only 70 training"),
    ("dropout-0.9", nested(model__head_dropout=0.9), None, "model.head_dropout", "underfit"),
    ("pooling-small-images", nested(model__multiscale_pooling=True, data__image_size=64), None,
     "model.multiscale_pooling", "only 2×2"),
    ("vflip-on-photos", nested(regularization__augmentation=["hflip", "vflip"]), None,
     "regularization.augmentation", "upside-down"),
    ("no-augmentation-tiny", nested(regularization__augmentation=[]), TINY,
     "regularization.augmentation", "No augmentation on 70"),
    ("trivial-augment-stacked", nested(regularization__augmentation=["trivial-augment", "color-jitter"]),
     None, "regularization.augmentation", "twice"),
    ("crop-multilabel",
     {"task": "image-multilabel", "regularization": {"augmentation": ["random-resized-crop"]}}, None,
     "regularization.augmentation", "labelled object"),
    ("l1-strong", nested(regularization__l1=0.01), None, "regularization.l1", "strong"),
    ("l2-zero-tiny", nested(regularization__l2=0.0), TINY, "regularization.l2", "No weight decay"),
    ("l2-huge", nested(regularization__l2=0.5), None, "regularization.l2", "very high for AdamW"),
    ("l2-huge-sgd", nested(regularization__l2=0.01, training__optimizer="sgd"), None,
     "regularization.l2", "very high for SGD"),
    ("dropconnect-and-dropout", nested(regularization__dropconnect=0.3, model__head_dropout=0.5), None,
     "regularization.dropconnect", "use one of them"),
    ("dropconnect-high", nested(regularization__dropconnect=0.6), None,
     "regularization.dropconnect", "0.2–0.5"),
    ("spatial-dropout-high", nested(regularization__spatial_dropout=0.5), None,
     "regularization.spatial_dropout", "whole feature maps"),
    ("early-stopping-off-tiny", nested(regularization__early_stopping__enabled=False), TINY,
     "regularization.early_stopping.enabled", "overfit"),
    ("patience-ge-epochs", nested(regularization__early_stopping__patience=30), None,
     "regularization.early_stopping.patience", "never trigger"),
    ("accuracy-imbalanced", nested(regularization__early_stopping__monitor="val_accuracy"), IMBALANCED_20,
     "regularization.early_stopping.monitor", "20:1"),
    ("none-at-20-to-1", nested(imbalance__strategy="none"), IMBALANCED_20,
     "imbalance.strategy", "favour 'a'"),
    ("none-at-5-to-1", nested(imbalance__strategy="none"), counts(a=100, b=20), "imbalance.strategy", "5:1"),
    ("undersample-small-data", nested(imbalance__strategy="undersample"), IMBALANCED_20,
     "imbalance.strategy", "about 20 of the 210"),
    ("oversample-balanced", nested(imbalance__strategy="oversample"), counts(a=100, b=90),
     "imbalance.strategy", "already balanced"),
    ("extreme-imbalance-note", {}, counts(a=4000, b=20), "imbalance.strategy", "collect more data"),
    ("none-multilabel-rare-label", {"task": "image-multilabel", "imbalance": {"strategy": "none"}},
     DataFacts(num_samples=400, class_counts={"a": 200, "b": 20}), "imbalance.strategy",
     "predict it absent"),
    ("rare-label-note", {"task": "image-multilabel"}, DataFacts(num_samples=100, class_counts={"a": 50, "b": 5}),
     "imbalance.strategy", "collect more data for it, or drop the label"),
    ("focal-gamma-0", nested(imbalance__strategy="focal", imbalance__focal_gamma=0.0), None,
     "imbalance.focal_gamma", "plain cross-entropy"),
    ("focal-gamma-8", nested(imbalance__strategy="focal", imbalance__focal_gamma=8.0), None,
     "imbalance.focal_gamma", "unstable"),
    ("batch-larger-than-data", nested(training__batch_size=128), TINY,
     "training.batch_size", "the 70 training"),
    ("two-epochs", nested(training__epochs=2), None, "training.epochs", "underfit"),
    ("200-epochs-no-early-stopping",
     nested(training__epochs=200, regularization__early_stopping__enabled=False), None,
     "training.epochs", "overfit"),
    ("sgd-lr-1", nested(training__optimizer="sgd", training__lr=1.0), None, "training.lr", "diverge"),
    ("sgd-lr-tiny", nested(training__optimizer="sgd", training__lr=1e-4), None, "training.lr", "crawl"),
    ("adamw-lr-high-finetune", nested(training__lr=0.01), None, "training.lr", "wreck the pretrained"),
    ("adam-lr-high-scratch", nested(model__source="scratch", training__optimizer="adam", training__lr=0.01),
     None, "training.lr", "very high for Adam"),
    ("adamw-lr-tiny", nested(training__lr=1e-7), None, "training.lr", "barely move"),
    ("small-mlp-lr-too-high", nested(training__lr=0.05), table(455), "training.lr", "above 0.03"),
    ("wide-mlp-lr-high", nested(training__lr=0.01), table(5000), "training.lr", "above 0.003"),
    ("onecycle-with-early-stopping", nested(training__scheduler="onecycle"), None,
     "training.scheduler", "cuts it off"),
    ("constant-lr", nested(training__scheduler="none"), None, "training.scheduler", "stalls"),
    ("flip-changes-label", nested(data__mirror_keeps_label=False, regularization__augmentation=["hflip"]), None,
     "regularization.augmentation", "wrong labels"),
    ("rotate90-upright", nested(regularization__augmentation=["rotate90"]), None,
     "regularization.augmentation", "orientation-free"),
    ("image-size-upscaled", nested(data__image_size=224), DIGITS, "data.image_size", "upscales them"),
]
# fmt: on


@pytest.mark.parametrize(
    ("answers", "facts", "key", "phrase"), [row[1:] for row in WARNINGS], ids=[row[0] for row in WARNINGS]
)
def test_warning(answers: dict, facts: DataFacts | None, key: str, phrase: str) -> None:
    resolution = resolved(answers, facts)
    warnings = decision(resolution, key).warnings
    assert any(phrase in w for w in warnings), warnings
    assert any(w.startswith(f"{key}: ") and phrase in w for w in resolution.warnings)


def test_a_plain_resolution_has_no_warnings() -> None:
    assert resolved({}).warnings == []
    assert resolved({}, TINY).warnings == []
    assert resolved({"task": "tabular-regression"}, DataFacts(num_samples=300)).warnings == []


def test_only_applicable_decisions_are_listed() -> None:
    keys = {d.key for d in resolved({}).decisions}
    assert "model.unfreeze_epoch" not in keys  # freeze is not gradual
    assert "imbalance.focal_gamma" not in keys  # strategy is not focal
    assert "regularization.spatial_dropout" not in keys  # only the scratch CNN has it
    disabled = resolved(nested(regularization__early_stopping__enabled=False))
    assert "regularization.early_stopping.patience" not in {d.key for d in disabled.decisions}
