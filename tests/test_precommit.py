"""CI integration: the pre-commit hook run by the real pre-commit, and the example workflow.

``pre-commit try-repo`` installs errlint from a git repository. The test commits a
snapshot of this checkout (including uncommitted work) to a temporary repository, so it
tests the files as they are, and never touches the checkout's own git state.
"""

from __future__ import annotations

import os
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
    # one process gets every file: a root reached from many changed fragments is linted once
    assert hook["require_serial"] is True
    if pre_commit() is not None:
        done = subprocess.run(
            [pre_commit() or "pre-commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr


NEEDS_PRE_COMMIT = pytest.mark.skipif(
    shutil.which("git") is None or pre_commit() is None, reason="needs git and pre-commit"
)
SPLIT = ROOT / "fixtures" / "repos" / "split"
BAD_SHARED = """\
NotFound:
  description: Not found
  content:
    application/json:
      schema:
        type: object
        properties:
          message: {type: string}
      example: {message: 7}
"""


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """A git snapshot of this checkout (the hook's repository), its commit, and a pre-commit
    home shared by the tests of this module, so the hook's environment is installed once."""
    base = tmp_path_factory.mktemp("hook")
    source = base / "errlint"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    git(source, "init", "-q")
    git_commit_all(source, "snapshot")
    return source, git(source, "rev-parse", "HEAD").strip(), base / "pre-commit-home"


def run_hook(
    source: tuple[Path, str, Path], project: Path, *files: str, args: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """``pre-commit run --verbose --files FILES`` with the errlint hook at the snapshot's commit."""
    repo, rev, home = source
    hook: dict[str, object] = {"id": "errlint"}
    if args:
        hook["args"] = list(args)
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [hook]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    command = [pre_commit() or "pre-commit", "run", "--verbose", "--files", *files]
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600, env=env)


def split_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(SPLIT, project)
    git(project, "init", "-q")
    git_commit_all(project, "specs")
    return project


@NEEDS_PRE_COMMIT
def test_hook_fails_bad_specs_and_passes_good_ones(hook_source: tuple[Path, str, Path], tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    for name, text in {"bad.yaml": BAD, "good.yaml": GOOD, "workflow.yaml": NOT_OPENAPI}.items():
        (project / name).write_text(text, encoding="utf-8")
    git_commit_all(project, "specs")
    bad = run_hook(hook_source, project, "bad.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "ref-unresolved" in bad.stdout and "bad.yaml" in bad.stdout
    good = run_hook(hook_source, project, "good.yaml", "workflow.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    assert "0 problems (0 errors, 0 warnings, 0 infos) in 1 file" in good.stdout


@NEEDS_PRE_COMMIT
def test_hook_fragment_only_change_lints_its_root(hook_source: tuple[Path, str, Path], tmp_path: Path) -> None:
    project = split_project(tmp_path)
    done = run_hook(hook_source, project, "api/components/responses.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Passed" not in done.stdout
    assert "errlint: api/openapi.yaml: linted for api/components/responses.yaml, which it reaches through $ref" in done.stdout
    assert "api/components/responses.yaml\n  9:7       error    404 application/json example does not match its schema" in done.stdout
    assert "1 problem (1 error, 0 warnings, 0 infos) in 1 file" in done.stdout


@NEEDS_PRE_COMMIT
def test_hook_root_only_change(hook_source: tuple[Path, str, Path], tmp_path: Path) -> None:
    project = split_project(tmp_path)
    bad = run_hook(hook_source, project, "api/openapi.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "api/components/responses.yaml\n  9:7 " in bad.stdout  # a root lint: findings in its fragments
    assert "linted for" not in bad.stdout
    good = run_hook(hook_source, project, "svc/a.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout and "0 problems (0 errors, 0 warnings, 0 infos) in 1 file" in good.stdout


@NEEDS_PRE_COMMIT
def test_hook_shared_fragment_lints_both_roots(hook_source: tuple[Path, str, Path], tmp_path: Path) -> None:
    project = split_project(tmp_path)
    (project / "svc/shared/errors.yaml").write_text(BAD_SHARED, encoding="utf-8")
    git(project, "add", "svc/shared/errors.yaml")
    done = run_hook(hook_source, project, "svc/shared/errors.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    for root in ("svc/a.yaml", "svc/b.yaml"):
        assert f"errlint: {root}: linted for svc/shared/errors.yaml, which it reaches through $ref" in done.stdout
        assert f"uses the definition through this $ref ({root}:10:9)" in done.stdout
    assert "1 problem (1 error, 0 warnings, 0 infos) in 2 files" in done.stdout  # one defect, both uses


@NEEDS_PRE_COMMIT
def test_hook_non_spec_yaml_and_unreached_fragment_pass(
    hook_source: tuple[Path, str, Path], tmp_path: Path
) -> None:
    project = split_project(tmp_path)
    done = run_hook(hook_source, project, ".github/workflows/build.yaml", "svc/shared/orphan.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
    assert "0 problems (0 errors, 0 warnings, 0 infos) in 0 files" in done.stdout


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
