"""errlint: an OpenAPI linter for error responses."""

__version__ = "0.2.0"
