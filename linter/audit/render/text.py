"""The matrix for a terminal: fits ``width`` columns by abbreviating operation labels in the
middle and, when there are too many status codes, splitting the codes into panels."""

from __future__ import annotations

import textwrap
from typing import TextIO

from linter.audit.coverage import Matrix, Row, Totals
from linter.audit.render.common import TEXT_MARKS, context_line, definition, headline
from linter.report.escape import printable

MIN_LABEL = 28
INDENT = "  "
#: " | " + four 5-wide counts + a 6-wide percentage
TOTALS_WIDTH = 3 + 4 * 5 + 6
TOTALS_HEADER = " | " + "".join(f"{name:>5}" for name in ("req", "ok", "miss", "forb")) + f"{'cov':>6}"
TOTALS_HELP = (
    "Totals per row and per column: req = required codes, ok = required and declared, "
    "miss = required but missing, forb = declared but forbidden, cov = ok / req."
)
FOOTER = ("required", "ok", "missing", "forbidden", "coverage %")


def render(matrix: Matrix, out: TextIO, width: int = 120) -> None:
    for paragraph in (headline(matrix), definition(), context_line(matrix), _legend(), TOTALS_HELP):
        out.write(textwrap.fill(paragraph, width, subsequent_indent=INDENT) + "\n")
    if not matrix.rows:
        out.write("\nNo operations found.\n")
        return
    panels = split_columns(matrix.columns, width)
    for number, panel in enumerate(panels, start=1):
        last = number == len(panels)
        if len(panels) > 1:
            out.write(f"\nCodes {panel[0]} to {panel[-1]} (part {number} of {len(panels)}):\n")
        _table(matrix, panel, width, with_totals=last, out=out)


def _legend() -> str:
    return "Legend: " + "  ".join(f"{mark} {state.help}" for state, mark in TEXT_MARKS.items())


def cell_width(status: str) -> int:
    return max(3, len(status)) + 1


def split_columns(columns: list[str], width: int) -> list[list[str]]:
    """Runs of columns that leave at least :data:`MIN_LABEL` characters for the labels; the
    last run also leaves room for the totals."""
    room = width - len(INDENT) - MIN_LABEL
    last: list[str] = []
    used = TOTALS_WIDTH
    for column in reversed(columns):
        if last and used + cell_width(column) > room:
            break
        last.insert(0, column)
        used += cell_width(column)
    panels: list[list[str]] = []
    used = 0
    for column in columns[: len(columns) - len(last)]:
        if not panels or used + cell_width(column) > room:
            panels.append([])
            used = 0
        panels[-1].append(column)
        used += cell_width(column)
    return [*panels, last]


def abbreviate(label: str, size: int) -> str:
    """``label`` (escaped: see :mod:`linter.report.escape`) cut in the middle to ``size``
    characters (the method and the last segment stay)."""
    label = printable(label)
    if len(label) <= size:
        return label
    if size < 5:
        return label[:size]
    tail = (size - 1) // 2
    return f"{label[: size - 1 - tail]}…{label[-tail:]}"


def _table(matrix: Matrix, columns: list[str], width: int, *, with_totals: bool, out: TextIO) -> None:
    cells_width = sum(cell_width(c) for c in columns)
    room = width - cells_width - (TOTALS_WIDTH if with_totals else 0)
    longest = max(len(printable(row.op_label)) for row in matrix.rows) + len(INDENT) + 2
    label_width = max(min(room, longest), MIN_LABEL)
    header = " " * label_width + "".join(f"{c:>{cell_width(c)}}" for c in columns)
    out.write("\n" + header + (TOTALS_HEADER if with_totals else "") + "\n")
    many_files = len(matrix.files) > 1
    current_file = None
    for file, group, rows in matrix.groups():
        if many_files and file != current_file:
            out.write(abbreviate(f"== {file}", width) + "\n")
            current_file = file
        out.write(abbreviate(group, width) + "\n")
        for row in rows:
            label = INDENT + abbreviate(row.op_label, label_width - len(INDENT) - 1)
            out.write(f"{label:<{label_width}}{_marks(row, columns)}")
            out.write((_totals(row.totals) if with_totals else "") + "\n")
    out.write("-" * min(width, label_width + cells_width + (TOTALS_WIDTH if with_totals else 0)) + "\n")
    for name in FOOTER:
        values = "".join(f"{_column_value(matrix, c, name):>{cell_width(c)}}" for c in columns)
        suffix = _totals(matrix.totals) if with_totals and name == "coverage %" else ""
        out.write(f"{name:<{label_width}}{values}{suffix}\n")


def _marks(row: Row, columns: list[str]) -> str:
    parts = []
    for column in columns:
        cell = row.cells.get(column)
        mark = TEXT_MARKS[cell.mark] if cell is not None else ""
        parts.append(f"{mark:>{cell_width(column)}}")
    return "".join(parts)


def _totals(totals: Totals) -> str:
    coverage = "n/a" if totals.coverage is None else f"{totals.coverage:.0f}%"
    counts = (totals.required, totals.covered, totals.missing, totals.forbidden)
    return " | " + "".join(f"{n:>5}" for n in counts) + f"{coverage:>6}"


def _column_value(matrix: Matrix, column: str, name: str) -> str:
    totals = matrix.column_totals(column)
    if name == "coverage %":
        return "n/a" if totals.coverage is None else f"{totals.coverage:.0f}"
    value = {
        "required": totals.required,
        "ok": totals.covered,
        "missing": totals.missing,
        "forbidden": totals.forbidden,
    }[name]
    return str(value)
