"""Diff mode end to end: a temporary git repository with two commits, linted with --diff-base."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import git, git_commit_all, run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CORE_RULESET = "rules:\n  parse-error: error\n  ref-unresolved: error\n"
OLD_SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets/{id}:
    get:
      responses:
        "200": {description: ok}
        "404": {description: no such pet}
        "5XX": {description: server trouble}
  /pets:
    get:
      responses:
        "200": {description: ok}
        "404": {$ref: "common.yaml#/NotFound"}
        default: {$ref: "#/components/responses/Old"}
"""
#: lines moved, a path parameter renamed, the 404 of GET /pets/{id} dropped, a new broken $ref
NEW_SPEC = """\
# The pets API.
# (These comments move every line down.)
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets/{petId}:
    get:
      responses:
        "200": {description: ok}
        "5XX": {description: server trouble}
  /pets:
    get:
      responses:
        "200": {description: ok}
        "400": {$ref: "#/components/responses/New"}
        "404": {$ref: "common.yaml#/NotFound"}
        default: {$ref: "#/components/responses/Old"}
"""
COMMON = """\
NotFound:
  description: not found
  content:
    application/json:
      schema: {$ref: "#/Nowhere"}
"""


def commit(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git_commit_all(repo, message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits: the old spec (with known defects), then the new one."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(
        repo,
        {"core.yaml": CORE_RULESET, "api/openapi.yaml": OLD_SPEC, "api/common.yaml": COMMON},
        "old",
    )
    commit(repo, {"api/openapi.yaml": NEW_SPEC, "api/common.yaml": "# moved\n" + COMMON}, "new")
    return repo


def diff_lint(repo: Path, *args: str, cwd: Path | None = None) -> tuple[int, list[dict], str]:
    done = run_cli("lint", "--ruleset", str(repo / "core.yaml"), "--format", "json", *args, cwd=cwd or repo)
    findings = json.loads(done.stdout)["findings"] if done.stdout.strip() else []
    return done.returncode, findings, done.stderr


@pytest.mark.parametrize("where", ["root", "subfolder"])
def test_only_new_findings_and_removed_error_responses(repo: Path, where: str) -> None:
    cwd, spec = (repo, "api/openapi.yaml") if where == "root" else (repo / "api", "openapi.yaml")
    everything = diff_lint(repo, spec, cwd=cwd)[1]
    assert len(everything) == 3  # Old, New, and the one in common.yaml
    code, findings, stderr = diff_lint(repo, "--diff-base", "HEAD~1", spec, cwd=cwd)
    assert code == 1, stderr
    assert sorted((f["rule"], f["status"], f["line"]) for f in findings) == [
        ("error-response-removed", "404", 8),  # at the responses of GET /pets/{petId}
        ("ref-unresolved", None, 15),  # the new $ref; the moved old ones are not reported
    ]
    removed = next(f for f in findings if f["rule"] == "error-response-removed")
    assert removed["operation"] == "GET /pets/{petId}"
    assert "no longer declares the 404 error response it had at HEAD~1" in removed["message"]
    assert "2 findings already there not shown, 1 error response removed" in stderr


def test_a_spec_new_since_the_base_reports_everything(repo: Path) -> None:
    commit(repo, {"api/second.yaml": OLD_SPEC}, "another spec")
    code, findings, _ = diff_lint(repo, "--diff-base", "HEAD~1", "api/second.yaml")
    assert code == 1
    assert sorted(f["rule"] for f in findings) == ["ref-unresolved", "ref-unresolved"]


def test_unchanged_spec_is_clean(repo: Path) -> None:
    code, findings, stderr = diff_lint(repo, "--diff-base", "HEAD", "api/openapi.yaml")
    assert (code, findings) == (0, []), stderr


def test_removed_responses_follow_the_configured_severity(repo: Path) -> None:
    (repo / "off.yaml").write_text("rules:\n  error-response-removed: off\n", encoding="utf-8")
    _, findings, _ = diff_lint(repo, "--ruleset", "off.yaml", "--diff-base", "HEAD~1", "api/openapi.yaml")
    assert [f["rule"] for f in findings] == ["ref-unresolved"]
    (repo / "warn.yaml").write_text("rules:\n  error-response-removed: warning\n", encoding="utf-8")
    _, findings, _ = diff_lint(repo, "--ruleset", "warn.yaml", "--diff-base", "HEAD~1", "api/openapi.yaml")
    assert {f["rule"]: f["severity"] for f in findings}["error-response-removed"] == "warning"


def test_sarif_of_a_diff_run_describes_the_removal_rule(repo: Path) -> None:
    done = run_cli(
        "lint",
        "--ruleset",
        "core.yaml",
        "--diff-base",
        "HEAD~1",
        "--format",
        "sarif:out.sarif",
        "api/openapi.yaml",
        cwd=repo,
    )
    assert done.returncode == 1, done.stderr
    run = json.loads((repo / "out.sarif").read_text(encoding="utf-8"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    removed = next(r for r in run["results"] if r["ruleId"] == "error-response-removed")
    assert rules[removed["ruleIndex"]]["id"] == "error-response-removed"
    assert removed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "api/openapi.yaml"


@pytest.mark.parametrize(
    ("ref", "message"),
    [("no-such-branch", '"no-such-branch" is not a commit'), ("HEAD~5", '"HEAD~5" is not a commit')],
)
def test_unknown_revision_exits_2(repo: Path, ref: str, message: str) -> None:
    code, findings, stderr = diff_lint(repo, "--diff-base", ref, "api/openapi.yaml")
    assert code == 2 and findings == []
    assert message in stderr


def test_outside_a_repository_exits_2(tmp_path: Path) -> None:
    (tmp_path / "core.yaml").write_text(CORE_RULESET, encoding="utf-8")
    (tmp_path / "api.yaml").write_text(OLD_SPEC, encoding="utf-8")
    code, _, stderr = diff_lint(tmp_path, "--diff-base", "main", "api.yaml")
    assert code == 2
    assert "needs a git repository" in stderr


def test_a_symlink_out_of_the_tree_at_the_base_is_skipped(repo: Path) -> None:
    (repo / "api" / "evil.yaml").symlink_to("/etc/passwd")
    git_commit_all(repo, "a link pointing outside")
    commit(repo, {"api/later.yaml": "# after\n"}, "later")
    code, findings, stderr = diff_lint(repo, "--diff-base", "HEAD~1", "api/openapi.yaml")
    assert (code, findings) == (0, []), stderr
    assert "internal error" not in stderr
