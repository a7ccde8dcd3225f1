"""The matrix as CSV: one line per operation (cells hold the state name), then one line per
column total (``TOTAL required``, ``TOTAL covered``, ...)."""

from __future__ import annotations

import csv
from typing import TextIO

from linter.audit.coverage import Matrix
from linter.audit.render.common import TOTAL_COLUMNS, total_values

FIXED = ("file", "group", "operation", "method", "path", "tags", "family")


def render(matrix: Matrix, out: TextIO, width: int = 120) -> None:
    columns = matrix.columns
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED, *columns, *TOTAL_COLUMNS])
    for row in matrix.rows:
        marks = [row.cells[c].mark.value if c in row.cells else "" for c in columns]
        fixed = (row.file, row.group, row.op_label, row.method, row.path, " ".join(row.tags), row.family)
        writer.writerow([*fixed, *marks, *total_values(row.totals)])
    per_column = [matrix.column_totals(c) for c in columns]
    for name, values in (
        ("required", [t.required for t in per_column]),
        ("covered", [t.covered for t in per_column]),
        ("missing", [t.missing for t in per_column]),
        ("forbidden", [t.forbidden for t in per_column]),
    ):
        writer.writerow(["", "", f"TOTAL {name}", "", "", "", "", *values, *([""] * len(TOTAL_COLUMNS))])
    writer.writerow(["", "", "TOTAL", "", "", "", "", *([""] * len(columns)), *total_values(matrix.totals)])
