"""Shared test helpers: run the engine on a file, read `# expect:` markers, run the installed CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from linter import registry
from linter.api import LintOptions, load_spec
from linter.check.engine import Engine
from linter.check.ruleset import Config, RuleSetting, apply_rule_entry, load_ruleset
from linter.model import Finding

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
#: small real specs kept in the repository, with their sources and licences (SOURCES.md there)
REAL = FIXTURES / "real"
#: the large corpus of real specs, in a folder beside the checkout that a plain clone lacks
CORPUS = ROOT.parent / "shared" / "corpus"
SCHEMAS = ROOT.parent / "shared" / "schemas"
#: marks a test (or a parameter, through :func:`corpus_param`) that reads :data:`CORPUS`
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="needs the corpus of real specs, ../shared/corpus, which is not beside this checkout"
)


def corpus_param(*values: object, id: str | None = None) -> Any:
    """``pytest.param(*values)`` for a case that reads :data:`CORPUS`: skipped when it is absent."""
    return pytest.param(*values, id=id, marks=needs_corpus)


#: ``# expect: rule-id[@column] ["message fragment"][, ...]`` at the end of a fixture line
EXPECT = re.compile(r"#\s*expect:\s*(?=[a-z])(.*)$")
MARKER = re.compile(r'\s*([a-z][a-z0-9-]*)(?:@(\d+))?(?:\s+"((?:[^"\\]|\\.)*)")?\s*(,|$)')


@dataclass(frozen=True)
class Expected:
    """One ``# expect:`` marker: a finding of ``rule`` on ``line`` of ``file``, at ``column``
    and with ``fragment`` in its message when the marker pins them."""

    file: Path
    line: int
    rule: str
    column: int | None = None
    fragment: str | None = None

    def matches(self, finding: Finding) -> bool:
        return (
            Path(finding.location.file).resolve() == self.file
            and finding.location.line == self.line
            and finding.rule == self.rule
            and self.column in (None, finding.location.column)
            and (self.fragment is None or self.fragment in finding.message)
        )

    def __str__(self) -> str:
        column = f"@{self.column}" if self.column is not None else ""
        fragment = f" {self.fragment!r}" if self.fragment is not None else ""
        return f"{self.file.name}:{self.line} {self.rule}{column}{fragment}"


def parse_markers(text: str, file: Path) -> list[Expected]:
    """Every ``# expect:`` marker of a fixture's text; a marker that does not parse raises
    ``ValueError`` (a typo must not silently expect nothing)."""
    found: list[Expected] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if not match:
            continue
        rest, position = match.group(1).rstrip(), 0
        while position < len(rest):
            marker = MARKER.match(rest, position)
            if marker is None or marker.end() == position:
                raise ValueError(f"{file.name}:{number}: malformed # expect: marker {rest!r}")
            rule, column, fragment, _ = marker.groups()
            text_fragment = fragment.replace('\\"', '"') if fragment is not None else None
            found.append(Expected(file, number, rule, int(column) if column else None, text_fragment))
            position = marker.end()
    return found


def expected_findings(path: Path) -> list[Expected]:
    """The ``# expect:`` markers of a fixture file, one per expected finding."""
    return parse_markers(path.read_text(encoding="utf-8"), path.resolve())


def unmatched(expected: list[Expected], findings: list[Finding]) -> tuple[list[Expected], list[Finding]]:
    """Match markers to findings one to one (a multiset: two findings on one line need two
    markers); the markers and the findings left over. Pinned markers are matched first."""
    left = list(findings)
    missing: list[Expected] = []
    for marker in sorted(expected, key=lambda m: (m.column is None, m.fragment is None)):
        hit = next((finding for finding in left if marker.matches(finding)), None)
        if hit is None:
            missing.append(marker)
        else:
            left.remove(hit)
    return missing, left


def expected_markers(path: Path) -> set[tuple[int, str]]:
    """``(line, rule-id)`` for each ``# expect:`` marker in a fixture."""
    return {(marker.line, marker.rule) for marker in expected_findings(path)}


def single_rule_config(rule_id: str, ruleset_file: Path | None = None) -> Config:
    """A config that runs only ``rule_id`` (at its default severity), with a fixture's options;
    a built-in ruleset's policy is defined by loading that ruleset."""
    from linter.rules.docs import builtin_policy_rulesets

    config = Config()
    defined_in = builtin_policy_rulesets().get(rule_id)
    for path in (registry.ruleset(defined_in) if defined_in else None, ruleset_file):
        if path is not None and path.is_file():
            load_ruleset(path, config)
            config.rules = {k: v for k, v in config.rules.items() if k == rule_id}
    if rule_id not in config.rules:
        config.rules[rule_id] = RuleSetting(registry.rule(rule_id).default_severity)
    return config


def run_rule(rule_id: str, spec_path: Path, ruleset_file: Path | None = None) -> list[Finding]:
    """Findings of one rule alone on one spec, with the engine raising on rule crashes."""
    spec = load_spec(spec_path, str(spec_path), LintOptions())
    return Engine(single_rule_config(rule_id, ruleset_file), raise_errors=True).run(spec).findings


def run_ruleset(name_or_file: str, spec_path: Path) -> list[Finding]:
    from linter.check.ruleset import resolve_name

    config = load_ruleset(resolve_name(name_or_file, ROOT))
    spec = load_spec(spec_path, str(spec_path), LintOptions())
    return Engine(config, raise_errors=True).run(spec).findings


def with_rule(config: Config, rule_id: str, entry: object) -> Config:
    config.rules[rule_id] = apply_rule_entry(config.rules.get(rule_id), rule_id, entry, "test", config.policies)
    return config


def errlint_command() -> list[str]:
    """The installed ``errlint`` console script (the one beside this interpreter)."""
    candidate = Path(sys.executable).with_name("errlint")
    if candidate.exists():
        return [str(candidate)]
    found = shutil.which("errlint")
    assert found, "errlint is not installed: pip install -e '.[test]'"
    return [found]


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [*errlint_command(), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        input=input_text,
        timeout=120,
    )


def lint_project(folder: Path, config: str, spec: str, rules: tuple[str, ...]) -> list[tuple[int, int, str, str]]:
    """Write ``config`` as ``.errlint.yaml`` and ``spec`` as ``api.yaml`` in ``folder``, lint it
    with the installed command, and return ``(line, column, rule, message)`` of the findings
    of ``rules``."""
    (folder / ".errlint.yaml").write_text(config, encoding="utf-8")
    (folder / "api.yaml").write_text(spec, encoding="utf-8")
    done = run_cli("lint", "--format", "json", "api.yaml", cwd=folder)
    assert done.returncode in (0, 1), done.stderr
    return [
        (f["line"], f["column"], f["rule"], f["message"])
        for f in json.loads(done.stdout)["findings"]
        if f["rule"] in rules
    ]


def config_mistake(folder: Path, spec: str, config: str | None = None) -> str:
    """Lint ``spec`` (written as ``api.yaml``) in ``folder``, with ``config`` written as
    ``.errlint.yaml`` when given; the run must stop (exit 2) without output: its stderr."""
    if config is not None:
        (folder / ".errlint.yaml").write_text(config, encoding="utf-8")
    (folder / "api.yaml").write_text(spec, encoding="utf-8")
    done = run_cli("lint", "api.yaml", cwd=folder)
    assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
    return done.stderr


#: a spec whose 404 refers to a response that does not exist (one ``ref-unresolved``)
BROKEN_REF_SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200": {description: ok}
        "404": {$ref: "#/components/responses/Missing"}
"""


def read_terminal(parent: int) -> str:
    """Everything written to the pseudo-terminal whose controller is ``parent`` (its other
    end already closed), then ``parent`` closed."""
    chunks = []
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # Linux: EIO once the other end is closed and the data read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(parent)
    return b"".join(chunks).decode()


def git(repo: Path, *args: str) -> str:
    """Run git in a throwaway test repository, with a fixed identity and no signing."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    command = ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


def git_commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def every_pointer(data: Any) -> list[tuple[str, ...]]:
    """The pointer of every value in ``data``, the root included."""
    found: list[tuple[str, ...]] = []
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, pointer = stack.pop()
        found.append(pointer)
        if isinstance(value, dict):
            stack.extend((child, (*pointer, key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, (*pointer, str(index))) for index, child in enumerate(value))
    return found


#: what Python's repr puts in a message where a JSON value belongs: None/True/False, and a
#: value in single quotes ('404', 'file'); an apostrophe inside a word ("spec's") is not one
PYTHON_REPR = re.compile(r"\b(?:None|True|False)\b|(?<![\w'])'[^'\s]*'(?![\w'])")


def python_reprs(message: str) -> list[str]:
    """The Python reprs in a finding's message (issue 15: messages show JSON values:
    ``null``, ``"404"``, ``true``); an empty list when there are none."""
    return PYTHON_REPR.findall(message)
