"""The bundled template's cookiecutter.json matches the answers model, so plain cookiecutter renders defaults."""

from __future__ import annotations

import json

from wizard.answers import Answers, answers_to_dict
from wizard.render import default_template, templates_root
from wizard.render.context import config_limits, vocabulary_values


def test_templates_are_found_from_a_source_checkout() -> None:
    assert (templates_root() / "pytorch" / "cookiecutter.json").is_file()
    assert default_template().name == "pytorch"


def test_cookiecutter_json_holds_the_answers_model_defaults() -> None:
    context = json.loads((default_template() / "cookiecutter.json").read_text(encoding="utf-8"))
    defaults = answers_to_dict(Answers.model_validate({"project": {"name": "My Project"}}))
    defaults.pop("meta")
    defaults.pop("version")
    answer_keys = {k: v for k, v in context.items() if not k.startswith("_") and k != "slug"}
    assert answer_keys == defaults
    assert context["slug"] == defaults["project"]["slug"]
    assert context["_extensions"] == ["local_extensions.TrainwizardExtension"]
    assert context["_limits"] == config_limits()  # plain cookiecutter checks the wizard's bounds too
    assert context["_vocabulary"] == vocabulary_values()  # and its data thresholds (check_data.py)


def test_the_generated_config_checks_the_answers_bounds() -> None:
    limits = config_limits()
    assert limits["data.image_size"] == '(lambda v: 32 <= v <= 2048, ">= 32 and <= 2048")'
    assert limits["training.lr"] == '(lambda v: 0 < v <= 10, "> 0 and <= 10")'
    assert limits["regularization.early_stopping.min_delta"] == '(lambda v: v >= 0, ">= 0")'


def test_template_file_names_can_be_checked_out_on_windows() -> None:
    forbidden = set('<>:"|?*\\')
    bad = [p.name for p in default_template().rglob("*") if forbidden & set(p.name)]
    assert bad == []


def _as_plain_cookiecutter_passes(value: object) -> object:
    """Plain cookiecutter renders every nested answer to text: 0.0 -> '0.0', False -> 'False'."""
    if isinstance(value, dict):
        return {k: v if k.startswith("_") else _as_plain_cookiecutter_passes(v) for k, v in value.items()}
    return value if isinstance(value, list) else str(value)


def test_template_flags_are_the_same_from_typed_and_text_answers() -> None:
    import importlib.util
    from pathlib import Path

    from tests.e2e.matrix import combinations
    from wizard.render.context import build_context

    spec = importlib.util.spec_from_file_location("local_extensions", default_template() / "local_extensions.py")
    extensions = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extensions)
    seen: dict[str, set] = {}
    for resolution in combinations(20261129, 60)[0]:
        context = build_context(resolution, Path("/tmp/project"))
        typed = extensions.flags(context)
        assert extensions.flags(_as_plain_cookiecutter_passes(context)) == typed
        assert typed["pretrained"] == (typed["image"] and resolution.answers.model.source == "pretrained")
        assert (default_template() / "templates" / typed["variant"] / "tests/test_data.py").is_file()
        if typed["image"]:  # the backbone flag names the file of templates/image/package/backbones/ to include
            assert (default_template() / "templates/image/package/backbones" / f"{typed['backbone']}.py").is_file()
        for name, value in typed.items():
            seen.setdefault(name, set()).add(value)
    seen.pop("backbone"), seen.pop("timm_model")  # names, not choices
    # timm_requirement: none, Xception's, a timm/<name> backbone's
    counts = {"kind": 3, "variant": 3, "timm_requirement": 3}
    assert all(len(values) == counts.get(name, 2) for name, values in seen.items()), seen  # every value
