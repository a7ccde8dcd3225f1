"""Finding the configuration that applies to a spec.

Order: ``--config FILE`` and ``--ruleset`` (given on the command line) win; else the
nearest ``.errlint.yaml``/``.errlint.yml`` or ``pyproject.toml`` with ``[tool.errlint]``
found upward from the spec's folder; else the built-in ``recommended`` ruleset.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from linter.check.ruleset import Config, apply_data, load_ruleset, resolve_name
from linter.errors import ConfigError
from linter.load.document import Document
from linter.locate.toml_locator import TomlTableLocator

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
    """Whether ``path`` configures errlint. A file that is not valid TOML (or not UTF-8)
    counts when it mentions ``errlint``, so that its problem is reported instead of ignored."""
    try:
        raw = read_config_bytes(path)
    except ConfigError:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return b"errlint" in raw
    try:
        return "errlint" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return "tool.errlint" in text


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _read_errlint_table(path: Path) -> tuple[Any, str]:
    """The ``[tool.errlint]`` table of a ``pyproject.toml``, and the file's text."""
    raw = read_config_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(f"{path}:{line}:{column}: not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        where = f"{path}:{match.group(1)}:{match.group(2)}" if match else str(path)
        raise ConfigError(f"{where}: invalid TOML: {_TOML_POSITION.sub('', str(exc))}") from None
    tool = table.get("tool", {})
    data = tool.get("errlint", {}) if isinstance(tool, dict) else None
    if not isinstance(data, dict):
        found = TomlTableLocator(text).offset(())  # tool.errlint = 5, [tool] "errlint" = 5
        if found is None:  # written inline: tool = {errlint = 5}
            match = re.search(r"^[ \t]*tool[ \t]*=", text, re.MULTILINE)
            found = match.start() + len(match.group()) - len(match.group().lstrip()) if match else 0
        line = text.count("\n", 0, found) + 1
        column = found - (text.rfind("\n", 0, found) + 1) + 1
        raise ConfigError(f"{path}:{line}:{column}: [tool.errlint] must be a table")
    return data, text


#: the largest config file errlint reads
MAX_CONFIG_SIZE = 1 << 20


def read_config_bytes(path: Path) -> bytes:
    """The bytes of a config file; a FIFO, device or folder, or a file over
    :data:`MAX_CONFIG_SIZE`, is a :class:`ConfigError` (it is never read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path}: not a regular file")
        if info.st_size > MAX_CONFIG_SIZE:
            raise ConfigError(f"{path}: larger than {MAX_CONFIG_SIZE} bytes; not a config file")
        return handle.read(MAX_CONFIG_SIZE + 1)


def load_config_file(path: Path) -> Config:
    read_config_bytes(path)  # only a regular file of sane size is read any further
    if path.name == "pyproject.toml":
        data, text = _read_errlint_table(path)
        config = Config()
        if "extends" not in data:
            load_ruleset(resolve_name("recommended", None), config)
        document = Document(path, str(path), "", locator=TomlTableLocator(text))
        apply_data(data, document, config, (path.resolve(),))
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
            read_config_bytes(config_file)
            load_ruleset(config_file, config)
        return config
    if config_file is not None:
        return load_config_file(config_file)
    found = discover(spec_folder)
    if found is not None:
        return load_config_file(found)
    return load_ruleset(resolve_name("recommended", None))
