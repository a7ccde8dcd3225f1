"""``error-bodies:``: a ruleset or config declares its error-body convention once; the body
rules of the built-in rulesets read theirs, and ``errlint fix`` writes the one in effect."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import run_cli

from linter import registry
from linter.check.ruleset import load_ruleset
from linter.policies.error_bodies import declared

SPEC = """\
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things:
    get:
      responses:
        "200": {description: OK}
"""

ACME_ERROR = """\
AcmeError:
  type: object
  required: [code, message]
  properties:
    code: {type: string}
    message: {type: string}
  x-forbidden: [data]
"""

CONFIG = """\
policies:
  things-fail-clearly:
    require: ["404", "503"]
error-bodies:
  name: acme
  bodies:
    - statuses: ["404"]
      media-types: [application/vnd.acme.missing+json]
      schema: {type: object, required: [missing], properties: {missing: {type: string}}}
      component: Missing
      label: the Acme missing body
    - statuses: [4XX, 5XX, default]
      media-types: [application/vnd.acme.error+json, application/json]
      schema: {$ref: "schemas/error.yaml#/AcmeError"}
      component: AcmeError
      label: the Acme error
"""


def project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / ".errlint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "error.yaml").write_text(ACME_ERROR, encoding="utf-8")
    return tmp_path


def test_fix_writes_the_error_bodies_a_config_declares(tmp_path: Path) -> None:
    folder = project(tmp_path, CONFIG)
    done = run_cli("fix", "-v", "api.yaml", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "errlint: api.yaml: created /components/responses/NotFound (acme convention)\n" in done.stderr
    spec = yaml.safe_load((folder / "api.yaml").read_text(encoding="utf-8"))
    responses = spec["components"]["responses"]
    assert responses["NotFound"] == {
        "description": "Not Found",
        "content": {
            "application/vnd.acme.missing+json": {"schema": {"$ref": "#/components/schemas/Missing"}}
        },
    }
    assert responses["ServiceUnavailable"] == {
        "description": "Service Unavailable",
        "content": {
            "application/vnd.acme.error+json": {"schema": {"$ref": "#/components/schemas/AcmeError"}}
        },
    }
    # the schema as the spec may carry it: without the checker-only x- keys
    assert spec["components"]["schemas"] == {
        "Missing": {"type": "object", "required": ["missing"], "properties": {"missing": {"type": "string"}}},
        "AcmeError": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
    }


def test_a_config_s_error_bodies_replace_those_of_the_ruleset_it_extends(tmp_path: Path) -> None:
    folder = project(tmp_path, "extends: saleslayer\n" + CONFIG)
    config = load_ruleset(folder / ".errlint.yaml")
    assert config.error_bodies is not None and config.error_bodies.name == "acme"
    assert [body.component for body in config.error_bodies.bodies] == ["Missing", "AcmeError"]
    assert config.error_bodies.body_for("400") is config.error_bodies.bodies[1]


def test_commercelayer_overrides_the_jsonapi_error_document() -> None:
    def items_required(ruleset: str) -> list[str]:
        bodies = load_ruleset(registry.ruleset(ruleset)).error_bodies  # type: ignore[arg-type]
        assert bodies is not None and bodies.name == "jsonapi"
        return bodies.body("422").schema["properties"]["errors"]["items"]["required"]

    assert items_required("jsonapi") == []
    assert items_required("commercelayer") == ["title", "detail", "code", "status"]
    # the rules read the JSON:API ruleset's own declaration, with their options on top
    assert declared("jsonapi").body("422").schema["properties"]["errors"]["items"]["required"] == []


TAILORED = """\
extends: {ruleset}
policies:
  things-fail-clearly:
    require: ["404"]
rules:
  {rule}: {{options: {options}}}
"""


@pytest.mark.parametrize(
    ("ruleset", "rule", "options", "component", "expected"),
    [
        (
            "problem-details",
            "problem-details-shape",
            "{members: [title, status, code], require-in-schema: true}",
            "Problem",
            {
                "type": "object",
                "required": ["title", "status", "code"],
                "properties": {
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "code": {"type": "string"},
                },
            },
        ),
        (
            "commercelayer",
            "jsonapi-error-example",
            "{required-members: [id, title]}",
            "JsonApiErrors",
            ["title", "detail", "code", "status", "id"],
        ),
    ],
)
def test_fix_adapts_the_declared_body_to_the_options_of_the_rules_that_check_it(
    tmp_path: Path, ruleset: str, rule: str, options: str, component: str, expected: object
) -> None:
    config = TAILORED.format(ruleset=ruleset, rule=rule, options=options)
    folder = project(tmp_path, config)
    assert run_cli("fix", "api.yaml", cwd=folder).returncode == 0
    schema = yaml.safe_load((folder / "api.yaml").read_text(encoding="utf-8"))["components"]["schemas"][
        component
    ]
    if isinstance(expected, list):
        schema = schema["properties"]["errors"]["items"]["required"]
    assert schema == expected
    done = run_cli("lint", "api.yaml", "--format", "json", cwd=folder)
    assert rule not in done.stdout


def test_a_status_no_body_covers_gets_the_spec_s_prevailing_error_body(tmp_path: Path) -> None:
    folder = project(tmp_path, CONFIG.replace("[4XX, 5XX, default]", "[4XX]"))
    assert run_cli("fix", "api.yaml", cwd=folder).returncode == 0
    spec = yaml.safe_load((folder / "api.yaml").read_text(encoding="utf-8"))
    # no error response of the spec refers to a named schema: only a description
    assert spec["components"]["responses"]["ServiceUnavailable"] == {"description": "Service Unavailable"}


def test_saleslayer_binds_the_status_member_of_401_examples() -> None:
    problem = declared("saleslayer").body("401")
    assert problem.status_member == "status"
    assert problem.example_schema("401")["properties"]["status"] == {"type": "integer", "const": 401}
    assert problem.example_schema("4XX") is problem.schema
    assert "const" not in problem.schema["properties"]["status"]


BODY = "error-bodies:\n  bodies:\n    - statuses: [4XX]\n      schema: {type: object}\n      component: E\n      label: E\n"
BAD = [
    ("error-bodies: [a]\n", "1:1: error-bodies must be a mapping (use name, bodies)"),
    ("error-bodies: {bodys: []}\n", '1:16: unknown key "bodys" in error-bodies (use name, bodies)'),
    ("error-bodies: {name: x}\n", "1:1: error-bodies needs bodies, a list"),
    (
        BODY.replace("[4XX]", "[4O4]"),
        '3:18: "4O4" is not a status (a code 100-599, a range such as 4XX, or default)',
    ),
    (BODY.replace("      label: E\n", ""), "3:7: body needs label (it has statuses, schema, component)"),
    (
        BODY.replace("{type: object}", "{$ref: nowhere.yaml#/E}"),
        '4:7: $ref "nowhere.yaml#/E": cannot read nowhere.yaml',
    ),
    (BODY.replace("component: E", "component: a b"), "5:7: component must be a schema name such as Problem"),
    (BODY.replace("component: E", "component: null"), "5:7: component must be a schema name such as Problem"),
    (
        BODY + "      examples: {status: status}\n",
        '7:18: unknown key "status" in examples (use check, status-member)',
    ),
    (
        BODY + "      media-types: [application/json, json]\n",
        "7:7: media types look like application/problem+json",
    ),
    (BODY + "      colour: red\n", '7:7: unknown key "colour" in body (use statuses, media-types, schema'),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[message for _, message in BAD])
def test_error_bodies_mistakes_stop_the_run_at_their_place(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    config = tmp_path / ".errlint.yaml"
    config.write_text(text, encoding="utf-8")
    for command in ("lint", "fix"):
        done = run_cli(command, "api.yaml", cwd=tmp_path)
        assert done.returncode == 2, done.stdout
        assert done.stderr.startswith(f"errlint: {config}:{message}"), done.stderr
