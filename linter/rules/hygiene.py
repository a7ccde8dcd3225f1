"""Placeholder: rules arrive with their ruleset."""

RULES: tuple[type, ...] = ()
