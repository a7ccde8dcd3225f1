"""Diff mode: lint a spec against its own past, for pull-request gates.

``errlint lint --diff-base REF`` keeps only findings that did not exist at the git
revision REF (compared by fingerprint, so moved lines do not matter) and adds an
``error-response-removed`` finding for each error response an operation declared at REF
and no longer declares. The old version of each spec's folder (every file a multi-file
spec ``$ref``s inside it; the whole tree with ``--allow-outside-root``) is extracted with
``git archive`` into a temporary folder and linted with the current configuration under
the current display paths, so rulesets, overrides and fingerprints line up.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from linter.api import LintOptions, RunResult, load_spec
from linter.check.collector import site_location
from linter.check.config import build_config
from linter.check.engine import Engine
from linter.check.ruleset import Config, effective_settings
from linter.errors import UsageError
from linter.jsonvalue import excerpt
from linter.model import Finding, RuleInfo, Severity
from linter.report.fingerprint import fingerprints, repository_root
from linter.resolve.resolver import SpecSet
from linter.rules.diff import ErrorResponseRemoved
from linter.spec.openapi import Operation, is_error_status, iter_operations

_TEMPLATE = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class DiffOutcome:
    """What diff mode did to a run: findings hidden as old, error responses found removed."""

    ref: str
    preexisting: int
    removed: int


class GitSnapshot:
    """Files as they were at one git revision, extracted on demand under ``dest``."""

    def __init__(self, ref: str, dest: Path, *, whole_tree: bool = False) -> None:
        self.ref = ref
        self.dest = dest
        self.whole_tree = whole_tree
        self._tops: dict[Path, tuple[str, Path]] = {}
        self._extracted: set[tuple[Path, str]] = set()

    def old_path(self, current: Path) -> Path | None:
        """Where the REF version of ``current`` (a file) was extracted; None if it did not exist."""
        top = self._toplevel(current.resolve().parent)
        commit, base = self._tops[top]
        relative = current.resolve().relative_to(top).as_posix()
        if _git_probe(["cat-file", "-e", f"{commit}:{relative}"], top) is None:
            return None
        folder = "." if self.whole_tree else Path(relative).parent.as_posix()
        if (top, folder) not in self._extracted:
            _extract(_git(["archive", "--format=tar", commit, "--", folder], top), base)
            self._extracted.add((top, folder))
        return base / relative

    def _toplevel(self, folder: Path) -> Path:
        output = _git_probe(["rev-parse", "--show-toplevel"], folder)
        if output is None:
            raise UsageError(f"--diff-base needs a git repository, and {folder} is not in one")
        top = Path(output).resolve()
        if top not in self._tops:
            commit = _git_probe(["rev-parse", "--verify", "--quiet", f"{self.ref}^{{commit}}"], top)
            if commit is None:
                raise UsageError(f"--diff-base: {excerpt(self.ref)} is not a commit in {top}")
            self._tops[top] = (commit, self.dest / str(len(self._tops)))
        return top


def _run_git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=300)
    except FileNotFoundError:
        raise UsageError("--diff-base needs git, which is not installed") from None


def _git(args: list[str], cwd: Path) -> bytes:
    """``git args`` run in ``cwd``: its stdout; a failure stops the run."""
    done = _run_git(args, cwd)
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"git {args[0]} failed: {lines[-1] if lines else f'exit {done.returncode}'}")
    return done.stdout


def _git_probe(args: list[str], cwd: Path) -> str | None:
    """``git args`` run in ``cwd``: its stripped stdout, or None if git said no."""
    done = _run_git(args, cwd)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _extract(archive: bytes, dest: Path) -> None:
    """Extract the snapshot with the ``data`` filter; members it refuses (symlinks to absolute
    paths or out of the tree, devices) are skipped: they lead outside the root, where a
    ``$ref`` may not go anyway."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
        for member in tar.getmembers():
            try:
                tar.extract(member, dest, filter="data")
            except tarfile.FilterError:
                continue


def apply_diff_base(result: RunResult, ref: str, options: LintOptions) -> DiffOutcome:
    """Keep only findings new since ``ref``, add removed error responses; updates ``result``."""
    old_findings, removed = _compare_with(ref, result, options)
    root = repository_root()
    known = set(fingerprints(old_findings, root))
    current = fingerprints(result.findings, root)
    kept = [f for f, print_ in zip(result.findings, current, strict=True) if print_ not in known]
    result.findings = sorted(kept + removed, key=Finding.sort_key)
    if removed and all(info.id != ErrorResponseRemoved.id for info in result.rules):
        result.rules.append(_rule_info(removed[0].severity))
    return DiffOutcome(ref, len(current) - len(kept), len(removed))


def _compare_with(ref: str, result: RunResult, options: LintOptions) -> tuple[list[Finding], list[Finding]]:
    """The findings of every linted spec as it was at ``ref``, and its removed error responses."""
    old_findings: list[Finding] = []
    removed: list[Finding] = []
    configs: dict[Path, Config] = {}
    with tempfile.TemporaryDirectory(prefix="errlint-diff-") as tmp:
        snapshot = GitSnapshot(ref, Path(tmp), whole_tree=options.allow_outside_root)
        for report in result.specs:
            if report.spec is None:
                continue
            old_path = snapshot.old_path(report.spec.root.path)
            if old_path is None:
                continue
            folder = report.spec.root.path.resolve().parent
            if folder not in configs:
                configs[folder] = build_config(folder, options.config_file, options.rulesets)
            old_spec = load_spec(old_path, report.display, options)
            engine = Engine(
                configs[folder], raise_errors=options.raise_errors, rule_timeout=options.rule_timeout
            )
            old_findings += engine.run(old_spec).findings
            removed += removed_error_responses(old_spec, report.spec, ref, configs[folder])
    return old_findings, removed


def _rule_info(severity: Severity) -> RuleInfo:
    rule = ErrorResponseRemoved
    return RuleInfo(rule.id, severity, rule.summary(), rule.documentation())


def _operation_key(op: Operation) -> tuple[str, str]:
    """Method and path with template names blanked: ``/pets/{id}`` matches ``/pets/{petId}``."""
    return op.method, _TEMPLATE.sub("{}", op.path)


def removed_error_responses(old: SpecSet, new: SpecSet, ref: str, config: Config) -> Iterator[Finding]:
    """An ``error-response-removed`` finding per error status an operation had at ``ref`` and lost.

    Operations removed as a whole are not reported: that is an API change of its own.
    """
    current = {_operation_key(op): op for op in iter_operations(new)}
    for old_op in iter_operations(old):
        op = current.get(_operation_key(old_op))
        if op is None:
            continue
        severity = _severity(config, new.root.display, op)
        if severity is None:
            continue
        still = {status.upper() for status in op.status_keys}
        for status in old_op.status_keys:
            if is_error_status(status) and status.upper() not in still:
                yield Finding(
                    ErrorResponseRemoved.id,
                    severity,
                    f"{op.label} no longer declares the {status} error response it had at {ref}; "
                    "clients that handle it lose the contract",
                    site_location(op.anchor.site),
                    op.label,
                    status,
                )


def _severity(config: Config, display: str, op: Operation) -> Severity | None:
    """The configured severity (None when off); the rule's default when no ruleset names it."""
    setting = effective_settings(config, display, op.method, op.path).get(ErrorResponseRemoved.id)
    return setting.severity if setting is not None else ErrorResponseRemoved.default_severity
