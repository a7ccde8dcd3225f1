"""errlint: an OpenAPI linter for error responses."""

__version__ = "0.1.0"
