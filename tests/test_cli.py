"""The installed ``errlint`` command: exit codes, --fail-on, reports, bad input, folder walking."""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, ROOT, errlint_command, read_terminal, run_cli

from linter import __version__

RULES = FIXTURES / "rules"
CORE = FIXTURES / "specs" / "core"
CLEAN = RULES / "ref-remote" / "good.yaml"
ERRORS = RULES / "ref-unresolved" / "bad.yaml"
WARNING_ONLY = RULES / "ref-remote" / "bad.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TEXT_LINE = re.compile(r"^  (\d+):(\d+) +(error|warning|info) +(.+?)  ([a-z0-9-]+)$")


def report(*args: str, cwd: Path | None = None) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    """Run ``errlint lint --format json ARGS`` and parse its report."""
    done = run_cli("lint", "--format", "json", *args, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout), done


def where(findings: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
    return [(Path(f["file"]).name, f["rule"], f["line"], f["column"]) for f in findings]


# -- version -------------------------------------------------------------------------------------
def test_version_from_the_command_and_the_module() -> None:
    assert run_cli("--version").stdout.strip() == f"errlint {__version__}"
    module = subprocess.run(
        [sys.executable, "-m", "linter", "--version"], capture_output=True, text=True, timeout=60
    )
    assert (module.returncode, module.stdout.strip()) == (0, f"errlint {__version__}")


# -- exit codes and --fail-on --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "fail_on", "code"),
    [
        (CLEAN, None, 0),
        (ERRORS, None, 1),
        (ERRORS, "never", 0),
        (WARNING_ONLY, None, 0),
        (WARNING_ONLY, "warning", 1),
        (WARNING_ONLY, "info", 1),
    ],
    ids=["clean", "errors", "errors-never", "warning", "warning-fail-on-warning", "warning-fail-on-info"],
)
def test_exit_code_follows_fail_on(spec: Path, fail_on: str | None, code: int) -> None:
    args = ["lint", str(spec), *(["--fail-on", fail_on] if fail_on else [])]
    done = run_cli(*args)
    assert done.returncode == code, done.stdout + done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "no/such/spec.yaml"], "errlint: no/such/spec.yaml: no such file or folder"),
        (["lint", "--format", "yaml-please", str(CLEAN)], "errlint: unknown format \"yaml-please\""),
        (["lint", "--fail-on", "sometimes", str(CLEAN)], "errlint: Invalid value for '--fail-on'"),
        (["lint", "--ruleset", "no-such-ruleset", str(CLEAN)], "errlint: ruleset \"no-such-ruleset\""),
        (["lint", "--no-such-option", str(CLEAN)], "errlint: No such option"),
    ],
    ids=["missing-path", "unknown-format", "bad-fail-on", "unknown-ruleset", "unknown-option"],
)
def test_errlint_failures_exit_2_with_one_line(args: list[str], message: str) -> None:
    done = run_cli(*args)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(message), done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""  # nothing was linted: no report, not even an empty summary


def test_a_missing_path_beside_a_real_one_still_lints_the_real_one() -> None:
    findings, done = report(str(ERRORS), "missing.yaml")
    assert done.returncode == 2
    assert done.stderr == "errlint: missing.yaml: no such file or folder\n"
    assert {Path(f["file"]).name for f in findings["findings"]} == {"bad.yaml"}


def test_a_bad_config_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / ".errlint.yaml").write_text("rules:\n  spec-structure: loud\n")
    (tmp_path / "openapi.yaml").write_text(CLEAN.read_text())
    done = run_cli("lint", "openapi.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert re.fullmatch(r"errlint: \S*\.errlint\.yaml:2:3: severity must be .*\n", done.stderr), done.stderr


# -- bad input is findings, never a crash ---------------------------------------------------------
BAD_INPUTS: dict[str, bytes] = {
    "empty.yaml": b"",
    "binary.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    "syntax.yaml": b'openapi: 3.0.3\ninfo: {title: t, version: "1"\npaths: {}\n',
    "array.json": b'[{"openapi": "3.0.3"}]',
    "no-paths.yaml": b'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n',
    "latin1.yaml": b'openapi: 3.0.3\ninfo: {title: "caf\xe9", version: "1"}\npaths: {}\n',
    "bom-crlf.json": codecs.BOM_UTF8
    + b'{\r\n\t"openapi": "3.1.0",\r\n\t"info": {"title": "t", "version": "1"},\r\n\t"paths": {}\r\n}\r\n',
}


def test_bad_inputs_are_findings_with_positions(tmp_path: Path) -> None:
    for name, content in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(content)
    findings, done = report(*BAD_INPUTS, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == ""
    assert where(findings["findings"]) == [
        ("array.json", "not-openapi", 1, 1),
        ("binary.yaml", "parse-error", 1, 1),
        ("empty.yaml", "not-openapi", 1, 1),
        ("latin1.yaml", "parse-error", 2, 19),
        ("no-paths.yaml", "spec-structure", 1, 1),
        ("syntax.yaml", "parse-error", 3, 1),
    ]
    assert findings["summary"]["files"] == len(BAD_INPUTS)


# -- reports --------------------------------------------------------------------------------------
def test_json_report_contract_with_relative_paths_kept_relative() -> None:
    findings, done = report("missing-file/openapi.yaml", cwd=RULES / "ref-unresolved")
    assert done.returncode == 1
    assert findings["version"] == 1
    assert findings["summary"] == {"error": 3, "warning": 0, "info": 0, "total": 3, "files": 1}
    first = findings["findings"][0]
    assert set(first) == {
        "rule",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "pointer",
        "operation",
        "status",
        "related",
    }
    assert [(f["file"], f["line"], f["column"], f["pointer"]) for f in findings["findings"]] == [
        ("missing-file/errors/responses.yaml", 6, 9, "/NotFound/content/application~1json/schema/$ref"),
        ("missing-file/openapi.yaml", 11, 17, "/paths/~1pets/get/responses/409/$ref"),
        ("missing-file/openapi.yaml", 12, 17, "/paths/~1pets/get/responses/500/$ref"),
    ]
    assert {(f["operation"], f["status"], f["severity"]) for f in findings["findings"]} == {
        (None, None, "error")
    }


def test_text_report_groups_by_file_and_ends_with_a_summary() -> None:
    done = run_cli("lint", "missing-file/openapi.yaml", cwd=RULES / "ref-unresolved")
    lines = done.stdout.splitlines()
    assert lines[0] == "missing-file/errors/responses.yaml"
    assert lines[3] == "missing-file/openapi.yaml"
    parsed = [TEXT_LINE.match(line) for line in (lines[1], lines[4], lines[5])]
    assert [m.groups()[:3] + m.groups()[4:] for m in parsed if m] == [
        ("6", "9", "error", "ref-unresolved"),
        ("11", "17", "error", "ref-unresolved"),
        ("12", "17", "error", "ref-unresolved"),
    ]
    assert lines[-1] == "3 problems (3 errors, 0 warnings, 0 infos) in 1 file"
    assert not ANSI.search(done.stdout)


def run_on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """stdout of ``errlint ARGS`` when it is a terminal."""
    import pty

    parent, child = pty.openpty()
    try:
        subprocess.run(
            [*errlint_command(), *args], stdout=child, stderr=subprocess.DEVNULL, env=env, timeout=60
        )
    finally:
        os.close(child)
    return read_terminal(parent)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert ANSI.search(run_on_a_terminal("lint", str(ERRORS), env=env))
    assert not ANSI.search(run_on_a_terminal("lint", str(ERRORS), "--no-color", env=env))
    assert not ANSI.search(run_on_a_terminal("lint", str(ERRORS), env={**env, "NO_COLOR": "1"}))


def test_output_file_and_quiet(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    done = run_cli("lint", str(ERRORS), "--format", "json", "--output", str(target))
    assert (done.returncode, done.stdout) == (1, "")
    assert json.loads(target.read_text())["summary"]["error"] == 4
    quiet = run_cli("lint", str(CLEAN), "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_unused_ignores_are_info_findings_on_request(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        CLEAN.read_text().replace("    get:\n", "    get:\n      x-errlint-ignore: [ref-cycle]\n")
    )
    plain, _ = report(str(spec))
    assert plain["findings"] == []
    findings, done = report(str(spec), "--report-unused-ignores", "--fail-on", "info")
    assert done.returncode == 1
    assert [(f["rule"], f["severity"], f["line"], f["pointer"]) for f in findings["findings"]] == [
        ("unused-ignore", "info", 8, "/paths/~1pets/get/x-errlint-ignore/0")
    ]


# -- folders --------------------------------------------------------------------------------------
def test_folders_are_walked_for_specs_only() -> None:
    findings, done = report("walk", cwd=CORE)
    assert done.returncode == 1
    assert findings["summary"]["files"] == 3
    assert sorted({f["file"] for f in findings["findings"]}) == [
        "walk/nested/api.json",
        "walk/nested/broken.yml",
        "walk/openapi.yaml",
    ]


def test_jobs_lint_root_specs_in_parallel_with_the_same_report(tmp_path: Path) -> None:
    sources = [
        FIXTURES / "rules" / "spec-structure" / "bad.yaml",
        FIXTURES / "rules" / "parse-error" / "bad.yaml",
        ROOT / "examples" / "petstore.yaml",
    ]
    for index, source in enumerate(sources):
        (tmp_path / f"spec{index}.yaml").write_bytes(source.read_bytes())
    serial = run_cli("lint", str(tmp_path), "--format", "json", "--jobs", "1", "--explain-scope")
    parallel = run_cli("lint", str(tmp_path), "--format", "json", "--jobs", "3", "--explain-scope")
    assert serial.returncode == parallel.returncode == 1
    assert json.loads(parallel.stdout) == json.loads(serial.stdout)
    assert parallel.stderr == serial.stderr
    assert "GET /pets: no family" in parallel.stderr
    assert len(json.loads(parallel.stdout)["findings"]) >= 3
