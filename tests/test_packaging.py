"""The package list in pyproject.toml names every package on disk, so that a regular
(non-editable) install ships all of them."""

from __future__ import annotations

import tomllib

from helpers import ROOT


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "linter").rglob("__init__.py")
    } | {"linter.rulesets"}
    assert listed == on_disk
