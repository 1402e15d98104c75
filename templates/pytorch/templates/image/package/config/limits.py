    "data.exclude": (
        lambda v: all(p.strip("/") and not p.startswith("/") and ".." not in p.split("/") for p in v),
        "paths inside the data folder, such as train/cat/001.jpg or val/stray_class/",
    ),
    "data.image_size": {{ c._limits["data.image_size"] }},
    "data.mean": (lambda v: len(v) == 3 and all(0 <= x <= 1 for x in v), "three numbers (R, G, B) from 0 to 1"),
    "data.std": (lambda v: len(v) == 3 and all(0 < x <= 1 for x in v), "three numbers (R, G, B) above 0, at most 1"),
    "data.num_workers": (lambda v: v == "auto" or v >= 0, "auto or >= 0"),
{%- if f.pretrained %}
    "model.unfreeze_epoch": {{ c._limits["model.unfreeze_epoch"] }},
{%- endif %}
    "regularization.spatial_dropout": {{ c._limits["regularization.spatial_dropout"] }},