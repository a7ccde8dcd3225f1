"""The jsonapi and commercelayer rulesets end to end: a compliant Commerce Layer style spec
lints clean, a spec with planted defects yields exactly its markers, scopes and severities
follow the rulesets, and a real Commerce Layer spec gets the expected missing codes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from helpers import CORPUS, FIXTURES, expected_markers, needs_corpus, run_cli, run_ruleset

from linter.model import Severity

SPECS = FIXTURES / "specs" / "commercelayer"
COMPLIANT = SPECS / "compliant.yaml"
DEFECTS = SPECS / "defects.yaml"


def _report(findings: list) -> str:
    return "\n".join(f"{f.location.line}: {f.rule} {f.message}" for f in findings)


@pytest.mark.parametrize("ruleset", ["jsonapi", "commercelayer"])
def test_compliant_spec_lints_clean(ruleset: str) -> None:
    findings = run_ruleset(ruleset, COMPLIANT)
    assert findings == [], _report(findings)


def test_every_planted_defect_is_found_and_nothing_else() -> None:
    findings = run_ruleset("commercelayer", DEFECTS)
    got = {(f.location.line, f.rule) for f in findings}
    assert got == expected_markers(DEFECTS), _report(findings)


def test_messages_name_the_member_and_the_convention() -> None:
    messages = {f.message for f in run_ruleset("commercelayer", DEFECTS)}
    assert "errors[].status must be a string (JSON:API), got integer" in messages
    assert "errors[].code is not declared (this ruleset requires it)" in messages
    assert 'errors[0].status is "400" under the 404 response: it must be "404"' in messages
    assert (
        "GET /markets does not declare a 400 response: "
        "query parameters (include) can be unsupported or malformed" in messages
    )


def test_defect_in_a_shared_schema_lands_once_with_its_users_as_related() -> None:
    findings = [
        f
        for f in run_ruleset("commercelayer", DEFECTS)
        if f.message == "errors[].status must be a string (JSON:API), got integer"
    ]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.status == "423"
    assert finding.location.pointer == (
        "components",
        "schemas",
        "legacyErrors",
        "properties",
        "errors",
        "items",
        "properties",
        "status",
    )
    assert {r.operation for r in finding.related} == {"DELETE /markets/{marketId}"}


def test_commercelayer_severities_follow_the_catalogue() -> None:
    severities = {f.rule: f.severity for f in run_ruleset("commercelayer", DEFECTS)}
    assert severities["commercelayer-429-declared"] is Severity.ERROR
    assert severities["commercelayer-500-declared"] is Severity.WARNING
    assert severities["jsonapi-415-needless"] is Severity.INFO


NOT_JSONAPI = """\
openapi: 3.0.3
info: {title: Plain, version: "1"}
paths:
  /skus:
    get:
      responses:
        "200":
          description: The SKUs
          content:
            application/json:
              schema: {type: object}
"""


def test_jsonapi_rules_apply_to_every_operation_only_under_commercelayer(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(NOT_JSONAPI, encoding="utf-8")
    assert not [f for f in run_ruleset("jsonapi", spec) if f.rule.startswith("jsonapi-")]
    rules = {f.rule for f in run_ruleset("commercelayer", spec)}
    assert "jsonapi-406-declared" in rules


def test_each_status_rule_reports_its_own_status_once_on_the_defects_spec() -> None:
    """Behaviour, not class identity: every status rule of the ruleset fires once on the spec
    built to break it, about its own status, and nothing reports a 405."""
    findings = run_ruleset("commercelayer", DEFECTS)
    status_rules = Counter((f.rule, f.status) for f in findings if f.rule.endswith(("-declared", "-needless")))
    expected = [
        *(f"commercelayer-{code}-declared" for code in ("201", "204", "400", "401", "404", "409", "422", "429", "500")),
        "jsonapi-406-declared",
        "jsonapi-415-declared",
        "jsonapi-415-needless",
    ]
    assert status_rules == Counter({(rule_id, rule_id.split("-")[-2]): 1 for rule_id in expected})
    assert not any(f.status == "405" for f in findings)


def test_cli_exit_codes() -> None:
    assert run_cli("lint", "--ruleset", "commercelayer", str(COMPLIANT)).returncode == 0
    result = run_cli("lint", "--ruleset", "commercelayer", str(DEFECTS))
    assert result.returncode == 1
    assert "jsonapi-error-document" in result.stdout


PROVISIONING = CORPUS / "commercelayer-provisioning" / "gen" / "openapi.json"


@needs_corpus
def test_real_commercelayer_spec_without_error_responses() -> None:
    """70 operations, secured by bearerAuth, no error responses at all (see the corpus manifest)."""
    counts = Counter(f.rule for f in run_ruleset("commercelayer", PROVISIONING))
    for rule_id in ("jsonapi-406-declared", "commercelayer-401-declared", "commercelayer-429-declared"):
        assert counts[rule_id] == 70, counts
    assert counts["commercelayer-500-declared"] == 70
    # nothing to say about bodies that are not there
    for rule_id in ("jsonapi-error-document", "jsonapi-error-example", "jsonapi-error-media-type"):
        assert counts[rule_id] == 0
