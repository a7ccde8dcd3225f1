"""Fingerprints and baselines: ``errlint baseline`` then ``errlint lint --baseline``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import BROKEN_REF_SPEC, run_cli

from linter.model import Finding, Location, Severity
from linter.report.fingerprint import fingerprint_base, fingerprints, relative_path, repository_root

CORE_RULESET = "rules:\n  parse-error: error\n  ref-unresolved: error\n"
SPEC = BROKEN_REF_SPEC
NEW_DEFECT = '        "500": {$ref: "#/components/responses/Broken"}\n'


def finding(line: int = 5, message: str = "m", pointer: tuple[str, ...] = ("paths", "/a", "get")) -> Finding:
    return Finding("ref-unresolved", Severity.ERROR, message, Location("specs/a.yaml", pointer, line, 3), "GET /a")


def test_fingerprint_ignores_lines_but_not_identity(tmp_path: Path) -> None:
    base = fingerprint_base(finding(), tmp_path)
    assert fingerprint_base(finding(line=99), tmp_path) == base
    assert fingerprint_base(finding(message="other wording"), tmp_path) == base
    assert fingerprint_base(finding(pointer=("paths", "/b")), tmp_path) != base
    moved = Finding("ref-unresolved", Severity.ERROR, "m", Location("specs/b.yaml", ("paths", "/a", "get"), 5, 3), "GET /a")
    assert fingerprint_base(moved, tmp_path) != base


def test_a_shared_definition_is_one_identity_whatever_uses_reach_it(tmp_path: Path) -> None:
    at = Location("lib.yaml", ("Bad",), 2, 3)
    through_a = Finding("r", Severity.ERROR, "400: x  is wrong", at, "GET /a", "400", defect="x is wrong")
    through_both = Finding("r", Severity.ERROR, "x is wrong", at, None, None, defect="x is wrong")
    assert fingerprint_base(through_a, tmp_path) == fingerprint_base(through_both, tmp_path)
    other = Finding("r", Severity.ERROR, "y is wrong", at, "GET /a", "400", defect="y is wrong")
    assert fingerprint_base(other, tmp_path) != fingerprint_base(through_a, tmp_path)


def test_fingerprints_number_twins_by_message_not_line(tmp_path: Path) -> None:
    first, second = finding(line=5, message="b"), finding(line=9, message="a")
    prints = fingerprints([first, second], tmp_path)
    assert len(set(prints)) == 2
    swapped = fingerprints([finding(line=9, message="b"), finding(line=5, message="a")], tmp_path)
    assert swapped == prints


def test_repository_root_and_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "specs").mkdir()
    monkeypatch.chdir(tmp_path / "specs")
    assert repository_root() == tmp_path
    assert relative_path("api.yaml", tmp_path) == "specs/api.yaml"
    assert relative_path("../api.yaml", tmp_path) == "api.yaml"
    outside = tmp_path.parent / "elsewhere.yaml"
    assert relative_path(str(outside), tmp_path) == outside.as_posix()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "core.yaml").write_text(CORE_RULESET, encoding="utf-8")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "api.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def lint(project: Path, *args: str, cwd: Path | None = None) -> tuple[int, list[dict], str]:
    done = run_cli(
        "lint", "--ruleset", str(project / "core.yaml"), "--format", "json", *args, cwd=cwd or project
    )
    findings = json.loads(done.stdout)["findings"] if done.stdout else []
    return done.returncode, findings, done.stderr


def test_baseline_end_to_end(project: Path) -> None:
    spec = project / "specs" / "api.yaml"
    done = run_cli("baseline", "--ruleset", "core.yaml", "specs/api.yaml", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "wrote 1 finding to .errlint-baseline.json" in done.stderr
    recorded = json.loads((project / ".errlint-baseline.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in recorded["findings"]] == ["specs/api.yaml"]
    assert "line" not in recorded["findings"][0]

    code, findings, stderr = lint(project, "--baseline", ".errlint-baseline.json", "specs/api.yaml")
    assert (code, findings) == (0, [])
    assert "1 known finding not shown, 0 gone" in stderr

    # moved lines keep the known finding known; a new defect is reported alone
    spec.write_text("# moved\n# down\n" + SPEC + NEW_DEFECT, encoding="utf-8")
    code, findings, _ = lint(project, "--baseline", ".errlint-baseline.json", "specs/api.yaml")
    assert code == 1
    assert [f["message"] for f in findings] == [
        "$ref \"#/components/responses/Broken\": /components/responses/Broken not found in specs/api.yaml"
    ]

    # run from a subfolder: paths are relative to the repository root, so it still matches
    code, findings, _ = lint(project, "--baseline", "../.errlint-baseline.json", "api.yaml", cwd=spec.parent)
    assert code == 1 and len(findings) == 1

    # the known defect fixed: reported as gone
    spec.write_text(
        SPEC.replace("Missing", "Broken") + "components: {responses: {Broken: {description: b}}}\n",
        encoding="utf-8",
    )
    code, findings, stderr = lint(project, "--baseline", ".errlint-baseline.json", "specs/api.yaml")
    assert (code, findings) == (0, [])
    assert "0 known findings not shown, 1 gone since it was recorded" in stderr


def test_baseline_entries_of_files_not_linted_are_not_gone(project: Path) -> None:
    (project / "other.yaml").write_text(SPEC, encoding="utf-8")
    done = run_cli("baseline", "--ruleset", "core.yaml", "specs/api.yaml", "other.yaml", cwd=project)
    assert done.returncode == 0, done.stderr
    code, _, stderr = lint(project, "--baseline", ".errlint-baseline.json", "other.yaml")
    assert code == 0
    assert "1 known finding not shown, 0 gone" in stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read baseline"),
        ("{not json", "not a baseline file"),
        ('{"version": 7, "findings": []}', "not an errlint baseline"),
        ('{"version": 1, "findings": [{"file": "a"}]}', "must be a list of entries"),
    ],
)
def test_bad_baseline_files_exit_2(project: Path, content: str | None, message: str) -> None:
    if content is not None:
        (project / "base.json").write_text(content, encoding="utf-8")
    code, _, stderr = lint(project, "--baseline", "base.json", "specs/api.yaml")
    assert code == 2
    assert message in stderr and stderr.count("\n") == 1


def test_baseline_not_written_when_linting_fails(project: Path) -> None:
    done = run_cli("baseline", "--ruleset", "core.yaml", "missing.yaml", "-o", "b.json", cwd=project)
    assert done.returncode == 2
    assert "missing.yaml: no such file or folder" in done.stderr
    assert not (project / "b.json").exists()


def test_a_baseline_of_every_root_holds_when_one_root_is_linted(tmp_path: Path) -> None:
    """The pre-commit hook lints only the roots a commit touches (docs/ci.md)."""
    shared = Path(__file__).parent.parent / "fixtures" / "specs" / "shared-fragment"
    for name in ("A.yaml", "B.yaml", "lib.yaml"):
        (tmp_path / name).write_text((shared / name).read_text())
    (tmp_path / ".git").mkdir()
    done = run_cli("baseline", "A.yaml", "B.yaml", "-o", "bl.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    entries = json.loads((tmp_path / "bl.json").read_text())["findings"]
    assert [(e["file"], e["rule"], e["operation"]) for e in entries] == [("lib.yaml", "response-example-valid", None)]
    done = run_cli("lint", "A.yaml", "--baseline", "bl.json", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        0,
        "errlint: baseline bl.json: 1 known finding not shown, 0 gone since it was recorded\n",
    )
    for format_, read in (
        ("sarif", lambda r: [x["partialFingerprints"]["errlint/v3"] for x in r["runs"][0]["results"]]),
        ("gitlab", lambda r: [x["fingerprint"] for x in r]),
    ):
        one = read(json.loads(run_cli("lint", "A.yaml", "--format", format_, cwd=tmp_path).stdout))
        both = read(json.loads(run_cli("lint", "A.yaml", "B.yaml", "--format", format_, cwd=tmp_path).stdout))
        assert len(one) == 1 and one == both, format_
