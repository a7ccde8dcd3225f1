"""The recommended hygiene rules and the problem-details rules beyond their fixtures: messages,
the example validator across files and versions, and real specs from the corpus."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import FIXTURES, REAL, ROOT, run_rule

from linter.api import LintOptions, load_spec
from linter.rules.examples import body_examples
from linter.rules.validation import SchemaValidators, _with_null_types, is_json_media_type
from linter.spec.openapi import iter_operations

EXAMPLES = FIXTURES / "rules" / "response-example-valid"


def _messages(rule_id: str, path: Path) -> dict[int, str]:
    return {f.location.line: f.message for f in run_rule(rule_id, path)}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# -- operation-4xx-declared -------------------------------------------------------------
def test_4xx_message_says_default_alone_does_not_count() -> None:
    messages = _messages("operation-4xx-declared", FIXTURES / "rules" / "operation-4xx-declared" / "bad.yaml")
    assert "`default` alone does not count" in messages[9]
    assert messages[6] == "GET /pets declares no 4xx response"


# -- response-example-valid ---------------------------------------------------------------
def test_example_validated_against_schema_in_another_file() -> None:
    findings = run_rule("response-example-valid", EXAMPLES / "multi-file" / "openapi.yaml")
    assert [(f.location.line, f.status) for f in findings] == [(18, "404")]
    # the failing member is inside a schema that the second file refers to locally (#/Detail)
    assert 'detail.field is not of type "string" (value: ["name"])' in findings[0].message


def test_example_following_a_ref_lands_in_the_example_file() -> None:
    findings = run_rule("response-example-valid", EXAMPLES / "example-ref" / "openapi.yaml")
    assert [(Path(f.location.file).name, f.location.line) for f in findings] == [("examples.yaml", 2)]
    assert '"message" is a required property' in findings[0].message


def test_openapi_31_examples_use_json_schema_2020_12() -> None:
    messages = _messages("response-example-valid", EXAMPLES / "openapi31.yaml")
    assert set(messages) == {16, 25}  # `tag: null` is fine with type [string, "null"]
    assert 'id is not of type "integer" (value: null)' in messages[16]
    assert "status: 404 was expected" in messages[25]


def test_swagger_2_examples_are_keyed_by_media_type() -> None:
    messages = _messages("response-example-valid", EXAMPLES / "swagger2.yaml")
    assert list(messages) == [18]
    assert messages[18].startswith("404 application/json examples/application/json does not match")
    assert 'message is not of type "string" (value: 404)' in messages[18]


def test_each_failing_example_is_one_finding_with_a_count(tmp_path: Path) -> None:
    spec = _write(
        tmp_path,
        "openapi.yaml",
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /x:
            get:
              responses:
                "200":
                  description: OK
                  content:
                    application/json:
                      schema:
                        type: object
                        properties: {a: {type: integer}, b: {type: integer}}
                      example: {a: x, b: y}
        """,
    )
    findings = run_rule("response-example-valid", spec)
    assert len(findings) == 1
    assert findings[0].message.endswith("(and 1 more)")


def test_validator_results_are_cached_per_schema_and_example() -> None:
    spec = load_spec(EXAMPLES / "bad.yaml", "bad.yaml", LintOptions())
    validators = SchemaValidators.of(spec, "3.0")
    assert SchemaValidators.of(spec, "3.0") is validators
    op = next(iter_operations(spec))
    response = op.responses[1]
    media = response.media_types()[0]
    assert media.schema is not None
    example = next(body_examples(response, media)).value
    first = validators.failure(media.schema, example)
    assert first is not None and first.member == "code"
    assert validators.failure(media.schema, example) is first


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("application/json", True),
        ("application/problem+json; charset=utf-8", True),
        ("text/json", True),
        ("application/xml", False),
        ("text/plain", False),
    ],
)
def test_json_media_types(name: str, expected: bool) -> None:
    assert is_json_media_type(name) is expected


def test_example_validation_imports_no_python_schema_library() -> None:
    code = textwrap.dedent(
        f"""\
        import sys
        from pathlib import Path
        from linter.api import LintOptions, lint_paths
        lint_paths([{str(FIXTURES / "rules" / "error-response-content" / "good.yaml")!r}], LintOptions())
        lint_paths([{str(EXAMPLES / "bad.yaml")!r}], LintOptions())
        print("jsonschema" in sys.modules, "openapi_schema_validator" in sys.modules, "pydantic" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    # examples are validated by jsonschema-rs: the pure-Python libraries cost 0.1-0.3 s to import
    assert done.stdout.split() == ["False", "False", "False"], done.stderr


def test_nullable_schema_object_accepts_null_examples(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        textwrap.dedent(
            """\
            openapi: 3.0.3
            info: {title: t, version: "1"}
            paths:
              /a:
                get:
                  responses:
                    "404":
                      description: Not found
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              detail: {type: string, nullable: true}
                              state: {type: string, enum: [open, closed, null], nullable: true}
                              owner: {allOf: [{type: object}], nullable: true}
                              code: {type: string}
                          examples:
                            ok: {value: {detail: null, state: null, owner: null, code: X}}
                            bad: {value: {detail: null, code: null}}
            """
        ),
        encoding="utf-8",
    )
    findings = run_rule("response-example-valid", spec)
    assert [(f.location.line, "code" in f.message) for f in findings] == [(20, True)]


# -- problem details on real specs --------------------------------------------------------
def test_museum_problem_schema_lacks_status_detail_and_instance() -> None:
    findings = run_rule("problem-details-shape", REAL / "redocly-museum" / "openapi.yaml")
    assert sorted(f.message.split()[0] for f in findings) == ["detail", "instance", "status"]
    assert {f.location.line for f in findings} == {408}  # once, at the shared Error schema
    assert all(len(f.related) > 1 for f in findings)


def test_nakadi_problems_are_served_as_plain_json() -> None:
    findings = run_rule("problem-details-media-type", REAL / "nakadi" / "nakadi-event-bus-api.yaml")
    assert len(findings) == 85
    served = {f.message.split(" served as ")[1].split(",")[0] for f in findings}
    assert served == {"application/json", "application/x-json-stream"}


def test_nullable_rewrite_copies_only_the_containers_above_a_nullable_schema() -> None:
    plain = {"type": "object", "properties": {"a": {"type": "string"}}}
    shared = {"type": "integer", "nullable": True}
    data = {"schemas": {"Plain": plain, "List": {"allOf": [plain, shared, shared]}}}
    rewritten = _with_null_types(data)
    assert rewritten["schemas"]["Plain"] is plain
    assert rewritten["schemas"]["List"]["allOf"][0] is plain
    nullable = {"type": ["integer", "null"], "nullable": True}
    assert rewritten["schemas"]["List"]["allOf"][1:] == [nullable, nullable]
    assert rewritten["schemas"]["List"]["allOf"][1] is rewritten["schemas"]["List"]["allOf"][2]
    assert shared == {"type": "integer", "nullable": True}
    assert data["schemas"]["List"]["allOf"][1] is shared
    assert _with_null_types(plain) is plain and _with_null_types([plain]) == [plain]
