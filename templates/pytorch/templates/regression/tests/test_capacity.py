# --- planted bugs of this task: an output bias far from the mean ---


def test_init_check_fails_an_output_bias_far_from_the_mean(
    cfg: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    capacity = load_script("capacity_test")

    def shifted(model: nn.Module) -> nn.Module:
        with torch.no_grad():
            model.head.bias.add_(10.0)  # ten target standard deviations (or units) off
        return model

    plant(capacity, monkeypatch, shifted)
    reports = list(initial_checks(capacity, cfg, seeds=range(3)))
    assert {r["status"] for r in reports} == {"FAIL"}, reports
    assert "bias not at the mean" in reports[0]["why"]


def test_the_script_reports_a_planted_bug(
    overrides: list[str], tmp_path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    capacity = load_script("capacity_test")
    plant(capacity, monkeypatch, huge_weights)
    capacity.main([*set_args(overrides), "--steps", "30", "--out", str(tmp_path)])
    init = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("[init]"))
    assert init.endswith(("WARN", "FAIL")) and "huge initial weights" in init, init
