def test_one_epoch_writes_checkpoints_metrics_plots_and_report(cfg: dict, tmp_path) -> None:
    cfg["training"]["epochs"] = 1
    report = fit(cfg, tmp_path / "run")
    for name in ("last.pt", "best.pt", "metrics.csv", "curves.png", "report.json", "config.yaml"):
        assert (tmp_path / "run" / name).is_file(), name
    saved = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    assert saved["r2"] == report["r2"] and {"mae", "rmse", "r2", "target"} <= set(saved)
    with open(tmp_path / "run" / "metrics.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and {"train_loss", "val_loss", "val_mae", "val_rmse", "val_r2"} <= set(rows[0])
