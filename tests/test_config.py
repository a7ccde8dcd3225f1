"""Finding and reading configuration: ``.errlint.yaml`` upward, ``[tool.errlint]``, ``--config``, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.api import LintOptions, lint_paths
from linter.check.config import discover
from linter.check.ruleset import path_matches
from linter.errors import ConfigError
from linter.model import Severity

#: an OpenAPI 3.0 spec without ``paths``: one spec-structure error under the recommended ruleset
NO_PATHS = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def structure_severity(spec: Path, **options: object) -> Severity | None:
    """The severity spec-structure ends up with for ``spec`` (None when the rule is off)."""
    findings = lint_paths([str(spec)], LintOptions(**options)).findings  # type: ignore[arg-type]
    severities = {f.severity for f in findings if f.rule == "spec-structure"}
    assert len(severities) <= 1
    return severities.pop() if severities else None


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return write(tmp_path / "repo" / "api" / "v1" / "openapi.yaml", NO_PATHS)


# -- discovery ------------------------------------------------------------------------------------
def test_without_a_config_the_recommended_ruleset_applies(spec: Path) -> None:
    assert discover(spec.parent) is None
    assert structure_severity(spec) == Severity.ERROR


@pytest.mark.parametrize("name", [".errlint.yaml", ".errlint.yml"])
def test_a_config_file_is_found_upward(spec: Path, name: str) -> None:
    config = write(spec.parents[2] / name, "rules:\n  spec-structure: warning\n")
    assert discover(spec.parent) == config
    assert structure_severity(spec) == Severity.WARNING


def test_the_nearest_config_wins(spec: Path) -> None:
    write(spec.parents[2] / ".errlint.yaml", "rules:\n  spec-structure: warning\n")
    nearest = write(spec.parents[1] / ".errlint.yaml", "rules:\n  spec-structure: info\n")
    assert discover(spec.parent) == nearest
    assert structure_severity(spec) == Severity.INFO


def test_pyproject_counts_only_with_a_tool_errlint_table(spec: Path) -> None:
    write(spec.parents[2] / ".errlint.yaml", "rules:\n  spec-structure: warning\n")
    unrelated = write(spec.parents[1] / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    assert discover(spec.parent) == spec.parents[2] / ".errlint.yaml"
    unrelated.write_text('[tool.errlint]\nrules = {spec-structure = "off"}\n')
    assert discover(spec.parent) == unrelated
    assert structure_severity(spec) is None


def test_an_invalid_pyproject_is_skipped_unless_it_mentions_errlint(spec: Path) -> None:
    broken = write(spec.parent / "pyproject.toml", "[tool.black\n")
    assert discover(spec.parent) is None
    broken.write_text("[tool.errlint\nrules = {}\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml:1:14: invalid TOML: Expected"):
        lint_paths([str(spec)])


PYPROJECT = """\
[project]
name = "x"

[tool.errlint]
extends = ["recommended"]

[tool.errlint.policies.p]
description = "d"
require = [400, "41O"]
"""


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (PYPROJECT, "9:1", '"41O" is not a status'),  # an item: at its key's line
        ('[tool.errlint.rules]\n"operation-4xx-declared" = "warnin"\n', "2:1", "severity must be"),
        ('[tool.errlint]\n  "rules" . nope = "off"\n', "2:3", 'unknown rule "nope"'),
        ('[tool]\nerrlint = {rules = {nope = "off"}}\n', "2:1", 'unknown rule "nope"'),  # inline: the table
        # a line inside a multi-line string or array is neither a key nor a header
        (
            '[project]\ndescription = """\n[tool.errlint]\nrules = 1 \\"""\n"""\n[tool.errlint]\nrules = {nope = "off"}\n',
            "7:1",
            'unknown rule "nope"',
        ),
        (
            "[tool.errlint.policies.p]\ndescription = '''\nrequire = 1\n'''\n"
            'forbid = [ # ]\n  ["4"], "]",\n[400]\n]\nrequire = ["41O"]\n',
            "9:1",
            '"41O" is not a status',
        ),
        ('[tool.errlint]\nextends = []\n[tool.errlint.policies."\\u00e9-p"]\n', "3:2", 'policy id "\u00e9-p"'),
        # the element of an array of tables that holds the mistake
        (
            '[[tool.errlint.overrides]]\nrules = {spec-structure = "off"}\n[[tool.errlint.overrides]]\nfiles = ["b"]\n',
            "3:3",
            "each override needs 'rules'",
        ),
    ],
)
def test_pyproject_mistakes_have_their_line_and_column(spec: Path, text: str, where: str, message: str) -> None:
    config = write(spec.parent / "pyproject.toml", text)
    with pytest.raises(ConfigError) as raised:
        lint_paths([str(spec)])
    assert str(raised.value).startswith(f"{config}:{where}: {message}"), raised.value


def test_config_option_wins_over_discovery(spec: Path, tmp_path: Path) -> None:
    write(spec.parent / ".errlint.yaml", "rules:\n  spec-structure: warning\n")
    chosen = write(tmp_path / "elsewhere.yaml", "rules:\n  spec-structure: info\n")
    assert structure_severity(spec, config_file=chosen) == Severity.INFO


def test_a_config_extends_rulesets_and_later_entries_win(spec: Path) -> None:
    write(spec.parent / "base.yaml", "rules:\n  spec-structure: info\n  ref-remote: error\n")
    write(
        spec.parent / ".errlint.yaml",
        "extends: [recommended, base.yaml]\nrules:\n  spec-structure: warning\n",
    )
    result = lint_paths([str(spec)])
    assert [(f.rule, f.severity) for f in result.findings] == [("spec-structure", Severity.WARNING)]
    assert {info.id: info.severity for info in result.rules}["ref-remote"] == Severity.ERROR


# -- bad configuration: one message with file:line:column ---------------------------------------
BAD_CONFIGS = [
    ("rules:\n  spec-structure: loud\n", "2:3: severity must be off, info, warning or error, got \"loud\""),
    ("rules:\n  no-such-rule: error\n", "2:3: unknown rule \"no-such-rule\""),
    ("rules: [\n", "2:1: invalid YAML:"),
    ("rules: {}\nrulez: {}\n", "2:1: unknown key \"rulez\""),
    ("rules:\n  spec-structure: {options: {max-findings: many}}\n", '2:3: option "max-findings"'),
    ("rules:\n  spec-structure: {options: {colour: red}}\n", '2:3: unknown option "colour"'),
    (
        "rules:\n  error-response-content: {options: {allow-empty: [401, null]}}\n",
        '2:3: option "allow-empty" of rule "error-response-content" must list strings, got null in [401,null]',
    ),
    ("rules:\n  spec-structure: {scope: {planet: mars}}\n", "2:3: unknown scope key \"planet\""),
    ("overrides:\n  - files: [a]\n", "2:5: each override needs 'rules'"),
    ("rules:\n  spec-structure: true\n", "2:3: severity must be off, info, warning or error, got true"),
    (
        "overrides:\n  - files: [a, 1]\n    rules: {spec-structure: off}\n",
        "2:5: expected a string or a list of strings",
    ),
    (
        "overrides:\n  - paths: {a: b}\n    rules: {spec-structure: off}\n",
        "2:5: expected a string or a list of strings",
    ),
    ("extends: nothing-like-this\n", "1:1: ruleset \"nothing-like-this\" is neither a built-in"),
    ("extends:\n  - recommended\n  - nothing.yaml\n", "3:5: ruleset \"nothing.yaml\" is neither a built-in"),
    (
        "extends: [.errlint.yaml]\n",
        '1:11: extends ".errlint.yaml", which is already being loaded (extends loops back)',
    ),
    ("- just\n- a list\n", "1:1: a ruleset must be a mapping"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CONFIGS, ids=[m for _, m in BAD_CONFIGS])
def test_bad_config_names_file_and_line(spec: Path, text: str, message: str) -> None:
    config = write(spec.parent / ".errlint.yaml", text)
    with pytest.raises(ConfigError) as raised:
        lint_paths([str(spec)])
    assert str(raised.value).startswith(f"{config}:{message.split(':')[0]}:")
    assert message in str(raised.value)


def test_severities_are_named_in_any_case_and_off_or_false_disables(spec: Path) -> None:
    config = write(spec.parent / ".errlint.yaml", "rules:\n  spec-structure: Warning\n")
    assert structure_severity(spec) == Severity.WARNING
    config.write_text("rules:\n  spec-structure: false\n", encoding="utf-8")
    assert structure_severity(spec) is None


# -- overrides by file --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("display", "pattern", "matches"),
    [
        ("legacy/api.yaml", "legacy/*", True),
        ("./legacy/api.yaml", "legacy/*", True),
        ("/repo/specs/legacy/api.yaml", "legacy/*", True),
        ("/repo/specs/legacy/api.yaml", "specs/legacy/**", True),
        ("api.yaml", "legacy/*", False),
        ("notlegacy/api.yaml", "legacy/*", False),
        ("api.json", "*.json", True),
        ("a/b/api.yaml", "*.json", False),
    ],
)
def test_file_globs_match_the_path_or_a_trailing_part_of_it(
    display: str, pattern: str, matches: bool
) -> None:
    assert path_matches(display, pattern) is matches


@pytest.mark.parametrize("given", ["{root}", "{root}/", "."])
def test_overrides_by_file_glob_apply_however_the_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    root = tmp_path / "specs"
    write(root / "api.yaml", NO_PATHS)
    write(root / "legacy" / "old.yaml", NO_PATHS)
    write(root / ".errlint.yaml", "overrides:\n  - files: ['legacy/*']\n    rules: {spec-structure: off}\n")
    monkeypatch.chdir(root)
    result = lint_paths([given.format(root=root)])
    assert len(result.files) == 2
    assert [Path(f.location.file).name for f in result.findings] == ["api.yaml"]
