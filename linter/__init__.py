"""errlint: an OpenAPI linter for error responses."""

from __future__ import annotations

__version__ = "0.2.0"


def _homepage() -> str | None:
    """The ``Homepage`` of the installed package's ``Project-URL``s (``[project.urls]`` in
    pyproject.toml, core metadata 2.1), or None when none is given: reports then leave the
    address out rather than name a wrong one."""
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


#: where errlint lives online (the one place reports take it from), or None when unknown
HOMEPAGE: str | None = _homepage()
