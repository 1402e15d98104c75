"""Provides the wizard's reusable widgets: the question row, the step header, the data report view."""
