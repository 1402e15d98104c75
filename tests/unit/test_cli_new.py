"""`trainwizard new --no-input`: bad answers files, destinations, dry runs, free text written literally."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI_TEMPLATE, write_answers

BAD_ANSWERS = {
    "bad-yaml": ("project: {name: x\n  task: [", None, "not valid YAML"),
    "not-a-mapping": ("- just\n- a list\n", None, "must be a mapping"),
    "scalar": ("hello\n", None, "must be a mapping"),
    "empty": ("", None, "is empty"),
    "unknown-key": ("project: {name: x}\nmodel:\n  frezze: none\n", "model.frezze", "did you mean 'freeze'"),
    "unknown-top-key": ("project: {name: x}\ntrainig: {}\n", "trainig", "did you mean 'training'"),
    "wrong-type": ("project: {name: x}\ntraining:\n  epochs: many\n", "training.epochs", "integer"),
    "bad-enum": ("project: {name: x}\nnormalization: batchnrom\n", "normalization", "allowed"),
    "missing-name": ("task: image-classification\n", "project", "required"),
    "blank-name": ("project: {name: '   '}\n", "project.name", "blank"),
    "unsupported-version": ("version: 2\nproject: {name: x}\n", "version", "allowed: 1"),
    "negative-lr": ("project: {name: x}\ntraining: {lr: -0.1}\n", "training.lr", "greater than 0"),
    "zero-batch": ("project: {name: x}\ntraining: {batch_size: 0}\n", "training.batch_size", "greater than or equal to 1"),
    "rate-too-high": ("project: {name: x}\nmodel: {head_dropout: 1.5}\n", "model.head_dropout", "less than 1"),
    "slug-path": ("project: {name: x, slug: ../../etc}\n", "project.slug", "not a valid Python package name"),
    "impossible-combination": (
        "project: {name: x}\nmodel: {source: scratch, backbone: simple-cnn, freeze: head-only}\n",
        "model.freeze", "needs pretrained weights",
    ),
    "tabular-with-pretrained": (
        "project: {name: x}\ntask: tabular-classification\nmodel: {source: pretrained}\n",
        "model.source", "tabular",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_bad_answers_file_exits_2_with_one_readable_message(case: str, tmp_path: Path, run_cli) -> None:
    text, key, phrase = BAD_ANSWERS[case]
    answers = write_answers(tmp_path, text)
    dest = tmp_path / "out"
    result = run_cli("new", dest, "--answers", answers, "--no-input", "--template", MINI_TEMPLATE)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert str(answers) in result.err
    if key:
        assert f"{key}:" in result.err
    assert phrase in result.err
    assert not dest.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]


def test_binary_answers_file_is_refused(tmp_path: Path, run_cli) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0binary")
    result = run_cli("new", tmp_path / "out", "--answers", answers, "--no-input")
    assert result.code == 2 and "binary file" in result.err and not (tmp_path / "out").exists()


def test_line_number_is_given_for_a_nested_key(tmp_path: Path, run_cli) -> None:
    answers = write_answers(tmp_path, "project:\n  name: x\ntraining:\n  batch_size: 32\n  lr: -1\n")
    result = run_cli("new", tmp_path / "out", "--answers", answers, "--no-input")
    assert "line 5: training.lr:" in result.err


def test_missing_answers_file_and_missing_flag(tmp_path: Path, run_cli) -> None:
    assert run_cli("new", tmp_path / "o", "--answers", tmp_path / "nope.yml", "--no-input").code == 2
    result = run_cli("new", tmp_path / "o", "--no-input")
    assert result.code == 2 and "--answers" in result.err


def test_a_given_data_path_that_does_not_exist_is_bad_input(tmp_path: Path, run_cli) -> None:
    answers = write_answers(tmp_path, "project: {name: x}\ndata: {path: nowhere}\n")
    result = run_cli("new", tmp_path / "o", "--answers", answers, "--no-input", "--template", MINI_TEMPLATE)
    assert result.code == 2 and "data.path" in result.err and not (tmp_path / "o").exists()


def test_real_process_shows_no_traceback(tmp_path: Path) -> None:
    answers = write_answers(tmp_path, "project: {name: x}\ntraining: {batch_size: 0}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "new", str(tmp_path / "o"), "--answers", str(answers), "--no-input"],
        capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "training.batch_size" in proc.stderr


PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"
TRICKY = [PAYLOAD, "a 'quote' and \"double\" \\ back\\slash", "line1 {% raw %} <b>x</b>", "__import__('os').system('x')",
          "日本語 ✓", "{# comment #} ${x} `tick`"]


@pytest.mark.parametrize("text", TRICKY)
def test_free_text_is_written_literally(text: str, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    monkeypatch.chdir(tmp_path)
    answers = write_answers(
        tmp_path, yaml.safe_dump({"project": {"name": text, "description": text, "author": text}})
    )
    dest = tmp_path / "out"
    result = run_cli("new", dest, "--answers", answers, "--no-input", "--template", MINI_TEMPLATE)
    assert result.code == 0, result.err
    about = (dest / "pkg" / "about.py").read_text(encoding="utf-8")
    namespace: dict = {}
    exec(compile(ast.parse(about), "about.py", "exec"), namespace)  # noqa: S102 - the point: it runs as written
    assert namespace["NAME"] == namespace["DESCRIPTION"] == namespace["AUTHOR"] == text
    assert yaml.safe_load((dest / "config.yaml").read_text(encoding="utf-8"))["name"] == text
    assert yaml.safe_load((dest / ".trainwizard.yml").read_text(encoding="utf-8"))["project"]["name"] == text
    assert not list(tmp_path.rglob("PWNED"))


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_rerender_from_recorded_answers_is_byte_identical(tmp_path: Path, run_cli) -> None:
    answers = write_answers(tmp_path, "project: {name: Same Bytes, description: 'x: {{y}}'}\ntraining: {lr: 0.00001}\n")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli("new", first, "--answers", answers, "--no-input", "--template", MINI_TEMPLATE).code == 0
    recorded = first / ".trainwizard.yml"
    assert run_cli("new", second, "--answers", recorded, "--no-input", "--template", MINI_TEMPLATE).code == 0
    assert _tree(first) == _tree(second)


def test_non_empty_destination_needs_force_and_keeps_user_files(tmp_path: Path, run_cli) -> None:
    answers = write_answers(tmp_path, "project: {name: x}\n")
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    (dest / "README.md").write_text("old readme")
    refused = run_cli("new", dest, "--answers", answers, "--no-input", "--template", MINI_TEMPLATE)
    assert refused.code == 2 and "--force" in refused.err
    assert (dest / "README.md").read_text() == "old readme"
    forced = run_cli("new", dest, "--answers", answers, "--no-input", "--template", MINI_TEMPLATE, "--force")
    assert forced.code == 0 and "overwritten" in forced.out
    assert (dest / "notes.txt").read_text() == "mine"
    assert (dest / "README.md").read_text().startswith("# x")


def test_dry_run_lists_files_and_writes_nothing(tmp_path: Path, run_cli) -> None:
    answers = write_answers(tmp_path, "project: {name: x}\n")
    result = run_cli("new", tmp_path / "out", "--answers", answers, "--no-input", "--dry-run",
                     "--template", MINI_TEMPLATE)
    assert result.code == 0
    assert "pkg/about.py" in result.out and ".trainwizard.yml" in result.out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]


def test_default_destination_is_the_slug(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    answers = write_answers(tmp_path, "project: {name: Leaf Disease}\n")
    assert run_cli("new", "--answers", answers, "--no-input", "--template", MINI_TEMPLATE).code == 0
    assert (tmp_path / "leaf_disease" / ".trainwizard.yml").is_file()


def test_failure_midway_leaves_nothing_behind(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from cookiecutter import generate

    real = generate.generate_file
    calls = {"n": 0}

    def flaky(project_dir, infile, context, env, skip_if_file_exists=False):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device", infile)
        return real(project_dir, infile, context, env, skip_if_file_exists)

    monkeypatch.setattr(generate, "generate_file", flaky)
    answers = write_answers(tmp_path, "project: {name: x}\n")
    result = run_cli("new", tmp_path / "deep" / "out", "--answers", answers, "--no-input", "--template", MINI_TEMPLATE)
    assert calls["n"] == 3
    assert result.code == 1 and "No space left" in result.err and "Traceback" not in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]


def test_ctrl_c_midway_exits_130_and_leaves_nothing(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from cookiecutter import generate

    real = generate.generate_file
    calls = {"n": 0}

    def interrupted(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(generate, "generate_file", interrupted)
    answers = write_answers(tmp_path, "project: {name: x}\n")
    result = run_cli("new", tmp_path / "out", "--answers", answers, "--no-input", "--template", MINI_TEMPLATE)
    assert result.code == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]


def test_killed_process_leaves_no_project(tmp_path: Path) -> None:
    """SIGTERM in the middle of rendering: the destination never appears and staging is cleaned up."""
    slow = tmp_path / "slow_template"
    import shutil

    shutil.copytree(MINI_TEMPLATE, slow, symlinks=False)
    hook_dir = slow / "hooks"
    hook_dir.mkdir()
    (hook_dir / "post_gen_project.py").write_text("import time\nopen('/dev/stderr','w').write('HOOK\\n')\ntime.sleep(30)\n")
    answers = write_answers(tmp_path, "project: {name: x}\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", "new", str(tmp_path / "out"), "--answers", str(answers), "--no-input",
         "--template", str(slow)],
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    assert proc.stderr is not None
    assert proc.stderr.readline().strip() == "HOOK"  # rendering is under way (files written into staging)
    os.killpg(proc.pid, 15)
    proc.wait(timeout=30)
    assert proc.returncode == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml", "slow_template"]


@pytest.mark.parametrize(("description", "emitted"), [("", False), ("Spots leaf diseases.", True)])
def test_derived_template_variables_decide_optional_files(
    description: str, emitted: bool, tmp_path: Path, run_cli
) -> None:
    """`__name` variables of cookiecutter.json are rendered as plain cookiecutter does, and can gate files."""
    import yaml

    answers = write_answers(tmp_path, yaml.safe_dump({"project": {"name": "x", "description": description}}))
    assert run_cli("new", tmp_path / "out", "--answers", answers, "--no-input", "--template", MINI_TEMPLATE).code == 0
    assert (tmp_path / "out" / "DESCRIPTION.txt").exists() is emitted


def test_compiled_templates_are_cached_and_renders_stay_identical(tmp_path: Path, run_cli) -> None:
    import os

    answers = write_answers(tmp_path, "project: {name: cached}\n")
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "trainwizard" / "jinja"
    assert run_cli("new", tmp_path / "a", "--answers", answers, "--no-input", "--template", MINI_TEMPLATE).code == 0
    entries = sorted(cache.iterdir())
    assert entries  # compiled once ...
    assert run_cli("new", tmp_path / "b", "--answers", answers, "--no-input", "--template", MINI_TEMPLATE).code == 0
    assert sorted(cache.iterdir()) == entries  # ... and reused, not compiled again
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


@pytest.mark.parametrize(("target", "task"), [("price", "tabular-regression"), ("kind", "tabular-classification")])
def test_a_task_left_out_follows_what_the_data_shows(tmp_path: Path, run_cli, target: str, task: str) -> None:
    import random

    import yaml

    rng = random.Random(0)
    rows = [f"{rng.random():.4f},{rng.random():.4f},{rng.uniform(100, 900):.2f},{rng.choice('xyz')}" for _ in range(80)]
    (tmp_path / "table.csv").write_text("a,b,price,kind\n" + "\n".join(rows) + "\n")
    answers = write_answers(tmp_path, f"project: {{name: Table}}\ndata: {{path: table.csv, label_column: {target}}}\n")
    result = run_cli("new", tmp_path / "out", "--answers", answers, "--no-input", "--template", MINI_TEMPLATE)
    assert result.code == 0, result.err
    recorded = yaml.safe_load((tmp_path / "out" / ".trainwizard.yml").read_text())
    assert recorded["task"] == task and recorded["meta"]["sources"]["task"] == "recommended"
