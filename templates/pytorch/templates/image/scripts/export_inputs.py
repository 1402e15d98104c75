def validation_inputs(cfg: dict[str, Any], state: dict[str, Any], spec: Any, count: int) -> torch.Tensor:
    """The first `count` images of the validation split, preprocessed as in evaluation."""
    dataset = eval_dataset(cfg, "val", state["class_to_idx"])
    return torch.stack([dataset[i][0] for i in range(min(count, len(dataset)))])


def preprocessing(cfg: dict[str, Any], spec: Any) -> dict[str, Any]:
    """How an image becomes the model's input (the evaluation transforms of transforms.py)."""
    data = cfg["data"]
    return {
        "steps": [
            "open the image, rotate it as its EXIF orientation says, convert it to RGB",
            f"resize its shorter side to {data['image_size']} pixels (bilinear, antialiased)",
            f"crop the centre {data['image_size']} x {data['image_size']} pixels",
            "scale the pixels to [0, 1] (divide by 255), then (x - mean) / std per channel",
            "lay out as float32 channels x height x width, stack into a batch",
        ],
        "image_size": data["image_size"],
        "mean": data["mean"],
        "std": data["std"],
    }
