"""Baselines and diff mode never mislead: regenerating a baseline keeps other files' entries
and refuses to overwrite a file that is not one; renaming a path template parameter keeps
every finding's identity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import git, git_commit_all, run_cli

from linter.model import Finding, Location, Severity
from linter.report.fingerprint import fingerprints

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets/{petId}:
    get:
      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok}
"""


def test_regenerating_a_baseline_keeps_the_other_files_entries(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "two.yaml").write_text(SPEC.replace("/pets/{petId}", "/cats").replace("parameters: [{name: petId, in: path, required: true, schema: {type: string}}]", ""), encoding="utf-8")
    first = run_cli("baseline", "one.yaml", "-o", "base.json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = run_cli("baseline", "two.yaml", "-o", "base.json", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stderr == "errlint: wrote 1 finding to base.json (and kept 1 finding of other files)\n"
    entries = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["findings"]
    assert [(e["file"], e["rule"]) for e in entries] == [
        ("one.yaml", "operation-4xx-declared"),
        ("two.yaml", "operation-4xx-declared"),
    ]
    done = run_cli("lint", "one.yaml", "two.yaml", "--baseline", "base.json", "--fail-on", "warning", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    # linting one.yaml again replaces its entries only
    again = run_cli("baseline", "one.yaml", "-o", "base.json", cwd=tmp_path)
    assert again.returncode == 0 and "kept 1 finding" in again.stderr


def test_a_file_that_is_not_a_baseline_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "report.json").write_text('{"findings": "mine"}\n', encoding="utf-8")
    done = run_cli("baseline", "one.yaml", "-o", "report.json", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "errlint: report.json: not an errlint baseline (version 1 expected); refusing to overwrite it with a baseline\n"
    )
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == '{"findings": "mine"}\n'


def _finding(operation: str, pointer: tuple[str, ...]) -> Finding:
    return Finding("operation-4xx-declared", Severity.WARNING, "m", Location("a.yaml", pointer, 5, 7), operation)


def test_fingerprints_ignore_template_parameter_names(tmp_path: Path) -> None:
    old = _finding("GET /pets/{petId}", ("paths", "/pets/{petId}", "get"))
    new = _finding("GET /pets/{id}", ("paths", "/pets/{id}", "get"))
    other = _finding("GET /cats/{id}", ("paths", "/cats/{id}", "get"))
    assert fingerprints([old], tmp_path) == fingerprints([new], tmp_path) != fingerprints([other], tmp_path)
    assert fingerprints([old], tmp_path, legacy=True) != fingerprints([new], tmp_path, legacy=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_mode_after_renaming_a_template_parameter_reports_nothing_new(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    git_commit_all(tmp_path, "old")
    (tmp_path / "api.yaml").write_text(SPEC.replace("{petId}", "{id}").replace("name: petId", "name: id"), encoding="utf-8")
    done = run_cli("lint", "api.yaml", "--diff-base", "HEAD", "--fail-on", "warning", "--format", "json", cwd=tmp_path)
    assert json.loads(done.stdout)["findings"] == [], done.stderr
    assert done.returncode == 0
