"""Line breaking for mixed Chinese/Latin text: breaks between CJK characters, never inside a Latin word."""

from __future__ import annotations

import itertools

import pytest
from rich._wrap import divide_line as rich_divide_line
from rich.cells import cell_len

from wizard.tui.wrap import divide_line


def lines(text: str, width: int) -> list[str]:
    breaks = [0, *divide_line(text, width), len(text)]
    return [text[a:b].rstrip() for a, b in itertools.pairwise(breaks)]


def test_a_latin_word_before_a_long_chinese_run_is_not_stranded() -> None:
    text = "★ 推荐：batchnorm — 批大小为 32 时，每批的均值和方差足够稳定，BatchNorm 是默认的好选择。"
    wrapped = lines(text, 30)
    assert all(cell_len(line) <= 30 for line in wrapped)
    assert cell_len(wrapped[0]) >= 26  # the first line is filled, not cut after "batchnorm —"
    assert "".join(wrapped).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("width", range(14, 41))  # the longest word fits
def test_no_latin_word_is_split_and_no_line_starts_with_closing_punctuation(width: int) -> None:
    text = "使用GroupNorm（分组归一化）时，批大小可以很小；InstanceNorm适合batch_size为1的情况。"
    wrapped = lines(text, width)
    assert all(cell_len(line) <= width for line in wrapped)
    for word in ("GroupNorm", "InstanceNorm", "batch_size"):
        assert any(word in line for line in wrapped), (word, wrapped)
    assert not any(line[:1] in "，。；）" for line in wrapped[1:])
    assert not any(line[-1:] == "（" for line in wrapped)


def test_text_without_cjk_wraps_exactly_as_rich_wraps_it() -> None:
    text = "Batch size above about 10: BatchNorm; batch size 1: InstanceNorm; in between: GroupNorm. " * 3
    for width in (20, 33, 80):
        assert divide_line(text, width) == rich_divide_line(text, width)


def test_installing_the_line_breaking_reaches_textual_and_rich() -> None:
    import rich.text
    import textual.content

    from wizard.tui.wrap import install_line_breaking

    install_line_breaking()
    assert textual.content.divide_line is divide_line and rich.text.divide_line is divide_line
