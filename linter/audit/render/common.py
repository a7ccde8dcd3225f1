"""Wording shared by every renderer: the headline, the legend and the per-row totals."""

from __future__ import annotations

from linter.audit.coverage import COVERAGE_DEFINITION, Mark, Matrix, Totals, percent

#: ASCII marks for text and csv-like outputs, in legend order
TEXT_MARKS = {
    Mark.COVERED: "+",
    Mark.MISSING: "X",
    Mark.FORBIDDEN: "!",
    Mark.OPTIONAL: "o",
    Mark.EXCLUDED: "-",
    Mark.WAIVED: "~",
}
TOTAL_COLUMNS = ("required", "covered", "missing", "forbidden", "coverage")


def headline(matrix: Matrix) -> str:
    totals = matrix.totals
    return (
        f"Error-response coverage: {totals.covered} of {totals.required} required codes declared "
        f"({percent(totals.coverage)})"
    )


def definition() -> str:
    return f"Coverage = {COVERAGE_DEFINITION}."


def context_line(matrix: Matrix) -> str:
    rulesets = ", ".join(matrix.rulesets) or "none"
    files = f"{len(matrix.files)} file{'s' if len(matrix.files) != 1 else ''}"
    operations = f"{len(matrix.rows)} operation{'s' if len(matrix.rows) != 1 else ''}"
    totals = matrix.totals
    return (
        f"Rulesets: {rulesets}; {files}, {operations}; {totals.missing} missing, "
        f"{totals.forbidden} forbidden declared, {totals.optional} optional."
    )


def total_rows(matrix: Matrix, columns: list[str]) -> list[tuple[str, list[str]]]:
    """The "totals per status code" table: each of :data:`TOTAL_COLUMNS` with its value in
    each status column."""
    values = [total_values(matrix.column_totals(column)) for column in columns]
    return [(name, [value[index] for value in values]) for index, name in enumerate(TOTAL_COLUMNS)]


def total_values(totals: Totals) -> tuple[str, ...]:
    """Values for :data:`TOTAL_COLUMNS`."""
    return (
        str(totals.required),
        str(totals.covered),
        str(totals.missing),
        str(totals.forbidden),
        percent(totals.coverage),
    )
