"""spec-structure: each violation at the offending node, naming the key, with its reason
(fixtures in fixtures/rules/spec-structure/, their positions checked by test_rule_fixtures)."""

from __future__ import annotations

import pytest
from helpers import FIXTURES, run_rule

CASES = FIXTURES / "rules" / "spec-structure"

EXPECTED: dict[str, list[tuple[int, int, str]]] = {
    "bad.yaml": [(9, 9, '"description" is a required property')],
    "response-schema-in-3.0.yaml": [
        (
            9,
            11,
            'property "schema" is not expected here '
            "(in OpenAPI 3 a response or parameter puts its schema under content.<media type>.schema)",
        )
    ],
    "response-content-in-2.0.yaml": [
        (
            9,
            11,
            'property "content" is not expected here '
            "(in OpenAPI 2.0 a response gives its schema directly, as schema)",
        )
    ],
    "oauth-password-authorization-url-3.0.yaml": [(10, 11, 'property "authorizationUrl" is not expected here')],
    "oauth-password-authorization-url-3.1.yaml": [(10, 11, 'property "authorizationUrl" is not expected here')],
    "pattern-not-ecma262.yaml": [(8, 7, 'pattern: "\\\\A[a-z]+\\\\Z" is not a valid regular expression (ECMA-262)')],
    "dialect-3.1.yaml": [
        (10, 34, 'minLength: "1" is not of type "integer"'),
        (18, 30, 'name: "string" is not of types "boolean", "object"'),
        (21, 9, 'allOf: {"type":"string"} is not of type "array"'),
        (22, 22, 'items: [{"type":"string"}] is not of types "boolean", "object"'),
        (
            23,
            9,
            'type: 123 matches none of the allowed forms: it is not one of "array", "boolean" '
            'or 5 other candidates; it is not of type "array"',
        ),
        (24, 23, 'required: "name" is not of type "array"'),
        (25, 23, 'pattern: "\\\\A[a-z]+\\\\Z" is not a valid regular expression (ECMA-262)'),
    ],
    "dialect-draft-07.yaml": [
        (
            9,
            11,
            'type: 123 matches none of the allowed forms: it is not one of "array", "boolean" '
            'or 5 other candidates; it is not of type "array"',
        )
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_structure_findings_name_the_offending_node(name: str) -> None:
    findings = run_rule("spec-structure", CASES / name)
    got = [(f.location.line, f.location.column, f.message) for f in findings]
    assert got == EXPECTED[name]


def test_no_structure_message_only_says_not_valid_under_any_schema() -> None:
    for path in sorted(CASES.glob("*.yaml")):
        for finding in run_rule("spec-structure", path):
            assert "not valid under any of the schemas" not in finding.message, (path.name, finding.message)
