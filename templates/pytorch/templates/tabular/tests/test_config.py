def test_overrides_are_read_with_the_type_of_the_key() -> None:
    cfg = load_config(
        ROOT / "config.yaml",
        [
            "training.lr=1e-3",
            "training.epochs=3",
            "model.head_dropout=0",
            "model.hidden_sizes=64,32",
            "data.categorical_columns=zip,store",
        ],
    )
    assert cfg["training"]["lr"] == 0.001 and isinstance(cfg["training"]["lr"], float)
    assert cfg["training"]["epochs"] == 3 and isinstance(cfg["training"]["epochs"], int)
    assert cfg["model"]["head_dropout"] == 0
    assert cfg["model"]["hidden_sizes"] == [64, 32]
    assert cfg["data"]["categorical_columns"] == ["zip", "store"]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("model.hidden_sizes=[64, 0]", "allowed: sizes >= 1"),
        ("model.hidden_sizes=wide", "model.hidden_sizes must be a list of integers"),
{%- if f.regression %}
        ("target.loss=l1", "allowed: mse, huber"),
{%- endif %}
    ],
)
def test_bad_table_settings_are_clear_errors(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(ROOT / "config.yaml", [override])
