"""errlint fix on awkward YAML: line breaks the parser counts, merge keys, explicit keys,
one bad spot among good ones, and a bad --components-file (issue: nothing lost)."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES, run_cli

from linter.api import LintOptions, lint_paths
from linter.audit.fix import fix_paths

CL = LintOptions(rulesets=("commercelayer",))
ADDED = ["200", "401", "406", "429", "500"]


def fix(path: Path, **kwargs: object) -> tuple[list[str], list[str]]:
    result = fix_paths([str(path)], CL, **kwargs)  # type: ignore[arg-type]
    result.write()
    return result.skipped, result.errors


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# -- line breaks as the parser counts them ---------------------------------------------------
def two_operations(separator: str) -> str:
    return (
        'openapi: 3.0.3\ninfo: {title: "T' + separator + '", version: "1"}\npaths:\n'
        "  /p0:\n    get:\n      responses:\n        '200': {description: ok}\n      x-note:\n"
        "  /p1:\n    put:\n      responses:\n        '200': {description: ok}\n      x-note:\n"
    )


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\r"], ids=["LS", "PS", "NEL", "CR"])
def test_unusual_line_breaks_do_not_move_edits(tmp_path: Path, separator: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(two_operations(separator).encode("utf-8"))
    skipped, errors = fix(spec)
    assert errors == [] and skipped == []
    paths = yaml.safe_load(spec.read_bytes().decode("utf-8"))["paths"]
    for path, method in (("/p0", "get"), ("/p1", "put")):
        assert sorted(paths[path][method]["responses"]) == ADDED
        assert paths[path][method]["x-note"] is None


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"], ids=["LS", "PS", "NEL"])
def test_positions_after_an_unusual_line_break_are_the_editor_lines(tmp_path: Path, separator: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(two_operations(separator).encode("utf-8"))
    findings = lint_paths([str(spec)], CL).findings
    where = {
        (f.operation, f.location.line, f.location.column)
        for f in findings
        if f.rule == "jsonapi-406-declared"
    }
    # editors show LS, PS and NEL inside a line: "responses:" of GET /p0 is on line 6
    assert where == {("GET /p0", 6, 7), ("PUT /p1", 11, 7)}


# -- merge keys, explicit keys, one bad spot --------------------------------------------------
MERGED = """\
openapi: 3.0.3
info: {title: T, version: "1"}
x-base:
  get: &get
    responses: {'200': {description: ok}}
  item: &item
    get:
      responses: {'200': {description: ok}}
x-r: &r0
  '200': {description: ok}
paths:
  /merged-operation:
    get: {<<: *get, summary: A}
  /merged-path-item:
    <<: *item
  /explicit:
    get:
      responses:
        ? '200'
        : description: ok
  /aliased:
    get:
      responses: *r0
  /trailing-comma:
    get:
      responses: {'200': {description: ok}, }
  /duplicate:
    get:
      x-dup: 1
      x-dup: 2
      responses:
        '200': {description: ok}
"""


def test_merge_keys_aliases_and_trailing_commas_are_left_alone_and_the_rest_fixed(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(MERGED, encoding="utf-8")
    skipped, errors = fix(spec)
    assert errors == []
    reasons = {line.split(": ")[1]: line for line in skipped if "GET" in line}
    assert set(reasons) == {
        "GET /merged-operation",
        "GET /merged-path-item",
        "GET /aliased",
        "GET /trailing-comma",
    }
    assert "merge key (<<)" in reasons["GET /merged-operation"]
    assert "merge key (<<)" in reasons["GET /merged-path-item"]
    assert "YAML alias" in reasons["GET /aliased"]
    assert "would not parse" in reasons["GET /trailing-comma"]
    paths = load(spec)["paths"]
    # the merged 200 is not hidden by a new "responses:", the explicit key gets siblings
    assert paths["/merged-operation"]["get"]["responses"] == {"200": {"description": "ok"}}
    assert paths["/merged-path-item"]["get"]["responses"] == {"200": {"description": "ok"}}
    assert sorted(paths["/explicit"]["get"]["responses"]) == ADDED
    assert paths["/explicit"]["get"]["responses"]["200"] == {"description": "ok"}
    assert sorted(paths["/duplicate"]["get"]["responses"]) == ADDED


def test_left_alone_lines_escape_spec_text(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    key = "/x\\n::error file=README.md,line=1::Injected\\e]8;;x\\a"
    spec.write_text(
        f'openapi: 3.0.3\ninfo: {{title: T, version: "1"}}\nx-r: &r\n  "200": {{description: ok}}\n'
        f'paths:\n  "{key}":\n    get:\n      responses: *r\n',
        encoding="utf-8",
    )
    done = run_cli("fix", str(spec), "--ruleset", "commercelayer")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert all(not line.startswith("::") and "\x1b" not in line for line in lines)
    assert "left alone: " in lines[0] and "GET /x\\x0a::error file=README.md" in lines[0]
    assert "Injected\\x1b]8;;x\\x07" in lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ("lint", "-v", "--format", "json"),
        ("coverage", "--format", "text"),
        ("coverage", "--format", "markdown"),
    ],
    ids=["lint-v", "coverage-text", "coverage-markdown"],
)
def test_printed_spec_text_cannot_forge_log_lines(tmp_path: Path, command: tuple[str, ...]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths:\n'
        '  "/x\\n::error file=README.md,line=1::Injected\\e]0;pwned\\a":\n'
        "    get:\n      tags: [\"a\\nb\"]\n      responses:\n        '200': {description: ok}\n",
        encoding="utf-8",
    )
    done = run_cli(*command, str(spec))
    assert done.returncode in (0, 1), done.stderr
    output = done.stdout + done.stderr if command[0] == "coverage" else done.stderr
    assert "\x1b" not in output and "\x07" not in output
    assert not any(line.startswith("::") for line in output.splitlines())
    assert "/x\\x0a::error file=README.md,line=1::Injected\\x1b]0;pwned\\x07" in output


# -- the components file ------------------------------------------------------------------------
def split_copy(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "audit" / "split", tmp_path / "split")
    return tmp_path / "split"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"- a\n- b\n", "not a YAML or JSON mapping"),
        (b"components: {\n", "cannot parse the YAML (did not find expected node content at line 2, column 1)"),
        (b"components:\n  x: \xff\n", "not valid UTF-8 text"),
    ],
    ids=["list", "unparsable", "undecodable"],
)
def test_a_bad_components_file_writes_nothing(tmp_path: Path, content: bytes, message: str) -> None:
    folder = split_copy(tmp_path)
    (folder / "components.yaml").write_bytes(content)
    before = snapshot(folder)
    done = run_cli(
        "fix",
        str(folder / "openapi.yaml"),
        "--ruleset",
        "saleslayer",
        "--components-file",
        str(folder / "components.yaml"),
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert snapshot(folder) == before


def test_a_components_file_outside_the_spec_folder_is_refused(tmp_path: Path) -> None:
    folder = split_copy(tmp_path)
    before = snapshot(folder)
    done = run_cli(
        "fix",
        str(folder / "openapi.yaml"),
        "--ruleset",
        "saleslayer",
        "--components-file",
        str(tmp_path / "elsewhere.yaml"),
    )
    assert done.returncode == 2
    assert "outside the spec's folder" in done.stderr and done.stderr.count("\n") == 1
    assert snapshot(folder) == before and not (tmp_path / "elsewhere.yaml").exists()


def test_multi_file_fix_is_all_or_nothing(tmp_path: Path) -> None:
    # the operation file can be edited, the root (where the shared responses go) cannot
    folder = split_copy(tmp_path)
    root = folder / "openapi.yaml"
    root.write_text(root.read_text(encoding="utf-8") + "components: {schemas: {X: {type: object}, }}\n")
    before = snapshot(folder)
    done = run_cli("fix", str(root), "--ruleset", "saleslayer")
    assert done.returncode == 2, done.stderr
    assert "nothing written" in done.stderr
    assert snapshot(folder) == before


# -- encodings and line endings -----------------------------------------------------------------
SIMPLE = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n"


@pytest.mark.parametrize(
    "codec, bom",
    [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-8", codecs.BOM_UTF8)],
)
def test_the_encoding_and_bom_are_kept(tmp_path: Path, codec: str, bom: bytes) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(bom + SIMPLE.encode(codec))
    assert fix(spec) == ([], [])
    raw = spec.read_bytes()
    assert raw.startswith(bom)
    assert sorted(yaml.safe_load(raw[len(bom) :].decode(codec))["paths"]["/a"]["get"]["responses"]) == ADDED


def test_a_crlf_components_file_stays_crlf(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SIMPLE, encoding="utf-8")
    components = tmp_path / "components.yaml"
    components.write_bytes(b"components:\r\n  schemas:\r\n    Other: {type: object}\r\n")
    assert fix(spec, components_file=components) == ([], [])
    raw = components.read_bytes()
    assert b"Unauthorized" in raw and raw.count(b"\n") == raw.count(b"\r\n")


def test_one_crlf_in_an_lf_file_does_not_make_new_lines_crlf(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(SIMPLE.replace("paths:\n", "paths:\r\n").encode())
    assert fix(spec) == ([], [])
    assert spec.read_bytes().count(b"\r\n") == 1
