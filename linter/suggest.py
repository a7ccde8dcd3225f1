"""Did-you-mean suggestions for mistyped names (rule ids, ruleset names, config keys)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word`` (``difflib.get_close_matches``, cutoff 0.6), or None."""
    found = difflib.get_close_matches(word, sorted(set(candidates)), n=1)
    return found[0] if found else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``' (did you mean "saleslayer-403-forbidden"?)'``, or ``""`` when nothing is close."""
    found = closest(word, candidates)
    return f' (did you mean "{found}"?)' if found else ""
