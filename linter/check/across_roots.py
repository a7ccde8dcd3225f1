"""Findings of several root specs linted in one run, merged: one physical defect, one finding.

Each root spec is linted on its own (in this process or in a worker process, see
:func:`linter.api.lint_paths`), so a fragment that two roots share (``A.yaml`` and ``B.yaml``
each ``$ref: lib.yaml#/Bad``) is reported once per root. Here those reports become one:
findings of one rule at the same place of the same file (its real path), with the same
defect, are one finding whose ``related`` lists the uses of every root. Its operation and
status are kept when every root agrees on them, else left out, as the engine does for a
definition shared inside one spec; so fingerprints (:mod:`linter.report.fingerprint`),
baselines and SARIF alerts count the defect once too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from linter.check.collector import MAX_RELATED
from linter.model import Finding, Related

_Key = tuple[str, str, tuple[str, ...], str]


def merge_roots(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` of several roots with each defect once, in first-seen order."""
    groups: dict[_Key, list[Finding]] = {}
    for finding in findings:
        key = (finding.rule, _physical(finding.location.file), finding.location.pointer, finding.defect or finding.message)
        groups.setdefault(key, []).append(finding)
    return [group[0] if len(group) == 1 else _merged(group) for group in groups.values()]


def _physical(file: str) -> str:
    """The file a displayed path names: its real path (remote documents as given)."""
    if file.startswith(("http://", "https://")):
        return file
    return os.path.realpath(file)


def _merged(group: list[Finding]) -> Finding:
    first = group[0]
    messages = {finding.message for finding in group}
    operations = {finding.operation for finding in group}
    statuses = {finding.status for finding in group}
    related: dict[Related, None] = {}
    for finding in group:
        for item in finding.related:
            if len(related) < MAX_RELATED:
                related.setdefault(item)
    return Finding(
        first.rule,
        max(finding.severity for finding in group),
        first.message if len(messages) == 1 else first.defect or first.message,
        first.location,
        operations.pop() if len(operations) == 1 else None,
        statuses.pop() if len(statuses) == 1 else None,
        tuple(related),
        first.defect,
    )
