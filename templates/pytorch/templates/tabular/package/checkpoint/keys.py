from .model import TabularMLP, build_model
from .tabular import FeatureSchema

# Config keys that decide the model's shape: a config used with a checkpoint must agree on them.
MODEL_KEYS = (("task",), ("model", "backbone"), ("model", "hidden_sizes"), ("normalization",), ("data", "label_column"))
# What a checkpoint of this project holds besides the training state.
REQUIRED = ("model", "config", {% if not f.regression %}"class_to_idx", {% endif %}"schema")