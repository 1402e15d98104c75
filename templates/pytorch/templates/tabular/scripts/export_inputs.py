def validation_inputs(cfg: dict[str, Any], state: dict[str, Any], spec: Any, count: int) -> torch.Tensor:
    """The first `count` rows of the validation split, encoded with the checkpoint's feature schema."""
    dataset = eval_dataset(cfg, "val", spec)
    return torch.stack([dataset[i][0] for i in range(min(count, len(dataset)))])


def preprocessing(cfg: dict[str, Any], spec: Any) -> dict[str, Any]:
    """How a CSV row becomes the model's input (FeatureSchema.encode in tabular.py)."""
    return {
        "steps": [
            "numeric columns in feature_schema.numeric order: a missing cell (empty, NA, nan, null, none, ?) "
            "takes the median, then (x - mean) / std",
            "then, for each numeric column with indicator true: 1.0 if its cell was missing, else 0.0",
            "then each categorical column with embedding_dim 0: one-hot over its categories "
            "(index 0 for a value unseen in training)",
            "last, each categorical column with embedding_dim > 0: its category index as a float",
            "all as one float32 row; rows stacked into a batch",
        ],
        "feature_schema": spec.to_dict(),
    }
