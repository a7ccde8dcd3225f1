"""A policy's body schema, written inline or as ``{$ref: file.yaml#/Pointer}``, with every
``$ref`` inlined so the shape matcher and the example validator see one self-contained
JSON Schema.

``$ref``s are resolved relative to the file that holds them (RFC 3986 reference
resolution, local files only; a fragment is an RFC 6901 JSON pointer). A reference that
loops back on itself becomes ``{}`` (any value) at the second visit, so recursive schemas
such as an error whose ``details`` are errors stay finite.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from linter.jsonvalue import excerpt
from linter.load.reader import load_document
from linter.pointer import parse as parse_pointer

#: how deep inlining goes before a schema is judged unreasonable
MAX_DEPTH = 64


def load_schema(raw: Any, base: Path) -> dict[str, Any]:
    """``raw`` with its ``$ref``s inlined; ``base`` is the folder of the file it was written in.

    Raises ValueError (naming the reference) for a missing file or pointer, a file that is
    not a regular file (it is never opened), or a schema that is not a mapping.
    """
    if not isinstance(raw, dict):
        raise ValueError("schema must be a mapping (a JSON Schema, or {$ref: file.yaml#/Name})")
    cache: dict[Path, Any] = {}
    result = _inline(raw, base / "_", base / "_", cache, (), 0)
    if not isinstance(result, dict):
        raise ValueError("schema must be a mapping")
    return result


def schema_problem(schema: dict[str, Any]) -> str | None:
    """Why ``schema`` is not a usable JSON Schema (draft 2020-12, the dialect examples are
    validated in), as ``"where: what"``; None when it is one. A schema that fails here would
    make the rule that checks examples against it crash on every spec."""
    from jsonschema_rs import Draft202012Validator, ValidationError

    try:
        Draft202012Validator(schema)
    except (ValidationError, ValueError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        path = "/".join(str(part) for part in getattr(exc, "instance_path", ()))
        return f"{path or 'the schema'}: {message.splitlines()[0] if message else message}"
    return None


def _inline(
    value: Any, here: Path, root: Path, cache: dict[Path, Any], stack: tuple[str, ...], depth: int
) -> Any:
    if depth > MAX_DEPTH:
        raise ValueError(f"schema nests deeper than {MAX_DEPTH} levels")
    if isinstance(value, list):
        return [_inline(item, here, root, cache, stack, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    ref = value.get("$ref")
    if isinstance(ref, str):
        target_file, target, key = _resolve(ref, here, root, cache)
        if key in stack:
            return {}
        return _inline(target, target_file, root, cache, (*stack, key), depth + 1)
    return {name: _inline(item, here, root, cache, stack, depth + 1) for name, item in value.items()}


def _resolve(ref: str, here: Path, root: Path, cache: dict[Path, Any]) -> tuple[Path, Any, str]:
    file_part, _, fragment = ref.partition("#")
    if file_part.startswith(("http://", "https://")):
        raise ValueError(f"$ref {excerpt(ref, None)}: a policy schema is read from local files only")
    target_file = (here.parent / file_part).resolve() if file_part else here
    if target_file == root:
        raise ValueError(f"$ref {excerpt(ref, None)}: a reference inside an inline schema needs a file")
    data = _load(target_file, ref, cache)
    try:
        pointer = parse_pointer(fragment) if fragment else ()
    except ValueError:
        raise ValueError(f"$ref {excerpt(ref, None)}: {excerpt(fragment)} is not a JSON pointer") from None
    target = data
    for part in pointer:
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            raise ValueError(f"$ref {excerpt(ref, None)}: {fragment} not found in {target_file.name}")
    return target_file, target, f"{target_file}#{fragment}"


def _load(path: Path, ref: str, cache: dict[Path, Any]) -> Any:
    if path not in cache:
        try:
            # a FIFO or device (``/dev/zero``, ``/dev/stdin``) would block or never end: not read
            if not stat.S_ISREG(path.stat().st_mode):
                raise ValueError(f"$ref {excerpt(ref, None)}: {path.name} is not a regular file")
            doc = load_document(path, str(path))
        except OSError as exc:
            raise ValueError(f"$ref {excerpt(ref, None)}: cannot read {path.name} ({exc.strerror or exc})") from None
        if doc.problems:
            problem = doc.problems[0]
            raise ValueError(f"$ref {excerpt(ref, None)}: {path.name}:{problem.line}:{problem.column}: {problem.message}")
        cache[path] = doc.data
    return cache[path]
