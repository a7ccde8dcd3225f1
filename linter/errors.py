"""Errors that stop errlint from doing its job (exit code 2)."""


class ErrlintError(Exception):
    """Base class: the message is one line a user can act on."""


class ConfigError(ErrlintError):
    """A bad option, config file or ruleset."""


class UsageError(ErrlintError):
    """A missing path or an unusable argument."""
