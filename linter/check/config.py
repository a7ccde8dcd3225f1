"""Finding the configuration that applies to a spec.

Order: ``--config FILE`` and ``--ruleset`` (given on the command line) win; else the
nearest ``.errlint.yaml``/``.errlint.yml`` or ``pyproject.toml`` with ``[tool.errlint]``
found upward from the spec's folder; else the built-in ``recommended`` ruleset.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from linter.check.ruleset import Config, apply_data, load_ruleset, resolve_name
from linter.errors import ConfigError
from linter.load.document import Document

CONFIG_NAMES = (".errlint.yaml", ".errlint.yml")


def discover(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a folder)."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_errlint_table(pyproject):
            return pyproject
    return None


def _has_errlint_table(path: Path) -> bool:
    """Whether ``path`` configures errlint. A file that is not valid TOML counts when it
    mentions ``tool.errlint``, so that its syntax error is reported instead of ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        return "errlint" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return "tool.errlint" in text


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _read_errlint_table(path: Path) -> Any:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("errlint", {})
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read [tool.errlint] ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        where = f"{path}:{match.group(1)}:{match.group(2)}" if match else str(path)
        raise ConfigError(f"{where}: invalid TOML: {_TOML_POSITION.sub('', str(exc))}") from None


def load_config_file(path: Path) -> Config:
    if path.name == "pyproject.toml":
        data = _read_errlint_table(path)
        config = Config()
        if "extends" not in data:
            load_ruleset(resolve_name("recommended", None), config)
        apply_data(data, Document(path, str(path), ""), config, (path.resolve(),))
        config.sources.append(str(path))
        return config
    config = Config()
    if not _declares_extends(path):
        load_ruleset(resolve_name("recommended", None), config)
    return load_ruleset(path, config)


def _declares_extends(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # let load_ruleset report the problem
    return any(line.startswith("extends") for line in text.splitlines())


def build_config(spec_folder: Path, config_file: Path | None, rulesets: tuple[str, ...]) -> Config:
    """The configuration for specs in ``spec_folder``, honouring command-line choices first."""
    if rulesets:
        config = Config()
        for name in rulesets:
            load_ruleset(resolve_name(name, Path.cwd()), config)
        if config_file is not None:
            load_ruleset(config_file, config)
        return config
    if config_file is not None:
        return load_config_file(config_file)
    found = discover(spec_folder)
    if found is not None:
        return load_config_file(found)
    return load_ruleset(resolve_name("recommended", None))
