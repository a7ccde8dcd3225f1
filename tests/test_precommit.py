"""CI integration: the pre-commit hook run by the real pre-commit, and the example workflow.

``pre-commit try-repo`` installs errlint from a git repository. The test commits a
snapshot of this checkout (including uncommitted work) to a temporary repository, so it
tests the files as they are, and never touches the checkout's own git state.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, git, git_commit_all

BAD = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200": {$ref: "#/components/responses/Missing"}
"""
GOOD = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths: {}
"""
#: YAML that is not OpenAPI: the hook is called with every YAML file and must skip it.
NOT_OPENAPI = "name: build\non: [push]\n"
_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "build",
    "dist",
)


def pre_commit() -> str | None:
    beside = Path(sys.executable).with_name("pre-commit")
    return str(beside) if beside.exists() else shutil.which("pre-commit")


def test_hook_manifest() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["errlint"]
    hook = hooks[0]
    assert hook["entry"] == "errlint lint --only-openapi"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["yaml", "json"]
    if pre_commit() is not None:
        done = subprocess.run(
            [pre_commit() or "pre-commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("git") is None or pre_commit() is None, reason="needs git and pre-commit")
def test_pre_commit_try_repo_fails_bad_specs_and_passes_good_ones(tmp_path: Path) -> None:
    source = tmp_path / "errlint"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    git(source, "init", "-q")
    git_commit_all(source, "snapshot")
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    for name, text in {"bad.yaml": BAD, "good.yaml": GOOD, "workflow.yaml": NOT_OPENAPI}.items():
        (project / name).write_text(text, encoding="utf-8")
    git_commit_all(project, "specs")

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        command = [pre_commit() or "pre-commit", "try-repo", str(source), "errlint", "--files", *files]
        return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)

    bad = try_repo("bad.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "ref-unresolved" in bad.stdout and "bad.yaml" in bad.stdout
    good = try_repo("good.yaml", "workflow.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_example_github_workflow() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    jobs = workflow["jobs"]
    assert set(jobs) == {"errlint"}
    job = jobs["errlint"]
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "errlint lint" in runs
    assert "--format sarif:errlint.sarif" in runs
    assert "--diff-base" in runs
    upload = next(
        step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif")
    )
    assert upload["with"]["sarif_file"] == "errlint.sarif"
    assert upload.get("if") == "always()"
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # diff mode needs the base commit
