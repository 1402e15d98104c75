"""Answers -> files: the template context and a transactional render through cookiecutter's generator."""

from wizard.render.context import build_context
from wizard.render.engine import RenderResult, render_project
from wizard.render.templates import default_template, templates_root

__all__ = ["RenderResult", "build_context", "default_template", "render_project", "templates_root"]
