"""Stable identities for findings, shared by SARIF, baselines and diff mode.

A fingerprint hashes what a finding *is*, never where it happens to sit: moving
unrelated lines, or the whole checkout, keeps it. A finding written inside an operation
(its pointer under that operation's ``/paths/{path}/{method}`` or webhook) is the rule,
operation, status, JSON pointer and the file's path relative to the repository root. A
finding in a shared definition (another file, ``components``, any ``$ref``'d node) is the
rule, file, pointer and defect (``Finding.defect``, the message without the use that
reached it, whitespace and template names normalised; findings with none name no use, and
their messages, which may name display paths, stay out): which operations, statuses or roots reach it is left out, so
linting one root (the pre-commit hook) or all of them (``errlint baseline .``) gives it
one identity. Recipe 3 made that split; baselines written with recipe 2 (operation and
status always hashed) or recipe 1 still match (see :func:`fingerprints` ``recipe``). Path template parameter names are
blanked (``/pets/{petId}`` and ``/pets/{id}`` are one path, as OpenAPI 3.1 section
4.8.8 says templated paths with the same hierarchy are identical), so renaming one keeps
every finding's identity (recipe 1 kept the names). Findings that share all of these (the
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
FINGERPRINT_KEY = "errlint/v3"
#: the current recipe; 1 and 2 are computed for baselines written by older releases
RECIPE = 3
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


def fingerprint_base(finding: Finding, root: Path, *, recipe: int = RECIPE) -> str:
    """The hash of a finding's identity, without the ordinal, by ``recipe`` (1: template
    parameter names kept; 2: operation and status hashed for every finding; 3: current)."""
    operation, pointer = finding.operation or "", finding.location.pointer_str
    if recipe > 1:
        operation, pointer = normalise_templates(operation), normalise_templates(pointer)
    file = relative_path(finding.location.file, root)
    if recipe >= 3 and not written_in_operation(finding):
        defect = normalise_templates(" ".join((finding.defect or "").split()))
        parts: tuple[str, ...] = (finding.rule, "shared", pointer, file, defect)
    else:
        parts = (finding.rule, operation, finding.status or "", pointer, file)
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:_DIGEST_CHARS]


def written_in_operation(finding: Finding) -> bool:
    """Whether ``finding`` sits inside the operation it names (``GET /a`` at
    ``/paths/~1a/get/...``, ``WEBHOOK new POST`` at ``/webhooks/new/post/...``), so the
    operation is part of what it is; else it is in a definition any use may reach."""
    label, pointer = finding.operation, finding.location.pointer
    if not label or len(pointer) < 3:
        return False
    words = label.split(" ")
    if len(words) == 2 and words[1].startswith("/"):
        return pointer[:3] == ("paths", words[1], words[0].lower())
    if len(words) == 3 and words[0] == "WEBHOOK":
        return pointer[:3] == ("webhooks", words[1], words[2].lower())
    return False


def fingerprints(findings: Sequence[Finding], root: Path, *, recipe: int = RECIPE) -> list[str]:
    """One unique fingerprint per finding, in the order given (``recipe``: see
    :func:`fingerprint_base`).

    Findings sharing an identity are numbered by message (then position), not by line
    alone, so the numbering survives lines moving.
    """
    bases = [fingerprint_base(finding, root, recipe=recipe) for finding in findings]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, base in enumerate(bases):
        groups[base].append(index)
    result = list(bases)
    for base, indexes in groups.items():
        indexes.sort(
            key=lambda i: (findings[i].defect or findings[i].message, findings[i].location.line, findings[i].location.column)
        )
        for ordinal, index in enumerate(indexes, start=1):
            result[index] = f"{base}:{ordinal}"
    return result
