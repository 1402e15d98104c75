"""scripts/export.py: ONNX and TorchScript exports of a trained image model match it on validation images, carry
their labels and preprocessing in a JSON beside them, and predict.py gives the checkpoint's labels from the
ONNX file (onnxruntime). The tabular exports are checked in test_tabular_project.py."""

from __future__ import annotations

import json
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.e2e.conftest import CLASSES, TINY, VARIANTS, make_split_folders, merge
from tests.e2e.tabular_fixtures import render_cli

pytestmark = pytest.mark.skipif(find_spec("torch") is None or find_spec("onnxruntime") is None,
                                reason="needs torch and onnxruntime")

CPU = ("--set", "data.num_workers=0")


def test_exports_match_the_model_and_predict_the_same_labels(tmp_path: Path, e2e_env: dict[str, str]) -> None:
    # the scratch-batchnorm variant (BatchNorm in eval mode: the running statistics must be exported) on a split
    # with 6 validation images per class, so the export is checked on 16 of its 18
    make_split_folders(tmp_path / "data", val=6)
    answers = merge(merge(TINY, VARIANTS["scratch-batchnorm"][1]),
                    {"version": 1, "project": {"name": "Export"}, "data": {"path": "data"}})
    project = render_cli(e2e_env, answers, tmp_path, tmp_path / "project")
    train = project.run("scripts/train.py", *CPU, "--set", "training.epochs=1", "--run-dir", "runs/export")
    assert train.returncode == 0, train.stderr[-3000:]
    run = project.path / "runs" / "export"
    val_images = sorted((tmp_path / "data" / "val").rglob("*.png"))

    proc = project.run("scripts/export.py", "--checkpoint", "runs/export/best.pt", "--format", "onnx")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    meta = json.loads((run / "best.onnx.json").read_text(encoding="utf-8"))
    check = meta["verification"]
    # 16 validation images (the default --samples), within the default tolerance
    assert len(val_images) == 18 and check["samples"] == 16 and check["passed"] and check["max_abs_diff"] <= 1e-4
    assert f"on 16 validation images: {check['max_abs_diff']:.3g} (tolerance 0.0001) OK" in proc.stdout
    assert meta["classes"] == sorted(CLASSES) and meta["input"]["shape"] == ["batch", 3, 32, 32]
    assert meta["preprocessing"]["image_size"] == 32 and len(meta["preprocessing"]["mean"]) == 3

    # TorchScript, with a tolerance of 0: the exit code follows the measured difference
    strict = project.run("scripts/export.py", "--checkpoint", "runs/export/best.pt", "--format", "torchscript",
                         "--tolerance", "0")
    check = json.loads((run / "best.torchscript.pt.json").read_text(encoding="utf-8"))["verification"]
    assert check["samples"] == 16 and check["max_abs_diff"] <= 1e-4 and check["passed"] == (check["max_abs_diff"] == 0)
    assert strict.returncode == (0 if check["passed"] else 1), strict.stdout + strict.stderr

    # the same labels from the ONNX file as from the checkpoint, with the JSON's labels and preprocessing
    images = list(map(str, val_images))
    labels = {}
    for model in ("best.pt", "best.onnx"):
        proc = project.run("scripts/predict.py", "--checkpoint", f"runs/export/{model}", *images, "--json")
        assert proc.returncode == 0, proc.stderr[-3000:]
        labels[model] = [(row["input"], row["label"], round(row["score"], 4)) for row in json.loads(proc.stdout)]
    assert labels["best.onnx"] == labels["best.pt"] and len(labels["best.pt"]) == 18

    for args, message in ((("--checkpoint", "runs/export/missing.pt", "--format", "onnx"), "no such checkpoint file"),
                          (("--checkpoint", "runs/export/best.pt", "--format", "tflite"), "invalid choice: 'tflite'")):
        proc = project.run("scripts/export.py", *args)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
