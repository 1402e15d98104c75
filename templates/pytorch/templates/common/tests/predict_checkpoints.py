def test_missing_or_damaged_checkpoints_exit_2(tmp_path: Path, data_path: Path, capsys) -> None:
    image = str(images_of(data_path)[0])
    predict = load_script("predict")
    assert predict.main(["--checkpoint", str(tmp_path / "nope.pt"), image]) == 2
    assert "no such checkpoint file" in capsys.readouterr().err
    (tmp_path / "broken.pt").write_bytes(b"\x00" * 100)
    assert predict.main(["--checkpoint", str(tmp_path / "broken.pt"), image]) == 2
    assert "not a checkpoint" in capsys.readouterr().err
