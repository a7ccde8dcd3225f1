"""Where findings land and how many there are: one per physical defect, at the place where
it is written, with the uses in ``related`` (merge keys, shared definitions, ``$ref``s)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import FIXTURES, run_cli

RULES = FIXTURES / "rules"


#: the fixtures here leave path parameters undeclared, which is not what these tests are about
UNRELATED = {"path-parameters-defined"}


def lint(*args: str) -> list[dict[str, Any]]:
    done = run_cli("lint", "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return [f for f in json.loads(done.stdout)["findings"] if f["rule"] not in UNRELATED]


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


def test_an_example_value_given_by_ref_is_reported_at_the_value() -> None:
    findings = lint(str(RULES / "response-example-valid" / "value-ref.yaml"))
    assert [brief(f) for f in findings] == [
        ("value-ref.yaml", 16, 19, "response-example-valid", "404", (("value-ref.yaml", 20, None),))
    ]
    assert findings[0]["related"][0]["message"] == "the value this $ref leads to"


def test_a_shared_example_used_under_two_statuses_and_media_types_is_one_finding() -> None:
    findings = lint(str(RULES / "response-example-valid" / "shared-example.yaml"))
    uses = tuple(("shared-example.yaml", line, "GET /pets/{id}") for line in (15, 19, 26))
    assert [brief(f) for f in findings] == [
        ("shared-example.yaml", 30, 7, "response-example-valid", None, uses)
    ]
    assert findings[0]["message"] == (
        "the example does not match its schema: the body: \"code\" is a required property"
    )


def test_jsonapi_rules_follow_an_example_ref_as_the_other_rulesets_do() -> None:
    folder = RULES / "jsonapi-error-status-matches" / "example-ref"
    findings = lint(str(folder / "openapi.yaml"), "--ruleset", "jsonapi")
    bodies = [f for f in findings if f["rule"].startswith("jsonapi-error")]
    assert [brief(f) for f in bodies] == [
        ("examples.yaml", 3, 7, "jsonapi-error-status-matches", "404", (("openapi.yaml", 17, "GET /skus/{id}"),))
    ]
    assert bodies[0]["message"] == 'errors[0].status is "404x" under the 404 response: it must be "404"'


def test_content_brought_by_a_merge_key_is_reported_where_it_is_written() -> None:
    findings = lint(str(RULES / "response-example-valid" / "merge-key.yaml"))
    assert [brief(f) for f in findings] == [("merge-key.yaml", 7, 7, "response-example-valid", "404", ())]


def test_a_merge_key_across_files_gives_one_finding_at_the_example() -> None:
    folder = RULES / "response-example-valid" / "merge-key-fragment"
    findings = lint(str(folder / "openapi.yaml"))
    uses = (("openapi.yaml", 7, "GET /pets/{id}"), ("openapi.yaml", 10, "PUT /pets/{id}"))
    assert [brief(f) for f in findings] == [("responses.yaml", 6, 7, "response-example-valid", None, uses)]
    assert findings[0]["message"] == 'the example does not match its schema: code is not of type "integer" (value: "none")'


SHARED = FIXTURES / "specs" / "shared-fragment"


def test_two_roots_sharing_a_fragment_give_one_finding_with_both_uses() -> None:
    roots = [str(SHARED / "A.yaml"), str(SHARED / "B.yaml")]
    uses = (("A.yaml", 8, "GET /a"), ("B.yaml", 8, "GET /b"))
    expected = [("lib.yaml", 6, 7, "response-example-valid", "404", uses)]
    for jobs in ("1", "2"):
        findings = lint(*roots, "--jobs", jobs)
        assert [brief(f) for f in findings] == expected, jobs
        assert findings[0]["operation"] is None


def test_two_roots_sharing_a_fragment_give_one_fingerprint() -> None:
    done = run_cli("lint", "--format", "sarif", "--jobs", "2", str(SHARED / "A.yaml"), str(SHARED / "B.yaml"))
    results = json.loads(done.stdout)["runs"][0]["results"]
    assert len(results) == 1 and len({r["partialFingerprints"]["errlint/v2"] for r in results}) == 1
