def test_checkpoint_round_trip(trained_run) -> None:
    state = load_checkpoint(trained_run / "last.pt")
    assert {"model", "optimizer", "epoch", "rng", "config", {% if not f.regression %}"class_to_idx", {% endif %}"schema", "scaler"} <= set(state)
    model, schema = model_from_checkpoint(state)
{%- if not f.regression %}
    assert schema.classes == ["cat", "dog", "fox"]
{%- endif %}
    inputs = torch.randn(2, schema.dense_width + len(schema.embedding_sizes)).abs().round()  # valid category codes
    twin, _ = model_from_checkpoint(load_checkpoint(trained_run / "last.pt"))
    assert torch.equal(model.eval()(inputs), twin.eval()(inputs))
