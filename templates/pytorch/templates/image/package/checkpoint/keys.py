from .model import Classifier, build_model

# Config keys that decide the model's shape and input: a config used with a checkpoint must agree on them.
MODEL_KEYS = (
    ("task",),
    ("model", "source"),
    ("model", "backbone"),
    ("model", "multiscale_pooling"),
    ("normalization",),
    ("data", "image_size"),
)
# What a checkpoint of this project holds besides the training state.
REQUIRED = ("model", "config", "class_to_idx"{% if f.multilabel %}, "thresholds"{% endif %})