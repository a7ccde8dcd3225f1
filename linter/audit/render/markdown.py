"""The matrix as GitHub-flavoured Markdown: one table per group, then the column totals."""

from __future__ import annotations

from typing import TextIO

from linter.audit.coverage import Mark, Matrix, Row, Totals
from linter.audit.render.common import (
    TOTAL_COLUMNS,
    context_line,
    definition,
    headline,
    total_rows,
    total_values,
)
from linter.report.escape import printable

MARKS = {
    Mark.COVERED: "✅",
    Mark.MISSING: "❌",
    Mark.FORBIDDEN: "⛔",
    Mark.OPTIONAL: "⚪",
    Mark.EXCLUDED: "\N{HEAVY MINUS SIGN}",
    Mark.WAIVED: "🔕",
}


def render(matrix: Matrix, out: TextIO, width: int = 120) -> None:
    out.write(f"# {headline(matrix)}\n\n{definition()}\n\n{context_line(matrix)}\n\n")
    out.write("Legend: " + " · ".join(f"{MARKS[m]} {m.help}" for m in MARKS) + "\n")
    columns = matrix.columns
    many_files = len(matrix.files) > 1
    for file, group, rows in matrix.groups():
        title = f"{file}: {group}" if many_files else group
        out.write(f"\n## {_escape(title)}\n\n")
        out.write(_header("Operation", columns))
        for row in rows:
            out.write(_line(f"`{_escape(row.op_label)}`", _marks(row, columns), row.totals))
    out.write("\n## Totals per status code\n\n")
    out.write("| | " + " | ".join(columns) + " |\n|---|" + "---:|" * len(columns) + "\n")
    for name, values in total_rows(matrix, columns):
        out.write(f"| {name} | " + " | ".join(values) + " |\n")
    out.write(
        "\n**All operations:** "
        + ", ".join(
            f"{name} {value}" for name, value in zip(TOTAL_COLUMNS, total_values(matrix.totals), strict=True)
        )
        + "\n"
    )


def _header(first: str, columns: list[str]) -> str:
    names = [first, *columns, *TOTAL_COLUMNS]
    aligns = [":---", *([":-:"] * len(columns)), *(["---:"] * len(TOTAL_COLUMNS))]
    return "| " + " | ".join(names) + " |\n|" + "|".join(aligns) + "|\n"


def _line(label: str, marks: list[str], totals: Totals) -> str:
    return "| " + " | ".join([label, *marks, *total_values(totals)]) + " |\n"


def _marks(row: Row, columns: list[str]) -> list[str]:
    return [MARKS[row.cells[c].mark] if c in row.cells else "" for c in columns]


def _escape(text: str) -> str:
    """Spec text for a Markdown table cell: one line (see :mod:`linter.report.escape`), ``|`` escaped."""
    return printable(text).replace("|", "\\|")
