"""Every tracker (TensorBoard, MLflow, W&B; in trainwizard's [test] extra) writes its run and reads it back with its
own reader: the generated tests/test_tracking.py of an image-classification and a tabular-regression project (two
sets of metrics and figures) passes with none of its tests skipped."""

from __future__ import annotations

import re
from importlib.util import find_spec
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.e2e.conftest import TRACKING_TESTS, Project
from tests.e2e.tabular_fixtures import make_table, render_cli

pytestmark = pytest.mark.skipif(find_spec("torch") is None, reason="needs torch")


@pytest.fixture(scope="module", params=["image-classification", "tabular-regression"])
def project(request: pytest.FixtureRequest, variant, tmp_path_factory: pytest.TempPathFactory,
            e2e_env: dict[str, str]) -> Project:
    if request.param == "image-classification":
        return variant("scratch-batchnorm")  # the confusion matrix is one of its figures
    root = tmp_path_factory.mktemp("tracked-regression")
    make_table(root / "data" / "table.csv", rows=60, regression=True)
    answers = {"version": 1, "project": {"name": "E2E tracked regression"}, "task": "tabular-regression",
               "data": {"path": "data/table.csv", "label_column": "price"}, "training": {"batch_size": 16}}
    return render_cli(e2e_env, answers, root, root / "project")


def test_every_tracker_reads_its_run_back_with_no_test_skipped(project: Project, tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    proc = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", f"--junitxml={junit}", TRACKING_TESTS)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    ran = {case.get("name"): case.find("skipped") is not None for case in cases}
    # a skip means a tracker library is missing (pip install -e '.[test]' installs them); -rs prints which
    assert [name for name, skipped in ran.items() if skipped] == [], proc.stdout[-3000:]
    source = (project.path / TRACKING_TESTS).read_text(encoding="utf-8")
    assert sorted(ran) == sorted(re.findall(r"^def (test_\w+)", source, re.MULTILINE))  # every test ran
