"""Every fast path gives exactly what its straightforward twin gives.

The fast paths (JSON parsed from bytes, duplicate keys counted through an orjson dump, JSON
positions computed from a canonical layout, costly rules run in a helper process) are turned
off together by ``ERRLINT_SLOW_PATHS=1``; the installed command's JSON report must be the
same byte for byte either way.
"""

from __future__ import annotations

import bisect
import json
import pickle
import random
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from linter.api import LintOptions, check_spec, load_spec
from linter.check import engine as engine_module
from linter.check import helper as helper_module
from linter.check.config import build_config
from linter.check.engine import Engine
from linter.check.ruleset import Config, RuleSetting
from linter.fastpath import ENVIRONMENT_VARIABLE
from linter.load.document import Limits
from linter.load.reader import parse_document
from linter.locate.json_locator import CanonicalLayout, JsonLocator
from linter.locate.lines import LineBlocks, has_unusual_breaks
from linter.model import Severity
from linter.resolve.resolver import Node
from linter.rules.base import OperationRule, Problem
from tests.helpers import CORPUS, FIXTURES, REAL, corpus_param, every_pointer, needs_corpus, run_cli

#: (spec, ruleset): each gives findings, so that their positions are compared too
CORPUS_SPECS = [
    (CORPUS / "discord" / "specs" / "openapi.json", "commercelayer"),  # canonical 2-space JSON
    (CORPUS / "commercelayer-core" / "gen" / "openapi.json", "recommended"),  # 4 MB JSON: helper
    (CORPUS / "commercelayer-core" / "gen" / "openapi.json", "commercelayer"),
    (CORPUS / "stripe" / "openapi" / "spec3.yaml", "recommended"),  # 4 MB YAML: helper process
    (CORPUS / "unit" / "openapi.json", "recommended"),  # JSON over many files, CRLF line ends
]
SPECS = [
    (REAL / "redocly-museum" / "openapi.yaml", "saleslayer"),  # YAML composed by libyaml
    (REAL / "nakadi" / "nakadi-event-bus-api.yaml", "problem-details"),  # 142 kB YAML: rapidyaml
    (REAL / "commercelayer-rail0" / "openapi.json", "commercelayer"),  # JSON read from bytes
    (FIXTURES / "hostile" / "duplicate-keys.json", "recommended"),
    (FIXTURES / "hostile" / "json-syntax-error.json", "recommended"),
    (FIXTURES / "documents" / "positions.json", "problem-details"),
]


def _report(spec: Path, ruleset: str, *, slow: bool) -> dict[str, Any]:
    env = {ENVIRONMENT_VARIABLE: "1" if slow else "0"}
    result = run_cli("lint", str(spec), "--ruleset", ruleset, "--format", "json", env=env)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def _same_report_both_ways(spec: Path, ruleset: str) -> None:
    assert spec.is_file(), spec
    fast = _report(spec, ruleset, slow=False)
    assert fast["findings"], "a report with no findings would compare no positions"
    assert fast == _report(spec, ruleset, slow=True)


@pytest.mark.parametrize(
    ("spec", "ruleset"),
    [
        *[corpus_param(path, name, id=f"{path.parent.name}/{path.name}:{name}") for path, name in CORPUS_SPECS],
        *[pytest.param(path, name, id=f"{path.parent.name}/{path.name}:{name}") for path, name in SPECS],
    ],
)
def test_cli_report_is_the_same_with_fast_paths_off(spec: Path, ruleset: str) -> None:
    _same_report_both_ways(spec, ruleset)


def test_cli_report_is_the_same_with_fast_paths_off_on_a_canonical_dump(tmp_path: Path) -> None:
    """A real spec written as a 2-space dump of its own data: positions come from its layout."""
    data = orjson.loads((REAL / "commercelayer-rail0" / "openapi.json").read_bytes())
    spec = tmp_path / "openapi.json"
    spec.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    assert CanonicalLayout.of(spec.read_text(encoding="utf-8"), data) is not None
    _same_report_both_ways(spec, "commercelayer")


# -- JSON positions: the canonical layout against the scanner ---------------------------------
def _scanned_position(text: str, pointer: tuple[str, ...]) -> tuple[int, int]:
    offset = JsonLocator(text).offset(pointer)
    newlines = [match.start() for match in re.finditer("\n", text)]
    line = bisect.bisect_left(newlines, offset)
    return (line + 1, offset - (newlines[line - 1] + 1 if line else 0) + 1)


def _compare_layouts(text: str, sample: int) -> int:
    data = orjson.loads(text)
    canonical = CanonicalLayout.of(text, data)
    assert canonical is not None
    scanner = JsonLocator(text)
    lines = LineBlocks(text)
    pointers = every_pointer(data)
    chosen = random.Random(7).sample(pointers, min(sample, len(pointers)))
    chosen += [(*pointer, "no-such-member") for pointer in chosen[:50]]
    chosen += [(*pointer, "99999") for pointer in chosen[:50]]
    for pointer in chosen:
        expected = lines.position(scanner.offset(pointer))
        assert canonical.position(pointer) == expected == scanner.position(pointer), pointer
        assert canonical.offset(pointer) == scanner.offset(pointer), pointer
        assert canonical.span(pointer) == scanner.span(pointer), pointer
    return len(chosen)


@needs_corpus
def test_canonical_layout_matches_the_scanner_on_discord() -> None:
    text = (CORPUS / "discord" / "specs" / "openapi.json").read_text(encoding="utf-8")
    assert _compare_layouts(text, 4000) > 4000


def test_canonical_layout_matches_the_scanner_on_a_real_spec() -> None:
    data = orjson.loads((REAL / "commercelayer-rail0" / "openapi.json").read_bytes())
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"
    assert _compare_layouts(text, 4000) > 1000


def test_canonical_layout_with_non_ascii_text_and_empty_containers() -> None:
    data = {
        "a": "héllo ünï ✓",
        "é": {"x": ["ü", True, None, 1.5, -2, {}, []]},
        "b": [{"ü": "x", "n": None}, [], {}],
        "c": {},
    }
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"
    assert _compare_layouts(text, 1000) > 20
    layout = CanonicalLayout.of(text, data)
    assert layout is not None
    assert layout.position(("é", "x", "1")) == _scanned_position(text, ("é", "x", "1")) == (6, 7)


@pytest.mark.parametrize(
    "text",
    [
        '{\n    "a": 1\n}\n',  # 4-space indentation
        '{"a": 1}',  # one line
        '{\n  "a": "\\u00e9"\n}',  # an escape that orjson writes as the character
        '{\r\n  "a": 1\r\n}',  # CRLF
        '\n{\n  "a": 1\n}',  # leading white space
    ],
)
def test_other_layouts_are_not_taken_for_canonical(text: str) -> None:
    assert CanonicalLayout.of(text, orjson.loads(text)) is None


def test_line_blocks_match_a_list_of_newlines() -> None:
    generator = random.Random(11)
    for size in (0, 1, 7, LineBlocks.SIZE - 1, LineBlocks.SIZE, 3 * LineBlocks.SIZE + 5):
        for alphabet in ("ab\n", "abcdefgh" * 40 + "\n", "é\n"):
            text = "".join(generator.choice(alphabet) for _ in range(size))
            blocks = LineBlocks(text)
            newlines = [match.start() for match in re.finditer("\n", text)]
            for offset in [0, size, *(generator.randint(0, size) for _ in range(40))]:
                line = bisect.bisect_left(newlines, offset)
                start = newlines[line - 1] + 1 if line else 0
                assert blocks.position(offset) == (line + 1, offset - start + 1)


def test_unusual_breaks_are_found_as_a_regular_expression_finds_them() -> None:
    unusual = re.compile("\r(?!\n)|[\x85\u2028\u2029]")  # a lone CR, NEL, LS, PS
    generator = random.Random(5)
    texts = ["", "a\r", "\r\n\r", "\r\r\n", "a\r\nb\n", "\x85", "x\u2028", "\u2029y", "é\r\n"]
    for _ in range(3000):
        size = generator.randint(0, 12)
        texts.append("".join(generator.choice("a\r\n\x85\u2028\u2029é") for _ in range(size)))
    for text in texts:
        assert has_unusual_breaks(text) is (unusual.search(text) is not None), repr(text)


# -- JSON read from bytes -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        b'\xef\xbb\xbf{"openapi": "3.0.0", "a": {"b": 1}, "a": 2}',  # BOM and a repeated key
        b'{"a": "x:y", "b\\u003a": 1, "b:": 2}',  # colons in strings, one escaped
        b'{"a": 1,}',  # a syntax error
        b'{"a": "\xff"}',  # not UTF-8
        '{"a": 1}'.encode("utf-16"),  # UTF-16 with its BOM
        b'{"a": "\x00"}',  # a NUL character
    ],
)
def test_json_from_bytes_reads_as_the_text_path(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path("spec.json")
    fast = parse_document(raw, path, "spec.json", Limits())
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "1")
    slow = parse_document(raw, path, "spec.json", Limits())
    assert (fast.ok, fast.data, fast.problems) == (slow.ok, slow.data, slow.problems)
    assert fast.text == slow.text


# -- costly rules in a helper process -------------------------------------------------------------
class _CostlyCounter(OperationRule):
    """Test rule: one problem per response, at the response (a shared one is reported once)."""

    id = "test-costly-counter"
    default_severity = Severity.WARNING
    costly = True

    def check(self, op: Any, ctx: Any) -> Any:
        for response in op.responses:
            yield Problem(response.node, f"{op.label} declares {response.status}", response.status)


class _CostlyCrash(OperationRule):
    """Test rule: crashes on the second operation."""

    id = "test-costly-crash"
    default_severity = Severity.WARNING
    costly = True
    seen = 0

    def check(self, op: Any, ctx: Any) -> Any:
        type(self).seen += 1
        if type(self).seen == 2:
            raise RuntimeError("boom")
        yield from ()


_TEST_RULES = {"test-costly-counter": _CostlyCounter, "test-costly-crash": _CostlyCrash}


def _findings(spec_path: Path, workers: int) -> list[Any]:
    config = Config(
        rules={
            "test-costly-counter": RuleSetting(Severity.WARNING),
            "test-costly-crash": RuleSetting(Severity.WARNING),
            "operation-4xx-declared": RuleSetting(Severity.ERROR),
            "response-example-valid": RuleSetting(Severity.ERROR),
        }
    )
    _CostlyCrash.seen = 0
    spec = load_spec(spec_path, str(spec_path), LintOptions())
    return Engine(config, rules=_TEST_RULES, workers=workers).run(spec).findings


SHARED = FIXTURES / "specs" / "core" / "shared-response.yaml"


def test_helper_process_gives_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _findings(SHARED, workers=1)
    starts: list[object] = []
    real_start = helper_module.start

    def counting_start(work: Any) -> Any:
        starts.append(work)
        return real_start(work)

    monkeypatch.setattr(engine_module, "OFFLOAD_MIN_BYTES", 0)
    monkeypatch.setattr(helper_module, "start", counting_start)
    parallel = _findings(SHARED, workers=2)
    assert starts, "the helper process was not used"
    assert parallel == serial
    rules = {finding.rule for finding in serial}
    assert {"test-costly-counter", "internal-error"} <= rules
    shared = [f for f in serial if f.rule == "test-costly-counter" and f.related]
    assert shared, "the fixture's shared response should be reported once, with related sites"


def test_a_failing_helper_is_replaced_by_running_the_rules_here(monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _findings(SHARED, workers=1)
    monkeypatch.setattr(engine_module, "OFFLOAD_MIN_BYTES", 0)

    def failing(*args: object) -> object:
        raise RuntimeError("the helper dies")

    monkeypatch.setattr(Engine, "_offloaded_records", failing)
    assert _findings(SHARED, workers=2) == serial


def test_records_naming_an_unknown_file_are_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _findings(SHARED, workers=1)
    monkeypatch.setattr(engine_module, "OFFLOAD_MIN_BYTES", 0)
    bogus = [helper_module.ProblemRecord("test-costly-counter", Severity.WARNING, "m", None, ("/nowhere", ()), (), -1)]
    monkeypatch.setattr(Engine, "_offloaded_records", lambda *args: bogus)
    assert _findings(SHARED, workers=2) == serial


def test_small_specs_and_one_worker_use_no_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(work: Any) -> Any:
        raise AssertionError("no helper expected")

    monkeypatch.setattr(helper_module, "start", refuse)
    _findings(SHARED, workers=2)  # far below OFFLOAD_MIN_BYTES
    monkeypatch.setattr(engine_module, "OFFLOAD_MIN_BYTES", 0)
    _findings(SHARED, workers=1)


class _CostlyLoop(OperationRule):
    """Test rule: never ends."""

    id = "test-costly-loop"
    default_severity = Severity.WARNING
    costly = True

    def check(self, op: Any, ctx: Any) -> Any:
        while True:
            pass
        yield  # pragma: no cover


def test_the_rule_time_budget_holds_in_the_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(rules={"test-costly-loop": RuleSetting(Severity.WARNING)})

    def messages(workers: int) -> list[str]:
        spec = load_spec(SHARED, str(SHARED), LintOptions())
        engine = Engine(config, rules={"test-costly-loop": _CostlyLoop}, workers=workers, rule_timeout=0.3)
        return [finding.message for finding in engine.run(spec).findings]

    serial = messages(1)
    assert serial and "ran out of its 0.3 s time budget" in serial[0]
    monkeypatch.setattr(engine_module, "OFFLOAD_MIN_BYTES", 0)
    assert messages(2) == serial


@pytest.mark.parametrize(
    "spec_path",
    [
        corpus_param(CORPUS / "unit" / "openapi.json", id="unit"),  # many files
        pytest.param(REAL / "nakadi" / "nakadi-event-bus-api.yaml", id="nakadi"),
        pytest.param(FIXTURES / "audit" / "split" / "openapi.yaml", id="split"),  # several files
        pytest.param(FIXTURES / "specs" / "core" / "shared-response.yaml", id="shared-response"),
        pytest.param(FIXTURES / "hostile" / "odd-status-keys.yaml", id="odd-status-keys"),
    ],
)
def test_refs_visited_by_the_pipeline_give_the_same_findings(spec_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command reads only the root before the engine starts (so that a helper process can
    start sooner); check_spec visits every $ref after starting it, and the findings are those
    of a spec loaded whole beforehand, with or without a helper."""
    config = build_config(spec_path.parent, None, ())
    whole = Engine(config).run(load_spec(spec_path, str(spec_path), LintOptions())).findings
    deferred = load_spec(spec_path, str(spec_path), LintOptions(), load_all=False)
    assert not deferred.loaded_all
    with pytest.raises(ValueError, match="every \\$ref visited first"):
        Engine(config).run(deferred)
    assert check_spec(Engine(config), deferred).findings == whole
    assert deferred.loaded_all
    monkeypatch.setattr(engine_module, "OFFLOAD_MIN_BYTES", 0)
    deferred = load_spec(spec_path, str(spec_path), LintOptions(), load_all=False)
    assert check_spec(Engine(config, workers=2), deferred).findings == whole
    assert whole


def test_records_are_plain_data() -> None:
    """What a helper sends back names files by key and operations by number: no document,
    node or operation object crosses the pipe."""
    from linter.spec.openapi import iter_operations

    spec = load_spec(SHARED, str(SHARED), LintOptions())
    operations = list(iter_operations(spec))
    recorder = helper_module.Recorder(spec, operations)
    node = spec.root_node().get("paths")
    assert isinstance(node, Node)
    recorder.add("x", Severity.ERROR, Problem(node, "m", "404"), operations[1])
    recorder.crash("y", None, "crashed", ": boom")
    root_key = next(key for key, doc in spec.docs.items() if doc is spec.root)
    assert recorder.records == [
        helper_module.ProblemRecord("x", Severity.ERROR, "m", "404", (root_key, ("paths",)), (), 1),
        helper_module.CrashRecord("y", -1, "crashed", ": boom"),
    ]
    assert pickle.loads(pickle.dumps(recorder.records)) == recorder.records
