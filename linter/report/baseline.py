"""Baselines: accept today's findings, fail only on new ones.

``errlint baseline SPEC... -o .errlint-baseline.json`` records every current finding by
fingerprint (see :mod:`linter.report.fingerprint`); ``errlint lint --baseline FILE`` then hides
the recorded ones and counts those that are gone, so the file can be refreshed as debt
is paid. The file is sorted JSON without line numbers, so it diffs well in review.

Writing a baseline over an existing one replaces only the entries of the files that run
read, so specs can be recorded one by one into one file; a file that is not an errlint
baseline is never overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter import __version__
from linter.api import RunResult
from linter.errors import ConfigError
from linter.model import Finding
from linter.report.fingerprint import fingerprints, relative_path
from linter.safeio import write_text

BASELINE_VERSION = 1


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    file: str


@dataclass(frozen=True)
class BaselineOutcome:
    """How a baseline filtered a run: ``suppressed`` hidden findings, ``gone`` fixed ones."""

    suppressed: int
    gone: int


def baseline_document(
    findings: Sequence[Finding], root: Path, kept: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """The baseline file's content for ``findings``, plus the entries ``kept`` (as read from
    an earlier baseline)."""
    entries = [
        {
            "fingerprint": print_,
            "rule": finding.rule,
            "file": relative_path(finding.location.file, root),
            "pointer": finding.location.pointer_str,
            "operation": finding.operation,
            "status": finding.status,
            "message": finding.message,
        }
        for finding, print_ in zip(findings, fingerprints(findings, root), strict=True)
    ]
    entries += kept
    entries.sort(key=lambda e: (e["file"], e["pointer"], e["rule"], e["fingerprint"]))
    return {
        "version": BASELINE_VERSION,
        "tool": {"name": "errlint", "version": __version__},
        "findings": entries,
    }


def write_baseline(
    path: Path, findings: Sequence[Finding], root: Path, replaced_files: set[str] | None = None
) -> int:
    """Write the baseline of ``findings`` to ``path`` (atomically); return how many earlier
    entries were kept.

    When ``path`` is already a baseline, its entries for files outside ``replaced_files``
    (root-relative, as :func:`linted_files` gives them; None: every file) are kept. Raises
    :class:`ConfigError` when ``path`` exists but is not an errlint baseline, and
    ``WriteError`` ("cannot write FILE: reason") when it cannot be written."""
    kept: list[dict[str, Any]] = []
    if path.exists():
        try:
            _load_raw(path)
        except ConfigError as exc:
            raise ConfigError(f"{exc}; refusing to overwrite it with a baseline") from None
        if replaced_files is not None:
            kept = [item for item in _load_raw(path) if item["file"] not in replaced_files]
    text = json.dumps(baseline_document(findings, root, kept), indent=2, ensure_ascii=False) + "\n"
    write_text(path, text)  # atomic; raises WriteError ("cannot write FILE: reason")
    return len(kept)


def load_baseline(path: Path) -> list[BaselineEntry]:
    """The entries of a baseline file; a missing or malformed file is a :class:`ConfigError`."""
    return [BaselineEntry(item["fingerprint"], item["file"]) for item in _load_raw(path)]


def _load_raw(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read baseline ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a baseline file ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise ConfigError(f"{path}: not an errlint baseline (version {BASELINE_VERSION} expected)")
    raw = data.get("findings")
    if not isinstance(raw, list) or not all(_is_entry(item) for item in raw):
        raise ConfigError(f"{path}: 'findings' must be a list of entries with fingerprint and file")
    return raw


def _is_entry(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("fingerprint"), str)
        and isinstance(item.get("file"), str)
    )


def linted_files(result: RunResult, root: Path) -> set[str]:
    """Every file the run read (root specs and the documents they ``$ref``), root-relative."""
    displays = set(result.files)
    for report in result.specs:
        displays.update(report.documents)
    return {relative_path(display, root) for display in displays}


def apply_baseline(result: RunResult, entries: Sequence[BaselineEntry], root: Path) -> BaselineOutcome:
    """Drop the findings ``entries`` know from ``result``; count known ones no longer found.

    Entries for files this run did not read (pre-commit passes only changed files) are
    neither hidden nor counted as gone.
    """
    known = {entry.fingerprint for entry in entries}
    current = fingerprints(result.findings, root)
    # baselines recorded before template names were blanked (fingerprint recipe 1) still match
    legacy = fingerprints(result.findings, root, legacy=True)
    result.findings = [
        f for f, print_, old in zip(result.findings, current, legacy, strict=True) if print_ not in known and old not in known
    ]
    read = linted_files(result, root)
    found = {*current, *legacy}
    gone = sum(1 for entry in entries if entry.file in read and entry.fingerprint not in found)
    return BaselineOutcome(suppressed=len(current) - len(result.findings), gone=gone)
