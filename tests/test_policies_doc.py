"""docs/policies.md: every YAML snippet in the tutorial is a working config (the first is
the tutorial's spec), and the outputs it shows are what errlint prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOT, run_cli

DOC = ROOT / "docs" / "policies.md"
BLOCKS = re.findall(r"```(yaml|text)\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
SPEC = BLOCKS[0][1]
CONFIGS = [text for kind, text in BLOCKS[1:] if kind == "yaml"]
OUTPUTS = [text for kind, text in BLOCKS if kind == "text"]


def project(tmp_path: Path, config: str) -> Path:
    folder = tmp_path / "project"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "api.yaml").write_text(SPEC, encoding="utf-8")
    (folder / ".errlint.yaml").write_text(config, encoding="utf-8")
    shared = tmp_path / "shared" / "errors.yaml"  # what the "Sharing policies" block extends
    shared.parent.mkdir(exist_ok=True)
    shared.write_text(CONFIGS[1], encoding="utf-8")
    problem = folder / "schemas" / "problem.yaml"  # what the "error bodies" block refers to
    problem.parent.mkdir(exist_ok=True)
    problem.write_text("Problem: {type: object, properties: {title: {type: string}}}\n", encoding="utf-8")
    return folder


def test_the_tutorial_starts_with_its_spec() -> None:
    assert SPEC.startswith("openapi: 3.0.3\n") and len(CONFIGS) == 8


@pytest.mark.parametrize("index", range(len(CONFIGS)))
def test_every_config_snippet_lints(tmp_path: Path, index: int) -> None:
    folder = project(tmp_path, CONFIGS[index])
    done = run_cli("lint", "api.yaml", cwd=folder)
    assert done.returncode in (0, 1), done.stderr
    defined = set(re.findall(r"^  ([a-z0-9-]+):$", CONFIGS[index].split("rules:")[0], re.M))
    listed = run_cli("rules", "--format", "json", cwd=folder).stdout
    for policy_id in defined:
        assert f'"id": "{policy_id}"' in listed


def test_the_shown_outputs(tmp_path: Path) -> None:
    folder = project(tmp_path, CONFIGS[0])
    first = run_cli("lint", "api.yaml", cwd=folder).stdout
    assert first == OUTPUTS[0]  # the whole output of step 1, as shown
    folder = project(tmp_path, CONFIGS[3])
    conditional = run_cli("lint", "api.yaml", cwd=folder).stdout
    assert OUTPUTS[1].strip("\n") in conditional.splitlines()  # the `when` finding
    folder = project(tmp_path, CONFIGS[1])
    coverage = run_cli("coverage", "api.yaml", cwd=folder).stdout
    for line in OUTPUTS[2].splitlines():
        assert line in coverage.splitlines(), line
    (folder / ".errlint.yaml").write_text("policies:\n  p:\n    require: [400, 41O]\n", encoding="utf-8")
    done = run_cli("lint", "api.yaml", cwd=folder)
    shown = OUTPUTS[3].strip().removeprefix("errlint: .errlint.yaml")
    assert done.returncode == 2 and done.stderr == f"errlint: {folder / '.errlint.yaml'}{shown}\n"
