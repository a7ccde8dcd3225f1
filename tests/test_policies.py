"""Policies: a team's error conventions as data (``policies:`` in config and ruleset files),
run as first-class rules by lint, every report format, rules/explain, coverage and fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import config_mistake, lint_project, run_cli

CONFIG = """\
policies:
  legacy-delete-410:
    description: Deletes of legacy resources answer 410 once the resource is gone.
    severity: error
    scope: {paths: ["/legacy/**"], methods: [delete]}
    require: ["410"]
    why: Clients stop retrying a delete that answers 410.
    reference: [https://www.rfc-editor.org/rfc/rfc9110#name-410-gone]
  no-teapot:
    severity: warning
    forbid: ["418"]
  problem-bodies:
    description: Client errors are problem details.
    body:
      statuses: ["4XX"]
      media-types: [application/problem+json]
      schema: {$ref: "schemas/problem.yaml#/Problem"}
      component: Problem
"""
PROBLEM = """\
Problem:
  type: object
  required: [type, title, status]
  properties:
    type: {type: string}
    title: {type: string}
    status: {type: integer}
"""
SPEC = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /legacy/things/{id}:
    delete:
      responses:
        "204": {description: gone}
        "404":
          description: not found
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Error"}
              example: {title: Not found, status: "404"}
  /pots:
    get:
      responses:
        "200": {description: ok}
        "400":
          description: bad
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "418":
          description: teapot
          content:
            application/problem+json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Error"
                  - {required: [type, status], properties: {type: {type: string}, status: {type: integer}}}
components:
  schemas:
    Error:
      type: object
      required: [title]
      properties:
        title: {type: string}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "schemas").mkdir()
    (tmp_path / ".errlint.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "schemas" / "problem.yaml").write_text(PROBLEM, encoding="utf-8")
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def findings(project: Path, *args: str) -> list[tuple[int, int, str, str]]:
    done = run_cli("lint", "--format", "json", *args, "api.yaml", cwd=project)
    assert done.returncode in (0, 1), done.stderr
    return [
        (f["line"], f["column"], f["rule"], f["message"])
        for f in json.loads(done.stdout)["findings"]
        if f["rule"] in ("legacy-delete-410", "no-teapot", "problem-bodies")
    ]


def test_policies_report_with_their_ids_positions_and_reasons(project: Path) -> None:
    assert findings(project) == [
        (
            6,
            7,
            "legacy-delete-410",
            "DELETE /legacy/things/{id} does not declare a 410 response:"
            " Deletes of legacy resources answer 410 once the resource is gone.",
        ),
        (
            13,
            15,
            "problem-bodies",
            "404 application/problem+json example does not match the policy problem-bodies schema:"
            ' the body: "type" is a required property; status: "404" is not of type "integer"',
        ),
        (18, 9, "problem-bodies", "400 response is served as application/json, not application/problem+json:"
         " Client errors are problem details."),
        (23, 9, "no-teapot", "GET /pots declares 418"),
        # the 404 uses Error as is (line 33); the 418 adds type and status through allOf
        (33, 5, "problem-bodies", "status is not declared (policy problem-bodies requires it)"),
        (33, 5, "problem-bodies", "type is not declared (policy problem-bodies requires it)"),
    ]  # fmt: skip


def test_severity_overrides_and_ignores_apply_to_policies(project: Path) -> None:
    config = project / ".errlint.yaml"
    config.write_text(
        CONFIG
        + "rules:\n  no-teapot: error\n  problem-bodies: off\n"
        + "overrides:\n  - paths: ['/legacy/**']\n    rules: {legacy-delete-410: warning}\n",
        encoding="utf-8",
    )
    done = run_cli("lint", "--format", "json", "api.yaml", cwd=project)
    got = {(f["rule"], f["severity"]) for f in json.loads(done.stdout)["findings"]}
    assert ("no-teapot", "error") in got and ("legacy-delete-410", "warning") in got
    assert not any(rule == "problem-bodies" for rule, _ in got)
    spec = project / "api.yaml"
    spec.write_text(SPEC.replace("    delete:\n", "    delete:\n      x-errlint-ignore: [legacy-delete-410]\n"))
    assert not [f for f in findings(project) if f[2] == "legacy-delete-410"]


def test_sarif_describes_a_policy_like_a_rule(project: Path) -> None:
    done = run_cli("lint", "--format", "sarif", "api.yaml", cwd=project)
    rules = {rule["id"]: rule for rule in json.loads(done.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    legacy = rules["legacy-delete-410"]
    assert legacy["shortDescription"]["text"] == "Deletes of legacy resources answer 410 once the resource is gone."
    assert legacy["fullDescription"]["text"] == (
        "Clients stop retrying a delete that answers 410. See https://www.rfc-editor.org/rfc/rfc9110#name-410-gone."
    )
    assert legacy["defaultConfiguration"]["level"] == "error"
    assert rules["no-teapot"]["defaultConfiguration"]["level"] == "warning"


@pytest.mark.parametrize("fmt", ["github", "junit", "markdown"])
def test_ci_formats_name_the_policy(project: Path, fmt: str) -> None:
    done = run_cli("lint", "--format", fmt, "api.yaml", cwd=project)
    assert "legacy-delete-410" in done.stdout and "no-teapot" in done.stdout


def test_baselines_keep_policy_findings(project: Path) -> None:
    done = run_cli("baseline", "api.yaml", "-o", "base.json", cwd=project)
    assert done.returncode == 0, done.stderr
    recorded = {entry["rule"] for entry in json.loads((project / "base.json").read_text())["findings"]}
    assert {"legacy-delete-410", "no-teapot", "problem-bodies"} <= recorded
    done = run_cli("lint", "--baseline", "base.json", "--format", "json", "api.yaml", cwd=project)
    assert done.returncode == 0 and json.loads(done.stdout)["findings"] == []


def test_rules_and_explain_show_the_policies_of_the_config_in_effect(project: Path) -> None:
    listed = json.loads(run_cli("rules", "--format", "json", cwd=project).stdout)
    row = next(row for row in listed if row["id"] == "no-teapot")
    assert row == {"id": "no-teapot", "severity": "warning", "summary": "forbids 418", "policy": True}
    page = run_cli("explain", "legacy-delete-410", cwd=project).stdout
    assert page.startswith("# legacy-delete-410\n\nDefault severity: **error**\n")
    assert "Why: Clients stop retrying a delete that answers 410." in page
    elsewhere = run_cli("explain", "legacy-delete-410", "--config", str(project / ".errlint.yaml"))
    assert elsewhere.stdout == page


def test_coverage_shows_required_and_forbidden_policy_codes(project: Path) -> None:
    done = run_cli("coverage", "--format", "json", "api.yaml", cwd=project)
    columns = {c["status"]: c for c in json.loads(done.stdout)["columns"]}
    assert (columns["410"]["required"], columns["410"]["missing"]) == (1, 1)
    assert columns["418"]["forbidden"] == 1
    rows = run_cli("coverage", "api.yaml", cwd=project).stdout.splitlines()
    assert "                               400 404 410 418 |   req   ok miss forb   cov" in rows
    assert "  DELETE /legacy/things/{id}         o   X   - |     1    0    1    0    0%" in rows
    assert "  GET /pots                      o           ! |     0    0    0    1   n/a" in rows


def test_fix_adds_required_codes_with_the_policy_schema(project: Path) -> None:
    done = run_cli("fix", "api.yaml", cwd=project)
    assert done.returncode == 0, done.stderr
    text = (project / "api.yaml").read_text()
    assert '        "410":\n          $ref: "#/components/responses/Gone"\n' in text
    assert "    Problem:\n      type: object\n      required:\n        - type\n" in text
    assert "application/problem+json:\n          schema:\n            $ref: \"#/components/schemas/Problem\"" in text
    again = [f for f in findings(project) if f[2] == "legacy-delete-410"]
    assert again == []


CONDITIONS = """\
policies:
  writes-422:
    scope: {request-body: true}
    require: [422]
  items-404:
    scope: {item-path: true, methods: [get]}
    require: [404]
  secured-401:
    scope: {secured: true}
    require: [401]
  well-known:
    only: [400, 401, 404, 422, 5XX]
"""
CONDITIONS_SPEC = """\
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{key: []}]
paths:
  /pets:
    post:
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        "201": {description: created}
        "401": {description: no}
        "402": {description: pay}
    get:
      security: []
      responses:
        "200": {description: ok}
        "503": {description: later}
  /pets/{id}:
    get:
      responses:
        "200": {description: ok}
        "401": {description: no}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
"""


def test_conditions_and_allow_lists(tmp_path: Path) -> None:
    (tmp_path / ".errlint.yaml").write_text(CONDITIONS, encoding="utf-8")
    (tmp_path / "api.yaml").write_text(CONDITIONS_SPEC, encoding="utf-8")
    done = run_cli("lint", "--format", "json", "api.yaml", cwd=tmp_path)
    got = [
        (f["line"], f["rule"], f["message"])
        for f in json.loads(done.stdout)["findings"]
        if f["rule"] in ("writes-422", "items-404", "secured-401", "well-known")
    ]
    assert got == [
        (8, "writes-422", "POST /pets does not declare a 422 response"),
        (11, "well-known", "POST /pets declares 402, which is not among the allowed codes (400, 401, 404, 422, 5XX)"),
        (19, "items-404", "GET /pets/{id} does not declare a 404 response"),
    ]


WHEN = """\
policies:
  inputs-400:
    description: Input can be bad.
    require: [400]
    when:
      - {query-parameters: true, message: "query parameters ({query-parameters}) can be malformed"}
      - {request-body: true, methods: [post, put], message: "the body of a {post} can be invalid"}
      - {path-parameter: true}
rules:
  inputs-400:
    scope: {methods: [get, post]}
"""
WHEN_SPEC = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: q, in: query, schema: {type: string}}
      responses:
        "200": {description: ok}
    post:
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        "201": {description: created}
    delete:
      responses:
        "204": {description: gone}
  /pets/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok}
    delete:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: gone}
"""


def test_when_alternatives_give_per_operation_reasons_and_survive_a_scope_override(tmp_path: Path) -> None:
    got = [(line, column, message) for line, column, _, message in lint_project(tmp_path, WHEN, WHEN_SPEC, ("inputs-400",))]
    # the first alternative that holds gives the reason; {post} names no condition, so it
    # stays as written; the scope override drops both DELETEs but keeps `when`
    assert got == [
        (9, 7, "GET /pets does not declare a 400 response: query parameters (limit, q) can be malformed"),
        (13, 7, "POST /pets does not declare a 400 response: the body of a {post} can be invalid"),
        (21, 7, "GET /pets/{id} does not declare a 400 response: Input can be bad."),
    ]
    coverage = run_cli("coverage", "--format", "json", "api.yaml", cwd=tmp_path)
    assert "query parameters (limit, q) can be malformed" in coverage.stdout
    explained = run_cli("explain", "inputs-400", cwd=tmp_path).stdout
    assert (
        "Checks: requires 400 (when: query-parameters true; or request-body true, methods [post, put];"
        " or path-parameter true)." in explained
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("policies:\n  p:\n    requires: [410]\n", "3:5: unknown key \"requires\" in policy \"p\" (use description,"),
        ("policies:\n  p:\n    require: [400, 41O]\n", "3:20: \"41O\" is not a status (a code 100-599"),
        ("policies:\n  p:\n    forbid: [600]\n", "3:14: 600 is not a status"),
        ("policies:\n  p:\n    body: {statuses: [4XX, nope]}\n", "3:28: \"nope\" is not a status"),
        ("policies:\n  p:\n    scope: {pathz: [/x]}\n    require: [400]\n", "3:5: unknown scope key \"pathz\""),
        ("policies:\n  p:\n    scope: {secured: maybe}\n    require: [400]\n", "3:5: scope key \"secured\" must be true or false"),
        ("policies:\n  ref-cycle:\n    require: [400]\n", "2:3: policy id \"ref-cycle\" is already a rule id"),
        ("policies:\n  Bad_Id:\n    require: [400]\n", "2:3: policy id \"Bad_Id\" must be kebab-case"),
        ("policies:\n  p:\n    description: d\n", "2:3: policy \"p\" checks nothing"),
        ("policies:\n  p:\n    severity: fatal\n    require: [400]\n", "3:5: severity must be error, warning or info"),
        ("policies:\n  p:\n    body: {statuses: [4XX], schema: {$ref: none.yaml#/X}}\n", "3:29: $ref \"none.yaml#/X\": cannot read none.yaml"),
        ("policies:\n  p:\n    body: {statuses: [4XX], colour: red}\n", "3:29: unknown key \"colour\" in body"),
        ("policies:\n  p:\n    require: []\n", "2:3: policy \"p\" checks nothing"),
        ("policies:\n  p:\n    require: [400, 404]\n    forbid: [404]\n", "4:5: policy \"p\" both requires and forbids 404"),
        ("policies:\n  p:\n    require: [404, 418, 503]\n    only: [404, 5XX]\n", "4:5: policy \"p\" requires 418, which its only does not allow"),
        ("policies:\n  p:\n    body: {statuses: [4XX], schema: {$ref: /dev/null}}\n", "3:29: $ref \"/dev/null\": null is not a regular file"),
        ("policies:\n  p:\n    body: {statuses: [4XX], schema: {type: 5}}\n", "3:29: not a valid JSON Schema: type: 5 is not valid"),
        ("policies:\n  p:\n    body: {statuses: [4XX], schema: {properties: {a: {pattern: '(['}}}}\n", "3:29: not a valid JSON Schema: "),  # where: jsonschema-rs 0.52 names no path
        ("error-bodies:\n  bodies:\n    - {statuses: [4XX], component: E, label: e, schema: {required: 7}}\n", "3:49: not a valid JSON Schema: required: 7 is not of type \"array\""),
        ("rules:\n  p: warning\n", "2:3: unknown rule \"p\""),
        ("policies:\n  p:\n    require: [400]\n    when: {query-params: true}\n", "4:12: unknown condition \"query-params\" (known: "),
        ("policies:\n  p:\n    require: [400]\n    when: {secured: maybe}\n", "4:12: scope key \"secured\" must be true or false"),
        ("policies:\n  p:\n    require: [400]\n    when: [{methods: get}, {methods: []}]\n", "4:29: methods must be a method name"),
        ("policies:\n  p:\n    require: [400]\n    when: [{secured: true, message: [x]}]\n", "4:28: message must be text"),
        ("policies:\n  p:\n    require: [400]\n    when: [secured]\n", "4:12: each when entry is a mapping"),
        ("policies:\n  p:\n    require: [400]\n    when: []\n", "4:5: when must be a mapping of conditions"),
        ("policies:\n  p:\n    require: [400]\n    when: [{methods: delete, message: \"qp {query-parameters}\"}]\n", "4:30: {query-parameters} names no describing condition of this entry (it has: none)"),
        ("policies:\n  p:\n    require: [400]\n    when: {methods: [get, gett]}\n", "4:12: \"gett\" is not a method (use get, put,"),
        ("policies:\n  p:\n    require: [400]\n    scope: {methods: [DELET]}\n", "4:5: \"DELET\" is not a method (use get, put,"),
    ],
)  # fmt: skip
def test_policy_mistakes_stop_the_run_with_a_position(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / ".errlint.yaml"
    config.write_text(text, encoding="utf-8")
    (tmp_path / "api.yaml").write_text(CONDITIONS_SPEC, encoding="utf-8")
    done = run_cli("lint", "api.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"errlint: {config}:{message}"), done.stderr
    assert "Traceback" not in done.stderr


def test_a_policy_defined_twice_differently_is_a_clash(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("policies:\n  p:\n    require: [400]\n", encoding="utf-8")
    config = tmp_path / ".errlint.yaml"
    config.write_text("extends: [recommended, base.yaml]\npolicies:\n  p:\n    require: [404]\n", encoding="utf-8")
    (tmp_path / "api.yaml").write_text(CONDITIONS_SPEC, encoding="utf-8")
    done = run_cli("lint", "api.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"errlint: {config}:3:3: policy \"p\" is already defined at {tmp_path / 'base.yaml'}:2:3")


@pytest.mark.parametrize("extends", ["[mine.yaml]", "[mine.yaml, saleslayer]"])
def test_a_config_cannot_redefine_a_builtin_policy(tmp_path: Path, extends: str) -> None:
    # `rules: {saleslayer-500-declared: ...}` names the built-in policy without extending its
    # ruleset, so a config's own, different policy under that id is a clash, whatever else it
    # extends: reported in the config, never in the installed ruleset
    mine = tmp_path / "mine.yaml"
    mine.write_text("policies:\n  saleslayer-500-declared:\n    require: [500]\n", encoding="utf-8")
    assert config_mistake(tmp_path, CONDITIONS_SPEC, f"extends: {extends}\n") == (
        f"errlint: {mine}:2:3: policy id \"saleslayer-500-declared\" is a policy of the built-in ruleset"
        " saleslayer (change its severity, options or scope under rules:, or choose another id)\n"
    )


def test_headers_and_oneof_bodies(tmp_path: Path) -> None:
    (tmp_path / ".errlint.yaml").write_text(
        "policies:\n  error-shape:\n    body:\n      statuses: [default]\n      headers: [x-ms-error-code]\n"
        "      schema: {type: object, required: [error], properties: {error: {type: object, required: [code]}}}\n",
        encoding="utf-8",
    )
    (tmp_path / "api.yaml").write_text(
        'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n'
        "        default:\n          description: error\n          content:\n            application/json:\n"
        "              schema:\n                oneOf:\n"
        "                  - {type: object, required: [error], properties: {error: {type: object, required: [code], properties: {code: {type: string}}}}}\n"
        "                  - {type: object, properties: {message: {type: string}}}\n",
        encoding="utf-8",
    )
    done = run_cli("lint", "--format", "json", "api.yaml", cwd=tmp_path)
    got = [(f["line"], f["message"]) for f in json.loads(done.stdout)["findings"] if f["rule"] == "error-shape"]
    assert got == [
        (7, "default response does not declare the x-ms-error-code header"),
        (14, "error is not declared (policy error-shape requires it)"),
    ]


REUSE_CONFIG = """\
policies:
  problem-bodies:
    require: ["404"]
    body:
      statuses: ["4XX"]
      media-types: [application/problem+json]
      component: Problem
      schema: {type: object, required: [title], properties: {title: {type: string}}}
"""


@pytest.mark.parametrize(
    ("problem", "used"),
    [
        ("{type: string}", "Problem2"),  # the spec's own Problem has another shape: left alone
        ("{type: object, required: [title], properties: {title: {type: string}, code: {type: integer}}}", "Problem"),
        ('{$ref: "missing.yaml#/Problem"}', "Problem2"),  # resolves to nothing: no shape to reuse
    ],
)
def test_fix_reuses_a_same_named_schema_only_when_it_has_the_policy_shape(
    tmp_path: Path, problem: str, used: str
) -> None:
    spec = (
        'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /pets:\n    get:\n'
        '      responses:\n        "200": {description: ok}\n'
        f"components:\n  schemas:\n    Problem: {problem}\n"
    )
    (tmp_path / ".errlint.yaml").write_text(REUSE_CONFIG, encoding="utf-8")
    (tmp_path / "api.yaml").write_text(spec, encoding="utf-8")
    assert run_cli("fix", "api.yaml", cwd=tmp_path).returncode == 0
    fixed = (tmp_path / "api.yaml").read_text(encoding="utf-8")
    assert f"    Problem: {problem}\n" in fixed  # never rewritten
    assert f'$ref: "#/components/schemas/{used}"' in fixed
    assert ("Problem2:" in fixed) == (used == "Problem2")
    assert lint_project(tmp_path, REUSE_CONFIG, fixed, ("problem-bodies",)) == []


def test_fix_reads_a_components_file_the_spec_does_not_refer_to_yet(tmp_path: Path) -> None:
    spec = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /pets:\n    get:\n      responses:\n        "200": {description: ok}\n'
    (tmp_path / ".errlint.yaml").write_text(REUSE_CONFIG, encoding="utf-8")
    (tmp_path / "api.yaml").write_text(spec, encoding="utf-8")
    (tmp_path / "shared.yaml").write_text("components:\n  schemas:\n    Problem: {type: string}\n", encoding="utf-8")
    assert run_cli("fix", "api.yaml", "--components-file", "shared.yaml", cwd=tmp_path).returncode == 0
    shared = (tmp_path / "shared.yaml").read_text(encoding="utf-8")
    assert shared.startswith("components:\n  schemas:\n    Problem: {type: string}\n    Problem2:\n")
    assert "$ref: '#/components/schemas/Problem2'" in shared
    done = run_cli("lint", "--format", "json", "api.yaml", cwd=tmp_path)
    assert [f["rule"] for f in json.loads(done.stdout)["findings"] if f["rule"] == "problem-bodies"] == []


def test_a_body_schema_with_a_bad_pattern_is_refused_when_the_config_loads(tmp_path: Path) -> None:
    config = tmp_path / ".errlint.yaml"
    config.write_text("policies:\n  p:\n    body: {statuses: [4XX], schema: {properties: {a: {pattern: '(['}}}}\n")
    (tmp_path / "api.yaml").write_text(CONDITIONS_SPEC, encoding="utf-8")
    done = run_cli("lint", "api.yaml", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    # the member's path is named where jsonschema-rs gives it (newer releases do)
    assert re.fullmatch(
        rf'errlint: {re.escape(str(config))}:3:29: not a valid JSON Schema: (properties/a/pattern|the schema): "\(\[" is not a "regex"\n',
        done.stderr,
    ), done.stderr
