"""The status codes of the ``jsonapi`` and ``commercelayer`` rulesets are policies (data): what
they find where, how a ruleset's ``scope`` override leaves their ``when:`` alone, the Commerce
Layer ``secured-when-undeclared`` condition and its option, and their ids in configs that do
not extend their ruleset."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter import registry
from linter.api import LintOptions, load_spec
from linter.check.config import load_config_file
from linter.check.engine import Engine
from linter.check.ruleset import load_ruleset

JSONAPI_STATUS = ("jsonapi-406-declared", "jsonapi-415-declared", "jsonapi-415-needless")
COMMERCELAYER_STATUS = tuple(
    f"commercelayer-{code}-declared"
    for code in ("401", "404", "422", "400", "409", "423", "429", "500", "201", "204", "200")
)

#: no JSON:API media type anywhere: the jsonapi ruleset leaves it alone, commercelayer does not
PLAIN = """\
openapi: 3.0.3
info: {title: Plain, version: "1"}
security: []
paths:
  /skus:
    get:
      responses:
        "200": {description: The SKUs}
        "415": {description: Unsupported}
    post:
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        "201": {description: Created}
"""


def _lint(tmp_path: Path, spec: str, config: str | None = None, ruleset: str | None = None) -> list[str]:
    path = tmp_path / "api.yaml"
    path.write_text(spec, encoding="utf-8")
    if config is not None:
        (tmp_path / ".errlint.yaml").write_text(config, encoding="utf-8")
        loaded = load_config_file(tmp_path / ".errlint.yaml")
    else:
        path_of = registry.ruleset(ruleset or "recommended")
        assert path_of is not None
        loaded = load_ruleset(path_of)
    findings = Engine(loaded, raise_errors=True).run(load_spec(path, "api.yaml", LintOptions())).findings
    return [
        f"{f.location.line}:{f.location.column} {f.rule} {f.severity.label}: {f.message}" for f in findings
    ]


def test_the_status_codes_are_policies_of_their_rulesets_not_python_rules() -> None:
    jsonapi = load_ruleset(registry.ruleset("jsonapi"))
    commercelayer = load_ruleset(registry.ruleset("commercelayer"))
    assert set(JSONAPI_STATUS) <= set(jsonapi.policies)
    assert set(JSONAPI_STATUS + COMMERCELAYER_STATUS) <= set(commercelayer.policies)
    assert not set(COMMERCELAYER_STATUS) & set(jsonapi.rules)
    for rule_id in JSONAPI_STATUS + COMMERCELAYER_STATUS:
        assert registry.find_rule(rule_id) is None, rule_id
    severities = {rule_id: s.severity.label for rule_id, s in commercelayer.enabled_rules().items()}
    assert severities["commercelayer-429-declared"] == "error"  # the ruleset raises the policy's warning
    assert commercelayer.policies["commercelayer-429-declared"].default_severity.label == "warning"
    assert severities["jsonapi-415-needless"] == "info"


def test_the_commercelayer_scope_override_widens_the_scope_and_keeps_when(tmp_path: Path) -> None:
    assert not [line for line in _lint(tmp_path, PLAIN, ruleset="jsonapi") if " jsonapi-4" in line]
    found = [line for line in _lint(tmp_path, PLAIN, ruleset="commercelayer") if " jsonapi-4" in line]
    assert found == [
        "7:7 jsonapi-406-declared error: GET /skus does not declare a 406 response:"
        " JSON:API servers answer 406 when Accept is not application/vnd.api+json",
        "9:9 jsonapi-415-needless info: GET /skus declares 415:"
        " the operation takes no request body, so it cannot get 415",
        "12:7 jsonapi-406-declared error: POST /skus does not declare a 406 response:"
        " JSON:API servers answer 406 when Accept is not application/vnd.api+json",
        "12:7 jsonapi-415-declared error: POST /skus does not declare a 415 response:"
        " a request body whose Content-Type is not application/vnd.api+json is refused with 415",
    ]


UNDECLARED = """\
openapi: 3.0.3
info: {title: Core, version: "1"}
paths:
  /skus:
    get:
      responses:
        "200": {description: The SKUs}
    post:
      security: [{bearerAuth: []}]
      responses:
        "201": {description: Created}
  /public:
    get:
      security: []
      responses:
        "200": {description: Public}
"""


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (
            "",
            [
                "6:7 commercelayer-401-declared error: GET /skus does not declare a 401 response:"
                " no security is declared, and every Commerce Layer call needs an access token",
                "10:7 commercelayer-401-declared error: POST /skus does not declare a 401 response:"
                " the operation needs an access token",
            ],
        ),
        (
            "\n    options: {secured-when-undeclared: false}",
            [
                "10:7 commercelayer-401-declared error: POST /skus does not declare a 401 response:"
                " the operation needs an access token",
            ],
        ),
    ],
)
def test_secured_when_undeclared_and_its_option(tmp_path: Path, option: str, expected: list[str]) -> None:
    config = f"extends: commercelayer\nrules:\n  commercelayer-401-declared:\n    severity: error{option}\n"
    found = [line for line in _lint(tmp_path, UNDECLARED, config) if "-401-" in line]
    assert found == expected


def test_a_config_policy_may_use_the_commercelayer_condition_and_tune_its_option(tmp_path: Path) -> None:
    config = """\
policies:
  token-429:
    description: Token-bearing calls are rate limited.
    when: {secured-when-undeclared: true}
    require: ["429"]
rules:
  token-429:
    options: {secured-when-undeclared: true, allow-ranges: true}
"""
    assert [line for line in _lint(tmp_path, UNDECLARED, config) if "token-429" in line] == [
        "6:7 token-429 error: GET /skus does not declare a 429 response: Token-bearing calls are rate limited.",
    ]
    rule = load_config_file(tmp_path / ".errlint.yaml").policies["token-429"]
    assert rule.make_options({"secured-when-undeclared": False}).secured_when_undeclared is False


def test_the_conditions_group_names_the_commercelayer_condition() -> None:
    found = registry.condition("secured-when-undeclared")
    assert found is not None and found.key == "secured-when-undeclared"
    assert found.test.__module__ == "linter.vendors.commercelayer"
    assert "secured-when-undeclared" in registry.condition_keys()


def test_a_config_names_the_policies_without_extending_their_ruleset(tmp_path: Path) -> None:
    """As when they were Python rules: enabled and tuned by id from any config, and known to
    x-errlint-ignore."""
    config = """\
rules:
  commercelayer-400-declared: warning
  jsonapi-406-declared: {scope: {}}
"""
    spec = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /skus:
    get:
      x-errlint-ignore: [commercelayer-409-declared]
      parameters:
        - {name: include, in: query, schema: {type: string}}
      responses:
        "200": {description: ok}
        "404": {description: Not found, content: {application/json: {schema: {type: object}}}}
"""
    assert _lint(tmp_path, spec, config) == [
        "9:7 commercelayer-400-declared warning: GET /skus does not declare a 400 response:"
        " query parameters (include) can be unsupported or malformed",
        "9:7 jsonapi-406-declared error: GET /skus does not declare a 406 response:"
        " JSON:API servers answer 406 when Accept is not application/vnd.api+json",
    ]
    assert set(load_config_file(tmp_path / ".errlint.yaml").policies) == {
        "commercelayer-400-declared",
        "jsonapi-406-declared",
    }


def test_explain_lists_what_a_policy_checks_with_its_conditions() -> None:
    from linter.rules.docs import builtin_policies

    policies = builtin_policies()
    checks = {
        rule_id: next(
            line for line in policies[rule_id].documentation().splitlines() if line.startswith("Checks:")
        )
        for rule_id in ("jsonapi-415-declared", "commercelayer-200-declared", "commercelayer-400-declared")
    }
    assert checks == {
        "jsonapi-415-declared": "Checks: requires 415 (scope: jsonapi true) (when: request-body true).",
        "commercelayer-200-declared": "Checks: requires 200 (when: methods get; or methods patch, item-path true).",
        "commercelayer-400-declared": "Checks: requires 400 (when: query-parameters true; or request-body true).",
    }


def test_a_commercelayer_lint_reads_no_installed_distribution() -> None:
    """The policies' generic conditions (request-body, methods, secured) and the built-in
    ``secured-when-undeclared`` are found without scanning the installed distributions for
    plugins, as the Python rules they replace were."""
    import json
    import subprocess
    import sys

    from helpers import FIXTURES

    spec = FIXTURES / "specs" / "commercelayer" / "compliant.yaml"
    code = (
        "import sys\n"
        "from linter.cli.main import main\n"
        "try:\n"
        f"    main(['lint', '--ruleset', 'commercelayer', {str(spec)!r}, '-q', '--jobs', '1'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(['importlib.metadata' in sys.modules, 'linter.vendors.commercelayer' in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [False, True]
