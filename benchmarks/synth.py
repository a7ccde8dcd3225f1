"""Inputs made once into the cache: the GitHub spec as YAML, scaled copies of it, many small specs.

The heavy ones are made by running this file as a child process
(``python synth.py yaml SRC DST`` or ``python synth.py scale SRC DST COPIES``), so that the
benchmark's own process stays small (see ``measure.py``). Each output is written to a
temporary name and renamed, so an interrupted run never leaves a half-written input behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _write_atomically(target: Path, write: Callable[[Any], None]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        write(handle)
    partial.replace(target)


def to_yaml(source: Path, target: Path) -> None:
    """Write the JSON spec ``source`` as block-style YAML (PyYAML's C dumper when available)."""
    import yaml

    data = json.loads(source.read_bytes())
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    def write(handle: Any) -> None:
        yaml.dump(data, handle, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)

    _write_atomically(target, write)


def _copy_path_item(item: dict[str, Any], suffix: str) -> dict[str, Any]:
    """A shallow copy of a path item whose operations have ``suffix`` added to their operationId."""
    copied = dict(item)
    for method in HTTP_METHODS:
        operation = item.get(method)
        if isinstance(operation, dict) and "operationId" in operation:
            copied[method] = {**operation, "operationId": f"{operation['operationId']}{suffix}"}
    return copied


def scaled(data: dict[str, Any], copies: int) -> dict[str, Any]:
    """``data`` with its paths repeated ``copies`` times (copy n under ``/cN``); components shared."""
    paths: dict[str, Any] = {}
    for copy in range(1, copies + 1):
        prefix, suffix = ("", "") if copy == 1 else (f"/c{copy}", f"-c{copy}")
        for path, item in data.get("paths", {}).items():
            paths[prefix + path] = _copy_path_item(item, suffix) if isinstance(item, dict) else item
    return {**data, "paths": paths}


def scale(source: Path, target: Path, copies: int) -> None:
    """Write ``source`` (a JSON spec) with ``copies`` copies of its paths, indented like the original."""
    data = json.loads(source.read_bytes())
    result = scaled(data, copies)
    _write_atomically(target, lambda handle: json.dump(result, handle, indent=2, ensure_ascii=False))


def make_in_child(*args: str) -> None:
    """Run this file's ``main`` with ``args`` in a child process."""
    subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], check=True)


def many_copies(source: Path, folder: Path, count: int) -> list[Path]:
    """``count`` copies of the small spec ``source`` in ``folder``, each with its own first line.

    The copies differ by a comment line so that no tool can take them for one file.
    """
    text = source.read_text(encoding="utf-8")
    files = []
    for index in range(count):
        target = folder / f"{source.stem}-{index:03d}{source.suffix}"
        if not target.exists():
            _write_atomically(target, lambda handle, n=index: handle.write(f"# copy {n}\n{text}"))
        files.append(target)
    return files


def main(argv: list[str]) -> None:
    match argv:
        case ["yaml", source, target]:
            to_yaml(Path(source), Path(target))
        case ["scale", source, target, copies]:
            scale(Path(source), Path(target), int(copies))
        case _:
            raise SystemExit("usage: synth.py yaml SRC DST | synth.py scale SRC DST COPIES")


if __name__ == "__main__":
    main(sys.argv[1:])
