"""Where findings land and how many there are: one per physical defect, at the place where
it is written, with the uses in ``related`` (merge keys, shared definitions, ``$ref``s)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import FIXTURES, run_cli

RULES = FIXTURES / "rules"


def lint(*args: str) -> list[dict[str, Any]]:
    done = run_cli("lint", "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["findings"]


def brief(finding: dict[str, Any]) -> tuple[Any, ...]:
    related = tuple((Path(r["file"]).name, r["line"], r["operation"]) for r in finding["related"])
    return (Path(finding["file"]).name, finding["line"], finding["column"], finding["rule"], finding["status"], related)


def test_a_member_given_by_ref_keeps_its_place() -> None:
    findings = lint(str(RULES / "problem-details-shape" / "ref-member.yaml"), "--ruleset", "problem-details")
    assert [brief(f) for f in findings] == [
        ("ref-member.yaml", 21, 15, "problem-details-shape", "404", (("ref-member.yaml", 9, "GET /pets/{id}"),))
    ]
    assert findings[0]["message"] == "status must be an integer (the problem-details ruleset), got string"


def test_jsonapi_errors_given_as_a_ref_to_an_object() -> None:
    findings = lint(str(RULES / "jsonapi-error-document" / "errors-ref-object.yaml"), "--ruleset", "jsonapi")
    document = [f for f in findings if f["rule"] == "jsonapi-error-document"]
    assert [brief(f) for f in document] == [
        (
            "errors-ref-object.yaml", 30, 9, "jsonapi-error-document", None,
            (("errors-ref-object.yaml", 18, "GET /skus/{id}"), ("errors-ref-object.yaml", 23, "GET /skus/{id}")),
        )
    ]
    assert document[0]["message"] == "errors must be an array (JSON:API), got object"
