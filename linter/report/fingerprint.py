"""Stable identities for findings, shared by SARIF, baselines and diff mode.

A fingerprint hashes what a finding *is* (rule, operation, status, JSON pointer and the
file's path relative to the repository root), never where it happens to sit: moving
unrelated lines, or the whole checkout, keeps it. Path template parameter names are
blanked (``/pets/{petId}`` and ``/pets/{id}`` are one path, as OpenAPI 3.1 section
4.8.8 says templated paths with the same hierarchy are identical), so renaming one keeps
every finding's identity. Recipe 1 kept the names; baselines written with it still match
(see :func:`fingerprints` ``legacy``). Findings that share all of these (the
same rule firing twice on one node with different messages) get an ordinal suffix, so
each fingerprint in one run is unique: ``3f9c…e1:1``, ``3f9c…e1:2``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from linter.model import Finding

#: The ``partialFingerprints`` key in SARIF; bump the version if the recipe changes.
FINGERPRINT_KEY = "errlint/v2"
_DIGEST_CHARS = 32
#: a path template expression, in an operation label (``{petId}``) or a JSON pointer
_TEMPLATE = re.compile(r"\{[^}/~]*\}")


def repository_root(start: Path | None = None) -> Path:
    """The git top-level at or above ``start`` (default: the cwd), else ``start`` itself."""
    folder = (start or Path.cwd()).absolute()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def relative_path(file: str, root: Path) -> str:
    """``file`` (as displayed, relative to the cwd) as a POSIX path relative to ``root``.

    Files outside ``root`` and remote documents keep an absolute form.
    """
    if file.startswith(("http://", "https://")):
        return file
    absolute = Path(os.path.abspath(file))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def normalise_templates(text: str) -> str:
    """``GET /pets/{}`` for ``GET /pets/{petId}``; pointers alike (``/paths/~1pets~1{}``)."""
    return _TEMPLATE.sub("{}", text)


def fingerprint_base(finding: Finding, root: Path, *, legacy: bool = False) -> str:
    """The hash of a finding's identity, without the ordinal (``legacy``: recipe 1, which
    kept template parameter names)."""
    operation, pointer = finding.operation or "", finding.location.pointer_str
    if not legacy:
        operation, pointer = normalise_templates(operation), normalise_templates(pointer)
    parts = (
        finding.rule,
        operation,
        finding.status or "",
        pointer,
        relative_path(finding.location.file, root),
    )
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:_DIGEST_CHARS]


def fingerprints(findings: Sequence[Finding], root: Path, *, legacy: bool = False) -> list[str]:
    """One unique fingerprint per finding, in the order given (``legacy``: by recipe 1).

    Findings sharing an identity are numbered by message (then position), not by line
    alone, so the numbering survives lines moving.
    """
    bases = [fingerprint_base(finding, root, legacy=legacy) for finding in findings]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, base in enumerate(bases):
        groups[base].append(index)
    result = list(bases)
    for base, indexes in groups.items():
        indexes.sort(
            key=lambda i: (findings[i].message, findings[i].location.line, findings[i].location.column)
        )
        for ordinal, index in enumerate(indexes, start=1):
            result[index] = f"{base}:{ordinal}"
    return result
