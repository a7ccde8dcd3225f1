"""No silent green runs, no silent overwrites: every run that checks nothing, or cannot do
what was asked, says so on one stderr line and exits 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, errlint_command, read_terminal, run_cli

PETSTORE = FIXTURES.parent / "examples" / "petstore.yaml"
SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200": {description: OK}
        "404": {$ref: "common.yaml#/NotFund"}
"""


def test_a_folder_without_specs_exits_2_unless_only_openapi(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "workflow.yaml").write_text("on: push\n", encoding="utf-8")
    done = run_cli("lint", "empty/", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "errlint: empty/: no OpenAPI document found (no .yaml, .yml or .json file with an openapi or swagger key)\n"
    )
    hook = run_cli("lint", "--only-openapi", "empty/", cwd=tmp_path)
    assert (hook.returncode, hook.stderr) == (0, "")


def test_coverage_and_fix_without_status_expectations_say_why(tmp_path: Path) -> None:
    hint = (
        "errlint: no active rule requires or forbids a status code, so there are no status expectations: "
        "choose a ruleset that sets them with --ruleset (azure, commercelayer, jsonapi, saleslayer, zalando)\n"
    )
    done = run_cli("coverage", str(PETSTORE), "--fail-under", "50")
    assert done.returncode == 2
    assert done.stderr == hint + "errlint: --fail-under has nothing to measure\n"
    plain = run_cli("coverage", str(PETSTORE))
    assert (plain.returncode, plain.stderr) == (0, hint)
    fix = run_cli("fix", str(PETSTORE), "--dry-run")
    assert fix.returncode == 0
    assert fix.stderr == "errlint: would make 0 changes in 0 files\nerrlint: nothing to add: " + hint[len("errlint: ") :]


def test_two_reports_to_one_file_exit_2_before_linting(tmp_path: Path) -> None:
    done = run_cli("lint", str(PETSTORE), "--format", "sarif:a.out", "--format", "json:./a.out", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "errlint: --format sarif:a.out and --format json:a.out write the same file; give each report its own file\n"
    )
    assert not (tmp_path / "a.out").exists()


def test_did_you_mean_for_rule_ids_and_ruleset_names() -> None:
    explain = run_cli("explain", "saleslayer-403-forbiden")
    assert (explain.returncode, explain.stderr) == (
        2,
        "errlint: unknown rule \"saleslayer-403-forbiden\" (did you mean \"saleslayer-403-forbidden\"?) "
        "(see 'errlint rules')\n",
    )
    ruleset = run_cli("lint", str(PETSTORE), "--ruleset", "salelayer")
    assert ruleset.returncode == 2
    assert ruleset.stderr.startswith("errlint: ruleset \"salelayer\" (did you mean \"saleslayer\"?) is neither")


def test_a_config_with_several_mistakes_reports_all_of_them(tmp_path: Path) -> None:
    (tmp_path / "cfg.yaml").write_text(
        "rulez: {}\nroots: [api]\nrules:\n  operation-4xx-declard: warning\n"
        "  error-response-content: {severty: warning}\n  response-example-valid: loud\n",
        encoding="utf-8",
    )
    done = run_cli("lint", str(PETSTORE), "--config", "cfg.yaml", cwd=tmp_path)
    assert done.returncode == 2
    keys = "(use extends, policies, error-bodies, rules, overrides, description)"
    assert done.stderr.splitlines() == [
        f"errlint: cfg.yaml:2:1: unknown key \"roots\" {keys}",
        f"errlint: cfg.yaml:1:1: unknown key \"rulez\" (did you mean \"rules\"?) {keys}",
        "errlint: cfg.yaml:4:3: unknown rule \"operation-4xx-declard\" (did you mean \"operation-4xx-declared\"?) "
        "(see 'errlint rules')",
        "errlint: cfg.yaml:5:3: unknown key \"severty\" for rule \"error-response-content\" "
        '(did you mean "severity"?) (use severity, options, scope)',
        "errlint: cfg.yaml:6:3: severity must be off, info, warning or error, got \"loud\"",
    ]


def test_a_spec_on_standard_input(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text("NotFound: {description: Missing}\n", encoding="utf-8")
    done = run_cli("lint", "-", "--format", "json", cwd=tmp_path, input_text=SPEC)
    assert done.returncode == 1, done.stderr
    (finding,) = json.loads(done.stdout)["findings"]
    assert (finding["file"], finding["line"], finding["column"], finding["rule"]) == (
        "<stdin>",
        8,
        17,
        "ref-unresolved",
    )
    assert finding["message"] == "$ref \"common.yaml#/NotFund\": /NotFund not found in common.yaml"
    named = run_cli("lint", "-", "--stdin-filename", "api.yaml", "-q", cwd=tmp_path, input_text=SPEC)
    assert named.stdout.splitlines()[0] == "api.yaml"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_lint_shows_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    import pty

    for name in ("a.yaml", "b.yaml", "c.yaml"):
        (tmp_path / name).write_text(PETSTORE.read_text(encoding="utf-8"), encoding="utf-8")
    parent, child = pty.openpty()
    try:
        subprocess.run(
            [*errlint_command(), "lint", "--jobs", "1", "."],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=child,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=60,
        )
    finally:
        os.close(child)
    screen = read_terminal(parent)
    assert "[##############################]  3/3" in screen
    piped = run_cli("lint", "--jobs", "1", ".", cwd=tmp_path)
    assert piped.stderr == ""


def test_text_output_names_shared_definitions_caps_related_places_and_can_show_code(tmp_path: Path) -> None:
    paths = "".join(
        f'  /p{n}:\n    get:\n      responses:\n        "404": {{$ref: "#/components/responses/Missing"}}\n'
        for n in range(6)
    )
    spec = (
        'openapi: 3.0.3\ninfo: {title: Pets, version: "1"}\npaths:\n'
        + paths
        + "components:\n  responses:\n    Missing:\n      description: Missing\n"
    )
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    done = run_cli("lint", "spec.yaml", "--code-frame", cwd=tmp_path)
    assert done.stdout.splitlines()[:9] == [
        "spec.yaml",
        "  30:5      warning  404 error response has no body: give it content with a schema so clients can read "
        "the error  error-response-content",
        "    30 |     Missing:",
        "       |     ^",
        "            in #/components/responses/Missing",
        "            ↳ GET /p0: uses the definition through this $ref (spec.yaml:7:9)",
        "            ↳ GET /p1: uses the definition through this $ref (spec.yaml:11:9)",
        "            ↳ GET /p2: uses the definition through this $ref (spec.yaml:15:9)",
        "            ↳ and 3 more (see the JSON or SARIF report for all)",
    ]
    one_line = run_cli("lint", "spec.yaml", "--no-code-frame", cwd=tmp_path)
    assert "    30 |" not in one_line.stdout
