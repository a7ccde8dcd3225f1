"""The rapidyaml fast path reads YAML exactly as the PyYAML path does.

Data is compared strictly (types and key order included) and positions pointer by pointer,
on every YAML file of the corpus, on hand-written snippets covering YAML 1.1's typing tokens
(which both read by the YAML 1.2 core schema; tests/test_yamlcore.py checks the values), block scalars, flow collections, escapes and what must be refused, on every token of a list
as a value, key and item, and on generated documents. A snippet the fast path declines is
fine (PyYAML reads it); a snippet it reads differently is a failure.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.fastpath import ENVIRONMENT_VARIABLE
from linter.load import yamlfast
from linter.load.document import Document
from linter.load.reader import parse_document
from tests.helpers import CORPUS, REAL, every_pointer, needs_corpus

pytestmark = pytest.mark.skipif(not yamlfast.available(), reason="rapidyaml 0.15 is not installed")


def _strict_difference(a: Any, b: Any, path: tuple[str, ...] = ()) -> str | None:
    """Where ``a`` and ``b`` differ in value, type or key order (None: identical)."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} {a!r:.60} != {type(b).__name__} {b!r:.60}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)[:8]} != {list(b)[:8]}"
        for key in a:
            if (found := _strict_difference(a[key], b[key], (*path, key))) is not None:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)}"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if (found := _strict_difference(x, y, (*path, str(index)))) is not None:
                return found
        return None
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return None
    return None if a == b else f"{path}: {a!r:.80} != {b!r:.80}"


def _slow_document(text: str) -> Document:
    import os

    saved = os.environ.get(ENVIRONMENT_VARIABLE)
    os.environ[ENVIRONMENT_VARIABLE] = "1"
    try:
        return parse_document(text.encode("utf-8"), Path("spec.yaml"), "spec.yaml")
    finally:
        if saved is None:
            del os.environ[ENVIRONMENT_VARIABLE]
        else:
            os.environ[ENVIRONMENT_VARIABLE] = saved


def _same_as_pyyaml(text: str, sample: int | None = None) -> bool:
    """Assert that the fast path reads ``text`` as PyYAML does; False when it declines."""
    fast = yamlfast.load(text)
    if fast is None:
        return False
    slow = _slow_document(text)
    assert slow.ok and not slow.problems, f"the fast path read a file PyYAML reports: {slow.problems[:2]}"
    data, locate = fast
    assert (difference := _strict_difference(data, slow.data)) is None, difference
    pointers = every_pointer(slow.data)
    if sample is not None and len(pointers) > sample:
        pointers = random.Random(1).sample(pointers, sample)
    pointers += [(*pointer, "no-such-member") for pointer in pointers[:100]]
    pointers += [(*pointer, "99999") for pointer in pointers[:100]]
    fast_doc = Document(Path("spec.yaml"), "spec.yaml", text, data)
    fast_doc.locator = locate
    for pointer in pointers:
        assert fast_doc.locate(pointer) == slow.locate(pointer), pointer
    return True


SNIPPETS: dict[str, str] = {
    "yaml11 bools": "a: [yes, Yes, YES, no, No, NO, on, On, ON, off, Off, OFF, true, True, TRUE, false, False, FALSE, y, n, yES, oN]\n",
    "yaml11 ints": "a: [0x1F, 0x_1f, 0o17, 0777, 017, 1_000, -1_000, +12, 0b1010, 0b_1, 190:20:30, -1:30, 0, -0, 08, 09, 0x, 12345678901234567890123]\n",
    "yaml11 floats": "a: [.inf, -.inf, +.inf, .Inf, .INF, -.INF, .nan, .NaN, .NAN, 1e3, 1E3, 1.0e3, 1.0e+3, 1.0E-3, 1_0.5, 1., .5, -.5, +.5, 190:20:30.15, 0.16001e0, 6.8523015e+5, 1.0, -0.0, 3.14159265358979323846]\n",
    "nulls": "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: [~, null, ]\ng: nULL\nh: ''\ni: \"\"\n",
    "naninf text": "inf: 1\ninfinity: 2\n-infinity: 3\nnan: 4\n.NaN: 5\n'.inf': 6\nk: [inf, infinity, -inf, +inf, nan, NaN, 'inf', \"nan\", .Inf, Infinity]\n",
    "quoted numbers": "a: ['1', \"2\", '0x1F', 'yes', \"~\", 'null', '1e3', \".inf\", '1_000', 'true']\n",
    "numeric keys": "200: ok\n1e3: x\n0x1F: y\ntrue: t\nyes: y\n~: n\nnull: n\n.inf: i\n1_000: k\n-1: m\n0777: o\n'300': q\n",
    "timestamps": "a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 2001-12-14 21:59:43.10 -5\nd: '2001-12-14'\n",
    "block scalars": "a: |\n  line1\n  line2\nb: >\n  folded\n  text\n\n  para\nc: |-\n  strip\nd: |+\n  keep\n\ne: >2\n   indented\nf: |\n\n  leading blank\ng: [x]\n",
    "block seq items": "- |\n  lit\n- >-\n  fold\n- plain\n- 'sq'\n- \"dq\"\n- {a: 1}\n- [1, 2]\n- - inner\n  - two\n- k: v\n  k2: v2\n-   spaced: 1\n- [ ]\n- { }\n-\n- ~\n",
    "multiline plain": "a: this is\n  a multi line\n   plain scalar\nb: \"double\n  quoted\n\n  lines\"\nc: 'single\n  quoted'\n",
    "escapes": 'a: "tab\\there \\u00e9 \\U0001F600 \\x41 \\\\ \\" \\/ \\n \\0 \\a \\b \\e \\f \\r \\v \\N \\_ \\L \\P"\nb: \'it\'\'s\'\nc: "\\u0001\\u001f\\u007f"\n',
    "unicode": "ключ: значение\n名前: 値 😀\n\"é\": 'ü'\nx: [ä, ö]\n",
    "empty values": "a:\nb: []\nc: {}\nd: ''\ne:\n  -\n  - ''\nf: {x: , y: 1}\n",
    "flow": "a: {b: 1, c: [1, 2, {d: e}], 'q': \"r\"}\nb: [ a , b , c ]\nc: {\n  x: 1,\n  y: [\n    2\n  ]\n}\n",
    "anchors": "a: &x {k: v}\nb: *x\n",
    "merge": "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n",
    "inline merge": "m:\n  <<: {x: 1}\n  y: 2\n",
    "quoted merge key": "m:\n  '<<': {x: 1}\n  y: <<\n",
    "tags": "a: !!str 12\nb: !!int '3'\nc: !custom x\n",
    "duplicate keys": "a: 1\nb: 2\na: 3\n",
    "duplicate nested": "x:\n  a: 1\n  a: 2\ny: [1]\n",
    "explicit doc": "---\na: 1\n",
    "doc end": "a: 1\n...\n",
    "two docs": "a: 1\n---\nb: 2\n",
    "comments": "# head\na: 1 # c\n# mid\nb:\n  # inner\n  - x # y\n",
    "root scalar": "just text\n",
    "root quoted": "'123'\n",
    "root int": "0x10\n",
    "root seq": "- a\n- b\n",
    "root flow seq": "[1, 2, 3]\n",
    "only comment": "# nothing\n",
    "complex key": "? [a, b]\n: c\n",
    "explicit key": "? a\n: b\n- x\n",
    "explicit key ok": "m:\n  ? a\n  : b\nl:\n  - ? k\n    : v\n",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n  - |\r\n    lit\r\n",
    "tabs in value": "a: 'x\ty'\nb: |\n  \tcode\n",
    "tab indent": "a:\n\tb: 1\n",
    "invalid: unclosed flow": "a: [1, 2\nb: 3\n",
    "invalid: bad indent": "a:\n  b: 1\n c: 2\n",
    "invalid: colon": "a: b: c\n",
    "invalid: at sign": "a: @x\n",
    "invalid: backtick": "a: `x`\n",
    "invalid: unclosed quote": "a: 'x\n",
    "invalid: undefined alias": "a: *nope\n",
    "invalid: tab start": "a: 1\n\tb: 2\n",
    "invalid: seq in map": "a: 1\n- b\n",
    "invalid: key after scalar": "a\nb: 1\n",
    "deep": "a: " + "[" * 50 + "]" * 50 + "\n",
    "long key": "'" + "k" * 2000 + "': v\n",
    "nel": "a: x\x85y\n",
    "ls": "a: x\u2028y\n",
    "bom": "\ufeffa: 1\n",
    "special chars": "a: 'x: y'\nb: x#y\nc: \"# not comment\"\nd: -x\ne: - x\n",
    "question/colon plain": "a: ?x\nb: :x\nc: x:y\nd: '-'\n",
    "indentless seq": "a:\n- 1\n- 2\nb: 3\n",
    "big int": "a: 123456789012345678901234567890\nb: -9223372036854775809\nc: 18446744073709551616\n",
    "exp variants": "a: [1e+3, 1.5E-2, 1.e+3, -1.0e+3, 12e03, 1.5e3]\n",
    "leading zeros": "a: [00, 007, 0.5, 00.5, 08.5, 1__0, _1, 1_, 0o8, 0x_, 0b2]\n",
    "eof literal": "a: |\n  text",
    "eof literal keep": "a: |+\n  text\n\n\n",
    "eof literal keep no nl": "a: |+\n  text\n\n  ",
    "eof folded strip": "a: >-\n  text\n",
    "eof plain": "a: text",
    "eof quoted": "a: 'text'",
    "eof seq literal": "- |\n  x\n- |\n  y",
    "literal then key": "a: |\n  x\n\n\nb: 1\n",
    "keep then key": "a: |+\n  x\n\n\nb: 1\n",
    "long key 1000": "k" * 1000 + ": v\n",
    "long key 1030": "k" * 1030 + ": v\n",
    "long quoted key": '"' + "\\x41" * 250 + '": v\n',
    "key 119": "/" + "p" * 118 + ": v\n",
    "at key": "@a: 1\n",
    "at in value": "a: x@y\nb: '@q'\nc: \"`q`\"\n",
    "empty quoted items": "- ''\n- \"\"\n- {}\n- []\n- x\n",
    "nested flow comments": "a: [ # c\n  1, 2]\nb: [\n  [x], {y: z}]\n",
    "flow pair in seq": "a: [b: 1, c]\n",
    "flow explicit key": "a: [? b, c]\nd: {? e: 1, f}\n",
    "flow key no value": "a: {b, c: d}\n",
    "flow dash": "a: [- x]\n",
    "flow multiline plain": "a: [b\n  c, d]\n",
    "flow quoted key adjacent": "a: {\"b\":1, 'c':2}\n",
    "flow trailing comma": "a: [1, 2,]\nb: {c: 1,}\n",
    "json style": '{"a": [1, 2.5, true, null, "x"], "b": {}}\n',
    "block edge 1": "a: |2-\n    two extra\n  base\nb: >\n  folded\n    more indented\n  back\n\n\n  end  \nc: 1\n",
    "block edge 2": "a: |\n  x   \n   \n  y\n# comment at 0\nb: >+\n  keep\n\n# c\nd: |\n  # not a comment\n  z\n",
    "block edge 3": "- >\n\n  leading blanks\n- |1\n  one space extra\n- >-\n   a\n   b\n\n   c\n",
    "key spaces": "a  : 1\n'b' : 2\n? c\n: 3\n",
    "plain edge": "a: x  # trailing comment\nb: x # c\nc: x:y z\nd: x - y\ne: 'a' # c\nf: it's\ng: a\"b\n",
    "dq continuation": 'a: "x\\\n  y"\nb: "p\n\n  q"\nc: \'r\n\n\n  s\'\n',
    "sexagesimal": "a: [1:00, 1:60, 1:2:3, 12:30:45, -1:00, 1:0, 01:30, 0:30]\n",
}


#: every token alone, as a value, a key, a list item and a flow item, so one token that
#: makes the fast path decline does not hide the others
TOKENS = ["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "y", "n", "Y", "N", "yES", "oN", "tRUE", "0x1F", "0x_1f", "0X1F", "0o17", "0777", "017", "1_000", "-1_000", "+12", "-12", "0b1010", "0b_1", "190:20:30", "-1:30", "0", "-0", "+0", "08", "09", "0x", "0o", "12345678901234567890123", "-9223372036854775809", ".inf", "-.inf", "+.inf", ".Inf", ".INF", "-.INF", ".nan", ".NaN", ".NAN", ".NAn", "1e3", "1E3", "1.0e3", "1.0e+3", "1.0E-3", "1_0.5", "1.", ".5", "-.5", "+.5", "190:20:30.15", "0.16001e0", "6.8523015e+5", "1.0", "-0.0", "+1.5", "3.14159265358979323846", "1e+3", "1.e+3", "12e03", "00", "007", "0.5", "00.5", "08.5", "1__0", "_1", "1_", "0o8", "0b2", "1:00", "1:60", "1:2:3", "~", "null", "Null", "NULL", "nULL", "inf", "infinity", "Infinity", "-infinity", "+inf", "nan", "NaN", "-inf", "=", "<<", "!", "&", "*", "-", "--", ".", "..", ":x", "?x", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "0.1.2", "1.2.3.4", "v1", "1,000", "$ref", "#", "1e", "1e-", "0x1G", "1_2_3", "---x"]
TOKENS += [
    "'yes'",
    '"0x1F"',
    "'~'",
    '"1e3"',
    "'.inf'",
    "''",
    '""',
    "' x '",
    '"\\t"',
    '"\\0"',
    '"\\x7f"',
    '"\\u2028"',
    '"\\N"',
    '"\\L"',
    '"\\_"',
    '"a\\\n  b"',
    "'a''b'",
    '"\'"',
    "null # c",
]
for _i, _token in enumerate(TOKENS):
    SNIPPETS[f"token {_token}"] = f"v: {_token}\n{_token}: k\nl:\n- {_token}\n- x\nf: [{_token}, x]\n"


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet(name: str) -> None:
    _same_as_pyyaml(SNIPPETS[name])


def test_most_snippets_take_the_fast_path() -> None:
    taken = sum(yamlfast.load(text) is not None for text in SNIPPETS.values())
    assert taken > len(SNIPPETS) * 0.6, taken


REFUSED = [
    "anchors", "merge", "tags", "duplicate keys", "duplicate nested", "two docs", "tab indent",
    "invalid: unclosed flow", "invalid: bad indent", "invalid: colon", "invalid: at sign",
    "invalid: backtick", "invalid: unclosed quote", "invalid: undefined alias", "nel", "ls",
    "eof literal",
]


@pytest.mark.parametrize("name", REFUSED)
def test_what_the_fast_path_must_leave_to_pyyaml(name: str) -> None:
    assert yamlfast.load(SNIPPETS[name]) is None


def test_nesting_over_the_limit_is_left_to_pyyaml() -> None:
    assert yamlfast.load(SNIPPETS["deep"], max_depth=100) is not None
    assert yamlfast.load(SNIPPETS["deep"], max_depth=10) is None
    assert yamlfast.load("a: " + "[" * 100 + "]" * 100 + "\n") is None  # past what ryml emits


@needs_corpus
def test_every_corpus_yaml_file() -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in (".yaml", ".yml"))
    assert len(files) > 2000
    taken = 0
    for path in files:
        text = path.read_bytes().decode("utf-8-sig")
        taken += _same_as_pyyaml(text, sample=60)
    assert taken > len(files) * 0.9, taken


@needs_corpus
def test_a_big_spec_with_many_positions() -> None:
    text = (CORPUS / "stripe" / "openapi" / "spec3.yaml").read_text(encoding="utf-8")
    assert _same_as_pyyaml(text, sample=3000)


@pytest.mark.parametrize("path", sorted(REAL.rglob("*.yaml")), ids=lambda path: path.parent.name)
def test_real_specs_read_alike_at_every_position(path: Path) -> None:
    """Each real spec kept in fixtures/ (nakadi is over the fast path's 128 kB threshold)."""
    assert _same_as_pyyaml(path.read_bytes().decode("utf-8-sig"))


#: what a mutation inserts or writes over: YAML's indicators, line breaks and indentation
_MUTATIONS = [*":-?{}[],'\"#&*!|>%@` \n xyz01.~", "\n  ", ": ", "- ", "\n- ", "\\", "\t"]


def mutated_corpus_texts(seed: int, count: int, folder: Path = CORPUS) -> list[str]:
    """``count`` YAML files of ``folder`` (2-40 kB, or the whole of any smaller folder's YAML),
    each with one to three characters inserted, deleted or replaced: mostly invalid or oddly
    valid YAML, where the two parsers may part."""
    generator = random.Random(seed)
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))
    if len(files) > 100:
        files = [p for p in files if 2000 < p.stat().st_size < 40000]
    texts = []
    for _ in range(count):
        text = generator.choice(files).read_text(encoding="utf-8-sig")
        for _ in range(generator.randint(1, 3)):
            at = generator.randrange(len(text))
            kind = generator.random()
            if kind < 0.4:
                text = text[:at] + generator.choice(_MUTATIONS) + text[at:]
            elif kind < 0.7:
                text = text[:at] + text[at + generator.randint(1, 5) :]
            else:
                text = text[:at] + generator.choice(_MUTATIONS) + text[at + 1 :]
        texts.append(text)
    return texts


@needs_corpus
def test_mutated_corpus_files() -> None:
    """What the fast path reads, PyYAML reads alike; what PyYAML refuses, the fast path declines."""
    taken = sum(_same_as_pyyaml(text, sample=50) for text in mutated_corpus_texts(seed=1, count=250))
    assert taken > 50, taken


def test_mutated_real_specs() -> None:
    """The same on the real specs kept in fixtures/real/."""
    texts = mutated_corpus_texts(seed=1, count=40, folder=REAL)
    taken = sum(_same_as_pyyaml(text, sample=50) for text in texts)
    assert taken > 5, taken


_SCALARS = st.sampled_from([*TOKENS, "x", "a b", "'q'", '"d"', "1", "-", "é"])
_KEYS = st.sampled_from([*TOKENS[:40], "k", "key", "'k'", '"k"', "200", "a b"])


def _block(depth: int) -> st.SearchStrategy[str]:
    """A YAML block value, written at ``depth`` two-space indents."""
    pad = "  " * depth
    scalar = _SCALARS.map(lambda token: " " + token)
    flow = st.lists(_SCALARS, max_size=3).map(lambda items: " [" + ", ".join(items) + "]")
    literal = st.sampled_from(["|", ">", "|-", ">+"]).map(lambda mark: f" {mark}\n{pad}  text\n{pad}  more")
    if depth >= 3:
        return st.one_of(scalar, flow)
    mapping = st.lists(st.tuples(_KEYS, st.deferred(lambda: _block(depth + 1))), min_size=1, max_size=3).map(
        lambda members: "".join(f"\n{pad}  {key}:{value}" for key, value in members)
    )
    sequence = st.lists(st.deferred(lambda: _block(depth + 1)), min_size=1, max_size=3).map(
        lambda items: "".join(f"\n{pad}  -{item}" for item in items)
    )
    return st.one_of(scalar, flow, literal, mapping, sequence)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_KEYS, _block(0)), min_size=1, max_size=4))
def test_generated_documents(members: list[tuple[str, str]]) -> None:
    text = "".join(f"{key}:{value}\n" for key, value in members)
    if yamlfast.load(text) is None:
        return
    slow = _slow_document(text)
    if not slow.ok or slow.problems:
        raise AssertionError(f"the fast path read a text PyYAML refuses: {text!r}")
    _same_as_pyyaml(text)


def test_big_mappings_sequences_and_long_lines_place_alike() -> None:
    """Mappings over the locator's index threshold (quoted, escaped and non-ASCII keys among
    them), long sequences, and a flow line of 40 kB with non-ASCII text in it: every
    position as PyYAML's, including those past the first few kilobytes of the long line."""
    members = "".join(f"  k{n}: {n}\n  'q{n}é': x\n  \"e\\x41{n}\": y\n" for n in range(30))
    items = "".join(f"  - item {n} ü\n" for n in range(40))
    flow = ", ".join(f"ключ{n}: [é{n}, 😀, {{x: 'ü{n}'}}]" for n in range(600))
    text = f"big:\n{members}list:\n{items}flow: {{{flow}}}\nafter: {{a: 1}}\n"
    assert len(flow.encode()) > 20_000
    assert _same_as_pyyaml(text)


@pytest.mark.parametrize("seed", range(3))
def test_line_blocks_count_utf8_columns_as_decoding_does(seed: int) -> None:
    from linter.locate.lines import LineBlocks

    rng = random.Random(seed)
    pieces = ["a", "é", "😀", "中", "\n", " " * 50, "x" * 9000, "ü" * 3000]
    raw = "".join(rng.choice(pieces) for _ in range(400)).encode()
    lines = LineBlocks(raw)
    boundaries = [i for i in range(len(raw) + 1) if i == len(raw) or raw[i] & 0xC0 != 0x80]
    for offset in [*rng.sample(boundaries, 300), 0, len(raw)]:
        line, start = lines.line_of(offset)
        assert line == raw.count(b"\n", 0, offset) + 1
        assert start == raw.rfind(b"\n", 0, offset) + 1
        assert lines.column(offset, start) == len(raw[start:offset].decode()) + 1
