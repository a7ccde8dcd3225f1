"""errlint: an OpenAPI linter for error responses."""

from __future__ import annotations

import functools

__version__ = "0.2.0"


@functools.cache
def homepage() -> str | None:
    """The ``Homepage`` of the installed package's ``Project-URL``s (``[project.urls]`` in
    pyproject.toml, core metadata 2.1), or None when none is given: reports then leave the
    address out rather than name a wrong one. Read on first use: a plain lint never pays for
    reading package metadata."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("errlint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage" and url.strip():
            return url.strip().rstrip("/")
    return None

