"""The GitHub Action (``action.yml``): its inputs against the command's options, and its shell
steps run here with a simulated ``GITHUB_*`` environment on a fixture repository.

The steps' ``${{ inputs.NAME }}`` expressions are evaluated as the runner does (the input, or
its default); ``install: false`` skips the install step's ``pip install`` (which needs the
network) and uses the errlint installed beside this interpreter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from helpers import FIXTURES, ROOT, git, git_commit_all

from linter import registry
from linter.cli.main import FAIL_ON, cli

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
INPUTS: dict[str, Any] = ACTION["inputs"]
#: action input -> the ``errlint lint`` option it becomes
OPTION_OF = {
    "ruleset": "--ruleset",
    "config": "--config",
    "fail-on": "--fail-on",
    "diff-base": "--diff-base",
    "baseline": "--baseline",
    "format": "--format",
    "sarif-file": "--format",
    "annotations": "--format",
    "summary": "--format",
}
#: inputs that are not options: the PATH arguments, pass-through options, and the install
ACTION_ONLY = {"paths", "args", "python", "install"}
BASH = shutil.which("bash") or "bash"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
SPLIT = FIXTURES / "repos" / "split"
BAD_SHARED = (SPLIT / "svc/shared/errors.yaml").read_text(encoding="utf-8").replace("gone}", "7}")


def lint_options() -> dict[str, click.Parameter]:
    command = cli.commands["lint"]
    return {opt: param for param in command.params for opt in param.opts}


def test_inputs_are_options_of_errlint_lint() -> None:
    options = lint_options()
    assert set(INPUTS) == set(OPTION_OF) | ACTION_ONLY
    for name, option in OPTION_OF.items():
        assert option in options, f"input {name!r}: errlint lint has no {option}"
    assert "paths" in options  # the PATH... argument
    fail_on = options["--fail-on"]
    assert isinstance(fail_on.type, click.Choice)
    assert tuple(fail_on.type.choices) == FAIL_ON
    assert INPUTS["fail-on"]["default"] == fail_on.default
    for choice in FAIL_ON:
        assert choice in INPUTS["fail-on"]["description"]
    named = re.findall(r"\b([a-z]+)\b", INPUTS["format"]["description"].partition("(")[2].partition(")")[0])
    assert sorted(named) == registry.reporter_names()
    assert INPUTS["format"]["default"] in registry.reporter_names()


def test_steps_use_declared_inputs_through_env_only() -> None:
    steps = ACTION["runs"]["steps"]
    assert ACTION["runs"]["using"] == "composite"
    used = set()
    for step in steps:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "inputs reach scripts through env, never pasted in"
        for value in step.get("env", {}).values():
            used.update(e.removeprefix("inputs.") for e in EXPRESSION.findall(value))
    assert used == set(INPUTS)
    assert '"$GITHUB_ACTION_PATH"' in steps[0]["run"]  # installs the action's own checkout
    outputs = {name: EXPRESSION.findall(out["value"]) for name, out in ACTION["outputs"].items()}
    assert outputs == {"sarif-file": ["steps.lint.outputs.sarif-file"], "exit-code": ["steps.lint.outputs.exit-code"]}


def run_action(workspace: Path, temp: Path, event: str, **given: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run every step as the runner would; return the last step's process and the outputs."""
    inputs = {name: str(spec.get("default", "")) for name, spec in INPUTS.items()}
    inputs.update({"install": "false", **{name.replace("_", "-"): value for name, value in given.items()}})
    temp.mkdir(exist_ok=True)
    files = {name: temp / name for name in ("output", "path", "summary")}
    for file in files.values():
        file.write_text("", encoding="utf-8")
    base_env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_EVENT_NAME": event,
        "GITHUB_BASE_REF": "main" if event == "pull_request" else "",
        "GITHUB_OUTPUT": str(files["output"]),
        "GITHUB_PATH": str(files["path"]),
        "GITHUB_STEP_SUMMARY": str(files["summary"]),
        "RUNNER_TEMP": str(temp),
    }
    done = None
    for step in ACTION["runs"]["steps"]:
        env = dict(base_env)
        for key, value in step.get("env", {}).items():
            env[key] = EXPRESSION.sub(lambda m: inputs[m.group(1).removeprefix("inputs.")], value)
        script = temp / f"{step['id']}.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(
            [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace, env=env, capture_output=True, text=True, timeout=120,
        )
        if done.returncode != 0:
            break
    assert done is not None
    outputs = dict(line.split("=", 1) for line in files["output"].read_text(encoding="utf-8").splitlines())
    return done, outputs


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone of a repository holding the split specs, on a branch that breaks a shared fragment."""
    upstream = tmp_path / "upstream"
    shutil.copytree(SPLIT, upstream)
    git(upstream, "init", "-q")
    git_commit_all(upstream, "specs")
    workspace = tmp_path / "workspace"
    git(tmp_path, "clone", "-q", str(upstream), str(workspace))
    git(workspace, "checkout", "-q", "-b", "change")
    (workspace / "svc/shared/errors.yaml").write_text(BAD_SHARED, encoding="utf-8")
    git_commit_all(workspace, "break the shared example")
    return workspace


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pull_request_reports_only_new_findings(pull_request: Path, tmp_path: Path) -> None:
    done, outputs = run_action(pull_request, tmp_path / "runner", "pull_request", paths="api svc")
    assert done.returncode == 1, done.stdout + done.stderr
    assert outputs == {"sarif-file": "errlint.sarif", "exit-code": "1"}
    assert "errlint: reporting only findings new since origin/main" in done.stdout
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert [line.partition("::")[2].partition("::")[0] for line in annotations] == [
        "error file=svc/shared/errors.yaml,line=9,col=7,title=response-example-valid"
    ]  # the shared fragment's defect once, though both roots reach it
    sarif = json.loads((pull_request / "errlint.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in results
    ] == [("response-example-valid", "svc/shared/errors.yaml", 9)]
    summary = (tmp_path / "runner" / "summary").read_text(encoding="utf-8")
    assert summary.startswith("### errlint: 1 problem")
    assert "compared with origin/main: 1 finding already there not shown" in done.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_push_reports_everything_and_inputs_become_options(pull_request: Path, tmp_path: Path) -> None:
    done, outputs = run_action(
        pull_request,
        tmp_path / "runner",
        "push",
        paths="api\nsvc",
        ruleset="recommended",
        fail_on="never",
        format="json:out/report.json gitlab:out/gl-code-quality.json",
        sarif_file="",
        annotations="false",
        summary="false",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs == {"sarif-file": "", "exit-code": "0"}
    assert "reporting only findings new" not in done.stdout
    assert not (pull_request / "errlint.sarif").exists()
    assert (tmp_path / "runner" / "summary").read_text(encoding="utf-8") == ""
    report = json.loads((pull_request / "out/report.json").read_text(encoding="utf-8"))
    assert [(f["file"], f["line"], f["rule"]) for f in report["findings"]] == [
        ("api/components/responses.yaml", 9, "response-example-valid"),
        ("svc/shared/errors.yaml", 9, "response-example-valid"),
    ]
    gitlab = json.loads((pull_request / "out/gl-code-quality.json").read_text(encoding="utf-8"))
    assert len(gitlab) == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_explicit_diff_base_and_baseline(pull_request: Path, tmp_path: Path) -> None:
    done, _ = run_action(pull_request, tmp_path / "runner", "push", paths="api svc", diff_base="HEAD~1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "errlint: reporting only findings new since HEAD~1" in done.stdout
    baseline = run_action(
        pull_request, tmp_path / "runner2", "pull_request", paths="api", diff_base="none", baseline="missing.json"
    )[0]
    assert baseline.returncode == 2
    assert "missing.json" in baseline.stderr


def test_install_false_needs_errlint_on_path(tmp_path: Path) -> None:
    step = ACTION["runs"]["steps"][0]
    script = tmp_path / "install.sh"
    script.write_text(step["run"], encoding="utf-8")
    done = subprocess.run(
        [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        env={"PATH": "/nonexistent", "INPUT_INSTALL": "false", "RUNNER_TEMP": str(tmp_path)},
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stdout == "::error::install is false and errlint is not on PATH\n"


def test_install_uses_the_checkouts_lock(tmp_path: Path) -> None:
    """The install step installs the action's checkout with its ``constraints.txt``: the
    releases errlint's tests ran with (a stand-in interpreter records what pip is asked)."""
    record = tmp_path / "pip-call"
    recorder = tmp_path / "recorder"
    recorder.write_text(f'#!{BASH}\necho "PIP_CONSTRAINT=$PIP_CONSTRAINT $*" > "{record}"\n', encoding="utf-8")
    python = tmp_path / "python"
    python.write_text(
        f'#!{BASH}\n[ "$1 $2" = "-m venv" ] && mkdir -p "$3/bin" && cp "{recorder}" "$3/bin/python"\n',
        encoding="utf-8",
    )
    for script in (recorder, python):
        script.chmod(0o755)
    step = ACTION["runs"]["steps"][0]
    (tmp_path / "install.sh").write_text(step["run"], encoding="utf-8")
    done = subprocess.run(
        [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(tmp_path / "install.sh")],
        env={
            "PATH": os.environ["PATH"],
            "INPUT_INSTALL": "true",
            "INPUT_PYTHON": str(python),
            "RUNNER_TEMP": str(tmp_path),
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_PATH": str(tmp_path / "github-path"),
        },
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert record.read_text(encoding="utf-8") == (
        f"PIP_CONSTRAINT={ROOT}/constraints.txt -m pip install --quiet --disable-pip-version-check {ROOT}\n"
    )
    assert (ROOT / "constraints.txt").is_file()
