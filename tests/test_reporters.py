"""CI reporters: SARIF against the official schema, GitHub annotations, JUnit, Markdown,
escaping of hostile messages, golden files and the multi-format command line.

Golden files live in ``fixtures/golden/``; regenerate them with ``ERRLINT_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from helpers import FIXTURES, SCHEMAS, run_cli

import linter
from linter import registry
from linter.api import LintOptions, lint_paths
from linter.model import Finding, LintResult, Location, Related, RuleInfo, Severity
from linter.report.escape import printable
from linter.report.fingerprint import FINGERPRINT_KEY
from linter.report.github import GithubReporter
from linter.report.junit import JunitReporter
from linter.report.markdown import MarkdownReporter
from linter.report.sarif import SarifReporter

SARIF_SCHEMA = SCHEMAS / "sarif-2.1.0" / "sarif-schema-2.1.0.json"
GOLDEN = FIXTURES / "golden"
RULE_FIXTURES = sorted(
    path for path in (FIXTURES / "rules").rglob("*.yaml") if not path.name.endswith(".ruleset.yaml")
)
#: Everything a message can carry that some format must escape.
HOSTILE = (
    'line one\nline two\r "quoted" it\'s :: 100% | <b>bold</b> & *x* `c` $y$ [l](u) ümlaut 日本, a:b\x07'
)
SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200": {description: ok}
        "404": {$ref: "#/components/responses/Missing"}
  /pets/{id}:
    get:
      responses:
        "200": {description: ok}
"""


def render(reporter: Any, result: LintResult) -> str:
    out = io.StringIO()
    reporter.render(result, out)
    return out.getvalue()


#: Only the rules these tests rely on, so new rules in the built-in rulesets do not move them.
CORE_RULESET = "rules:\n  parse-error: error\n  ref-unresolved: error\n"
CORE = LintOptions(rulesets=("core.yaml",))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cwd that is the root of a repository with ``core.yaml``, so reports are stable."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "core.yaml").write_text(CORE_RULESET, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hand_built() -> LintResult:
    """A result covering every shape: operations, document-level, related, hostile text."""
    spec = "specs/pets store.yaml"
    shared = Location("specs/common.yaml", ("components", "responses", "Problem"), 4, 5)
    findings = [
        Finding(
            "spec-structure",
            Severity.ERROR,
            "root must have an info object",
            Location(spec, (), 1, 1),
        ),
        Finding(
            "ref-unresolved",
            Severity.ERROR,
            HOSTILE,
            Location(spec, ("paths", "/pets", "get", "responses", "404"), 12, 9),
            operation="GET /pets",
            status="404",
        ),
        Finding(
            "ref-remote",
            Severity.WARNING,
            "shared 400 has no schema",
            shared,
            related=(
                Related(Location(spec, ("paths", "/pets", "post"), 20, 7), "uses it", "POST /pets"),
                Related(Location(spec, ("paths", "/pets/{id}", "get"), 30, 7), "uses it", "GET /pets/{id}"),
            ),
        ),
        Finding(
            "unused-ignore",
            Severity.INFO,
            "x-errlint-ignore for 'ref-cycle' matches no finding",
            Location(spec, ("paths", "/pets", "post", "x-errlint-ignore"), 22, 9),
            operation="POST /pets",
        ),
    ]
    findings.sort(key=Finding.sort_key)
    rules = [
        RuleInfo(rule_id, registry.rule(rule_id).default_severity, "summary.", "summary.\n\nWhy: because.")
        for rule_id in ("spec-structure", "ref-unresolved")
    ]
    return LintResult(findings=findings, files=[spec], rules=rules)


# -- SARIF -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the official SARIF schema is not beside the checkout ({SARIF_SCHEMA.name})")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def assert_valid(validator: jsonschema.Draft4Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("ruleset", sorted(registry.rulesets()))
def test_sarif_of_every_rule_fixture_validates(
    ruleset: str, sarif_validator: jsonschema.Draft4Validator
) -> None:
    root = FIXTURES.parent
    result = lint_paths([str(p.relative_to(root)) for p in RULE_FIXTURES], LintOptions(rulesets=(ruleset,)))
    assert result.findings, "the fixtures should produce findings"
    reporter = SarifReporter()
    reporter.root = root
    log = json.loads(render(reporter, result))
    assert_valid(sarif_validator, log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(result.findings)
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]]
    assert len(set(prints)) == len(prints)
    for sarif_result, finding in zip(run["results"], result.findings, strict=True):
        assert rules[sarif_result["ruleIndex"]]["id"] == sarif_result["ruleId"] == finding.rule
        location = sarif_result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert (root / unquote(location["artifactLocation"]["uri"])).is_file()
        assert location["region"]["startLine"] == finding.location.line


def test_sarif_driver_rules_and_levels(repo: Path, sarif_validator: jsonschema.Draft4Validator) -> None:
    log = json.loads(render(SarifReporter(), hand_built()))
    assert_valid(sarif_validator, log)
    assert "timestamp" not in json.dumps(log).lower()
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "errlint"
    # no [project.urls] Homepage in pyproject.toml: the address is left out, not guessed
    assert linter.homepage() is None
    assert "informationUri" not in driver
    assert driver["version"]
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    # rules the run did not list but findings name are described from the registry
    assert set(by_id) == {"spec-structure", "ref-unresolved", "ref-remote", "unused-ignore"}
    ref = by_id["ref-remote"]
    assert ref["shortDescription"]["text"] == registry.rule("ref-remote").summary()
    assert ref["fullDescription"]["text"] and ref["help"]["text"] and ref["help"]["markdown"]
    assert "helpUri" not in ref
    assert ref["defaultConfiguration"]["level"] == "warning"
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels == {
        "spec-structure": "error",
        "ref-unresolved": "error",
        "ref-remote": "warning",
        "unused-ignore": "note",
    }


def test_sarif_locations_related_and_escaping(repo: Path) -> None:
    results = json.loads(render(SarifReporter(), hand_built()))["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    hostile = by_rule["ref-unresolved"]
    assert hostile["message"]["text"] == HOSTILE
    assert hostile["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "specs/pets%20store.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 9},
    }
    assert hostile["properties"]["status"] == "404"
    shared = by_rule["ref-remote"]
    related = shared["relatedLocations"]
    assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [20, 30]
    assert related[0]["message"]["text"] == "POST /pets: uses it"
    assert shared["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "specs/common.yaml"


def sarif_prints(path: Path) -> dict[str, str]:
    result = lint_paths([path.name], CORE)
    runs = json.loads(render(SarifReporter(), result))["runs"][0]["results"]
    return {f"{r['ruleId']} {r['message']['text']}": r["partialFingerprints"][FINGERPRINT_KEY] for r in runs}


def test_sarif_fingerprints_survive_moved_lines_and_reports_are_stable(repo: Path) -> None:
    spec = repo / "api.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    before = sarif_prints(spec)
    assert any(key.startswith("ref-unresolved") for key in before)
    first = render(SarifReporter(), lint_paths([spec.name], CORE))
    assert first == render(SarifReporter(), lint_paths([spec.name], CORE))
    spec.write_text("# a comment\n\n# moves every line\n" + SPEC, encoding="utf-8")
    assert sarif_prints(spec) == before
    assert render(SarifReporter(), lint_paths([spec.name], CORE)) != first  # the lines did move


# -- GitHub annotations --------------------------------------------------------------
COMMAND = re.compile(r"^::(?P<command>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")


def unescape(text: str) -> str:
    for escaped, raw in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def test_github_commands_are_single_lines_that_round_trip(repo: Path) -> None:
    lines = render(GithubReporter(), hand_built()).splitlines()
    assert len(lines) == 4
    parsed = [COMMAND.match(line) for line in lines]
    assert all(parsed), lines
    commands = {m["command"] for m in parsed if m}
    assert commands == {"error", "warning", "notice"}
    hostile = next(m for m in parsed if m and "title=ref-unresolved" in m["props"])
    # CR and LF travel encoded, as the runner decodes them; BEL is shown, never sent
    assert unescape(hostile["data"]) == HOSTILE.replace("\x07", "\\x07")
    props = dict(item.split("=", 1) for item in hostile["props"].split(","))
    assert props == {"file": "specs/pets store.yaml", "line": "12", "col": "9", "title": "ref-unresolved"}


@pytest.mark.parametrize("reporter", [GithubReporter, MarkdownReporter])
def test_terminal_sequences_from_a_spec_are_shown_not_sent(repo: Path, reporter: Any) -> None:
    # a path key that would retitle the terminal window and clear the screen
    message = "GET /a\x1b]0;pwned\x07\x1b[2J declares no 4xx response"
    finding = Finding("operation-4xx-declared", Severity.WARNING, message, Location("a.yaml", (), 3, 4))
    text = render(reporter(), LintResult(findings=[finding], files=["a.yaml"]))
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in text.replace("\\[", "[").replace("\\]", "]").replace("\\\\", "\\")


def test_github_escapes_properties(repo: Path) -> None:
    finding = Finding("parse-error", Severity.ERROR, "50%", Location("a,b:c%.yaml", (), 3, 4))
    line = GithubReporter().command(finding)
    assert line == "::error file=a%2Cb%3Ac%25.yaml,line=3,col=4,title=parse-error::50%25"


# -- JUnit ---------------------------------------------------------------------------
def test_junit_one_case_per_operation(repo: Path) -> None:
    tree = ET.fromstring(render(JunitReporter(), hand_built()))
    assert tree.tag == "testsuites"
    suites = {s.get("name"): s for s in tree.findall("testsuite")}
    # without the specs' outlines, a finding in another file gets a suite of that file
    assert list(suites) == ["specs/pets store.yaml", "specs/common.yaml"]
    cases = {c.get("name"): c for c in suites["specs/pets store.yaml"].findall("testcase")}
    assert set(cases) == {"document", "GET /pets", "POST /pets"}
    failure = cases["GET /pets"].find("failure")
    assert failure is not None and failure.get("type") == "ref-unresolved"
    shown = HOSTILE.replace("\x07", "\\x07")  # XML 1.0 cannot carry a BEL at all
    assert failure.get("message") == shown
    # the failure text has one line per finding: the message's own line breaks are shown
    assert (failure.text or "").endswith(printable(HOSTILE))
    shared = suites["specs/common.yaml"].find("testcase/failure")
    assert shared is not None and "shared 400 has no schema" in (shared.text or "")
    assert tree.get("tests") == "4" and tree.get("failures") == "4"


def test_junit_real_run_lists_clean_operations_under_the_root_spec(repo: Path) -> None:
    (repo / "api.yaml").write_text(
        SPEC.replace('"#/components/responses/Missing"', "common.yaml#/Missing"), encoding="utf-8"
    )
    (repo / "common.yaml").write_text(
        "Missing:\n  description: gone\n  content:\n    application/json:\n      schema: {$ref: '#/Nowhere'}\n",
        encoding="utf-8",
    )
    tree = ET.fromstring(render(JunitReporter(), lint_paths(["api.yaml"], CORE)))
    assert [s.get("name") for s in tree.iter("testsuite")] == ["api.yaml"]
    cases = {c.get("name"): c for c in tree.iter("testcase")}
    assert set(cases) == {"document", "GET /pets", "GET /pets/{id}"}
    assert cases["GET /pets/{id}"].find("failure") is None
    assert all(c.get("classname") == "api.yaml" for c in cases.values())
    failing = [case.find("failure") for case in cases.values() if case.find("failure") is not None]
    assert failing and int(tree.get("failures", "0")) == len(failing)
    assert any("common.yaml:5" in (failure.text or "") for failure in failing)


# -- Markdown ------------------------------------------------------------------------
def cells(row: str) -> list[str]:
    """The cells of a table row, split on unescaped pipes only."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_sarif_driver_names_the_homepage_when_known(
    monkeypatch: pytest.MonkeyPatch, sarif_validator: jsonschema.Draft4Validator
) -> None:
    from linter.report import sarif

    monkeypatch.setattr(sarif, "homepage", lambda: "https://example.org/errlint")
    log = json.loads(render(SarifReporter(), hand_built()))
    assert_valid(sarif_validator, log)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.org/errlint"
    ref = next(rule for rule in driver["rules"] if rule["id"] == "ref-remote")
    assert ref["helpUri"] == "https://example.org/errlint/blob/main/docs/rules.md#ref-remote"


def test_markdown_counts_and_escaped_rows(repo: Path) -> None:
    text = render(MarkdownReporter(), hand_built())
    assert text.startswith("### errlint: 4 problems (2 errors, 1 warning, 1 info) in 1 file")
    assert "| ref-unresolved | error | 1 |" in text
    rows = [line for line in text.splitlines() if line.startswith("| error | specs")]
    hostile = next(cells(row) for row in rows if "ref-unresolved" in row)
    assert len(hostile) == 4
    assert hostile[1] == "specs/pets store.yaml:12"
    message = hostile[3]
    assert "<" not in message.replace("\\<", "")
    assert re.sub(r"\\(.)", r"\1", message) == " ".join(HOSTILE.split()).replace("\x07", "\\x07")


def test_markdown_when_clean(repo: Path) -> None:
    text = render(MarkdownReporter(), LintResult(files=["a.yaml", "b.yaml"]))
    assert text == "### errlint: no problems in 2 files\n"


# -- every format ------------------------------------------------------------------
@pytest.mark.parametrize("name", registry.reporter_names())
def test_every_format_renders_hostile_text_safely(repo: Path, name: str) -> None:
    text = render(registry.reporter(name)(), hand_built())
    assert "\r" not in text.replace("\r\n", "")  # a bare CR would rewrite terminal lines and logs
    if name == "json":
        messages = [f["message"] for f in json.loads(text)["findings"]]
        assert HOSTILE in messages
    if name == "text":
        assert "line one line two" in text  # folded onto the finding's own line


@pytest.mark.parametrize("name", sorted(registry.BUILTINS[registry.REPORTERS_GROUP]))
def test_no_format_lets_spec_text_start_a_log_line(repo: Path, name: str) -> None:
    # a path key that tries to smuggle a GitHub Actions workflow command into the CI log
    message = "GET /a\n::error file=x.py,line=1::forged declares no 4xx response"
    finding = Finding("operation-4xx-declared", Severity.WARNING, message, Location("a.yaml", (), 3, 4))
    text = render(registry.reporter(name)(), LintResult(findings=[finding], files=["a.yaml"]))
    assert "forged" in text
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::error file=x.py")]


# -- golden files --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reporter", "name"),
    [
        (GithubReporter, "hostile.github.txt"),
        (JunitReporter, "hostile.junit.xml"),
        (MarkdownReporter, "hostile.md"),
    ],
)
def test_golden(repo: Path, reporter: Any, name: str) -> None:
    actual = render(reporter(), hand_built())
    golden = GOLDEN / name
    if os.environ.get("ERRLINT_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.is_file(), f"missing {golden.name}: run with ERRLINT_UPDATE_GOLDEN=1"
    assert golden.read_bytes().decode("utf-8") == actual


# -- the command line ----------------------------------------------------------------
def test_cli_several_formats_in_one_run(repo: Path) -> None:
    (repo / "api.yaml").write_text(SPEC, encoding="utf-8")
    done = run_cli(
        "lint",
        "api.yaml",
        "--ruleset",
        "core.yaml",
        "--format",
        "text",
        "--format",
        "sarif:out/errlint.sarif",
        "--format",
        "junit:junit.xml",
        cwd=repo,
    )
    assert done.returncode == 1, done.stderr
    assert "ref-unresolved" in done.stdout and "problem" in done.stdout
    sarif = json.loads((repo / "out" / "errlint.sarif").read_text(encoding="utf-8"))
    assert (
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "api.yaml"
    )
    assert ET.parse(repo / "junit.xml").getroot().tag == "testsuites"
    done = run_cli(
        "lint",
        "api.yaml",
        "--ruleset",
        "core.yaml",
        "--format",
        "github:gh.txt",
        "--format",
        "json:r.json",
        cwd=repo,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert (repo / "gh.txt").read_text(encoding="utf-8").startswith("::error file=api.yaml,")


def test_cli_output_still_works_for_one_format(repo: Path) -> None:
    (repo / "api.yaml").write_text(SPEC, encoding="utf-8")
    done = run_cli(
        "lint",
        "api.yaml",
        "--ruleset",
        "core.yaml",
        "--format",
        "markdown",
        "--output",
        "summary.md",
        cwd=repo,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert (repo / "summary.md").read_text(encoding="utf-8").startswith("### errlint: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "text", "--format", "json"], "only one --format can go to stdout"),
        (
            ["--format", "text", "--format", "json:r.json", "--output", "x"],
            "--output takes a single --format",
        ),
        (["--format", "sarif:"], "give a file after the colon"),
        (["--format", "nope"], "unknown format \"nope\""),
    ],
)
def test_cli_format_mistakes_exit_2(repo: Path, args: list[str], message: str) -> None:
    (repo / "api.yaml").write_text(SPEC, encoding="utf-8")
    done = run_cli("lint", "api.yaml", "--ruleset", "core.yaml", *args, cwd=repo)
    assert done.returncode == 2
    assert message in done.stderr and done.stderr.count("\n") == 1
    assert not (repo / "r.json").exists()
