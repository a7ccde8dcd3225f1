"""errlint coverage: the matrix model (driven by the status rules), its totals, and its formats."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from helpers import CORPUS, FIXTURES, REAL, ROOT, corpus_param, run_cli, run_ruleset

from linter.api import LintOptions, load_spec
from linter.audit.coverage import COVERAGE_DEFINITION, Mark, Matrix, build_matrix
from linter.audit.expectations import evaluate, status_rule_ids
from linter.audit.render import render
from linter.audit.render.text import abbreviate, split_columns
from linter.check.engine import Engine
from linter.check.ruleset import Config, RuleSetting, load_ruleset, resolve_name
from linter.cli.progress import Progress
from linter.model import Severity
from linter.rules.base import Context
from linter.rules.status import StatusRule
from linter.spec.openapi import Operation

AUDIT = FIXTURES / "audit"
SALESLAYER = AUDIT / "saleslayer.yaml"
PROVISIONING = CORPUS / "commercelayer-provisioning" / "gen" / "openapi.json"
RAIL0 = REAL / "commercelayer-rail0" / "openapi.json"


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    return build_matrix([str(SALESLAYER)], LintOptions(rulesets=("saleslayer",)))


def marks(matrix: Matrix, operation: str) -> dict[str, str]:
    row = next(row for row in matrix.rows if row.op_label == operation)
    return {status: cell.mark.value for status, cell in row.cells.items()}


def test_cells_follow_the_status_rules(matrix: Matrix) -> None:
    assert matrix.columns == ["400", "401", "403", "404", "409", "500"]
    assert marks(matrix, "GET /rest/Catalog/Products") == {
        "400": "covered",
        "401": "missing",
        "403": "missing",
        "409": "excluded",  # saleslayer-409-outside-dam: forbidden on Catalog, and absent
        "500": "missing",
    }
    assert marks(matrix, "DELETE /rest/DAM/Images/{imageId}") == {
        "401": "missing",
        "403": "forbidden",  # declared, but DAM endpoints never answer 403
        "404": "missing",
        "409": "missing",
        "500": "covered",
    }
    # x-errlint-ignore silences saleslayer-500-declared: waived, and not counted as required
    assert marks(matrix, "GET /rest/DAM/Folders") == {"401": "covered", "403": "excluded", "500": "waived"}


def test_a_declared_code_no_rule_asks_for_is_optional() -> None:
    museum = build_matrix([str(REAL / "redocly-museum" / "openapi.yaml")], LintOptions(rulesets=("saleslayer",)))
    assert marks(museum, "GET /museum-hours")["404"] == "optional"


def test_totals_and_coverage(matrix: Matrix) -> None:
    totals = matrix.totals
    assert (totals.required, totals.covered, totals.missing, totals.forbidden) == (13, 4, 9, 1)
    assert totals.coverage == pytest.approx(100 * 4 / 13)
    assert sum(row.totals.required for row in matrix.rows) == totals.required
    assert sum(matrix.column_totals(c).covered for c in matrix.columns) == totals.covered
    assert matrix.column_totals("401").required == 4
    assert matrix.column_totals("401").covered == 2


def test_cells_carry_the_findings_and_where_the_code_is_declared(matrix: Matrix) -> None:
    row = next(row for row in matrix.rows if row.op_label == "DELETE /rest/DAM/Images/{imageId}")
    forbidden = row.cells["403"]
    assert [f.rule for f in forbidden.findings] == ["saleslayer-403-forbidden"]
    assert forbidden.declared_at is not None and forbidden.declared_at.line == 49
    assert forbidden.severity is Severity.ERROR
    assert [f.rule for f in row.cells["409"].findings] == ["saleslayer-409-declared"]
    assert row.family == "dam"


def test_rule_options_and_scopes_from_the_ruleset_are_honoured(tmp_path: Path) -> None:
    ruleset = tmp_path / "ruleset.yaml"
    ruleset.write_text(
        "extends: saleslayer\n"
        "rules:\n"
        "  saleslayer-403-forbidden: {scope: {tags: [Videos]}}\n"
        "  saleslayer-404-declared: {options: {allow-ranges: true}}\n",
        encoding="utf-8",
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        SALESLAYER.read_text(encoding="utf-8").replace(
            '        "401":\n          $ref', '        "4XX":\n          $ref', 1
        ),
        encoding="utf-8",
    )
    result = build_matrix([str(spec)], LintOptions(rulesets=(str(ruleset),)))
    assert marks(result, "DELETE /rest/DAM/Images/{imageId}")["403"] == "optional"
    read = next(row for row in result.rows if row.op_label == "GET /rest/Catalog/Products/{id}")
    assert read.cells["404"].mark is Mark.COVERED  # through the 4XX range, which the option allows
    assert read.cells["404"].declared_as == "4XX"


@dataclass(frozen=True)
class _NoOptions:
    pass


class TeapotDeclared(StatusRule):
    """Declare 418 on every GET (a rule that only this test knows)."""

    id = "teapot-declared"
    status = "418"
    reason = "the test says so"
    Options: ClassVar[type] = _NoOptions

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.method == "get"


def test_any_status_rule_drives_the_expectations() -> None:
    config = Config(rules={"teapot-declared": RuleSetting(Severity.WARNING)})
    engine = Engine(config, raise_errors=True, rules={"teapot-declared": TeapotDeclared})
    spec = load_spec(SALESLAYER, str(SALESLAYER), LintOptions())
    verdicts = {v.op.label: v.outcomes for v in evaluate(engine, spec)}
    assert [(o.status, o.violated) for o in verdicts["GET /rest/DAM/Folders"]] == [("418", True)]
    assert verdicts["DELETE /rest/DAM/Images/{imageId}"] == ()


@pytest.mark.parametrize(
    "spec", [corpus_param(PROVISIONING, id="provisioning"), pytest.param(RAIL0, id="rail0")]
)
def test_text_fits_the_width_and_defines_coverage(spec: Path) -> None:
    result = run_cli("coverage", str(spec), "--ruleset", "commercelayer")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 120
    assert "required codes declared / required codes" in result.stdout
    assert lines[0].startswith("Error-response coverage: ")
    narrow = run_cli("coverage", str(spec), "--ruleset", "commercelayer", "--width", "80")
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    assert "(part 1 of" in narrow.stdout


def test_text_panels_and_abbreviations() -> None:
    columns = [str(code) for code in range(400, 430)]
    panels = split_columns(columns, 120)
    assert len(panels) > 1 and [c for panel in panels for c in panel] == columns
    assert abbreviate("GET /a/very/long/path/{id}/with/segments", 20) == "GET /a/ver…/segments"
    assert len(abbreviate("x" * 50, 20)) == 20


def test_group_by_path(matrix: Matrix) -> None:
    by_path = build_matrix([str(SALESLAYER)], LintOptions(rulesets=("saleslayer",)), group_by="path")
    assert [group for _, group, _ in by_path.groups()][:2] == [
        "/rest/Catalog/Products",
        "/rest/Catalog/Products/{id}",
    ]
    assert [group for _, group, _ in matrix.groups()] == ["Products", "Images", "Folders"]


def test_markdown(matrix: Matrix) -> None:
    out = io.StringIO()
    render(matrix, "markdown", out)
    text = out.getvalue()
    assert text.startswith("# Error-response coverage: 4 of 13 required codes declared (30.8%)")
    assert (
        "| `DELETE /rest/DAM/Images/{imageId}` |  | ❌ | ⛔ | ❌ | ❌ | ✅ | 4 | 1 | 3 | 1 | 25.0% |" in text
    )
    assert COVERAGE_DEFINITION in text


def test_csv(matrix: Matrix) -> None:
    out = io.StringIO()
    render(matrix, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    operations = [r for r in rows if r["method"]]
    assert len(operations) == 4
    dam = next(r for r in operations if r["operation"] == "DELETE /rest/DAM/Images/{imageId}")
    assert (dam["403"], dam["409"], dam["coverage"]) == ("forbidden", "missing", "25.0%")
    totals = {r["operation"]: r for r in rows if not r["method"]}
    assert totals["TOTAL required"]["401"] == "4"
    assert totals["TOTAL"]["coverage"] == "30.8%"


def test_json_through_the_cli() -> None:
    result = run_cli("coverage", str(SALESLAYER), "--ruleset", "saleslayer", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["coverage"] == pytest.approx(30.77, abs=0.01)
    assert report["coverage_definition"] == COVERAGE_DEFINITION
    dam = next(r for r in report["rows"] if r["operation"] == "DELETE /rest/DAM/Images/{imageId}")
    assert dam["cells"]["403"]["findings"][0]["line"] == 49
    assert dam["cells"]["409"]["expectations"][0]["rule"] == "saleslayer-409-declared"
    assert [c["status"] for c in report["columns"]] == ["400", "401", "403", "404", "409", "500"]


def test_fail_under_and_errors(tmp_path: Path) -> None:
    below = run_cli("coverage", str(SALESLAYER), "--ruleset", "saleslayer", "--fail-under", "50")
    assert below.returncode == 1 and "below --fail-under 50%" in below.stderr
    assert (
        run_cli("coverage", str(SALESLAYER), "--ruleset", "saleslayer", "--fail-under", "30").returncode == 0
    )
    missing = run_cli("coverage", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    with Progress(screen) as progress:
        for index in range(3):
            progress.update(index, 3, f"spec{index}.yaml")
    # click's progress bar: filled at the end, its line ended
    assert "[##############################]  3/3  spec2.yaml" in screen.getvalue()
    assert screen.getvalue().endswith("\n")

    piped = io.StringIO()
    with Progress(piped) as progress:
        progress.update(0, 3, "spec.yaml")
    assert piped.getvalue() == ""

    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(SALESLAYER.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("coverage", str(tmp_path), "--ruleset", "saleslayer")
    assert result.returncode == 0 and result.stderr == ""
    assert "== " in result.stdout  # one header per file


@pytest.mark.parametrize(
    ("spec", "ruleset"),
    [
        (SALESLAYER, "saleslayer"),
        corpus_param(PROVISIONING, "commercelayer"),
        (RAIL0, "commercelayer"),
        (REAL / "nakadi" / "nakadi-event-bus-api.yaml", "saleslayer"),
        (AUDIT / "jsonapi.json", "jsonapi"),
    ],
)
def test_violations_are_exactly_what_lint_reports(spec: Path, ruleset: str) -> None:
    # the ruleset's status rules, its policies included
    status_rules = set(status_rule_ids(load_ruleset(resolve_name(ruleset, ROOT))))
    reported = {(f.operation, f.rule) for f in run_ruleset(ruleset, spec) if f.rule in status_rules}
    result = build_matrix([str(spec)], LintOptions(rulesets=(ruleset,)))
    violated = {
        (row.op_label, outcome.expectation.rule)
        for row in result.rows
        for cell in row.cells.values()
        for outcome in cell.outcomes
        if outcome.violated
    }
    assert reported and violated == reported


def test_the_rule_time_budget_reaches_the_coverage_engines() -> None:
    from linter.audit.expectations import iter_loaded_specs

    spec = FIXTURES / "specs" / "core" / "shared-response.yaml"
    errors: list[str] = []
    loaded = [item for _, _, item in iter_loaded_specs([str(spec)], LintOptions(rule_timeout=0.7), errors)]
    assert not errors and loaded and all(item is not None for item in loaded)
    assert {item.engine.rule_timeout for item in loaded if item is not None} == {0.7}
