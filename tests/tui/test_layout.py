"""Readable at 80×24: the focused question's help and reason in full, others cut only with "…", row heights
that follow the focus, and no English left on the screens of `--lang zh`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.conftest import write_answers
from tests.tui.conftest import SIZE, goto, make_big_folder, scanned, settle, wait_until
from wizard.answers import get_args
from wizard.tui.fields import spec
from wizard.tui.state import UI_KEYS
from wizard.tui.steps import STEPS

ANSWERS = "project: {name: Pets}\ndata: {path: pets}\ntraining: {batch_size: 8}\n"


def squeeze(text: str) -> str:
    """Text without spaces, line breaks and frame characters (wrapping moves those, never the words)."""
    return re.sub(r"[\s▌█▐▎▍▊▋▉▁▂▃▄▅▆▇]", "", text)  # the row's frame and the step's scroll bar


def region_text(app, widget) -> list[str]:
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    region = widget.region
    return [lines[y][region.x:region.right] for y in range(region.y, region.bottom) if 0 <= y < len(lines)]


async def prefilled(app_factory, tmp_path: Path, lang: str):
    make_big_folder(tmp_path / "pets", 300)
    # The project goes next to the data: a destination inside the dataset folder is refused.
    return app_factory(write_answers(tmp_path, ANSWERS), lang=lang, dest=Path("pets_project"))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_focused_question_shows_its_help_and_reason_in_full_at_80x24(app_factory, tmp_path: Path,
                                                                             lang: str) -> None:
    app = await prefilled(app_factory, tmp_path, lang)
    checked = 0
    async with app.run_test(size=SIZE) as pilot:
        await scanned(pilot)
        for index in range(len(STEPS) - 1):
            await goto(pilot, index)
            step = app.step
            for row in step.questions:
                row.control.focus()
                await settle(pilot)
                assert step.region.contains_region(row.region), (row.field.key, row.region, step.region)
                shown = squeeze("".join(region_text(app, row)))
                key = row.field.key
                assert squeeze(row._help) in shown, (lang, key)
                decision = app.state.evaluation.decisions.get(key)
                if decision is not None and decision.reason:
                    assert squeeze(decision.reason) in shown, (lang, key, shown)
                    checked += 1
                for other in step.questions:
                    if other is row or not step.region.contains_region(other.region):
                        continue
                    info = other.query_one(".info", Static)
                    for line, full in zip(region_text(app, info), (other._help, other._lines["rec"])):
                        line = re.sub(r"[\s▁▂▃▄▅▆▇█]+$", "", line)  # the step's scroll bar
                        assert squeeze(line) == squeeze(full) or line.endswith("…"), (key, line)
    assert checked >= 20  # most questions carry a recommendation with its reason


async def test_row_heights_follow_the_focus(app_factory, tmp_path: Path) -> None:
    app = await prefilled(app_factory, tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await scanned(pilot)
        await goto(pilot, 2)
        rows = app.step.questions[:3]
        for focused in [*rows, rows[0]]:
            focused.control.focus()
            await settle(pilot)
            for row in rows:
                info = row.query_one(".info", Static)
                measured = info.visual.get_height(info.styles, info.content_region.width)
                assert info.size.height == measured, (row.field.key, info.size.height, measured)
                assert row.has_class("-expanded") == (row is focused)
            assert focused.query_one(".info").size.height > 2  # the reason wraps over several lines


ALLOWED = {
    # names of the product, the libraries and the techniques, as written in Chinese texts too
    "trainwizard", "PyTorch", "torchvision", "timm", "ImageNet", "ImageFolder", "BatchNorm", "GroupNorm",
    "InstanceNorm", "LayerNorm", "Dropout", "DropConnect", "SpatialDropout", "Dropout2d", "AdamW", "Adam", "SGD",
    "ResNet", "VGG", "DenseNet", "EfficientNet", "ConvNeXt", "Xception", "CNN", "MLP", "CSV", "JPEG", "PNG",
    "EXIF", "RGB", "CPU", "GPU", "CUDA", "DDP", "torchrun", "softmax", "sigmoid", "focal", "Focal", "gamma",
    "macro", "F1", "ReLU", "Huber", "Enter", "Tab", "Esc", "PgUp", "PgDn", "alt", "ctrl", "KEY", "VALUE",
    "Kaiming", "He", "et", "al", "Karpathy", "WeightedRandomSampler", "Pillow", "HTML", "ROOT", "bf16", "fp16",
    "fp32", "AMP", "SPP", "ImageOps", "exif_transpose", "pip", "val", "train", "test", "jpg", "png",
    "yml", "md", "py", "L1", "L2", "Pets", "pets", "cut", "copy", "cat", "dog", "fox", "owl", "Python", "update",
    "set", "Smith", "fastai", "OneCycle", "cosine", "recipe", "VGG16", "ResNet50", "DenseNet121", "README",
    "DistributedDataParallel", "Macro", "true", "false", "new", "TensorBoard", "MLflow", "W", "B",
}


def identifiers() -> set[str]:
    """Words that are values or keys of the answers file (shown as such, in any language)."""
    words: set[str] = set()
    for key in UI_KEYS:
        words.update(re.findall(r"[A-Za-z0-9]+", key))
        field = spec(key)
        for choice in field.choices:
            words.update(re.findall(r"[A-Za-z0-9]+", choice))
    for literal in get_args(__import__("wizard.answers", fromlist=["Backbone"]).Backbone):
        words.update(re.findall(r"[A-Za-z0-9]+", literal))
    return words


async def test_chinese_screens_have_no_english_left(app_factory, tmp_path: Path) -> None:
    app = await prefilled(app_factory, tmp_path, "zh")
    allowed = ALLOWED | identifiers()
    seen: list[str] = []
    async with app.run_test(size=(80, 200)) as pilot:  # tall: every line of every step is on screen
        await scanned(pilot)
        for index in range(len(STEPS)):
            await goto(pilot, index)
            if index == len(STEPS) - 1:
                await wait_until(pilot, lambda: "├──" in str(app.query_one("#review-files").render()))
            for row in app.step.questions:
                row.control.focus()
                await settle(pilot)
                seen.append(str(app.screen._compositor.render_strips() and
                                "\n".join(s.text for s in app.screen._compositor.render_strips())))
            seen.append("\n".join(s.text for s in app.screen._compositor.render_strips()))
        await pilot.press("ctrl+c")
        await pilot.pause()
        seen.append("\n".join(s.text for s in app.screen._compositor.render_strips()))
    english: dict[str, str] = {}
    for screen in seen:
        for line in screen.splitlines():
            line = re.sub(r"\S*[/.]\S*|`[^`]*`", " ", line)  # paths, file names, dotted keys, `code`
            for word in re.findall(r"(?<![A-Za-z0-9_-])[A-Za-z][A-Za-z0-9]*(?![A-Za-z0-9_…])", line):
                if len(word) > 1 and word not in allowed:
                    english.setdefault(word, line)
    assert not english, english
