"""The engine: shared definitions reported once, suppressions, overrides, crashing rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXTURES, expected_markers

from linter import pointer as jp
from linter import registry
from linter.api import LintOptions, load_spec
from linter.check.engine import Engine, EngineResult
from linter.check.ruleset import Config, Override, RuleSetting, effective_settings
from linter.model import Finding, Severity
from linter.resolve.resolver import SpecSet
from linter.rules.base import Context, OperationRule, Problem, Rule
from linter.spec.openapi import Operation

CORE = FIXTURES / "specs" / "core"


class ErrorContent(OperationRule):
    """Test only: error responses must have content.

    Why: a rule of the simplest shape, to watch what the engine does with its problems.

    Bad:
        "404": {description: Not found}

    Good:
        "404": {description: Not found, content: {application/json: {}}}
    """

    id = "test-error-content"
    default_severity = Severity.WARNING

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        for response in op.error_responses():
            if not response.has_content:
                yield Problem(response.node, f"{response.status} response has no content", response.status)


class Crashes(OperationRule):
    """Test only: fails on every operation.

    Why: the engine must contain a crashing rule.

    Bad:
        anything

    Good:
        nothing
    """

    id = "test-crashes"

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        raise ValueError(f"cannot handle {op}")


TEST_RULES: dict[str, type[Rule]] = {ErrorContent.id: ErrorContent, Crashes.id: Crashes}


def load(path: Path) -> SpecSet:
    return load_spec(path, path.name, LintOptions())


def run(path: Path, *rule_ids: str, raise_errors: bool = True) -> EngineResult:
    rules = {rule_id: RuleSetting(_rule_class(rule_id).default_severity) for rule_id in rule_ids}
    engine = Engine(Config(rules=rules), raise_errors=raise_errors, rules=TEST_RULES)
    return engine.run(load(path))


def _rule_class(rule_id: str) -> type[Rule]:
    return TEST_RULES.get(rule_id) or registry.rule(rule_id)


def lines(findings: list[Finding]) -> set[tuple[int, str]]:
    return {(f.location.line, f.rule) for f in findings}


# -- shared definitions ------------------------------------------------------------------------
def test_a_defect_in_a_shared_response_is_reported_once_at_its_definition() -> None:
    path = CORE / "shared-response.yaml"
    findings = run(path, ErrorContent.id).findings
    assert lines(findings) == expected_markers(path)
    shared = next(f for f in findings if f.location.pointer == ("components", "responses", "NotFound"))
    assert (shared.message, shared.status, shared.operation) == ("404 response has no content", "404", None)
    assert [
        (r.operation, r.location.line, r.location.column, jp.to_str(r.location.pointer), r.message)
        for r in shared.related
    ] == [
        ("GET /pets", 11, 9, "/paths/~1pets/get/responses/404", "uses the definition through this $ref"),
        ("POST /pets", 15, 9, "/paths/~1pets/post/responses/404", "uses the definition through this $ref"),
    ]


def test_an_inline_defect_names_its_operation_and_nothing_related() -> None:
    findings = run(CORE / "shared-response.yaml", ErrorContent.id).findings
    inline = next(f for f in findings if f.status == "409")
    assert (inline.operation, inline.related, inline.severity) == ("POST /pets", (), Severity.WARNING)


# -- suppressions ------------------------------------------------------------------------------
def test_ignores_on_path_items_operations_and_responses() -> None:
    path = CORE / "ignores.yaml"
    result = run(path, ErrorContent.id, "ref-unresolved", "duplicate-key")
    assert lines(result.findings) == expected_markers(path)
    assert sorted((s.rule, jp.to_str(s.site.pointer), s.used) for s in result.suppressions) == [
        ("all", "/paths/~1c/get/responses/400", True),
        ("duplicate-key", "/paths/~1d/get", False),
        ("ref-unresolved", "/paths/~1d/get", True),
        ("test-error-content", "/paths/~1a", True),
        ("test-error-content", "/paths/~1b/get", True),
    ]


def test_a_suppressed_use_of_a_shared_definition_leaves_the_other_uses() -> None:
    findings = run(CORE / "shared-response.yaml", ErrorContent.id).findings
    shared = next(f for f in findings if f.status == "404")
    # reported once, where NotFound is defined; GET /pets/{id} ignores the rule, so only the
    # two other uses are related, each at its own $ref
    assert (shared.location.line, shared.location.column, shared.operation) == (25, 5, None)
    related = [(r.location.line, r.location.column, jp.to_str(r.location.pointer), r.operation) for r in shared.related]
    assert related == [
        (11, 9, "/paths/~1pets/get/responses/404", "GET /pets"),
        (15, 9, "/paths/~1pets/post/responses/404", "POST /pets"),
    ]


# -- overrides ---------------------------------------------------------------------------------
OVERRIDES = [
    Override(("legacy/*",), (), {"spec-structure": "off"}, "test:1"),
    Override((), ("GET /pets/*",), {"ref-unresolved": "warning"}, "test:2"),
    Override((), ("/internal/**",), {"ref-unresolved": "off"}, "test:3"),
    Override(("*.json",), ("POST /internal/jobs",), {"ref-unresolved": "info"}, "test:4"),
]


@pytest.mark.parametrize(
    ("display", "method", "path", "structure", "unresolved"),
    [
        ("api.yaml", None, None, Severity.ERROR, Severity.ERROR),
        ("legacy/api.yaml", None, None, None, Severity.ERROR),
        ("api.yaml", "get", "/pets/{id}", Severity.ERROR, Severity.WARNING),
        ("api.yaml", "post", "/pets/{id}", Severity.ERROR, Severity.ERROR),
        ("api.yaml", "get", "/pets", Severity.ERROR, Severity.ERROR),
        ("api.yaml", "delete", "/internal/a/b", Severity.ERROR, None),
        ("api.json", "post", "/internal/jobs", Severity.ERROR, Severity.INFO),
        ("legacy/api.json", "get", "/pets/1", None, Severity.WARNING),
    ],
)
def test_overrides_by_file_glob_and_operation_selector_last_one_wins(
    display: str,
    method: str | None,
    path: str | None,
    structure: Severity | None,
    unresolved: Severity | None,
) -> None:
    config = Config(
        rules={"spec-structure": RuleSetting(Severity.ERROR), "ref-unresolved": RuleSetting(Severity.ERROR)},
        overrides=OVERRIDES,
    )
    settings = effective_settings(config, display, method, path)
    assert (settings["spec-structure"].severity, settings["ref-unresolved"].severity) == (
        structure,
        unresolved,
    )


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides name rules by id and are checked against the registry: register the test rule."""
    known = {**registry.rules(), ErrorContent.id: ErrorContent}
    monkeypatch.setattr(registry, "rules", lambda: known)


def run_with_overrides(*selectors: tuple[str, str]) -> list[Finding]:
    """The test rule at warning on shared-response.yaml, with ``(operation selector, severity)`` overrides."""
    overrides = [
        Override((), (selector,), {ErrorContent.id: severity}, f"test:{index}")
        for index, (selector, severity) in enumerate(selectors)
    ]
    config = Config(rules={ErrorContent.id: RuleSetting(Severity.WARNING)}, overrides=overrides)
    return Engine(config, raise_errors=True).run(load(CORE / "shared-response.yaml")).findings


@pytest.mark.usefixtures("registered")
def test_an_operation_override_changes_findings_of_that_operation_only() -> None:
    findings = run_with_overrides(("POST /pets", "error"), ("GET /pets", "off"))
    # the shared 404 is now used by one reported operation only, so the finding names it
    assert sorted(
        (f.status, f.severity, f.operation, [r.operation for r in f.related]) for f in findings
    ) == [
        ("404", Severity.ERROR, "POST /pets", ["POST /pets"]),
        ("409", Severity.ERROR, "POST /pets", []),
    ]


@pytest.mark.usefixtures("registered")
def test_a_shared_definition_takes_the_highest_severity_of_its_operations() -> None:
    findings = run_with_overrides(("GET /pets", "info"), ("POST /pets", "error"))
    shared = next(f for f in findings if f.status == "404")
    assert shared.severity == Severity.ERROR
    assert [r.operation for r in shared.related] == ["GET /pets", "POST /pets"]


# -- crashing rules ----------------------------------------------------------------------------
def test_a_crashing_rule_becomes_one_internal_error_and_others_still_report() -> None:
    result = run(CORE / "shared-response.yaml", Crashes.id, ErrorContent.id, raise_errors=False)
    assert result.internal_errors == 1
    crash = [f for f in result.findings if f.rule == "internal-error"]
    assert [(f.message, f.location.line) for f in crash] == [
        ("rule \"test-crashes\" crashed on GET /pets: ValueError: cannot handle GET /pets", 2)
    ]
    assert sum(f.rule == ErrorContent.id for f in result.findings) == 2


def test_raise_errors_lets_the_crash_through() -> None:
    with pytest.raises(ValueError, match="cannot handle"):
        run(CORE / "shared-response.yaml", Crashes.id)


def test_findings_are_sorted_by_file_line_column_rule() -> None:
    findings = run(CORE / "ignores.yaml", ErrorContent.id, "ref-unresolved").findings
    assert findings == sorted(findings, key=Finding.sort_key)
    assert [f.location.line for f in findings] == sorted(f.location.line for f in findings)
