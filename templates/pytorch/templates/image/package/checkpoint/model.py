def model_from_checkpoint(state: dict[str, Any], source: str = "checkpoint") -> tuple[Classifier, list[str]]:
    """The trained model (built from the checkpoint's own config, nothing downloaded) and its {% if f.multilabel %}label{% else %}class{% endif %} names."""
    classes = class_names(state, source)
{%- if f.pretrained %}
    cfg = copy.deepcopy(state["config"])
    cfg["model"]["weights"] = None  # the checkpoint holds the trained weights
    model = build_model(cfg, len(classes))
{%- else %}
    model = build_model(state["config"], len(classes))
{%- endif %}