"""Errors meant for people: the scripts print their message and exit with code 2, without a traceback."""


class UserError(Exception):
    """Something the user can fix: a bad config value, missing data, an unreadable checkpoint."""


class ConfigError(UserError):
    """config.yaml or a --set override has an unknown key or a value of the wrong type."""


class DataError(UserError):
    """The dataset cannot be read the way config.yaml describes it."""


class CheckpointError(UserError):
    """A checkpoint file is missing, unreadable, or does not match its model."""
