"""errlint fix: required error responses added as $refs, files kept as written, lint clean after."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from helpers import CORPUS, FIXTURES, REAL, corpus_param, run_cli

from linter.api import LintOptions, lint_paths
from linter.audit.fix import fix_paths, ref_string
from linter.edit.roundtrip import CannotEdit, editor_for
from linter.model import Finding

AUDIT = FIXTURES / "audit"


def copy_fixture(name: str, tmp_path: Path) -> Path:
    source = AUDIT / name
    if source.is_dir():
        shutil.copytree(source, tmp_path / name)
    else:
        shutil.copy(source, tmp_path / name)
    return tmp_path / name


def lint(path: Path, ruleset: str) -> list[Finding]:
    return lint_paths([str(path)], LintOptions(rulesets=(ruleset,))).findings


def removed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line.startswith("-") and not line.startswith("---")]


def keeps_every_line(before: str, after: str) -> bool:
    """Whether ``after`` has all lines of ``before``, in order (linear time): nothing but
    insertions, and the comma JSON needs after a member that is no longer the last."""
    remaining = iter(line.rstrip(",") for line in after.splitlines())
    return all(line.rstrip(",") in remaining for line in before.splitlines())


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line and "$ref" not in line]


# -- the command on the fixtures ------------------------------------------------------------
def test_fix_declares_what_the_rules_require_and_keeps_the_file(tmp_path: Path) -> None:
    spec = copy_fixture("saleslayer.yaml", tmp_path)
    before = spec.read_text(encoding="utf-8")
    result = run_cli("fix", str(spec), "--ruleset", "saleslayer")
    assert result.returncode == 0, result.stderr
    after = spec.read_text(encoding="utf-8")

    remaining = {(f.rule, f.operation) for f in lint(spec, "saleslayer")}
    assert remaining == {("saleslayer-403-forbidden", "DELETE /rest/DAM/Images/{imageId}")}
    assert "left alone" in result.stderr and "--unsafe" in result.stderr
    assert removed_lines(before, after) == []
    assert comment_lines(after) == comment_lines(before)
    assert '"200": &ok' in after and '"200": *ok' in after
    # new members follow the file: double-quoted status keys and $refs, 2-space indentation
    assert '        "404":\n          $ref: "#/components/responses/NotFound"\n' in after
    assert (
        "    NotFound:\n      description: Not Found\n      content:\n        application/problem+json:"
        in after
    )
    # the shared responses that exist are reused, not duplicated
    assert after.count("Unauthorized:") == 1

    again = run_cli("fix", str(spec), "--ruleset", "saleslayer")
    assert again.returncode == 0 and "made 0 changes" in again.stderr
    assert spec.read_text(encoding="utf-8") == after


def test_unsafe_removes_forbidden_codes(tmp_path: Path) -> None:
    spec = copy_fixture("saleslayer.yaml", tmp_path)
    before = spec.read_text(encoding="utf-8")
    result = run_cli("fix", str(spec), "--ruleset", "saleslayer", "--unsafe")
    assert result.returncode == 0, result.stderr
    assert lint(spec, "saleslayer") == []
    assert removed_lines(before, spec.read_text(encoding="utf-8")) == [
        "-        '403':",
        "-          description: Not allowed  # DAM never answers 403",
    ]


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    spec = copy_fixture("saleslayer.yaml", tmp_path)
    before = spec.read_bytes()
    result = run_cli("fix", str(spec), "--ruleset", "saleslayer", "--dry-run")
    assert result.returncode == 1
    assert spec.read_bytes() == before
    assert result.stdout.startswith(f"--- a/{str(spec).lstrip('/')}\n+++ b/")
    assert '+        "404":' in result.stdout
    assert "would make" in result.stderr


def test_a_file_with_nothing_to_fix_is_not_touched(tmp_path: Path) -> None:
    spec = copy_fixture("saleslayer.yaml", tmp_path)
    fix_paths([str(spec)], LintOptions(rulesets=("saleslayer",))).write()
    stat = spec.stat()
    content = spec.read_bytes()
    result = run_cli("fix", str(spec), "--ruleset", "saleslayer")
    assert result.returncode == 0
    assert spec.read_bytes() == content and spec.stat().st_mtime_ns == stat.st_mtime_ns
    dry = run_cli("fix", str(spec), "--ruleset", "saleslayer", "--dry-run")
    assert (dry.returncode, dry.stdout) == (0, "")


def test_json_keeps_its_indentation_and_layout(tmp_path: Path) -> None:
    spec = copy_fixture("jsonapi.json", tmp_path)
    before = spec.read_text(encoding="utf-8")
    result = run_cli("fix", str(spec), "--ruleset", "jsonapi")
    assert result.returncode == 0, result.stderr
    after = spec.read_text(encoding="utf-8")
    assert lint(spec, "jsonapi") == []
    document = json.loads(after)
    assert document["paths"]["/articles"]["post"]["responses"]["415"] == {
        "$ref": "#/components/responses/UnsupportedMediaType"
    }
    assert document["components"]["schemas"]["JsonApiErrors"]["required"] == ["errors"]
    # the one-line members stay one line; only the emptied "schemas": {} is rewritten
    assert removed_lines(before, after) == ['-    "schemas": {}']
    new = [line for line in after.splitlines() if line not in before.splitlines()]
    assert all((len(line) - len(line.lstrip(" "))) % 2 == 0 for line in new)


def test_multi_file_specs_fix_the_operation_file(tmp_path: Path) -> None:
    folder = copy_fixture("split", tmp_path)
    result = run_cli("fix", str(folder / "openapi.yaml"), "--ruleset", "saleslayer")
    assert result.returncode == 0, result.stderr
    items = (folder / "paths" / "items.yaml").read_text(encoding="utf-8")
    assert "$ref: '../openapi.yaml#/components/responses/NotFound'" in items
    assert items.startswith("# One path item in its own file")
    assert "NotFound:" in (folder / "openapi.yaml").read_text(encoding="utf-8")
    assert lint(folder / "openapi.yaml", "saleslayer") == []


def test_components_file_takes_the_new_shared_responses(tmp_path: Path) -> None:
    folder = copy_fixture("split", tmp_path)
    root_before = (folder / "openapi.yaml").read_bytes()
    components = folder / "components.yaml"
    result = run_cli(
        "fix", str(folder / "openapi.yaml"), "--ruleset", "saleslayer", "--components-file", str(components)
    )
    assert result.returncode == 0, result.stderr
    assert (folder / "openapi.yaml").read_bytes() == root_before
    assert (
        "../components.yaml#/components/responses/NotFound" in (folder / "paths" / "items.yaml").read_text()
    )
    shared = yaml.safe_load(components.read_text(encoding="utf-8"))
    assert set(shared["components"]["responses"]) == {"NotFound", "InternalServerError"}
    assert lint(folder / "openapi.yaml", "saleslayer") == []


def test_swagger_2_uses_root_responses_and_definitions(tmp_path: Path) -> None:
    spec = copy_fixture("swagger2.yaml", tmp_path)
    assert run_cli("fix", str(spec), "--ruleset", "saleslayer").returncode == 0
    text = spec.read_text(encoding="utf-8")
    assert (
        '        404:\n          $ref: "#/responses/NotFound"\n' in text
    )  # plain keys, as the file writes them
    data = yaml.safe_load(text)
    assert data["responses"]["NotFound"]["schema"] == {"$ref": "#/definitions/ProblemDetails"}
    assert "ProblemDetails" in data["definitions"]
    assert lint(spec, "saleslayer") == []


# -- real specs -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "ruleset"),
    [
        corpus_param(CORPUS / "commercelayer-core" / "gen" / "openapi.json", "commercelayer", id="commercelayer-core"),
        corpus_param(CORPUS / "docker-engine" / "api" / "swagger.yaml", "saleslayer", id="docker-engine"),
        pytest.param(REAL / "redocly-museum" / "openapi.yaml", "saleslayer", id="redocly-museum"),
        pytest.param(REAL / "nakadi" / "nakadi-event-bus-api.yaml", "saleslayer", id="nakadi"),  # Swagger 2.0
        pytest.param(REAL / "commercelayer-rail0" / "openapi.json", "commercelayer", id="commercelayer-rail0"),
    ],
)
def test_real_specs_lint_clean_of_the_fixed_findings(tmp_path: Path, source: Path, ruleset: str) -> None:
    spec = tmp_path / source.name
    shutil.copy(source, spec)
    before = spec.read_text(encoding="utf-8")
    result = fix_paths([str(spec)], LintOptions(rulesets=(ruleset,)))
    assert result.errors == []
    result.write()
    after = spec.read_text(encoding="utf-8")
    fixed = {change.rule for change in result.changes if change.rule}
    assert fixed
    assert not [f for f in lint(spec, ruleset) if f.rule in fixed]
    assert keeps_every_line(before, after)
    assert comment_lines(after) == comment_lines(before)


# -- the text editors -----------------------------------------------------------------------
RESPONSE = {"404": {"$ref": "#/components/responses/NotFound"}}


def edited(name: str, text: str, pointer: tuple[str, ...], entries: dict[str, object]) -> str:
    editor = editor_for(Path(name), text)
    editor.add(pointer, entries)
    return editor.result()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a block scalar last: the new key goes after its text, before the blank line
        (
            "r:\n  '200':\n    description: |\n      ok\n\nnext: 1\n",
            "r:\n  '200':\n    description: |\n      ok\n  '404':\n    $ref: '#/components/responses/NotFound'\n\nnext: 1\n",
        ),
        # an alias last
        (
            "a: &ok {}\nr:\n  '200': *ok\nnext: 1\n",
            "a: &ok {}\nr:\n  '200': *ok\n  '404':\n    $ref: '#/components/responses/NotFound'\nnext: 1\n",
        ),
        # an empty flow mapping becomes a block
        ("r: {}  # none yet\n", "r:\n  '404':\n    $ref: '#/components/responses/NotFound'  # none yet\n"),
        # a key without a value
        ("r:\nnext: 1\n", "r:\n  '404':\n    $ref: '#/components/responses/NotFound'\nnext: 1\n"),
        # a non-empty flow mapping stays flow
        (
            "r: {'200': {description: ok}}\n",
            "r: {'200': {description: ok}, '404': {\"$ref\": \"#/components/responses/NotFound\"}}\n",
        ),
        # no newline at the end
        ("r:\n  '200': {}", "r:\n  '200': {}\n  '404':\n    $ref: '#/components/responses/NotFound'\n"),
    ],
)
def test_yaml_insertions(text: str, expected: str) -> None:
    assert edited("a.yaml", text, ("r",), RESPONSE) == expected


def test_yaml_keeps_kept_trailing_lines_and_windows_newlines() -> None:
    kept = "r:\n  '200':\n    description: |+\n      ok\n\nnext: 1\n"
    result = edited("a.yaml", kept, ("r",), RESPONSE)
    assert yaml.safe_load(result)["r"]["200"]["description"] == "ok\n\n"
    crlf = "r:\r\n  '200':\r\n    description: ok\r\n"
    assert edited("a.yaml", crlf, ("r",), RESPONSE).endswith(
        "  '404':\r\n    $ref: '#/components/responses/NotFound'\r\n"
    )


def test_yaml_creates_missing_parents_once() -> None:
    editor = editor_for(Path("a.yaml"), "openapi: 3.0.3\ncomponents:\n    schemas:\n        A: {}\n")
    editor.add(("components", "responses"), {"NotFound": {"description": "Not Found"}})
    editor.add(("components", "schemas"), {"Problem": {"type": "object", "required": ["type"]}})
    assert editor.result() == (
        "openapi: 3.0.3\ncomponents:\n    schemas:\n        A: {}\n"
        "        Problem:\n            type: object\n            required:\n                - type\n"
        "    responses:\n        NotFound:\n            description: Not Found\n"
    )


def test_yaml_refuses_to_edit_through_an_alias() -> None:
    editor = editor_for(Path("a.yaml"), "a: &shared\n  x: 1\nb: *shared\n")
    editor.add(("b",), {"y": 2})
    with pytest.raises(CannotEdit, match="alias"):
        editor.result()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"r": {"200": {}}}', '{"r": {"200": {}, "404": {"$ref": "#/x"}}}'),
        ('{\n\t"r": {}\n}\n', '{\n\t"r": {\n\t\t"404": {\n\t\t\t"$ref": "#/x"\n\t\t}\n\t}\n}\n'),
        (
            '{\n  "r": {\n    "200": {}\n  }\n}',
            '{\n  "r": {\n    "200": {},\n    "404": {\n      "$ref": "#/x"\n    }\n  }\n}',
        ),
    ],
)
def test_json_insertions(text: str, expected: str) -> None:
    assert edited("a.json", text, ("r",), {"404": {"$ref": "#/x"}}) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("a", '{\n  "b": 2,\n  "c": 3\n}'),
        ("b", '{\n  "a": 1,\n  "c": 3\n}'),
        ("c", '{\n  "a": 1,\n  "b": 2\n}'),
    ],
)
def test_json_removals(key: str, expected: str) -> None:
    editor = editor_for(Path("a.json"), '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}')
    editor.remove((), key)
    assert editor.result() == expected


def test_ref_strings(tmp_path: Path) -> None:
    root, op_file = tmp_path / "openapi.yaml", tmp_path / "paths" / "a.yaml"
    assert (
        ref_string(root, root, ("components", "responses", "NotFound")) == "#/components/responses/NotFound"
    )
    assert ref_string(op_file, root, ("responses", "a/b")) == "../openapi.yaml#/responses/a~1b"
    assert ref_string(op_file, tmp_path / "shared" / "e.yaml", ()) == "../shared/e.yaml"


# -- standard input: printed, never written -------------------------------------------------
def test_fix_of_standard_input_prints_the_fixed_spec_and_writes_nothing(tmp_path: Path) -> None:
    before = (AUDIT / "saleslayer.yaml").read_text(encoding="utf-8")
    (tmp_path / "precious.yaml").write_text("keep: me\n", encoding="utf-8")
    expected = tmp_path / "expected.yaml"
    expected.write_text(before, encoding="utf-8")
    run_cli("fix", str(expected), "--ruleset", "saleslayer")
    for extra in ((), ("--stdin-filename", "precious.yaml")):
        result = run_cli("fix", "-", "--ruleset", "saleslayer", *extra, cwd=tmp_path, input_text=before)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected.read_text(encoding="utf-8") != before
        assert result.stderr.splitlines()[-1] == "errlint: made 12 changes (printed on standard output)"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["expected.yaml", "precious.yaml"]
        assert (tmp_path / "precious.yaml").read_text(encoding="utf-8") == "keep: me\n"


def test_fix_dry_run_of_standard_input_prints_the_diff(tmp_path: Path) -> None:
    before = (AUDIT / "saleslayer.yaml").read_text(encoding="utf-8")
    result = run_cli("fix", "-", "--ruleset", "saleslayer", "--dry-run", cwd=tmp_path, input_text=before)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("--- a/<stdin>\n+++ b/<stdin>\n")
    assert '+        "404":' in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_fix_of_standard_input_that_needs_files_says_so(tmp_path: Path) -> None:
    before = (AUDIT / "saleslayer.yaml").read_text(encoding="utf-8")
    other = copy_fixture("swagger2.yaml", tmp_path)
    result = run_cli("fix", "-", str(other), "--ruleset", "saleslayer", cwd=tmp_path, input_text=before)
    assert result.returncode == 2
    assert result.stderr == (
        "errlint: fix -: standard input must be the only PATH; "
        "fix writes files: save the spec to a file and run fix on it\n"
    )
    assert result.stdout == ""
    result = run_cli(
        "fix", "-", "--ruleset", "saleslayer", "--components-file", "c.yaml", cwd=tmp_path, input_text=before
    )
    assert result.returncode == 2
    assert result.stderr == (
        "errlint: fix -: --components-file would write a file; "
        "fix writes files: save the spec to a file and run fix on it\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["swagger2.yaml"]


def test_fix_of_standard_input_whose_operations_live_in_other_files_writes_nothing(tmp_path: Path) -> None:
    folder = copy_fixture("split", tmp_path)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    spec = (folder / "openapi.yaml").read_text(encoding="utf-8")
    result = run_cli("fix", "-", "--ruleset", "saleslayer", cwd=folder, input_text=spec)
    assert result.returncode == 2
    assert result.stderr == (
        "errlint: fix -: the fixes would also change paths/items.yaml; "
        "fix writes files: save the spec to a file and run fix on it\n"
    )
    assert result.stdout == ""
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
