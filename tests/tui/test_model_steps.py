"""Steps 3–7: pretrained/scratch, normalization, overfitting defenses, imbalance, training."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList, Static, Switch

from tests.tui.conftest import SIZE, goto, settle, type_into
from wizard.tui.app import WizardApp
from wizard.tui.steps import ImbalanceStep, ModelStep, NormalizationStep, RegularizationStep, TrainingStep


def info(app, key: str) -> str:
    """The text under a question: help, recommendation and reason, warnings and problems."""
    row = app.query_one(f"#row-{key.replace('.', '-')}")
    return " ".join(str(row.query_one(part, Static).render()) for part in (".info", ".alerts")).replace("\n", " ")


@asynccontextmanager
async def at_step(app_factory, step: int) -> AsyncIterator[tuple[WizardApp, Pilot]]:
    """A fresh app, named 'Leaf', showing step `step`."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Leaf")
        await goto(pilot, step)
        yield app, pilot


async def test_scratch_narrows_the_backbones_and_freezing(app_factory) -> None:
    async with at_step(app_factory, 2) as (app, pilot):
        assert isinstance(app.step, ModelStep)
        backbone = app.query_one("#model-backbone", Select)
        assert "resnet50  ★ recommended" in [label for label, _ in backbone._options]
        app.query_one("#model-source", Select).value = "scratch"
        await pilot.pause()
        assert [value for _, value in backbone._options] == ["simple-cnn", "timm/"]  # or a timm model, typed
        assert backbone.value == "simple-cnn"
        assert app.query_one("#model-freeze", Select).value == "none"
        assert app.state.given == {"project.name": "Leaf", "model.source": "scratch"}
        await goto(pilot, 4)
        assert not app.query_one("#row-regularization-spatial_dropout").has_class("-hidden")


async def test_a_timm_backbone_is_typed_with_the_keyboard_and_checked_as_typed(app_factory) -> None:
    async with at_step(app_factory, 2) as (app, pilot):
        backbone = app.query_one("#model-backbone", Select)
        typed = app.query_one("#model-backbone-typed", Input)
        assert not typed.parent.has_class("-shown")
        backbone.focus()
        await pilot.press("enter", "end", "enter")  # open the list, take its last option: type a timm name
        await pilot.pause()
        assert backbone.value == "timm/" and typed.parent.has_class("-shown") and app.screen.focused is typed
        assert "model.backbone" not in app.state.given  # nothing usable typed yet
        await pilot.press(*"timm/resnt18")
        await pilot.pause()
        assert typed.has_class("-invalid") and "did you mean timm/resnet18" in info(app, "model.backbone")
        await pilot.press("backspace", "backspace", "backspace", *"et18.a1_in1k")
        await pilot.pause()
        assert app.state.given["model.backbone"] == "timm/resnet18.a1_in1k"
        assert "weights tagged `a1_in1k`" in info(app, "model.backbone")
        # the reason explains the user's own choice: not presented as the wizard's recommendation
        assert "✎ Your choice: timm/resnet18.a1_in1k —" in info(app, "model.backbone")
        assert "Recommended: timm/" not in info(app, "model.backbone")
        assert "did you mean" not in info(app, "model.backbone")
        await pilot.press("enter")  # as in any text field: on to the next question
        await pilot.pause()
        assert app.screen.focused is app.query_one("#model-freeze", Select)
        backbone.focus()
        await pilot.press("enter", "home", "enter")  # back to a curated backbone: the input goes away
        await pilot.pause()
        assert app.state.given["model.backbone"] == "resnet18" and not typed.parent.has_class("-shown")


async def test_a_timm_backbone_from_the_answers_file_shows_in_the_input(app_factory, tmp_path) -> None:
    from tests.conftest import write_answers

    path = write_answers(tmp_path, "project: {name: Leaf}\nmodel: {source: scratch, backbone: timm/convnext_atto}\n")
    app = app_factory(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 2)
        assert app.query_one("#model-backbone", Select).value == "timm/"
        typed = app.query_one("#model-backbone-typed", Input)
        assert typed.value == "timm/convnext_atto" and typed.parent.has_class("-shown")
        assert "random weights" in info(app, "model.backbone")


async def test_gradual_freezing_shows_the_unfreeze_epoch(app_factory) -> None:
    async with at_step(app_factory, 2) as (app, pilot):
        row = app.query_one("#row-model-unfreeze_epoch")
        assert row.has_class("-hidden")
        app.query_one("#model-freeze", Select).value = "gradual"
        await pilot.pause()
        assert not row.has_class("-hidden")
        epoch = await type_into(pilot, "#model-unfreeze_epoch", "0")
        assert epoch.has_class("-invalid")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.step, ModelStep)
        assert "≥ 1" in str(app.query_one("#nav-message", Static).render()) or "Unfreeze" in str(
            app.query_one("#nav-message", Static).render())
        assert "must be ≥ 1 and ≤ 1000" in info(app, "model.unfreeze_epoch")


async def test_batch_size_moves_the_normalization_recommendation(app_factory) -> None:
    async with at_step(app_factory, 3) as (app, pilot):
        assert isinstance(app.step, NormalizationStep)
        norm = app.query_one("#normalization", Select)
        assert norm.value == "batchnorm"
        await goto(pilot, 6)
        assert isinstance(app.step, TrainingStep)
        await type_into(pilot, "#training-batch_size", "4")
        assert app.state.given["training.batch_size"] == 4
        await pilot.press("ctrl+b", "ctrl+b", "ctrl+b")
        await pilot.pause()
        assert isinstance(app.step, NormalizationStep)
        assert norm.value == "frozen-batchnorm"  # untouched: it follows the recommendation
        assert ("frozen-batchnorm  ★ recommended", "frozen-batchnorm") in norm._options
        assert "Batch size 4" in info(app, "normalization")


async def test_choosing_against_the_recommendation_warns_but_is_allowed(app_factory) -> None:
    async with at_step(app_factory, 3) as (app, pilot):
        norm = app.query_one("#normalization", Select)
        norm.value = "groupnorm"
        await pilot.pause()
        assert app.state.given["normalization"] == "groupnorm"
        assert "⚠" in info(app, "normalization")
        assert "(you chose groupnorm)" in info(app, "normalization")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.step, RegularizationStep)
        await goto(pilot, 6)
        await type_into(pilot, "#training-batch_size", "4")
        await goto(pilot, 3)
        assert norm.value == "groupnorm"  # the user's answer stays theirs
        norm.focus()
        await pilot.press("ctrl+r")  # back to the recommendation
        await pilot.pause()
        assert "normalization" not in app.state.given and norm.value == "frozen-batchnorm"


async def test_overfitting_defenses(app_factory) -> None:
    async with at_step(app_factory, 4) as (app, pilot):
        assert isinstance(app.step, RegularizationStep)
        augmentation = app.query_one("#regularization-augmentation", SelectionList)
        assert set(augmentation.selected) == {"hflip", "random-resized-crop", "color-jitter", "rotation"}
        augmentation.focus()
        await pilot.press("enter")  # toggles the highlighted first item (hflip) off
        await pilot.pause()
        assert app.state.given["regularization.augmentation"] == ["random-resized-crop", "color-jitter", "rotation"]
        l2 = await type_into(pilot, "#regularization-l2", "1.5")
        assert l2.has_class("-invalid") and "must be ≥ 0 and < 1" in info(app, "regularization.l2")
        await type_into(pilot, "#regularization-l2", "0.001")
        assert app.state.given["regularization.l2"] == 0.001 and not l2.has_class("-invalid")
        switch = app.query_one("#regularization-early_stopping-enabled", Switch)
        switch.focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.state.given["regularization.early_stopping.enabled"] is False
        assert app.query_one("#row-regularization-early_stopping-patience").has_class("-hidden")
        assert app.query_one("#row-regularization-spatial_dropout").has_class("-hidden")  # pretrained backbone


async def test_focal_loss_shows_gamma_and_the_metrics_are_explained(app_factory) -> None:
    async with at_step(app_factory, 5) as (app, pilot):
        assert isinstance(app.step, ImbalanceStep)
        assert "precision" in str(app.query_one("#metrics", Static).render())
        gamma = app.query_one("#row-imbalance-focal_gamma")
        assert gamma.has_class("-hidden")
        app.query_one("#imbalance-strategy", Select).value = "focal"
        await pilot.pause()
        assert not gamma.has_class("-hidden")
        await type_into(pilot, "#imbalance-focal_gamma", "11")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.step, ImbalanceStep)


async def test_training_numbers_are_validated_from_the_model_bounds(app_factory) -> None:
    async with at_step(app_factory, 6) as (app, pilot):
        batch = await type_into(pilot, "#training-batch_size", "0")
        assert batch.has_class("-invalid") and "must be ≥ 1 and ≤ 65536" in info(app, "training.batch_size")
        lr = await type_into(pilot, "#training-lr", "fast")
        assert lr.has_class("-invalid") and "must be a number" in info(app, "training.lr")
        await pilot.press("ctrl+n")
        await pilot.pause()
        message = str(app.query_one("#nav-message", Static).render())
        assert isinstance(app.step, TrainingStep) and "Batch size" in message and "Learning rate" in message
        await type_into(pilot, "#training-batch_size", "64")
        await type_into(pilot, "#training-lr", "0.001")
        app.query_one("#training-optimizer", Select).value = "sgd"
        await pilot.pause()
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.index == 7
        given = app.state.given
        assert (given["training.batch_size"], given["training.lr"], given["training.optimizer"]) == (64, 0.001, "sgd")
        assert isinstance(app.query_one("#training-lr", Input), Input)
