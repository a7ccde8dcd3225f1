"""The ``saleslayer`` ruleset end to end: compliant Catalog and DAM specs lint clean, planted
defects are found exactly where their ``# expect:`` markers are, and the CLI reports them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, config_mistake, expected_markers, lint_project, run_cli, run_ruleset

from linter.api import LintOptions, load_spec
from linter.check.ruleset import load_ruleset, resolve_name
from linter.model import Severity
from linter.rules.base import Context
from linter.spec.openapi import iter_operations

SPECS = FIXTURES / "specs" / "saleslayer"

#: the catalogue's table for the saleslayer ruleset
CATALOGUE_SEVERITIES = {
    "saleslayer-400-declared": Severity.ERROR,
    "saleslayer-400-shape": Severity.ERROR,
    "saleslayer-401-declared": Severity.ERROR,
    "saleslayer-401-shape": Severity.ERROR,
    "saleslayer-403-declared": Severity.WARNING,
    "saleslayer-403-forbidden": Severity.ERROR,
    "saleslayer-404-declared": Severity.ERROR,
    "saleslayer-409-declared": Severity.ERROR,
    "saleslayer-409-outside-dam": Severity.WARNING,
    "saleslayer-500-declared": Severity.WARNING,
    "saleslayer-unknown-status": Severity.WARNING,
    "saleslayer-api-key-scheme": Severity.WARNING,
}


def test_ruleset_enables_every_saleslayer_rule_at_the_catalogue_severity() -> None:
    config = load_ruleset(resolve_name("saleslayer", ROOT))
    enabled = {
        rule_id: setting.severity
        for rule_id, setting in config.rules.items()
        if rule_id.startswith("saleslayer-")
    }
    assert enabled == CATALOGUE_SEVERITIES
    assert "spec-structure" in config.enabled_rules(), "saleslayer must extend recommended"


@pytest.mark.parametrize("name", ["catalog.yaml", "dam.yaml"])
def test_compliant_spec_lints_clean(name: str) -> None:
    findings = run_ruleset("saleslayer", SPECS / name)
    assert findings == [], "\n".join(f"{f.location.line} {f.rule} {f.message}" for f in findings)


@pytest.mark.parametrize("name", ["catalog-defects.yaml", "dam-defects.yaml"])
def test_every_planted_defect_is_found_and_nothing_else(name: str) -> None:
    path = SPECS / name
    findings = run_ruleset("saleslayer", path)
    got = {(f.location.line, f.rule) for f in findings}
    expected = expected_markers(path)
    assert len(expected) >= 10
    assert got == expected, "\n".join(f"{f.location.line} {f.rule} {f.message}" for f in findings)


def _lint_json(path: Path) -> tuple[int, dict[str, object]]:
    result = run_cli("lint", "--ruleset", "saleslayer", "--format", "json", str(path))
    return result.returncode, json.loads(result.stdout)


def test_cli_reports_defects_as_json_and_fails() -> None:
    code, report = _lint_json(SPECS / "dam-defects.yaml")
    assert code == 1
    findings = report["findings"]
    assert isinstance(findings, list)
    keys = {"rule", "severity", "message", "file", "line", "column", "pointer", "operation", "status"}
    assert all(keys <= finding.keys() for finding in findings)
    by_rule = {finding["rule"]: finding for finding in findings}

    forbidden = by_rule["saleslayer-403-forbidden"]
    assert forbidden["severity"] == "error"
    assert forbidden["operation"] == "GET /rest/DAM/files/{fileId}"
    assert forbidden["status"] == "403"
    assert forbidden["pointer"] == "/paths/~1rest~1DAM~1files~1{fileId}/get/responses/403"
    assert forbidden["file"].endswith("dam-defects.yaml")

    missing_500 = by_rule["saleslayer-500-declared"]
    assert (missing_500["severity"], missing_500["status"]) == ("warning", "500")
    assert missing_500["pointer"] == "/paths/~1rest~1DAM~1folders/get/responses"


def test_cli_reports_a_shared_definition_once_with_its_operations() -> None:
    _, report = _lint_json(SPECS / "dam-defects.yaml")
    shape = [
        f
        for f in report["findings"]  # type: ignore[union-attr]
        if f["rule"] == "saleslayer-400-shape" and "additionalProperties" in f["pointer"]
    ]
    assert len(shape) == 1
    finding = shape[0]
    assert finding["operation"] is None
    assert finding["status"] == "400"
    assert finding["pointer"].startswith("/components/schemas/ValidationFailures/")
    users = {related["operation"] for related in finding["related"]}
    assert {"GET /rest/DAM/files", "POST /rest/DAM/files", "PATCH /rest/DAM/files/{fileId}"} <= users


def test_cli_exits_zero_on_a_compliant_spec() -> None:
    code, report = _lint_json(SPECS / "catalog.yaml")
    assert (code, report["findings"]) == (0, [])


def test_status_rules_state_their_expectation_per_operation() -> None:
    spec = load_spec(SPECS / "dam.yaml", "dam.yaml", LintOptions())
    ops = {op.label: op for op in iter_operations(spec)}
    policies = load_ruleset(resolve_name("saleslayer", ROOT)).policies
    conflict, no_403 = policies["saleslayer-409-declared"], policies["saleslayer-403-forbidden"]
    ctx = Context(spec, conflict.make_options({}), "3.1")
    rule = conflict()
    delete = rule.expectation(ops["DELETE /rest/DAM/files/{fileId}"], ctx)
    assert delete is not None and (delete.status, delete.kind) == ("409", "required")
    assert delete.reason == "the resource can be in a conflicting state while it is being processed"
    assert rule.expectation(ops["GET /rest/DAM/files/{fileId}"], ctx) is None
    assert rule.expectation(ops["DELETE /rest/DAM/folders/{folderId}"], ctx) is None
    forbidden = no_403().expectation(ops["GET /rest/DAM/files"], ctx)
    assert forbidden is not None and (forbidden.status, forbidden.kind) == ("403", "forbidden")


# -- the conditions the saleslayer ruleset registers, in a team's own policies ----------------
CONDITIONS_CONFIG = """\
policies:
  inputs-400:
    severity: warning
    when: {request-inputs: true, message: "takes {request-inputs}"}
    require: [400]
  named-404:
    severity: warning
    when: {methods: get, resource-query-parameter: true, message: "{resource-query-parameter} names it"}
    require: [404]
  processed-409:
    severity: warning
    when: {processed-resource: true}
    require: [409]
rules:
  inputs-400: {options: {api-key-header: X-Key}}
  named-404: {options: {identifier-words: [handle]}}
  processed-409: {options: {processed-paths: ["/videos/*"], processed-tags: []}}
"""
CONDITIONS_SPEC = """\
openapi: 3.0.3
info: {title: Media, version: "1"}
paths:
  /videos:
    get:
      parameters:
        - {name: X-Key, in: header, schema: {type: string}}
        - {name: videoHandle, in: query, required: true, schema: {type: string}}
      responses:
        "200": {description: Videos}
  /videos/{id}:
    delete:
      parameters:
        - {name: X-Key, in: header, schema: {type: string}}
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Deleted}
"""


def test_saleslayer_conditions_and_their_options_serve_any_policy(tmp_path: Path) -> None:
    got = lint_project(tmp_path, CONDITIONS_CONFIG, CONDITIONS_SPEC, ("inputs-400", "named-404", "processed-409"))
    # the X-Key header is the API key (api-key-header), so only the query parameter counts
    assert got == [
        (
            9,
            7,
            "inputs-400",
            'GET /videos does not declare a 400 response: takes query parameter "videoHandle"',
        ),
        (9, 7, "named-404", 'GET /videos does not declare a 404 response: "videoHandle" names it'),
        (16, 7, "processed-409", "DELETE /videos/{id} does not declare a 409 response"),
    ]


def test_an_unknown_option_of_a_saleslayer_policy_lists_the_conditions_options(tmp_path: Path) -> None:
    config = tmp_path / ".errlint.yaml"
    config.write_text(
        "extends: saleslayer\nrules:\n  saleslayer-404-declared: {options: {identifier-word: [x]}}\n",
        encoding="utf-8",
    )
    assert config_mistake(tmp_path, CONDITIONS_SPEC) == (
        f'errlint: {config}:3:3: unknown option "identifier-word" for rule "saleslayer-404-declared"'
        " (known: allow-default, allow-ranges, identifier-words)\n"
    )


def test_a_status_policy_is_enabled_by_id_without_extending_the_ruleset(tmp_path: Path) -> None:
    spec = tmp_path / "dam.yaml"
    spec.write_text((SPECS / "dam-defects.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".errlint.yaml").write_text("rules:\n  saleslayer-400-declared: warning\n", encoding="utf-8")
    done = run_cli("lint", "--format", "json", "dam.yaml", cwd=tmp_path)
    got = [
        (f["line"], f["column"], f["severity"], f["message"])
        for f in json.loads(done.stdout)["findings"]
        if f["rule"].startswith("saleslayer-")
    ]
    assert got == [
        (
            120,
            7,
            "warning",
            "PUT /rest/DAM/images/{imageId}/focal-point does not declare a 400 response:"
            " it takes a request body, which can be malformed or invalid",
        )
    ]
    (tmp_path / ".errlint.yaml").write_text("rules:\n  saleslayer-400-declard: warning\n", encoding="utf-8")
    typo = run_cli("lint", "dam.yaml", cwd=tmp_path)
    assert (typo.returncode, typo.stderr) == (
        2,
        f'errlint: {tmp_path / ".errlint.yaml"}:2:3: unknown rule "saleslayer-400-declard"'
        " (did you mean \"saleslayer-400-declared\"?) (see 'errlint rules')\n",
    )
