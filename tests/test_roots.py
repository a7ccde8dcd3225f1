"""Root discovery for named fragments (linter/resolve/roots.py) and ``lint --only-openapi`` on them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, git, git_commit_all, run_cli

from linter.resolve.roots import candidate_files, roots_reaching, scan_bytes

SPLIT = FIXTURES / "repos" / "split"
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


def split_repo(tmp_path: Path, *, init_git: bool = True) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(SPLIT, repo)
    if init_git:
        git(repo, "init", "-q")
        git_commit_all(repo, "specs")
    return repo


def test_scan_finds_refs_in_every_usual_spelling(tmp_path: Path) -> None:
    folder = str(tmp_path / "api")
    text = b"""\
a: {$ref: './flow.yaml#/A'}
b:
  $ref: block.yaml
c:
  "$ref": "json.json#/c"
d:
  $ref: '#/local'
e:
  $ref: https://example.com/remote.yaml
f:
  $ref: "sub/with%20space.yaml#/F"
g: {'$ref': '../up.yml'}
"""
    scanned = scan_bytes(text, os.path.join(folder, "x.yaml"))
    assert not scanned.is_root
    assert scanned.refs == {
        os.path.join(folder, "flow.yaml"),
        os.path.join(folder, "block.yaml"),
        os.path.join(folder, "json.json"),
        os.path.join(folder, "sub", "with space.yaml"),
        str(tmp_path / "up.yml"),
    }


def test_scan_sniffs_roots_as_the_folder_walk_does() -> None:
    assert scan_bytes(b"openapi: 3.1.0\ninfo: {}\n", "/r/a.yaml").is_root
    assert scan_bytes(b'{"swagger": "2.0"}', "/r/a.json").is_root
    assert not scan_bytes(b"info:\n  openapi: 3.1.0\n", "/r/a.yaml").is_root
    assert not scan_bytes(b"name: build\n", "/r/a.yml").is_root


def test_candidate_files_honour_gitignore_and_skip_vendored_folders(tmp_path: Path) -> None:
    repo = split_repo(tmp_path)
    (repo / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    (repo / "ignored").mkdir()
    (repo / "ignored" / "openapi.yaml").write_text("openapi: 3.0.3\n", encoding="utf-8")
    (repo / "untracked.yaml").write_text("openapi: 3.0.3\n", encoding="utf-8")
    found = {os.path.relpath(path, repo) for path in candidate_files(repo)}
    assert found == {
        ".github/workflows/build.yaml",
        "api/openapi.yaml",
        "api/components/responses.yaml",
        "svc/a.yaml",
        "svc/b.yaml",
        "svc/shared/errors.yaml",
        "svc/shared/orphan.yaml",
        "untracked.yaml",
    }


@pytest.mark.parametrize("init_git", [True, False], ids=["git", "no-git"])
def test_roots_reaching_a_fragment(tmp_path: Path, init_git: bool) -> None:
    repo = split_repo(tmp_path, init_git=init_git)
    found = roots_reaching(
        [repo / "api/components/responses.yaml", repo / "svc/shared/errors.yaml", repo / "svc/shared/orphan.yaml"],
        repo,
    )
    assert {os.path.relpath(root, repo): [os.path.relpath(t, repo) for t in targets] for root, targets in found.items()} == {
        "api/openapi.yaml": ["api/components/responses.yaml"],
        "svc/a.yaml": ["svc/shared/errors.yaml"],
        "svc/b.yaml": ["svc/shared/errors.yaml"],
    }


def test_roots_reaching_searches_only_the_given_roots(tmp_path: Path) -> None:
    repo = split_repo(tmp_path)
    found = roots_reaching([repo / "svc/shared/errors.yaml"], repo, [repo / "svc/a.yaml"])
    assert list(found) == [str(repo / "svc/a.yaml")]
    assert roots_reaching([repo / "svc/shared/errors.yaml"], repo, [repo / "api"]) == {}


def test_roots_reaching_through_a_chain_of_fragments(tmp_path: Path) -> None:
    repo = split_repo(tmp_path)
    (repo / "svc/shared/errors.yaml").write_text(
        "NotFound: {$ref: 'deeper/problem.yaml#/NotFound'}\n", encoding="utf-8"
    )
    (repo / "svc/shared/deeper").mkdir()
    (repo / "svc/shared/deeper/problem.yaml").write_text("NotFound: {description: gone}\n", encoding="utf-8")
    found = roots_reaching([repo / "svc/shared/deeper/problem.yaml"], repo)
    assert [os.path.relpath(root, repo) for root in found] == ["svc/a.yaml", "svc/b.yaml"]


def test_lint_only_openapi_lints_the_root_of_a_changed_fragment(tmp_path: Path) -> None:
    repo = split_repo(tmp_path)
    done = run_cli("lint", "--only-openapi", "--format", "json", "api/components/responses.yaml", cwd=repo)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [(f["file"], f["line"], f["column"], f["rule"], f["message"]) for f in report["findings"]] == [
        (
            "api/components/responses.yaml",
            9,
            7,
            "response-example-valid",
            '404 application/json example does not match its schema: message is not of type "string" (value: 42)',
        )
    ]
    assert report["summary"]["files"] == 1
    assert done.stderr == (
        "errlint: api/openapi.yaml: linted for api/components/responses.yaml, which it reaches through $ref\n"
    )


def test_lint_only_openapi_shared_fragment_lints_both_roots(tmp_path: Path) -> None:
    repo = split_repo(tmp_path)
    (repo / "svc/shared/errors.yaml").write_text(BAD_SHARED, encoding="utf-8")
    done = run_cli("lint", "--only-openapi", "--format", "json", "svc/shared/errors.yaml", cwd=repo)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    # one defect in the shared fragment, one finding: both roots' uses in related
    assert [
        (f["file"], f["line"], f["column"], f["rule"], [r["file"] for r in f["related"]]) for f in report["findings"]
    ] == [("svc/shared/errors.yaml", 9, 7, "response-example-valid", ["svc/a.yaml", "svc/b.yaml"])]
    assert report["summary"]["files"] == 2


def test_lint_only_openapi_named_root_is_not_linted_twice(tmp_path: Path) -> None:
    repo = split_repo(tmp_path)
    done = run_cli(
        "lint", "--only-openapi", "--format", "json", "api/openapi.yaml", "api/components/responses.yaml", cwd=repo
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["summary"] == {"error": 1, "warning": 0, "info": 0, "total": 1, "files": 1}
    assert done.stderr == ""


def test_lint_only_openapi_skips_unreached_and_non_spec_files_quietly(tmp_path: Path) -> None:
    repo = split_repo(tmp_path)
    done = run_cli("lint", "--only-openapi", "svc/shared/orphan.yaml", ".github/workflows/build.yaml", cwd=repo)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "0 problems (0 errors, 0 warnings, 0 infos) in 0 files\n"


def test_lint_only_openapi_roots_option_limits_the_search(tmp_path: Path) -> None:
    repo = split_repo(tmp_path)
    done = run_cli("lint", "--only-openapi", "--roots", "svc", "api/components/responses.yaml", cwd=repo)
    assert (done.returncode, done.stderr) == (0, "")
    assert "in 0 files" in done.stdout


def test_lint_only_openapi_fragment_with_baseline(tmp_path: Path) -> None:
    repo = split_repo(tmp_path)
    recorded = run_cli("baseline", "api/openapi.yaml", "-o", "base.json", cwd=repo)
    assert recorded.returncode == 0, recorded.stderr
    done = run_cli("lint", "--only-openapi", "--baseline", "base.json", "api/components/responses.yaml", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "baseline base.json: 1 known finding not shown, 0 gone since it was recorded" in done.stderr
