"""The data checks' catalogue: English and Chinese alike, and findings shown in Chinese without English."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO
from tests.unit.datacheck_fixtures import imagefolder, jpeg_truncations, write
from wizard.datacheck import scan
from wizard.datacheck.texts import SECTIONS, catalogue
from wizard.knowledge.texts import placeholders


def test_both_languages_have_the_same_texts_and_placeholders() -> None:
    en, zh = catalogue("en"), catalogue("zh")
    for section in SECTIONS:
        assert set(en[section]) == set(zh[section]), section
        for key, text in en[section].items():
            assert placeholders(text) == placeholders(zh[section][key]), (section, key)


def test_every_text_the_checks_name_exists() -> None:
    sources = "\n".join(p.read_text() for p in (REPO / "wizard" / "datacheck").glob("*.py"))
    named = set(re.findall(r'finding\(\s*"([a-z-]+)"', sources))
    named |= {m for m in re.findall(r'(?:title|advice)="([a-z.-]+)"', sources)}
    assert named, "no finding() calls found"
    titles, advice = catalogue("en")["titles"], catalogue("en")["advice"]
    missing = sorted(k for k in named if k not in titles and k not in advice)
    assert missing == []


def test_a_report_read_in_chinese_keeps_only_names_numbers_and_paths_in_latin(tmp_path: Path) -> None:
    root = imagefolder(tmp_path / "data", {"train/cat": 40, "train/dog": 3, "val/cat": 5, "val/Dog": 2})
    write(root / "train" / "cat" / "cut.jpg", jpeg_truncations()["half"] if "half" in jpeg_truncations()
          else next(iter(jpeg_truncations().values())))
    (root / "train" / "cat" / "page.jpg").write_text("<html>error</html>")
    report = scan(root, use_cache=False)
    assert len(report.checks) >= 4
    allowed = {"cat", "dog", "Dog", "train", "val", "jpg", "cut", "page", "macro", "WeightedRandomSampler",
               "HTML", "resnet", "ImageFolder", "torchvision", "ROOT", "class", "Pillow", "Dropout", "F1"}
    for check in report.checks:
        title, advice, examples = check.texts("zh")
        words = set(re.findall(r"[A-Za-z]{2,}", " ".join([title, advice, *examples]))) - allowed
        assert not words, (check.id, title, advice, examples)
