"""Answers -> files: the template context and a transactional render through cookiecutter's generator."""

from wizard.render.context import build_context
from wizard.render.engine import Finish, RenderResult, render_project, render_tree
from wizard.render.templates import default_template, templates_root

__all__ = [
    "Finish", "RenderResult", "build_context", "default_template", "render_project", "render_tree", "templates_root",
]
