def test_overrides_are_read_with_the_type_of_the_key() -> None:
    cfg = load_config(
        ROOT / "config.yaml",
        ["training.lr=1e-3", "training.epochs=3", "model.head_dropout=0", "regularization.augmentation=hflip,vflip"],
    )
    assert cfg["training"]["lr"] == 0.001 and isinstance(cfg["training"]["lr"], float)
    assert cfg["training"]["epochs"] == 3 and isinstance(cfg["training"]["epochs"], int)
    assert cfg["model"]["head_dropout"] == 0
    assert cfg["regularization"]["augmentation"] == ["hflip", "vflip"]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("regularization.augmentation=[hflip, zoom]", "unknown augmentation 'zoom'"),
        ("data.exclude=../elsewhere.jpg", "allowed: paths inside the data folder"),
        ("data.mean=0.5,0.5", "allowed: three numbers"),
        ("data.std=[0.2, high, 0.2]", "data.std must be a list of numbers"),
        ("data.layout=folders", "allowed: auto, {{ "" if f.multilabel else "imagefolder, " }}csv"),
    ],
)
def test_bad_image_settings_are_clear_errors(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(ROOT / "config.yaml", [override])


def test_image_size_has_the_wizards_bounds() -> None:
    """The wizard asks for 32 pixels or more (the networks downsample 32x); the config refuses less too."""
    assert load_config(ROOT / "config.yaml", ["data.image_size=32"])["data"]["image_size"] == 32
    with pytest.raises(ConfigError, match="data.image_size is 16; allowed: >= 32"):
        load_config(ROOT / "config.yaml", ["data.image_size=16"])
