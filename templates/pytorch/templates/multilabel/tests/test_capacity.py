# --- planted bugs of this task: a sigmoid before the loss, labels that are not 0/1 ---


def test_init_check_fails_a_sigmoid_before_the_loss(cfg: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    capacity = load_script("capacity_test")
    plant(capacity, monkeypatch, lambda model: Then(model, torch.sigmoid))
    reports = list(initial_checks(capacity, cfg, seeds=range(3)))
    assert all(r["status"] == "FAIL" and "sigmoid before the loss" in r["why"] for r in reports), reports


def test_init_check_fails_labels_that_are_not_0_or_1(cfg: dict[str, Any]) -> None:
    capacity = load_script("capacity_test")
    reports = list(initial_checks(capacity, cfg, seeds=range(1), targets=lambda t: t * 255))
    assert reports[0]["status"] == "FAIL" and "0 or 1" in reports[0]["why"]


def test_the_script_reports_a_planted_bug(
    overrides: list[str], tmp_path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    capacity = load_script("capacity_test")
    plant(capacity, monkeypatch, lambda model: Then(model, torch.sigmoid))
    assert capacity.main([*set_args(overrides), "--steps", "30", "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    init = next(line for line in out.splitlines() if line.startswith("[init]"))
    assert init.endswith("FAIL") and "sigmoid before the loss" in init, init
    assert "VERDICT FAIL" in out and "check the model's output layer" in out
