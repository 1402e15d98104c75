def test_checkpoint_round_trip(trained_run) -> None:
    state = load_checkpoint(trained_run / "last.pt")
    assert {"model", "optimizer", "epoch", "rng", "config", "class_to_idx", {% if f.multilabel %}"thresholds", {% endif %}"scaler"} <= set(state)
    model, classes = model_from_checkpoint(state)
    assert classes == ["cat", "dog", "fox"]
    images = torch.randn(2, 3, 32, 32)
    twin, _ = model_from_checkpoint(load_checkpoint(trained_run / "last.pt"))
    assert torch.equal(model.eval()(images), twin.eval()(images))
