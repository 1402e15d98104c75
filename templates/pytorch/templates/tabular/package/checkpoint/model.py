def model_from_checkpoint(state: dict[str, Any], source: str = "checkpoint") -> tuple[TabularMLP, FeatureSchema]:
    """The trained model (built from the checkpoint's own config) and the feature schema it was trained with."""
    try:
        schema = FeatureSchema.from_dict(state["schema"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise CheckpointError(f"{source}: its feature schema is damaged ({exc})") from None
{%- if not f.regression %}
    classes = class_names(state, source)
    if classes != schema.classes:
        raise CheckpointError(
            f"{source}: its label mapping ({', '.join(classes)}) differs from the classes of its "
            f"feature schema ({', '.join(schema.classes)})"
        )
{%- endif %}
    model = build_model(state["config"], schema)