"""The ``Bad:``/``Good:`` snippets of every documented rule do what the docs say.

Each snippet (printed by ``errlint explain`` and in docs/rules.md) is completed into a spec
(see linter/rules/doc_snippets.py for the convention) and linted with its rule alone: a Bad
snippet gives at least one finding of the rule, a Good snippet none. Built-in Python rules
and the policies of the built-in rulesets are covered alike, so the docs cannot drift."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import single_rule_config

from linter import registry
from linter.api import LintOptions, load_spec
from linter.check.engine import Engine
from linter.check.ruleset import Config, load_ruleset
from linter.model import Finding
from linter.report.diffmode import removed_error_responses
from linter.rules.doc_snippets import complete
from linter.rules.docs import builtin_policies, snippets

#: rules with no snippet: they report errlint's own failures, which no spec can cause
UNDOCUMENTABLE = {"internal-error"}


def _configs() -> dict[str, Config]:
    """A config that runs only the rule, for every documented rule id."""
    configs = {rule_id: single_rule_config(rule_id) for rule_id in registry.rules()}
    for name in registry.BUILTINS[registry.RULESETS_GROUP]:
        path = registry.ruleset(name)
        config = load_ruleset(path, Config()) if path is not None else Config()
        for policy_id in config.policies:
            only = load_ruleset(path, Config())
            only.rules = {k: v for k, v in only.rules.items() if k == policy_id}
            configs[policy_id] = only
    return configs


CONFIGS = _configs()
RULES = {**registry.rules(), **builtin_policies()}


def _cases() -> list[tuple[str, str]]:
    return [(rule_id, kind) for rule_id in RULES if rule_id not in UNDOCUMENTABLE for kind in ("Bad", "Good")]


def _lint(rule_id: str, snippet: str, folder: Path) -> list[Finding]:
    example = complete(snippet)
    spec_path = folder / "api" / "openapi.yaml"
    spec_path.parent.mkdir(parents=True)
    spec_path.write_text(example.text, encoding="utf-8")
    options = LintOptions()
    spec = load_spec(spec_path, str(spec_path), options)
    if example.base is not None:
        base_path = folder / "base" / "openapi.yaml"
        base_path.parent.mkdir(parents=True)
        base_path.write_text(example.base, encoding="utf-8")
        base = load_spec(base_path, str(base_path), options)
        return list(removed_error_responses(base, spec, "BASE", CONFIGS[rule_id]))
    engine = Engine(CONFIGS[rule_id], raise_errors=True, report_unused_ignores=True)
    return [f for f in engine.run(spec).findings if f.rule == rule_id]


def test_every_documented_rule_has_a_bad_and_a_good_snippet() -> None:
    missing = [
        rid
        for rid, rule in RULES.items()
        if rid not in UNDOCUMENTABLE and set(snippets(rule)) != {"Bad", "Good"}
    ]
    assert missing == []
    assert snippets(RULES["internal-error"]) == {}


@pytest.mark.parametrize(("rule_id", "kind"), _cases(), ids=lambda v: v)
def test_snippet_does_what_the_docs_say(rule_id: str, kind: str, tmp_path: Path) -> None:
    snippet = snippets(RULES[rule_id])[kind]
    findings = _lint(rule_id, snippet, tmp_path)
    shown = "\n".join(f"{f.location.line}:{f.location.column} {f.rule} {f.message}" for f in findings)
    spec = complete(snippet).text
    if kind == "Bad":
        assert findings, f"the Bad snippet of {rule_id} gives no {rule_id} finding:\n{spec}"
    else:
        assert not findings, f"the Good snippet of {rule_id} gives findings:\n{shown}\n{spec}"


def test_a_status_fragment_is_completed_under_get_items() -> None:
    assert complete('"404": {description: Gone}\n').text == (
        'openapi: 3.0.3\ninfo: {title: Example, version: "1"}\n'
        'paths:\n  /items:\n    get:\n      responses:\n        "404": {description: Gone}\n'
    )


def test_a_version_comment_and_a_root_fragment() -> None:
    assert complete('# swagger: "2.0"\ndefinitions: {}\n').text == (
        'swagger: "2.0"\ninfo: {title: Example, version: "1"}\n# swagger: "2.0"\ndefinitions: {}\npaths: {}\n'
    )


def test_two_documents_are_a_base_and_a_head() -> None:
    example = complete("# base\n/a: {}\n---\n/b: {}\n")
    assert example.base is not None and example.base.endswith("paths:\n  # base\n  /a: {}\n")
    assert example.text.endswith("paths:\n  /b: {}\n")


def test_a_list_is_a_whole_document() -> None:
    assert complete("- just: a list\n").text == "- just: a list\n"
