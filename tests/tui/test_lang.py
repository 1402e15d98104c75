"""`--lang zh`: the UI's texts and the knowledge module's reasons in Chinese."""

from __future__ import annotations

from textual.widgets import Static

from tests.tui.conftest import SIZE, goto, settle


async def test_chinese_labels_and_reasons(app_factory) -> None:
    app = app_factory(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = str(app.query_one("#header", Static).render())
        assert "第 1 步，共 8 步" in header and "项目" in header
        await pilot.press(*"Leaf")
        await goto(pilot, 3)
        info = str(app.query_one("#row-normalization .info", Static).render())
        assert "网络的归一化层" in info  # the help line
        assert "★ 推荐" in info
        reason = app.state.evaluation.decisions["normalization"].reason
        assert reason in info.replace("\n", " ") and any("\u4e00" <= ch <= "\u9fff" for ch in reason)
        assert "下一步" in str(app.query_one("#next").label)
