"""The ``zalando`` and ``azure`` rulesets: public guidelines written only as policies.

Their fixtures (``fixtures/policies/<ruleset>/bad.yaml`` and ``good.yaml``) are built from
the guidelines' own examples; ``# expect: <policy-id>`` marks each line a finding lands on.
"""

from __future__ import annotations

import pytest
from helpers import CORPUS, FIXTURES, ROOT, expected_markers, run_ruleset

from linter import registry
from linter.check.ruleset import load_ruleset
from linter.rules.docs import rule_page

GUIDELINES = ("zalando", "azure")
NAKADI = CORPUS / "nakadi" / "docs" / "_data" / "nakadi-event-bus-api.yaml"


@pytest.mark.parametrize("name", GUIDELINES)
@pytest.mark.parametrize("case", ["bad", "good"])
def test_fixture_findings_match_markers(name: str, case: str) -> None:
    path = FIXTURES / "policies" / name / f"{case}.yaml"
    findings = [f for f in run_ruleset(name, path) if f.rule.startswith(f"{name}-")]
    got = {(f.location.line, f.rule) for f in findings}
    report = "\n".join(f"{f.location.line} {f.rule} {f.message}" for f in findings)
    assert got == expected_markers(path), report
    assert bool(findings) == (case == "bad")


@pytest.mark.parametrize("name", GUIDELINES)
def test_the_ruleset_is_data_only(name: str) -> None:
    """No Python: every rule the ruleset adds to recommended is one of its own policies, and
    each policy is documented with why, a guideline reference and bad/good examples."""
    config = load_ruleset(registry.ruleset(name))
    recommended = load_ruleset(registry.ruleset("recommended"))
    added = set(config.enabled_rules()) - set(recommended.enabled_rules())
    assert added == set(config.policies) and added
    for policy_id, rule in config.policies.items():
        assert policy_id.startswith(f"{name}-") and registry.find_rule(policy_id) is None
        doc = rule.documentation()
        assert "\nWhy: " in doc and "\nBad:" in doc and "\nGood:" in doc, policy_id
        assert "https://" in doc, policy_id
        assert rule_page(rule).startswith(f"# {policy_id}\n")
    assert not list((ROOT / "rulesets").glob(f"{name}*.py"))


@pytest.mark.skipif(not NAKADI.is_file(), reason="needs ../shared/corpus (Nakadi, Zalando's spec)")
def test_zalando_on_nakadi() -> None:
    from collections import Counter

    counts = Counter(f.rule for f in run_ruleset("zalando", NAKADI) if f.rule.startswith("zalando-"))
    # Nakadi serves its Problem as application/json (85 error responses), declares no
    # `default` (47 operations), uses 422 (15 times, not in rule 150's list) and a 409 on a GET
    assert counts == {
        "zalando-176-problem-json": 85,
        "zalando-151-error-responses": 47,
        "zalando-150-well-understood-codes": 15,
        "zalando-150-codes-on-reads": 1,
    }
