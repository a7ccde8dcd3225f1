"""``--format gitlab``: GitLab's code quality report, validated against the documented format
(``fixtures/schemas/gitlab-code-quality.json``, which names its sources)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import BROKEN_REF_SPEC, FIXTURES, run_cli

from linter import registry
from linter.api import LintOptions, lint_paths
from linter.model import Finding, LintResult, Location, Severity
from linter.report.fingerprint import FINGERPRINT_KEY
from linter.report.gitlab import GitlabReporter
from linter.report.sarif import SarifReporter

SCHEMA = json.loads((FIXTURES / "schemas" / "gitlab-code-quality.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
RULE_FIXTURES = sorted(
    path for path in (FIXTURES / "rules").rglob("*.yaml") if not path.name.endswith(".ruleset.yaml")
)
SPEC = BROKEN_REF_SPEC


def render(reporter: Any, result: LintResult) -> str:
    out = io.StringIO()
    reporter.render(result, out)
    return out.getvalue()


def assert_valid(report: Any) -> None:
    errors = sorted(VALIDATOR.iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "core.yaml").write_text("rules:\n  ref-unresolved: error\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_schema_is_a_valid_json_schema_and_rejects_what_gitlab_rejects() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    good = {"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor",
            "location": {"path": "a.yaml", "lines": {"begin": 1}}}
    assert VALIDATOR.is_valid([good])
    for bad in ({**good, "severity": "error"}, {**good, "location": {"path": "/abs.yaml", "lines": {"begin": 1}}},
                {key: value for key, value in good.items() if key != "fingerprint"}):
        assert not VALIDATOR.is_valid([bad])


def test_registered_as_a_builtin_format() -> None:
    assert "gitlab" in registry.reporter_names()
    assert registry.reporter("gitlab") is GitlabReporter


def test_issue_fields_for_a_real_spec(repo: Path) -> None:
    (repo / "api").mkdir()
    (repo / "api" / "pets.yaml").write_text(SPEC, encoding="utf-8")
    result = lint_paths(["api/pets.yaml"], LintOptions(rulesets=("core.yaml",)))
    report = json.loads(render(GitlabReporter(), result))
    assert_valid(report)
    sarif = json.loads(render(SarifReporter(), result))["runs"][0]["results"]
    assert report == [
        {
            "type": "issue",
            "check_name": "ref-unresolved",
            "description": "$ref \"#/components/responses/Missing\": /components/responses/Missing not found in "
            "api/pets.yaml",
            "categories": ["Bug Risk"],
            "severity": "critical",
            "fingerprint": sarif[0]["partialFingerprints"][FINGERPRINT_KEY],
            "location": {"path": "api/pets.yaml", "lines": {"begin": 8}},
        }
    ]


def test_severities_one_line_descriptions_and_unique_fingerprints(repo: Path) -> None:
    at = Location("specs/a.yaml", ("paths", "/x"), 0, 0)
    findings = [
        Finding("ref-unresolved", Severity.ERROR, "two\nlines\r here", at),
        Finding("ref-unresolved", Severity.WARNING, "same identity, other message", at),
        Finding("unused-ignore", Severity.INFO, "info", at, operation="GET /x"),
    ]
    report = json.loads(render(GitlabReporter(), LintResult(findings=findings, files=["specs/a.yaml"])))
    assert_valid(report)
    assert [issue["severity"] for issue in report] == ["critical", "major", "minor"]
    assert [issue["description"] for issue in report] == [
        "two lines here", "same identity, other message", "GET /x: info"
    ]
    assert report[0]["location"] == {"path": "specs/a.yaml", "lines": {"begin": 1}}
    prints = [issue["fingerprint"] for issue in report]
    assert len(set(prints)) == 3
    assert prints[0].rsplit(":", 1)[0] == prints[1].rsplit(":", 1)[0]


def test_clean_run_is_an_empty_array(repo: Path) -> None:
    assert render(GitlabReporter(), LintResult(files=["a.yaml"])) == "[]\n"


@pytest.mark.parametrize("ruleset", sorted(registry.rulesets()))
def test_report_of_every_rule_fixture_validates(ruleset: str) -> None:
    root = FIXTURES.parent
    result = lint_paths([str(p.relative_to(root)) for p in RULE_FIXTURES], LintOptions(rulesets=(ruleset,)))
    assert result.findings
    reporter = GitlabReporter()
    reporter.root = root
    report = json.loads(render(reporter, result))
    assert_valid(report)
    assert len({issue["fingerprint"] for issue in report}) == len(report) == len(result.findings)
    for issue, finding in zip(report, result.findings, strict=True):
        assert (root / issue["location"]["path"]).is_file()
        assert issue["location"]["lines"]["begin"] == finding.location.line


def test_cli_writes_the_report_beside_others(repo: Path) -> None:
    (repo / "api.yaml").write_text(SPEC, encoding="utf-8")
    done = run_cli(
        "lint", "api.yaml", "--ruleset", "core.yaml", "--format", "text", "--format", "gitlab:out/gl-code-quality.json",
        cwd=repo,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads((repo / "out" / "gl-code-quality.json").read_text(encoding="utf-8"))
    assert_valid(report)
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in report] == [
        ("ref-unresolved", "api.yaml", 8)
    ]
