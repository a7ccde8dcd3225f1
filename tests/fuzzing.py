"""Hostile variations of real specs, and what errlint must do with any of them.

Shared by ``test_fuzz.py`` (a small budget in the suite) and ``benchmarks/fuzz.py`` (a
large one). A case starts from a seed spec (the hostile fixtures, the core fixtures, small
corpus specs) and applies a few mutations: keys dropped or renamed into odd status codes,
values swapped for other types, ``$ref``s inserted (to nothing, to themselves, out of the
folder, remote), containers shared (YAML anchors and aliases) or nested deeper; then it is
written as YAML or JSON, and sometimes its bytes are damaged.

The oracle (:func:`check_in_process`, :func:`check_cli`): errlint ends normally, no rule
crashes (an ``internal-error`` from a built-in rule is a bug), and every report parses.
"""

from __future__ import annotations

import copy
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from helpers import CORPUS, FIXTURES, REAL, run_cli
from hypothesis import strategies as st

from linter import registry
from linter.api import LintOptions, RunResult, lint_paths
from linter.load.reader import load_document
from linter.report.json import JsonReporter
from linter.report.text import TextReporter

#: broken on purpose: most do not load, so only their bytes are mutated; drawn one time in four
HOSTILE_SEEDS = (
    *sorted((FIXTURES / "hostile").glob("*.yaml")),
    *sorted((FIXTURES / "hostile").glob("*.json")),
)
#: real specs small enough for the suite's budget
SMALL_SEEDS = (
    *sorted((FIXTURES / "specs" / "core").glob("*.yaml")),
    REAL / "redocly-museum" / "openapi.yaml",
    CORPUS / "zalando-problem" / "models" / "problem-1.0.1.yaml",  # left out when the corpus is absent
    REAL / "commercelayer-rail0" / "openapi.json",
)
#: added for long runs (benchmarks/fuzz.py --large-seeds)
LARGE_SEEDS = (
    REAL / "nakadi" / "nakadi-event-bus-api.yaml",
    CORPUS / "commercelayer-provisioning" / "gen" / "openapi.json",
    CORPUS / "docker-engine" / "api" / "swagger.yaml",
    *sorted((FIXTURES / "specs" / "saleslayer").glob("*.yaml")),
    *sorted((FIXTURES / "specs" / "commercelayer").glob("*.yaml")),
)
REF_TARGETS = (
    "#",
    "#/",
    "#/paths",
    "#/components/responses/Missing",
    "#/components/schemas/Problem",
    "#/a/~2b",
    "#/%zz",
    "#not-a-pointer",
    "",
    "missing.yaml",
    "missing.yaml#/x",
    "../../../../etc/passwd",
    "/etc/passwd",
    "file:///etc/passwd",
    "http://127.0.0.1:9/refused.yaml",
    "c:\\windows\\win.ini",
)
#: bytes that mean something to a YAML or JSON parser, inserted by byte-level damage
SYNTAX_BYTES = tuple(
    token.encode()
    for token in (
        ":",
        ": ",
        "- ",
        "? ",
        "{",
        "}",
        "[",
        "]",
        ",",
        '"',
        "'",
        "\n",
        "\r",
        "\t",
        "#",
        "&a ",
        "*a",
        "!!str ",
        "|",
        ">",
        "\\u0000",
        "<<: ",
        "\ufeff",
    )
)
STATUS_KEYS = ("2XX", "4XX", "4xx", "default", "DEFAULT", "4o4", "404", "500", "99", "1000", "", "x-404")

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(STATUS_KEYS)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@dataclass(frozen=True)
class Case:
    """One input file: its name (the suffix decides YAML or JSON) and bytes."""

    name: str
    raw: bytes

    def __repr__(self) -> str:
        # hypothesis prints failing cases: the bytes are saved to a file (--save), not printed
        return f"Case({self.name!r}, {len(self.raw):,} bytes starting {self.raw[:60]!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # what hypothesis prints
        printer.text(repr(self))

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.name
        path.write_bytes(self.raw)
        return path


@cache
def seed_data(path: Path) -> Any:
    """The seed's data, or None when it does not load (then only its bytes are mutated)."""
    doc = load_document(path, path.name)
    return doc.data if doc.ok and isinstance(doc.data, (dict, list)) else None


@dataclass(frozen=True)
class Member:
    """A place to mutate: ``parent[key]``, found at ``path`` from the root."""

    parent: Any
    key: Any
    path: tuple[Any, ...]


def _members(data: Any) -> list[Member]:
    """Every member of every container (a shared container once), found without recursion."""
    found: list[Member] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    seen: set[int] = set()
    while stack:
        value, path = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        for key, child in value.items() if isinstance(value, dict) else enumerate(value):
            found.append(Member(value, key, (*path, key)))
            if isinstance(child, (dict, list)):
                stack.append((child, (*path, key)))
    return found


def _drop(draw: st.DrawFn, at: Member) -> None:
    del at.parent[at.key]


def _swap_type(draw: st.DrawFn, at: Member) -> None:
    at.parent[at.key] = draw(json_values)


def _insert_ref(draw: st.DrawFn, at: Member) -> None:
    target = draw(st.sampled_from(REF_TARGETS) | st.text(max_size=20) | json_values)
    at.parent[at.key] = {"$ref": target} if draw(st.booleans()) else {"$ref": target, "description": "x"}


def _cyclic_ref(draw: st.DrawFn, at: Member) -> None:
    """A ``$ref`` to the member itself or to one of its ancestors: a cycle or a recursion."""
    cut = draw(st.integers(0, len(at.path)))
    at.parent[at.key] = {"$ref": "#/" + "/".join(_escape(str(token)) for token in at.path[:cut])}


def _rename(draw: st.DrawFn, at: Member) -> None:
    if isinstance(at.parent, dict):
        new = draw(st.sampled_from(STATUS_KEYS) | st.text(max_size=10))
        at.parent[new] = at.parent.pop(at.key)


def _nest(draw: st.DrawFn, at: Member) -> None:
    value = at.parent[at.key]
    for _ in range(draw(st.integers(1, 40))):
        value = [value] if draw(st.booleans()) else {"a": value}
    at.parent[at.key] = value


def _share(draw: st.DrawFn, at: Member, members: list[Member]) -> None:
    """Put another member's container here too: the YAML text then has an anchor and an alias.
    Never one that holds ``at.parent``: a cycle cannot be written as JSON."""
    source = draw(st.sampled_from(members))
    value = source.parent[source.key]
    if isinstance(value, (dict, list)) and not _holds(value, at.parent):
        at.parent[at.key] = value


def _holds(value: Any, target: Any) -> bool:
    """Whether the non-empty container ``target`` is ``value`` or inside it (by identity)."""
    return value is target or any(member.parent is target for member in _members(value))


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


MUTATIONS = (_drop, _swap_type, _insert_ref, _cyclic_ref, _rename, _nest)
#: top-level keys under which OpenAPI structure (not schemas or examples) lives
_STRUCTURE = frozenset({"paths", "components", "responses", "parameters", "definitions", "webhooks"})


def _mutate(draw: st.DrawFn, data: Any) -> None:
    """One mutation, half the time at a member of the OpenAPI structure near the root."""
    members = _members(data)
    if not members:
        return
    near = [m for m in members if len(m.path) <= 7 and m.path[0] in _STRUCTURE]
    at = draw(st.sampled_from(near if near and draw(st.booleans()) else members))
    if draw(st.integers(0, len(MUTATIONS))) == 0:
        _share(draw, at, members)
    else:
        draw(st.sampled_from(MUTATIONS))(draw, at)


def _damage(draw: st.DrawFn, raw: bytes) -> bytes:
    """Byte-level damage: insert random bytes, cut a slice, repeat a line, or truncate."""
    at = draw(st.integers(0, len(raw)))
    kind = draw(st.sampled_from(("insert", "cut", "repeat", "truncate")))
    if kind == "insert":
        return raw[:at] + draw(st.sampled_from(SYNTAX_BYTES) | st.binary(min_size=1, max_size=8)) + raw[at:]
    if kind == "cut":
        return raw[:at] + raw[at + draw(st.integers(1, 64)) :]
    if kind == "repeat":
        start = raw.rfind(b"\n", 0, at) + 1
        end = raw.find(b"\n", at)
        end = len(raw) if end < 0 else end + 1
        return raw[:end] + raw[start:end] + raw[end:]
    return raw[:at]


def _serialise(data: Any, as_json: bool, draw: st.DrawFn) -> bytes:
    if as_json:
        return json.dumps(data, ensure_ascii=draw(st.booleans())).encode()
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=draw(st.booleans()), width=120)
    return text.encode("utf-8")


@st.composite
def mutated_specs(draw: st.DrawFn, seeds: tuple[Path, ...] = SMALL_SEEDS) -> Case:
    pool = HOSTILE_SEEDS if draw(st.integers(0, 3)) == 0 else seeds
    seed = draw(st.sampled_from([s for s in pool if s.is_file()]))
    data = seed_data(seed)
    as_json = draw(st.booleans())
    if data is None:
        raw, suffix = seed.read_bytes(), seed.suffix
    else:
        data = copy.deepcopy(data)
        for _ in range(draw(st.integers(1, 4))):
            _mutate(draw, data)
        raw, suffix = _serialise(data, as_json, draw), ".json" if as_json else ".yaml"
    if draw(st.integers(0, 3)) == 0:
        raw = _damage(draw, raw)
    return Case(f"spec{suffix}", raw)


# -- the oracle ---------------------------------------------------------------------------
def fuzz_ruleset(folder: Path) -> Path:
    """A ruleset that extends every registered one: as many rules as possible see each case."""
    path = folder / "fuzz.ruleset.yaml"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        names = ", ".join(sorted(registry.rulesets()))
        path.write_text(f"extends: [{names}]\n", encoding="utf-8")
    return path


def options(ruleset: Path) -> LintOptions:
    return LintOptions(rulesets=(str(ruleset),), report_unused_ignores=True, rule_timeout=20.0)


#: what a text report line may contain: no control character but the line feed
_TEXT_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")


def check_in_process(case: Case, folder: Path, ruleset: Path) -> RunResult:
    """Lint ``case`` through the library and both reporters; raise AssertionError on a defect."""
    path = case.write(folder)
    result = lint_paths([str(path)], options(ruleset))
    crashes = [f.message for f in result.findings if f.rule == "internal-error"]
    assert not crashes and not result.internal_errors, crashes
    assert not result.errors, result.errors
    check_reports(result)
    return result


def check_reports(result: RunResult) -> None:
    out = io.StringIO()
    JsonReporter().render(result, out)
    report = json.loads(out.getvalue())
    assert len(report["findings"]) == len(result.findings)
    out = io.StringIO()
    TextReporter().render(result, out)
    text = out.getvalue()
    assert not _TEXT_UNSAFE.search(text), repr(_TEXT_UNSAFE.search(text))
    assert text.endswith(" file\n") or text.endswith(" files\n")


def check_cli(case: Case, folder: Path, ruleset: Path) -> None:
    """The installed command on ``case``: exit 0 or 1, nothing on stderr, a JSON report."""
    path = case.write(folder)
    done = run_cli("lint", "--format", "json", "--ruleset", str(ruleset), str(path))
    assert done.returncode in (0, 1), (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and not done.stderr, done.stderr
    json.loads(done.stdout)
