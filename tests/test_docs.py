"""Rule documentation and shipped rulesets: docs/rules.md is in sync, every ruleset loads,
recommended enables the generic rules, and `errlint rules` / `errlint explain` print them."""

from __future__ import annotations

import json

import pytest
from helpers import ROOT, run_cli

from linter import registry
from linter.check.ruleset import load_ruleset, resolve_name
from linter.rules import core, hygiene
from linter.rules.docs import builtin_policies, rule_page, rules_markdown

#: reported only with --report-unused-ignores, so the ruleset need not enable it
ON_REQUEST = {"unused-ignore"}


def test_rules_md_is_generated_from_the_registry() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "docs/rules.md is stale: run `python -m linter.rules.docs`"


@pytest.mark.parametrize("name", sorted(registry.rulesets()))
def test_every_shipped_ruleset_loads(name: str) -> None:
    config = load_ruleset(resolve_name(name, None))
    assert config.enabled_rules(), f"ruleset {name!r} enables nothing"


def test_recommended_enables_every_core_and_hygiene_rule() -> None:
    enabled = load_ruleset(resolve_name("recommended", None)).enabled_rules()
    generic = {rule.id for rule in (*core.RULES, *hygiene.RULES)} - ON_REQUEST
    assert generic - set(enabled) == set()


def test_problem_details_ruleset_adds_its_rules_to_recommended() -> None:
    recommended = load_ruleset(resolve_name("recommended", None)).enabled_rules()
    problem = load_ruleset(resolve_name("problem-details", None)).enabled_rules()
    assert set(problem) - set(recommended) == {"problem-details-media-type", "problem-details-shape"}


def test_rules_command_lists_every_rule_with_severity_and_summary() -> None:
    done = run_cli("rules")
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()}
    assert set(lines) == {*registry.rules(), *builtin_policies()}
    assert lines["response-example-valid"].split()[1] == "error"
    assert lines["operation-4xx-declared"].endswith(hygiene.Operation4xxDeclared.summary())


def test_rules_command_as_json() -> None:
    done = run_cli("rules", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert set(rows) == {*registry.rules(), *builtin_policies()}
    assert rows["error-response-content"] == {
        "id": "error-response-content",
        "severity": "warning",
        "summary": hygiene.ErrorResponseContent.summary(),
    }


def test_explain_prints_the_rule_page() -> None:
    done = run_cli("explain", "error-response-content")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip("\n") == rule_page(hygiene.ErrorResponseContent).rstrip("\n")
    assert "- `allow-empty` (default `['401', '403']`)" in done.stdout


def test_built_in_policies_are_listed_and_explained_without_their_ruleset() -> None:
    rows = {row["id"]: row for row in json.loads(run_cli("rules", "--format", "json").stdout)}
    assert rows["zalando-151-error-responses"] == {
        "id": "zalando-151-error-responses",
        "severity": "info",
        "summary": "Operations combine the errors they do not list in a default Problem response.",
        "policy": True,
        "ruleset": "zalando",
    }
    text = run_cli("rules").stdout.splitlines()
    assert any(
        line.startswith("zalando-151-error-responses ") and line.endswith("(zalando ruleset)") for line in text
    )
    done = run_cli("explain", "zalando-151-error-responses")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# zalando-151-error-responses\n\nDefault severity: **info**\n")
    typo = run_cli("explain", "zalando-151-eror-responses")
    assert (typo.returncode, typo.stderr) == (
        2,
        "errlint: unknown rule \"zalando-151-eror-responses\" (did you mean \"zalando-151-error-responses\"?)"
        " (see 'errlint rules')\n",
    )


def test_explain_unknown_rule_exits_2_with_one_line() -> None:
    done = run_cli("explain", "nope")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert "unknown rule \"nope\"" in done.stderr
