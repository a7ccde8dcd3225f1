"""The error-coverage matrix: operations (rows) by status codes (columns).

Each cell says what the ruleset's status rules expect of one operation and one code and
what the spec declares. Coverage is defined once, here, for every output format:
``required codes declared / required codes`` (see :data:`COVERAGE_DEFINITION`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from linter.api import LintOptions, local_sources
from linter.audit.expectations import LoadedSpec, Outcome, evaluate, iter_loaded_specs, status_rule_ids
from linter.check.collector import site_location
from linter.model import Finding, Location, Severity
from linter.resolve.resolver import Site
from linter.spec.openapi import Operation, is_error_status
from linter.vendors.jsonapi import is_jsonapi
from linter.vendors.saleslayer import detect_family

COVERAGE_DEFINITION = (
    "required codes declared / required codes, where each (operation, status code) that a status "
    "rule of the ruleset requires counts once, and a 4XX range or default counts as declared only "
    "where that rule allows it"
)
GROUP_BY = ("tag", "path")
UNTAGGED = "(untagged)"


class Mark(Enum):
    """The state of one cell, most urgent first."""

    MISSING = "missing"
    FORBIDDEN = "forbidden"
    COVERED = "covered"
    EXCLUDED = "excluded"
    WAIVED = "waived"
    OPTIONAL = "optional"

    @property
    def help(self) -> str:
        return _MARK_HELP[self]


_MARK_HELP = {
    Mark.COVERED: "required and declared",
    Mark.MISSING: "required but missing",
    Mark.FORBIDDEN: "declared but forbidden",
    Mark.OPTIONAL: "declared, optional (no rule asks for it)",
    Mark.EXCLUDED: "forbidden and not declared",
    Mark.WAIVED: "required or forbidden, but silenced by x-errlint-ignore",
}


@dataclass(frozen=True, slots=True)
class Totals:
    """Counts over cells; ``required`` = covered + missing."""

    covered: int = 0
    missing: int = 0
    forbidden: int = 0
    optional: int = 0

    @property
    def required(self) -> int:
        return self.covered + self.missing

    @property
    def coverage(self) -> float | None:
        """Required codes declared / required codes, in percent; None when nothing is required."""
        return 100.0 * self.covered / self.required if self.required else None

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.covered + other.covered,
            self.missing + other.missing,
            self.forbidden + other.forbidden,
            self.optional + other.optional,
        )

    @classmethod
    def of(cls, cells: Iterable[Cell]) -> Totals:
        marks = [cell.mark for cell in cells]
        return cls(
            marks.count(Mark.COVERED),
            marks.count(Mark.MISSING),
            marks.count(Mark.FORBIDDEN),
            marks.count(Mark.OPTIONAL),
        )


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


@dataclass(frozen=True)
class Cell:
    status: str
    mark: Mark
    #: the response key that declares the code ("404", or "4XX"/"default" where a rule allows it)
    declared_as: str | None
    declared_at: Location | None
    outcomes: tuple[Outcome, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def rules(self) -> list[str]:
        return [outcome.expectation.rule for outcome in self.outcomes]

    @property
    def severity(self) -> Severity | None:
        levels = [f.severity for f in self.findings] + [o.severity for o in self.outcomes if o.violated]
        return max(levels, default=None)


@dataclass
class Row:
    file: str
    group: str
    op_label: str
    method: str
    path: str
    tags: tuple[str, ...]
    family: str
    jsonapi: bool
    location: Location
    cells: dict[str, Cell]
    #: findings on the operation that belong to no column (e.g. "declares no 4xx")
    other_findings: tuple[Finding, ...] = ()

    @property
    def totals(self) -> Totals:
        return Totals.of(self.cells.values())

    @property
    def findings(self) -> list[Finding]:
        return [f for cell in self.cells.values() for f in cell.findings] + list(self.other_findings)

    @property
    def severity(self) -> Severity | None:
        levels = [cell.severity for cell in self.cells.values() if cell.severity is not None]
        levels += [f.severity for f in self.other_findings]
        return max(levels, default=None)


@dataclass
class Matrix:
    group_by: str = "tag"
    rows: list[Row] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rulesets: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: the real path of every local file read (root specs and ``$ref``'d files)
    sources: list[str] = field(default_factory=list)
    #: findings that concern no operation (document-level), listed beside the matrix
    document_findings: list[Finding] = field(default_factory=list)
    #: the enabled rules that set status expectations, over every spec's config
    status_rules: set[str] = field(default_factory=set)

    @property
    def columns(self) -> list[str]:
        return sorted({status for row in self.rows for status in row.cells}, key=status_sort_key)

    def column_totals(self, status: str) -> Totals:
        return Totals.of(row.cells[status] for row in self.rows if status in row.cells)

    @property
    def totals(self) -> Totals:
        return sum((row.totals for row in self.rows), Totals())

    def groups(self) -> list[tuple[str, str, list[Row]]]:
        """``(file, group, rows)`` in order of first appearance."""
        grouped: dict[tuple[str, str], list[Row]] = {}
        for row in self.rows:
            grouped.setdefault((row.file, row.group), []).append(row)
        return [(file, group, rows) for (file, group), rows in grouped.items()]

    @property
    def tags(self) -> list[str]:
        tags = sorted({tag for row in self.rows for tag in row.tags})
        return [*tags, UNTAGGED] if any(not row.tags for row in self.rows) else tags

    @property
    def families(self) -> list[str]:
        return sorted({row.family for row in self.rows})


def status_sort_key(status: str) -> tuple[int, int, str]:
    """404 < 4XX < 500 < 5XX < default; other codes by number."""
    upper = status.upper()
    if upper == "DEFAULT":
        return (10, 0, upper)
    if upper[1:] == "XX":
        return (int(upper[0]), 1, upper)
    return (int(upper[0]) if upper[:1].isdigit() else 9, 0, upper)


# -- building ----------------------------------------------------------------------------
def build_matrix(
    paths: list[str],
    options: LintOptions,
    group_by: str = "tag",
    on_file: Callable[[int, int, str], None] | None = None,
) -> Matrix:
    """Lint every spec under ``paths`` and lay out its status expectations as a matrix.

    ``on_file(index, total, display)`` is called before each file (for progress bars).
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
    matrix = Matrix(group_by=group_by)
    for index, total, loaded in iter_loaded_specs(paths, options, matrix.errors):
        if on_file is not None:
            on_file(index, total, loaded.display if loaded else "")
        if loaded is None:
            continue
        add_spec(matrix, loaded)
    return matrix


def add_spec(matrix: Matrix, loaded: LoadedSpec) -> None:
    matrix.status_rules.update(status_rule_ids(loaded.config))
    result = loaded.engine.run(loaded.spec)
    by_cell, by_operation = _index_findings(result.findings)
    matrix.files.append(loaded.display)
    matrix.sources.extend(local_sources(loaded.spec))
    for source in loaded.config.sources:
        name = Path(source).stem
        if name not in matrix.rulesets:
            matrix.rulesets.append(name)
    for verdicts in evaluate(loaded.engine, loaded.spec):
        op = verdicts.op
        cells = _cells(op, verdicts.outcomes, by_cell)
        other = tuple(f for f in by_operation.get(op.label, []) if f.status is None or f.status not in cells)
        matrix.rows.append(
            Row(
                file=loaded.display,
                group=_group(op, matrix.group_by),
                op_label=op.label,
                method=op.method.upper(),
                path=op.path,
                tags=tuple(op.tags),
                family=detect_family(op)[0] or "none",
                jsonapi=is_jsonapi(op),
                location=site_location(op.node.site),
                cells=cells,
                other_findings=other,
            )
        )
    matrix.document_findings.extend(
        f for f in result.findings if f.operation is None and not any(r.operation for r in f.related)
    )


def _group(op: Operation, group_by: str) -> str:
    if group_by == "path":
        return op.path
    return op.tags[0] if op.tags else UNTAGGED


def _index_findings(
    findings: list[Finding],
) -> tuple[dict[tuple[str, str], list[Finding]], dict[str, list[Finding]]]:
    """Findings by (operation, STATUS) and by operation; shared definitions count for every user."""
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    by_operation: dict[str, list[Finding]] = {}
    for finding in findings:
        labels = {finding.operation} | {r.operation for r in finding.related}
        for label in sorted(label for label in labels if label):
            by_operation.setdefault(label, []).append(finding)
            if finding.status is not None:
                by_cell.setdefault((label, finding.status.upper()), []).append(finding)
    return by_cell, by_operation


def _cells(
    op: Operation, outcomes: tuple[Outcome, ...], by_cell: dict[tuple[str, str], list[Finding]]
) -> dict[str, Cell]:
    expected: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        expected.setdefault(column_name(outcome.status), []).append(outcome)
    statuses = [column_name(key) for key in op.status_keys if is_error_status(key)]
    for status in expected:
        if status not in statuses:
            statuses.append(status)
    cells = {}
    for status in statuses:
        mine = tuple(expected.get(status, ()))
        declared_as = _declared_as(op, status, mine)
        findings = tuple(by_cell.get((op.label, status.upper()), ()))
        cells[status] = Cell(
            status, _mark(mine, declared_as), declared_as, _where(op, declared_as), mine, findings
        )
    return cells


def column_name(status: str) -> str:
    """One spelling per column: codes and ranges upper-case (``4XX``), ``default`` lower-case."""
    upper = status.upper()
    return "default" if upper == "DEFAULT" else upper


def _declared_as(op: Operation, status: str, outcomes: tuple[Outcome, ...]) -> str | None:
    if op.declares(status):
        return status
    satisfied = any(o.required and not o.violated and not o.waived for o in outcomes)
    if satisfied:
        for key in op.status_keys:
            if key.upper() in (f"{status[0]}XX".upper(), "DEFAULT"):
                return key
    return None


def _mark(outcomes: tuple[Outcome, ...], declared_as: str | None) -> Mark:
    if any(o.required and o.violated for o in outcomes):
        return Mark.MISSING
    if any(not o.required and o.violated for o in outcomes):
        return Mark.FORBIDDEN
    live = [o for o in outcomes if not o.waived]
    if any(o.required for o in live):
        return Mark.COVERED
    if live:
        return Mark.EXCLUDED
    if outcomes:
        return Mark.WAIVED
    return Mark.OPTIONAL


def _where(op: Operation, declared_as: str | None) -> Location | None:
    responses = op.responses_node
    if declared_as is None or responses is None:
        return None
    for key in op.status_keys:
        if key.upper() == declared_as.upper():
            return site_location(Site(responses.doc, (*responses.pointer, key)))
    return None
