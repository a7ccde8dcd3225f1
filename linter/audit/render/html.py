"""The matrix as one self-contained HTML page: a heat map with family/tag/severity filters,
a summary header, and per-cell details listing findings with file:line.

Filters can be preset from the URL: ``report.html?tag=Pets`` or ``report.html#severity=error``.
Everything (CSS, JS) is inline; the page fetches nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape
from typing import TextIO

from linter import __version__
from linter.audit.coverage import Cell, Mark, Matrix, Row, Totals, percent
from linter.audit.render.common import TOTAL_COLUMNS, context_line, definition, headline, total_rows
from linter.audit.render.html_assets import CSS, JS
from linter.model import Finding, Location

MARKS = {
    Mark.COVERED: "✓",
    Mark.MISSING: "✗",
    Mark.FORBIDDEN: "⊘",
    Mark.OPTIONAL: "○",
    Mark.EXCLUDED: "\N{EN DASH}",
    Mark.WAIVED: "~",
}
SEVERITY_CHOICES = (
    ("", "any"),
    ("error", "with errors"),
    ("warning", "with warnings or errors"),
    ("info", "with any finding"),
    ("clean", "without findings"),
)


def render(matrix: Matrix, out: TextIO, width: int = 120) -> None:
    title = f"errlint coverage: {percent(matrix.totals.coverage)}"
    out.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="errlint {escape(__version__)}">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    )
    out.writelines(_header(matrix))
    out.writelines(_filters(matrix))
    out.writelines(_table(matrix))
    out.writelines(_details(matrix))
    out.write(f"<script>{JS}</script>\n</body>\n</html>\n")


def _heat(coverage: float | None) -> str:
    """A class and style colouring from red (0%) to green (100%)."""
    if coverage is None:
        return ""
    return f' class="heat" style="--h: {round(coverage * 1.2)}"'


def _header(matrix: Matrix) -> Iterator[str]:
    totals = matrix.totals
    yield f"<header>\n<h1>{escape(headline(matrix))}</h1>\n"
    yield f'<p class="definition">{escape(definition())}</p>\n'
    yield f'<p class="context">{escape(context_line(matrix))}</p>\n<dl class="summary">\n'
    coverage_class = _heat(totals.coverage).replace('class="heat"', 'class="heat pct-big"')
    items = (
        ("Coverage", f"<span{coverage_class}>{percent(totals.coverage)}</span>"),
        ("Operations", str(len(matrix.rows))),
        ("Required", str(totals.required)),
        ("Covered (required and declared)", str(totals.covered)),
        ("Missing", str(totals.missing)),
        ("Forbidden but declared", str(totals.forbidden)),
        ("Optional", str(totals.optional)),
        ("Files", escape(", ".join(matrix.files))),
        ("Rulesets", escape(", ".join(matrix.rulesets))),
    )
    for name, value in items:
        yield f'<div><dt>{escape(name)}</dt><dd data-summary="{escape(name.lower())}">{value}</dd></div>\n'
    yield '</dl>\n<ul class="legend">\n'
    for mark, symbol in MARKS.items():
        yield f'<li><span class="c {mark.value}">{symbol}</span>{escape(mark.help)}</li>\n'
    yield "</ul>\n</header>\n"


def _options(name: str, label: str, choices: list[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(text)}</option>' for v, text in choices)
    return f'<label>{label}<select id="f-{name}" name="{name}">{options}</select></label>\n'


def _filters(matrix: Matrix) -> Iterator[str]:
    yield '<form id="filters" onsubmit="return false">\n'
    yield _options("family", "Family", [("", "all"), *((f, f) for f in matrix.families)])
    yield _options("tag", "Tag", [("", "all"), *((t, t) for t in matrix.tags)])
    yield _options("severity", "Severity", list(SEVERITY_CHOICES))
    yield f'<output id="shown">{len(matrix.rows)} of {len(matrix.rows)} operations shown</output>\n</form>\n'


def _table(matrix: Matrix) -> Iterator[str]:
    columns = matrix.columns
    span = 1 + len(columns) + 5
    yield '<table class="matrix">\n<thead><tr><th>Operation</th>'
    yield "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    yield "".join(f"<th>{name}</th>" for name in TOTAL_COLUMNS) + "</tr></thead>\n"
    index = _row_index(matrix)
    many_files = len(matrix.files) > 1
    for file, group, rows in matrix.groups():
        name = f"{file}: {group}" if many_files else group
        yield f'<tbody data-group="{escape(name)}">\n<tr class="group"><th colspan="{span}">{escape(name)}</th></tr>\n'
        for row in rows:
            yield _row(row, index[id(row)], columns)
        yield "</tbody>\n"
    yield "<tfoot>\n"
    per_column = [matrix.column_totals(c) for c in columns]
    for name, values in total_rows(matrix, columns)[:-1]:  # the counts; coverage is shaded below
        yield f"<tr><th>{name}</th>" + "".join(f'<td class="n">{value}</td>' for value in values)
        yield '<td colspan="5"></td></tr>\n'
    yield "<tr><th>coverage</th>" + "".join(
        f"<td{_heat(t.coverage)}>{percent(t.coverage)}</td>" for t in per_column
    )
    yield _totals(matrix.totals) + "</tr>\n</tfoot>\n</table>\n"


def _row_index(matrix: Matrix) -> dict[int, int]:
    return {id(row): number for number, row in enumerate(matrix.rows)}


def _row(row: Row, number: int, columns: list[str]) -> str:
    severity = row.severity.label if row.severity is not None else "none"
    attributes = (
        f'class="op" id="r-{number}" data-family="{escape(row.family)}" '
        f'data-tags="{escape(json.dumps(list(row.tags)))}" data-severity="{severity}" '
        f'data-operation="{escape(row.op_label)}"'
    )
    cells = "".join(_cell(row.cells.get(c), number) for c in columns)
    label = f'<a href="#op-{number}" title="{escape(_where(row.location))}">{escape(row.op_label)}</a>'
    return f'<tr {attributes}><th class="op" scope="row">{label}</th>{cells}{_totals(row.totals)}</tr>\n'


def _cell(cell: Cell | None, number: int) -> str:
    if cell is None:
        return '<td class="c"></td>'
    severity = f" sev-{cell.severity.label}" if cell.severity is not None else ""
    tip = f"{cell.status}: {cell.mark.help}"
    if cell.declared_at is not None:
        tip += f" (declared at {_where(cell.declared_at)})"
    symbol = MARKS[cell.mark]
    content = (
        f'<a href="#{_detail_id(number, cell.status)}" title="{escape(tip)}">{symbol}</a>'
        if _has_detail(cell)
        else f'<span title="{escape(tip)}">{symbol}</span>'
    )
    return f'<td class="c {cell.mark.value}{severity}" data-status="{escape(cell.status)}">{content}</td>'


def _totals(totals: Totals) -> str:
    counts = (totals.required, totals.covered, totals.missing, totals.forbidden)
    return "".join(f'<td class="n">{n}</td>' for n in counts) + (
        f"<td{_heat(totals.coverage)}>{percent(totals.coverage)}</td>"
    )


def _has_detail(cell: Cell) -> bool:
    return bool(cell.findings or cell.outcomes)


def _detail_id(number: int, status: str) -> str:
    return f"d-{number}-{status}"


def _where(location: Location) -> str:
    return f"{location.file}:{location.line}:{location.column}"


def _details(matrix: Matrix) -> Iterator[str]:
    yield '<section id="details">\n<h2>Details by operation</h2>\n'
    columns = matrix.columns
    for number, row in enumerate(matrix.rows):
        yield f'<article id="op-{number}"><h3>{escape(row.op_label)}</h3>\n'
        yield f"<p>Defined at <code>{escape(_where(row.location))}</code>"
        yield f" · tags: {escape(', '.join(row.tags) or '(none)')} · family: {escape(row.family)}</p>\n"
        if row.other_findings:
            yield "<ul>" + "".join(_finding(f) for f in row.other_findings) + "</ul>\n"
        yield "</article>\n"
        for status in columns:
            cell = row.cells.get(status)
            if cell is not None and _has_detail(cell):
                yield from _cell_detail(row, cell, number)
    if matrix.document_findings:
        yield '<h2>Findings on whole documents</h2>\n<ul id="document-findings">'
        yield "".join(_finding(f) for f in matrix.document_findings) + "</ul>\n"
    if matrix.errors:
        yield "<h2>Errors</h2>\n<ul>" + "".join(f"<li>{escape(e)}</li>" for e in matrix.errors) + "</ul>\n"
    yield "</section>\n"


def _cell_detail(row: Row, cell: Cell, number: int) -> Iterator[str]:
    yield f'<article id="{_detail_id(number, cell.status)}" class="{cell.mark.value}-detail">'
    yield f"<h3>{escape(row.op_label)} · {escape(cell.status)} · {escape(cell.mark.help)}</h3>\n"
    if cell.declared_at is not None:
        yield f"<p>Declared as {escape(str(cell.declared_as))} at <code>{escape(_where(cell.declared_at))}</code></p>\n"
    if cell.outcomes:
        yield (
            "<ul>"
            + "".join(
                f"<li>{escape(o.expectation.kind)} by <code>{escape(o.expectation.rule)}</code>"
                f" ({o.severity.label}){': ' + escape(o.expectation.reason) if o.expectation.reason else ''}"
                f"{' (waived by x-errlint-ignore)' if o.waived else ''}</li>"
                for o in cell.outcomes
            )
            + "</ul>\n"
        )
    if cell.findings:
        yield '<ul class="findings">' + "".join(_finding(f) for f in cell.findings) + "</ul>\n"
    yield "</article>\n"


def _finding(finding: Finding) -> str:
    return (
        f'<li class="sev-{finding.severity.label}"><code>{escape(_where(finding.location))}</code> '
        f"{finding.severity.label} [{escape(finding.rule)}] {escape(finding.message)}</li>"
    )
