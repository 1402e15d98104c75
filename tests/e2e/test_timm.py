"""timm backbones end to end, offline: `timm/resnet18.a1_in1k` loads weights planted in a private Hugging Face cache
and trains one epoch with each freeze mode; a scratch `timm/convnext_atto` trains; uncached weights exit 2 with one
message naming the cache; the generated project's own tests pass."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import REPO, TRACKING_TESTS, Project, merge

pytestmark = pytest.mark.skipif(find_spec("torch") is None or find_spec("timm") is None, reason="needs torch and timm")

TIMM_TINY = {"data": {"path": "split", "image_size": 32}, "training": {"batch_size": 4, "epochs": 1},
             "normalization": "batchnorm"}
CPU = ("--set", "data.num_workers=0", "--set", "training.device=cpu")
HUB_REPO = "models--timm--resnet18.a1_in1k"
PLANT = """
import os, pathlib, torch, timm
from safetensors.torch import save_file
repo = pathlib.Path(os.environ["HF_HOME"], "hub", "{repo}")
(repo / "refs").mkdir(parents=True)
(repo / "refs" / "main").write_text("{rev}")  # what huggingface_hub resolves offline: refs/main -> snapshots/<rev>/
(repo / "snapshots" / "{rev}").mkdir(parents=True)
torch.manual_seed(0)
save_file(timm.create_model("resnet18").state_dict(), str(repo / "snapshots" / "{rev}" / "model.safetensors"))
""".format(repo=HUB_REPO, rev="0123456789abcdef0123456789abcdef01234567")


@pytest.fixture(scope="module")
def hf_env(e2e_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The e2e environment with a private, offline Hugging Face cache holding seeded resnet18.a1_in1k weights."""
    env = {**e2e_env, "HF_HOME": str(tmp_path_factory.mktemp("hf-home")), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-c", PLANT], check=False, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return env


@pytest.fixture(scope="module")
def planted(hf_env: dict[str, str]) -> dict[str, Any]:
    """The planted weights, read back from the cache file."""
    from safetensors.torch import load_file

    return load_file(next(Path(hf_env["HF_HOME"], "hub", HUB_REPO, "snapshots").glob("*/model.safetensors")))


@pytest.fixture(scope="module")
def render_timm(tmp_path_factory: pytest.TempPathFactory, hf_env: dict[str, str], datasets: Path):
    """render_timm(name, model answers) -> Project, rendered through `trainwizard new` (tiny data and images)."""
    root = tmp_path_factory.mktemp("timm-projects")

    def render(name: str, model: dict[str, Any]) -> Project:
        answers = merge({"version": 1, "project": {"name": f"E2E {name}"}, "model": model}, TIMM_TINY)
        answers_file = datasets / f"{name}.yml"  # data.path is relative to the answers file
        answers_file.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "wizard", "new", str(root / name), "--answers", str(answers_file), "--no-input"],
            check=False, cwd=REPO, env=hf_env, capture_output=True, text=True, timeout=300,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return Project(root / name, hf_env, model["source"] == "pretrained")

    return render


@pytest.fixture(scope="module")
def resnet(render_timm) -> Project:
    return render_timm("timm-resnet18", {"source": "pretrained", "backbone": "timm/resnet18.a1_in1k",
                                         "freeze": "early-layers"})


def trained_backbone(project: Project, run: str) -> dict[str, Any]:
    """The backbone's weights in a run's best checkpoint, by the names timm gives them."""
    import torch

    state = torch.load(project.path / "runs" / run / "best.pt", map_location="cpu", weights_only=False)
    return {k.removeprefix("features.net."): v for k, v in state["model"].items() if k.startswith("features.net.")}


def is_statistic(name: str) -> bool:
    """A BatchNorm buffer (running mean and variance, batch count), not a parameter."""
    return name.endswith(("running_mean", "running_var", "num_batches_tracked"))


def parameter_counts(stdout: str) -> tuple[int, int]:
    found = re.search(r"parameters: ([\d,]+) trainable, ([\d,]+) frozen", stdout)
    assert found, stdout
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


@pytest.mark.parametrize("freeze", ["none", "head-only", "early-layers", "gradual"])
def test_planted_weights_train_with_each_freeze_mode(resnet: Project, planted: dict[str, Any], freeze: str) -> None:
    import torch

    proc = resnet.run("scripts/train.py", *CPU, "--set", f"model.freeze={freeze}", "--run-dir", f"runs/{freeze}")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    trainable, frozen = parameter_counts(proc.stdout)
    parameters = {k: v.numel() for k, v in planted.items() if not k.startswith("fc.") and not is_statistic(k)}
    backbone = sum(parameters.values())
    head = 512 * 3 + 3  # the project's own head on resnet18's 512 pooled features (timm's fc was reset)
    # early-layers: the stem and the first 3 (half, rounded up) of timm's 5 feature_info entries: act1, layer1, layer2
    early_params = sum(n for k, n in parameters.items() if k.startswith(("conv1.", "bn1.", "layer1.", "layer2.")))
    expected = {"none": (backbone + head, 0), "head-only": (head, backbone),
                "early-layers": (backbone + head - early_params, early_params),
                "gradual": (head, backbone)}  # unfreeze_epoch 3: epoch 1 trains the head only
    assert (trainable, frozen) == expected[freeze]
    weights = trained_backbone(resnet, freeze)
    assert set(weights) == {k for k in planted if not k.startswith("fc.")}  # timm's classifier was reset, not kept
    # frozen parameters still hold the planted weights (they were loaded), trained ones moved away from them
    stem, last = "conv1.weight", "layer4.1.conv2.weight"
    assert torch.equal(weights[stem], planted[stem]) == (freeze != "none")
    assert torch.equal(weights[last], planted[last]) == (freeze in ("head-only", "gradual"))


def test_uncached_weights_exit_2_naming_the_cache(resnet: Project, tmp_path: Path) -> None:
    empty = {**resnet.env, "HF_HOME": str(tmp_path / "hf")}
    proc = Project(resnet.path, empty, True).run("scripts/train.py", *CPU, "--run-dir", "runs/offline")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    message = proc.stderr.strip().splitlines()[-1]
    for part in (str(tmp_path / "hf" / "hub"), "hf download timm/resnet18.a1_in1k", "--set model.weights=null"):
        assert part in message, message


def test_a_scratch_timm_model_trains(render_timm) -> None:
    project = render_timm("timm-convnext-atto", {"source": "scratch", "backbone": "timm/convnext_atto",
                                                 "freeze": "none"})
    assert '"timm>=1.0.29,<2"' in (project.path / "pyproject.toml").read_text(encoding="utf-8")
    proc = project.run("scripts/train.py", *CPU, "--run-dir", "runs/scratch")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    trainable, frozen = parameter_counts(proc.stdout)
    assert frozen == 0 and trainable > 3_000_000  # ConvNeXt-Atto: 3.4M parameters without its classifier
    assert (project.path / "runs" / "scratch" / "best.pt").is_file()


def test_the_generated_tests_pass(resnet: Project) -> None:
    # the trackers' tests train a project per tracker: tests/e2e/test_trackers.py runs them on two other projects
    proc = resnet.run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", f"--ignore={TRACKING_TESTS}")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout
