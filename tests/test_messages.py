"""Messages keep their reason: JSON values, the reason whole and first, the value abbreviated."""

from __future__ import annotations

from pathlib import Path

from helpers import run_rule

PROBLEM_SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "404":
          description: Missing
          content:
            application/problem+json:
              schema:
                type: object
                properties:
                  type: {type: string}
                  title: {type: string}
                  status: {type: integer}
                  detail: {type: string}
                  instance: {type: string}
              example: {title: Missing, status: "404", detail: null}
"""

ONE_OF_SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "400":
          description: Bad
          content:
            application/json:
              schema:
                oneOf:
                  - {type: object, properties: {code: {type: string}}}
                  - {type: object, properties: {message: {type: string}}}
              example:
                code: E400
                message: The request body is not valid JSON, see the documentation for the expected form
                details: [{field: name, issue: missing}, {field: age, issue: negative}]
"""


def test_problem_details_messages_show_json_values(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(PROBLEM_SPEC, encoding="utf-8")
    (finding,) = run_rule("problem-details-shape", spec)
    assert (finding.location.line, finding.location.column) == (19, 15)
    assert finding.message == (
        "404 application/problem+json example is not a problem details object: "
        'detail: null is not of type "string"; status: "404" is not of type "integer"'
    )


def test_example_failure_gives_the_whole_reason_first_and_the_value_abbreviated(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(ONE_OF_SPEC, encoding="utf-8")
    (finding,) = run_rule("response-example-valid", spec)
    assert (finding.location.line, finding.location.column) == (15, 15)
    assert finding.message == (
        "400 application/json example does not match its schema: the body is valid under more than one "
        "of the schemas listed in the 'oneOf' keyword "
        '(value: {"code":"E400","message":"The request body is not valid JS…})'
    )
