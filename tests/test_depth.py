"""The nesting limit is errlint's (``--max-depth``, docs/security.md), whatever parser reads the file.

PyYAML 6.0.4 bundles a libyaml that refuses nesting past 1000 levels with its own message, and
orjson refuses JSON past 1024 levels; neither may speak before errlint. ``.ci/newest`` runs this
file again with PyYAML 6.0.3 (no libyaml limit) and 6.0.4 installed.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from helpers import FIXTURES, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.api import LintOptions, lint_paths
from linter.edit.roundtrip import editor_for
from linter.load import yamlfast
from linter.load.document import DEPTH_CEILING, Limits
from linter.load.json_deep import BadJson, JsonTooDeep, load_deep_json
from linter.load.libyaml import LIBYAML_NEST_LEVEL, yaml_loader
from linter.load.reader import load_document, parse_document

HEAD = 'openapi: 3.0.3\ninfo: {title: Deep, version: "1"}\npaths: {}\n'
JSON_HEAD = '{"openapi": "3.0.3", "info": {"title": "Deep", "version": "1"}, "paths": {}, "x-deep": '
#: seconds: each run below takes well under one on a CI-sized machine
QUICK = 10.0


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def deep(kind: str, levels: int) -> str:
    """A spec whose ``x-deep`` member holds ``levels`` containers one inside the other, written as
    ``kind`` (the suffix says YAML or JSON). With the root, the data nests ``levels + 1`` deep."""
    if kind == "flow-sequences.yaml":
        return HEAD + "x-deep: " + "[" * levels + "]" * levels + "\n"
    if kind == "flow-mappings.yaml":
        return HEAD + "x-deep: " + "{a: " * levels + "1" + "}" * levels + "\n"
    if kind == "block-sequences.yaml":
        return HEAD + "x-deep:\n  " + "- " * levels + "x\n"
    if kind == "block-mappings.yaml":
        keys = "".join(" " * (level + 1) + "k:\n" for level in range(levels - 1))
        return HEAD + "x-deep:\n" + keys + " " * levels + "k: 1\n"
    if kind == "arrays.json":
        return JSON_HEAD + "[" * levels + "]" * levels + "}"
    if kind == "objects.json":
        return JSON_HEAD + '{"a": ' * levels + "1" + "}" * levels + "}"
    raise AssertionError(kind)


KINDS = [
    "flow-sequences.yaml",
    "flow-mappings.yaml",
    "block-sequences.yaml",
    "block-mappings.yaml",  # 725 kB at 1,200 levels: over 128 kB, so the rapidyaml fast path tries first
    "arrays.json",
    "objects.json",
]


def lint_json(path: Path, *options: str) -> tuple[int, list[dict[str, Any]], str]:
    done = run_cli("lint", "--format", "json", *options, str(path))
    findings = json.loads(done.stdout)["findings"] if done.stdout else []
    return done.returncode, findings, done.stderr


def refusals(path: Path, limits: Limits) -> list[str]:
    """The messages of the problems found in reading ``path``; each must be a ``parse-error``."""
    doc = load_document(path, path.name, limits)
    assert {problem.rule for problem in doc.problems} <= {"parse-error"}
    return [problem.message for problem in doc.problems]


# -- through the command (a crash in C would kill the command, not the test) ------------------
@pytest.mark.parametrize("kind", KINDS)
def test_1200_levels_are_refused_by_default_and_lint_clean_under_max_depth_3000(
    tmp_path: Path, kind: str
) -> None:
    path = write(tmp_path / kind, deep(kind, 1200))
    assert refusals(path, Limits()) == ["nesting deeper than 1000 levels (--max-depth)"]
    code, findings, stderr = lint_json(path, "--max-depth", "3000")
    assert (code, findings, stderr) == (0, [], "")


@pytest.mark.parametrize(
    "kind", ["flow-sequences.yaml", "block-sequences.yaml", "arrays.json", "objects.json"]
)
def test_the_documented_maximum_holds(tmp_path: Path, kind: str) -> None:
    """``--max-depth 5000`` (the most it takes): 5000 levels lint, 5001 are refused naming the flag."""
    at_most = write(tmp_path / f"at-most-{kind}", deep(kind, DEPTH_CEILING - 1))
    code, findings, stderr = lint_json(at_most, "--max-depth", str(DEPTH_CEILING))
    assert (code, findings, stderr) == (0, [], "")
    over = write(tmp_path / f"over-{kind}", deep(kind, DEPTH_CEILING))
    limits = Limits(max_depth=DEPTH_CEILING)
    assert refusals(over, limits) == [f"nesting deeper than {DEPTH_CEILING} levels (--max-depth)"]


DEEP = {
    "flow-sequences.yaml": "[" * 100_000 + "]" * 100_000,
    "flow-mappings.yaml": "{a: " * 100_000 + "1" + "}" * 100_000,
    "block-sequences.yaml": "- " * 100_000 + "x\n",
    "arrays.json": "[" * 100_000 + "]" * 100_000,
    "objects.json": '{"a":' * 100_000 + "1" + "}" * 100_000,
}


@pytest.mark.parametrize("limit", [1000, DEPTH_CEILING], ids=["default", "maximum"])
@pytest.mark.parametrize("name", sorted(DEEP))
def test_nesting_100000_deep_is_refused_without_a_crash(tmp_path: Path, name: str, limit: int) -> None:
    # through the installed command: a C stack overflow would kill the process (-11), not pytest
    path = write(tmp_path / name, DEEP[name])
    options = () if limit == 1000 else ("--max-depth", str(limit))
    started = time.monotonic()
    code, findings, stderr = lint_json(path, *options)
    assert time.monotonic() - started < QUICK
    assert code == 1, stderr
    (finding,) = findings
    assert (finding["rule"], finding["message"]) == (
        "parse-error",
        f"nesting deeper than {limit} levels (--max-depth)",
    )
    assert finding["line"] == 1 and finding["column"] > limit


def test_max_depth_cannot_be_raised_past_what_the_parsers_survive() -> None:
    done = run_cli("lint", "--max-depth", "100000", str(FIXTURES / "hostile" / "empty.yaml"))
    assert done.returncode == 2 and "--max-depth" in done.stderr
    assert Limits(max_depth=10**6).max_depth == DEPTH_CEILING


# -- in the library ---------------------------------------------------------------------------
@pytest.mark.parametrize(("suffix", "open_", "close"), [(".yaml", "[", "]"), (".json", "[", "]")])
def test_max_depth_is_exact(suffix: str, open_: str, close: str) -> None:
    limits = Limits(max_depth=10)
    at_limit = parse_document((open_ * 10 + close * 10).encode(), Path("x" + suffix), "x", limits)
    over = parse_document((open_ * 11 + close * 11).encode(), Path("x" + suffix), "x", limits)
    assert at_limit.ok and not at_limit.problems
    assert not over.ok and [(p.line, p.column) for p in over.problems] == [(1, 11)]


def test_depth_through_aliases_counts_as_expanded() -> None:
    text = "a: &a [[[[1]]]]\nb: [[[[[*a]]]]]\n"  # b holds 5 + 4 levels, under the root mapping
    limits = Limits(max_depth=10)
    assert parse_document(text.encode(), Path("x.yaml"), "x", limits).ok
    deeper = text.replace("[[[[[*a]]]]]", "[[[[[[*a]]]]]]")
    assert (
        "nesting deeper" in parse_document(deeper.encode(), Path("x.yaml"), "x", limits).problems[0].message
    )


def test_libyaml_nesting_limit_sits_above_errlint_s_own() -> None:
    from yaml import _yaml

    yaml_loader()
    get = getattr(_yaml, "_get_max_nest_level", None)
    if get is None:  # PyYAML before 6.0.4: libyaml has no limit to lift
        assert not hasattr(_yaml, "_set_max_nest_level")
        return
    # the scanner runs up to 1024 levels ahead of the events that errlint counts
    assert get() == LIBYAML_NEST_LEVEL > DEPTH_CEILING + 1024


def test_every_yaml_reader_takes_what_max_depth_allows() -> None:
    """The composer (above), fix's editor and the fast path's libyaml check share one loader."""
    text = deep("flow-sequences.yaml", 3000)
    editor = editor_for(Path("spec.yaml"), text)
    assert editor.root is not None
    assert yamlfast._libyaml_parses(text.encode())
    doc = parse_document(text.encode(), Path("spec.yaml"), "spec.yaml", Limits(max_depth=DEPTH_CEILING))
    assert doc.ok and not doc.problems


def test_a_spec_error_around_deep_data_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    """jsonschema-rs cannot report an invalid node holding data nested past about 250 levels."""
    text = HEAD.replace("paths: {}\n", "") + (
        "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: 7\n"
        "          x-deep: " + "[" * 600 + "]" * 600 + "\n"
    )
    spec = write(tmp_path / "spec.yaml", text)
    findings = lint_paths([str(spec)], LintOptions()).findings
    assert "internal-error" not in {f.rule for f in findings}
    assert any(f.rule == "spec-structure" and f.location.line == 7 for f in findings), findings


# -- JSON deeper than orjson reads --------------------------------------------------------------
_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=30,
)


def _same_as_orjson(text: str) -> None:
    try:
        expected: Any = orjson.loads(text)
    except orjson.JSONDecodeError:
        with pytest.raises(BadJson):
            load_deep_json(text, DEPTH_CEILING)
        return
    found = load_deep_json(text, DEPTH_CEILING)
    assert repr(found) == repr(expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_JSON_VALUES, indent=st.sampled_from([None, 0, 2, "\t"]), ascii_only=st.booleans())
def test_deep_json_reader_gives_what_orjson_gives(value: Any, indent: Any, ascii_only: bool) -> None:
    _same_as_orjson(json.dumps(value, indent=indent, ensure_ascii=ascii_only))


@settings(max_examples=200, deadline=None)
@given(
    value=_JSON_VALUES,
    at=st.floats(min_value=0, max_value=1),
    damage=st.sampled_from([*'[]{}:,"\\ \t\n\r0-1eE.+tfnu', "\x00", "\x1f", "é", "\ud800", "//", "1e999"]),
    delete=st.booleans(),
)
def test_deep_json_reader_refuses_what_orjson_refuses(
    value: Any, at: float, damage: str, delete: bool
) -> None:
    text = json.dumps(value)
    cut = int(at * len(text))
    _same_as_orjson(text[:cut] + ("" if delete else damage) + text[cut + (1 if delete else 0) :])


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "[",
        "[1,]",
        "[,1]",
        "[1 2]",
        '{"a" 1}',
        '{"a":1,}',
        "{1:2}",
        "01",
        "1.",
        "-",
        "tru",
        '"abc',
        "[1]]",
        '{"a":1}}',
        "NaN",
        "1E400",
        '"\\ud800"',
        '"\\x"',
        "\x0b[1]",
        '"a\tb"',
        '{"a":1,"a":2}',
        '["\\u00e9", -0, -0.0]',
    ],
)
def test_deep_json_reader_on_edge_cases(text: str) -> None:
    _same_as_orjson(text)


def test_deep_json_reader_stops_at_the_depth_it_is_given() -> None:
    assert load_deep_json("[" * 5 + "]" * 5, 5) == [[[[[]]]]]
    with pytest.raises(JsonTooDeep):
        load_deep_json("[" * 100_000, 5)


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.json")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_deep_json_reader_on_every_json_fixture(path: Path) -> None:
    _same_as_orjson(path.read_bytes().decode("utf-8-sig"))


def test_environment_names_the_pyyaml_release_under_test() -> None:
    """``.ci/newest`` sets ERRLINT_EXPECT_PYYAML for its PyYAML runs; elsewhere nothing to check."""
    import yaml

    expected = os.environ.get("ERRLINT_EXPECT_PYYAML")
    assert expected is None or yaml.__version__ == expected
