"""Acceptance via `trainwizard new --no-input`: recommendations in .trainwizard.yml and README Decisions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image

from tests.conftest import MINI_TEMPLATE, REPO, write_answers

DECISIONS_README = """\
# {{ cookiecutter.project.name | mdtext }}

## Decisions
{% for d in cookiecutter._decisions %}
### {{ d.title }}

`{{ d.key }}` = `{{ d.value }}` ({{ d.source }})

{{ d.reason }}

Alternatives: {{ d.alternatives }}
{% endfor %}
"""


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """The CLI tests' template: the minimal fixture template plus a README that lists the decisions."""
    folder = tmp_path / "template"
    shutil.copytree(MINI_TEMPLATE, folder)
    (folder / "{{cookiecutter.slug}}" / "README.md").write_text(DECISIONS_README, encoding="utf-8")
    return folder


def image_folder(root: Path, class_counts: dict[str, int]) -> Path:
    """A tiny ImageFolder dataset: one folder per class of distinct 8×8 PNGs (no duplicates)."""
    for index, (name, count) in enumerate(class_counts.items()):
        folder = root / name
        folder.mkdir(parents=True)
        for i in range(count):
            colour = (i % 256, i // 256, 40 * index)
            Image.new("RGB", (8, 8), colour).save(folder / f"{i:04d}.png")
    return root


def generate(run_cli, tmp_path: Path, answers_text: str, template: Path, *extra: str) -> tuple[dict, str]:
    """Run `new --no-input`; return the recorded answers (.trainwizard.yml) and the README text."""
    answers = write_answers(tmp_path, answers_text)
    dest = tmp_path / "out"
    result = run_cli("new", dest, "--answers", answers, "--no-input", "--template", template, *extra)
    assert result.code == 0, result.err
    recorded = yaml.safe_load((dest / ".trainwizard.yml").read_text(encoding="utf-8"))
    return recorded, (dest / "README.md").read_text(encoding="utf-8")


def readme_decision(readme: str, key: str) -> str:
    """The README's block for one decision key."""
    start = readme.index(f"`{key}` = ")
    end = readme.find("\n### ", start)
    return readme[start:] if end < 0 else readme[start:end]


@pytest.mark.parametrize(
    ("batch", "expected", "phrase"),
    [
        (1, "instancenorm", "batch size 1"),
        (4, "groupnorm", "Batch size 4 is in the 2–10 band"),
        (64, "batchnorm", "Batch size 64 is above 10"),
    ],
)
def test_normalization_follows_the_batch_size(
    batch: int, expected: str, phrase: str, tmp_path: Path, run_cli, template: Path
) -> None:
    text = f"project: {{name: Norm}}\nmodel: {{source: scratch}}\ntraining: {{batch_size: {batch}}}\n"
    recorded, readme = generate(run_cli, tmp_path, text, template)
    assert recorded["normalization"] == expected
    assert recorded["meta"]["sources"]["normalization"] == "recommended"
    block = readme_decision(readme, "normalization")
    assert block.startswith(f"`normalization` = `{expected}` (recommended for your situation)")
    assert phrase in block and "Alternatives: `batchnorm`" in block


def test_a_20_to_1_imbalance_gets_a_strategy(tmp_path: Path, run_cli, template: Path) -> None:
    data = image_folder(tmp_path / "data", {"common": 200, "rare": 10})
    recorded, readme = generate(
        run_cli, tmp_path, f"project: {{name: Skewed}}\ndata: {{path: {data}}}\n", template
    )
    assert recorded["meta"]["facts"]["class_counts"] == {"common": 200, "rare": 10}
    assert recorded["imbalance"]["strategy"] not in ("none", None)
    assert recorded["meta"]["sources"]["imbalance.strategy"] == "recommended"
    block = readme_decision(readme, "imbalance.strategy")
    assert f"`{recorded['imbalance']['strategy']}`" in block
    assert "20:1 (common: 200, rare: 10)" in block


def test_resnet50_on_70_images_trains_the_head_only(tmp_path: Path, run_cli, template: Path) -> None:
    data = image_folder(tmp_path / "data", {"healthy": 35, "sick": 35})
    model = "model: {source: pretrained, backbone: resnet50}\n"
    text = f"project: {{name: Leaves}}\ndata: {{path: {data}}}\n{model}"
    recorded, readme = generate(run_cli, tmp_path, text, template)
    assert recorded["model"]["freeze"] == "head-only"
    assert recorded["meta"]["sources"]["model.freeze"] == "recommended"
    assert recorded["meta"]["sources"]["model.backbone"] == "answer"
    block = readme_decision(readme, "model.freeze")
    assert block.startswith("`model.freeze` = `head-only` (recommended for your situation)")
    assert "About 35 training images per class (70 in 2 classes)" in block and "25.6M" in block
    assert "(your answer)" in readme_decision(readme, "model.backbone")


def test_chinese_decisions_in_the_readme(tmp_path: Path, run_cli, template: Path) -> None:
    text = "project: {name: Norm}\nmodel: {source: scratch}\ntraining: {batch_size: 4}\n"
    recorded, readme = generate(run_cli, tmp_path, text, template, "--lang", "zh")
    assert recorded["normalization"] == "groupnorm"
    block = readme_decision(readme, "normalization")
    assert "(根据你的情况推荐)" in block and "批大小 4 处于 2–10 区间" in block


def test_rendering_the_recorded_answers_again_is_identical(tmp_path: Path, run_cli, template: Path) -> None:
    data = image_folder(tmp_path / "data", {"a": 30, "b": 6})
    _, readme = generate(run_cli, tmp_path, f"project: {{name: Again}}\ndata: {{path: {data}}}\n", template)
    first = tmp_path / "out"
    again = tmp_path / "again"
    result = run_cli(
        "new", again, "--answers", first / ".trainwizard.yml", "--no-input", "--template", template
    )
    assert result.code == 0, result.err
    assert (again / ".trainwizard.yml").read_bytes() == (first / ".trainwizard.yml").read_bytes()
    assert (again / "README.md").read_text(encoding="utf-8") == readme


def test_as_a_separate_process(tmp_path: Path, template: Path) -> None:
    answers = write_answers(
        tmp_path, "project: {name: Proc}\nmodel: {source: scratch}\ntraining: {batch_size: 1}\n"
    )
    dest = tmp_path / "out"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "wizard",
            "new",
            str(dest),
            "--answers",
            str(answers),
            "--no-input",
            "--template",
            str(template),
        ],
        check=True,
        cwd=REPO,
        capture_output=True,
    )
    recorded = yaml.safe_load((dest / ".trainwizard.yml").read_text(encoding="utf-8"))
    assert recorded["normalization"] == "instancenorm"
    assert "At batch size 1 BatchNorm" in (dest / "README.md").read_text(encoding="utf-8")


def test_contradicting_answers_are_kept_and_warned_about(tmp_path: Path, run_cli, template: Path) -> None:
    text = "project: {name: W}\nnormalization: groupnorm\nregularization: {augmentation: [hflip, vflip]}\n"
    answers = write_answers(tmp_path, text)
    result = run_cli("new", tmp_path / "out", "--answers", answers, "--no-input", "--template", template)
    assert result.code == 0
    assert "warning: normalization: `groupnorm` replaces the BatchNorm layers" in result.err
    assert "warning: regularization.augmentation: Vertical flips" in result.err
    recorded = yaml.safe_load((tmp_path / "out" / ".trainwizard.yml").read_text(encoding="utf-8"))
    assert recorded["normalization"] == "groupnorm"
    assert recorded["regularization"]["augmentation"] == ["hflip", "vflip"]


def test_the_label_column_found_by_the_scan_is_used_when_left_out(tmp_path: Path, run_cli) -> None:
    import csv
    import random

    import yaml

    rng = random.Random(0)
    with (tmp_path / "houses.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["area", "rooms", "city", "price"])
        for _ in range(120):
            area = rng.uniform(30, 200)
            writer.writerow([round(area, 1), rng.randint(1, 6), rng.choice("abc"), round(area * 3000 + rng.gauss(0, 5e3), 2)])
    answers = tmp_path / "a.yml"
    answers.write_text("project: {name: houses}\ntask: tabular-regression\ndata: {path: houses.csv}\n")
    assert run_cli("new", tmp_path / "out", "--answers", answers, "--no-input").code == 0
    recorded = yaml.safe_load((tmp_path / "out" / ".trainwizard.yml").read_text())
    assert recorded["data"]["label_column"] == "price"
    assert recorded["meta"]["sources"]["data.label_column"] == "recommended"
    assert "price" in (tmp_path / "out" / "config.yaml").read_text()
