"""openapi-spec-validator's own cases (its tests/integration/validation/test_exceptions.py),
as fixtures: what it rejects is a finding at the offending node, what it accepts stays clean."""

from __future__ import annotations

import pytest
from helpers import FIXTURES, run_rule

RULES = FIXTURES / "rules"

EXPECTED: dict[tuple[str, str], list[tuple[int, int, str]]] = {
    ("operation-id-unique", "bad.yaml"): [
        (11, 7, 'operationId "operation1" of POST /test is already used by GET /test'),
        (16, 7, 'operationId "operation1" of GET /test2 is already used by GET /test'),
    ],
    ("operation-id-unique", "bad-2.0.yaml"): [
        (11, 7, 'operationId "listPets" of GET /cats is already used by GET /pets'),
    ],
    ("path-parameters-defined", "bad.yaml"): [
        (6, 5, 'path parameter "param2" of /test/{param1}/{param2} is declared neither by GET nor by its path item'),
        (21, 11, 'path parameter "petId" is not in the path template /pets/{id}'),
    ],
    ("path-parameters-defined", "bad-2.0.yaml"): [
        (5, 5, 'path parameter "petId" of /pets/{petId} is declared neither by GET nor by its path item'),
    ],
    ("schema-default-valid", "bad.yaml"): [(9, 7, 'default "invaldtype" is not of type "integer"')],
    ("schema-default-valid", "parameter-3.0.yaml"): [(14, 11, 'default "invaldtype" is not of type "integer"')],
    ("schema-default-valid", "parameter-2.0.yaml"): [(15, 11, 'default "invaldtype" is not of type "integer"')],
    ("operation-id-unique", "good.yaml"): [],
    ("path-parameters-defined", "good.yaml"): [],
    ("schema-default-valid", "good.yaml"): [],
}


@pytest.mark.parametrize(("rule_id", "name"), sorted(EXPECTED), ids=lambda v: v)
def test_checks_beyond_the_openapi_schema(rule_id: str, name: str) -> None:
    findings = run_rule(rule_id, RULES / rule_id / name)
    assert [(f.location.line, f.location.column, f.message) for f in findings] == EXPECTED[(rule_id, name)]


def test_duplicate_operation_ids_name_the_other_uses() -> None:
    findings = run_rule("operation-id-unique", RULES / "operation-id-unique" / "bad.yaml")
    related = [[(r.location.line, r.message) for r in f.related] for f in findings]
    assert related == [
        [(7, 'operationId "operation1" of GET /test'), (16, 'operationId "operation1" of GET /test2')],
        [(7, 'operationId "operation1" of GET /test'), (11, 'operationId "operation1" of POST /test')],
    ]


@pytest.mark.parametrize("rule_id", ["spec-structure", "operation-id-unique", "path-parameters-defined", "schema-default-valid"])
@pytest.mark.parametrize("name", ["good.yaml"])
def test_accepted_cases_stay_clean_under_every_structure_check(rule_id: str, name: str) -> None:
    for folder in ("operation-id-unique", "path-parameters-defined", "schema-default-valid"):
        assert run_rule(rule_id, RULES / folder / name) == []
