"""`trainwizard update`: regenerate a project from changed answers or a newer template, keeping your edits."""

from wizard.update.answers import RULE_TEXT, AnswerChange
from wizard.update.flow import UpdateResult, update_project
from wizard.update.plan import FileAction

__all__ = ["RULE_TEXT", "AnswerChange", "FileAction", "UpdateResult", "update_project"]
