"""Errors that stop errlint from doing its job (exit code 2), and the did-you-mean hint their
messages give for a mistyped name (a rule id, a ruleset name, a config key)."""

from __future__ import annotations

from collections.abc import Iterable


class ErrlintError(Exception):
    """Base class: the message is one line a user can act on."""


class ConfigError(ErrlintError):
    """A bad option, config file or ruleset."""


class UsageError(ErrlintError):
    """A missing path or an unusable argument."""


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word`` (``difflib.get_close_matches``, cutoff 0.6), or None."""
    import difflib  # only a mistake pays for it

    found = difflib.get_close_matches(word, sorted(set(candidates)), n=1)
    return found[0] if found else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``' (did you mean "saleslayer-403-forbidden"?)'``, or ``""`` when nothing is close."""
    found = closest(word, candidates)
    return f' (did you mean "{found}"?)' if found else ""
