"""Provides the wizard's steps, one module each, in the order of SPEC §4."""

from wizard.tui.steps.base import Step
from wizard.tui.steps.data import DataStep
from wizard.tui.steps.imbalance import ImbalanceStep
from wizard.tui.steps.model import ModelStep
from wizard.tui.steps.normalization import NormalizationStep
from wizard.tui.steps.project import ProjectStep
from wizard.tui.steps.regularization import RegularizationStep
from wizard.tui.steps.review import ReviewStep
from wizard.tui.steps.training import TrainingStep

STEPS: tuple[type[Step], ...] = (ProjectStep, DataStep, ModelStep, NormalizationStep, RegularizationStep,
                                 ImbalanceStep, TrainingStep, ReviewStep)

__all__ = ["STEPS", "DataStep", "ImbalanceStep", "ModelStep", "NormalizationStep", "ProjectStep",
           "RegularizationStep", "ReviewStep", "Step", "TrainingStep"]
