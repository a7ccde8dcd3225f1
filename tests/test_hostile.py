"""Hostile and broken input: never a traceback, never a hang, nothing read that was not allowed.

What must hold is listed in docs/security.md; each section below proves one part of it.
Big inputs are generated into ``tmp_path``; the small ones live in ``fixtures/hostile/``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from helpers import FIXTURES, run_cli

from linter.api import LintOptions, RunResult, lint_paths, load_spec
from linter.check.engine import Engine
from linter.check.ruleset import Config, RuleSetting
from linter.check.watchdog import Watchdog
from linter.load.document import Limits
from linter.load.reader import parse_document
from linter.model import Finding, Severity
from linter.report.json import JsonReporter
from linter.report.text import TextReporter
from linter.resolve.remote import RemoteError, fetch
from linter.resolve.resolver import ResolveOptions, SpecSet
from linter.rules.base import OperationRule

HOSTILE = FIXTURES / "hostile"
HEAD = 'openapi: 3.0.3\ninfo: {title: Hostile, version: "1"}\n'
#: generous bound for "ends within seconds" (each case takes well under a second here)
QUICK = 10.0


def lint(*paths: Path, **options: Any) -> RunResult:
    return lint_paths([str(p) for p in paths], LintOptions(**options))


def rules_of(result: RunResult) -> set[str]:
    return {f.rule for f in result.findings}


def only(result: RunResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def timed(run: Callable[[], Any]) -> tuple[Any, float]:
    """``run()`` and the CPU seconds it cost, in this process and in the child processes it
    waited for (the command): unlike wall time, other work on a loaded machine does not count."""
    started = _cpu_seconds()
    value = run()
    return value, _cpu_seconds() - started


def _cpu_seconds() -> float:
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


# -- malformed input -------------------------------------------------------------------------
MALFORMED = [
    ("empty.yaml", "not-openapi", None, "the file is empty"),
    ("empty.json", "parse-error", (1, 1), "empty document"),
    ("binary.yaml", "parse-error", (2, 118), "not valid UTF-8"),
    ("nul-byte.yaml", "parse-error", (8, 7), "NUL character"),
    ("invalid-utf8.yaml", "parse-error", (3, 13), "byte 0xe9"),
    ("yaml-syntax-error.yaml", "parse-error", (9, 14), "invalid YAML"),
    ("json-syntax-error.json", "parse-error", (3, 46), "trailing comma"),
    ("root-list.yaml", "not-openapi", (1, 1), "root is a list"),
    ("root-scalar.yaml", "not-openapi", (1, 1), "scalar"),
    ("root-scalar.json", "not-openapi", (1, 1), "scalar"),
    ("missing-paths.yaml", "spec-structure", None, '"paths" is a required property'),
    ("paths-wrong-type.yaml", "spec-structure", (3, 1), "is not of type"),
    ("paths-scalar.json", "spec-structure", None, "is not of type"),
    ("response-is-a-list.yaml", "spec-structure", (8, 9), '404: ["not","a","response"] is not of type "object"'),
    ("odd-status-keys.yaml", "spec-structure", (10, 9), 'property "4o4" is not expected here'),
    ("alias-bomb.yaml", "parse-error", None, "alias bomb"),
    ("recursive-alias.yaml", "parse-error", (10, 10), "alias inside its own anchor"),
]


@pytest.mark.parametrize(("name", "rule", "position", "text"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_files_are_findings_at_their_position(
    name: str, rule: str, position: tuple[int, int] | None, text: str
) -> None:
    result = lint(HOSTILE / name)
    assert not result.errors and not result.internal_errors
    matching = [f for f in only(result, rule) if text in f.message]
    assert matching, [(f.rule, f.message) for f in result.findings]
    if position is not None:
        assert (matching[0].location.line, matching[0].location.column) == position


def test_utf16_with_a_bom_reads_like_utf8() -> None:
    raw = (HOSTILE / "utf16-bom.yaml").read_bytes()
    utf16 = parse_document(raw, Path("a.yaml"), "a.yaml")
    utf8 = parse_document(raw.decode("utf-16").encode(), Path("a.yaml"), "a.yaml")
    assert utf16.ok and not utf16.problems and utf16.data == utf8.data
    assert lint(HOSTILE / "utf16-bom.yaml").specs[0].operations == 1


def test_odd_status_keys_are_kept_as_text_and_crash_no_rule() -> None:
    spec = load_spec(HOSTILE / "odd-status-keys.yaml", "odd.yaml", LintOptions())
    responses = spec.root.data["paths"]["/pets"]["get"]["responses"]
    assert list(responses) == ["2XX", "4xx", "default", "4o4", "404", "404.5", "1e3", "true", "null", ""]
    assert not lint(HOSTILE / "odd-status-keys.yaml").internal_errors


@pytest.mark.parametrize("name", ["duplicate-keys.yaml", "duplicate-keys.json"])
def test_duplicate_keys_name_both_positions_in_yaml_and_json(name: str) -> None:
    result = lint(HOSTILE / name)
    (finding,) = only(result, "duplicate-key")
    assert finding.location.line == (9 if name.endswith(".json") else 8)
    assert f"first defined at line {finding.location.line - 1}" in finding.message
    assert finding.location.pointer == ("paths", "/pets", "get", "responses", "404")
    spec = load_spec(HOSTILE / name, name, LintOptions())
    assert spec.root.data["paths"]["/pets"]["get"]["responses"]["404"] == {"description": "Gone"}


@pytest.mark.parametrize(
    ("text", "duplicates"),
    [
        ('{"a": "b:c", "d": ["e:f", {"g:h": 1}]}', []),
        ('{"a\\u003a": "\\u003A", "b": 1}', []),  # escaped colons take the slow path: no false alarm
        ('{"a": "x:y", "b": {"a": 1}, "a": "z"}', [("a",)]),
        ('{"a": "\\u003a", "a": "\\u003a"}', [("a",)]),
        ('[{"k": 1, "k": 2}, {"k": 3}]', [("0", "k")]),
    ],
)
def test_json_duplicate_detection_has_no_false_alarms(text: str, duplicates: list[tuple[str, ...]]) -> None:
    doc = parse_document(text.encode(), Path("x.json"), "x.json")
    assert [p.pointer for p in doc.problems if p.rule == "duplicate-key"] == duplicates


def test_yaml_tags_never_construct_objects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args))
    spec = shutil.copy(HOSTILE / "python-tag.yaml", tmp_path / "spec.yaml")
    result = lint(Path(spec))
    assert calls == [] and not result.internal_errors
    data = load_spec(Path(spec), "spec.yaml", LintOptions()).root.data
    assert data["x-boom"] == ["echo pwned > errlint-pwned.txt"]  # plain data, nothing called
    assert data["x-name"] == "" and data["x-binary"] == "aGVsbG8="
    done = run_cli("lint", "spec.yaml", cwd=tmp_path)
    assert done.returncode in (0, 1) and not done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


# -- resource exhaustion (the depth limit: tests/test_depth.py) --------------------------------------
def test_alias_bomb_ends_fast_and_the_limit_can_be_raised() -> None:
    result, seconds = timed(lambda: lint(HOSTILE / "alias-bomb.yaml"))
    assert seconds < QUICK and "--max-aliases" in only(result, "parse-error")[0].message
    small = HEAD + "a: &a {x: [1, 2, 3]}\nb: [*a, *a, *a]\n"
    # three aliases of a 6-node mapping (itself, its key, a list of three) repeat 18 nodes
    assert not parse_document(small.encode(), Path("x.yaml"), "x", Limits(max_aliases=17)).ok
    assert parse_document(small.encode(), Path("x.yaml"), "x", Limits(max_aliases=18)).ok


def test_a_file_over_the_size_limit_is_never_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: instant, and reading it would show
    result, seconds = timed(lambda: lint(path))
    (finding,) = result.findings
    assert finding.rule == "parse-error" and "--max-file-size" in finding.message
    assert seconds < QUICK


def test_50000_operations_in_seconds(tmp_path: Path) -> None:
    paths = {
        f"/items{i}/{{id}}": {"get": {"responses": {"404": {"$ref": "#/components/responses/NotFound"}}}}
        for i in range(50_000)
    }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Big", "version": "1"},
        "paths": paths,
        "components": {"responses": {"NotFound": {"description": "Not found"}}},
    }
    path = write(tmp_path / "big.json", json.dumps(spec))
    result, seconds = timed(lambda: lint(path))
    assert result.specs[0].operations == 50_000 and not result.internal_errors
    shared = [f for f in result.findings if f.location.pointer == ("components", "responses", "NotFound")]
    assert shared and all(len(f.related) <= 50 for f in shared)
    assert seconds < 6 * QUICK


@pytest.mark.parametrize(
    ("case", "cycles"),
    [("cycles/direct.yaml", 4), ("cycles/files/openapi.yaml", 4), ("cycles/all-of.yaml", 0)],
)
def test_ref_cycles_end_with_findings(case: str, cycles: int) -> None:
    result, seconds = timed(lambda: lint(HOSTILE / case))
    assert len(only(result, "ref-cycle")) == cycles and not result.internal_errors
    assert seconds < QUICK


def ref_chain(length: int) -> str:
    links = "".join(f"    R{i}: {{$ref: '#/components/responses/R{i + 1}'}}\n" for i in range(length))
    return (
        HEAD + "paths:\n  /a:\n    get:\n      responses:\n"
        "        '404': {$ref: '#/components/responses/R0'}\n"
        f"components:\n  responses:\n{links}    R{length}: {{description: End}}\n"
    )


def test_a_ref_chain_10000_long_ends_in_seconds(tmp_path: Path) -> None:
    path = write(tmp_path / "chain.yaml", ref_chain(10_000))
    result, seconds = timed(lambda: lint(path))
    too_long = only(result, "ref-cycle")
    assert too_long and "longer than 64 references (--max-ref-chain)" in too_long[0].message
    assert not result.internal_errors and seconds < 3 * QUICK


def test_max_ref_chain_can_be_raised(tmp_path: Path) -> None:
    path = write(tmp_path / "chain.yaml", ref_chain(100))
    assert only(lint(path), "ref-cycle")
    assert not only(lint(path, limits=Limits(max_ref_chain=200)), "ref-cycle")
    done = run_cli("lint", "--max-ref-chain", "200", "--format", "json", str(path))
    assert "ref-cycle" not in {f["rule"] for f in json.loads(done.stdout)["findings"]}


# -- confinement -------------------------------------------------------------------------------
@pytest.fixture
def escape(tmp_path: Path) -> Path:
    """The ref-escape fixture beside a secret it must not read, with a symlink out of the root."""
    root = tmp_path / "repo"
    shutil.copytree(HOSTILE / "ref-escape", root)
    write(tmp_path / "secret" / "passwd", "root: {description: hunter2}\n")
    (root / "link-out").symlink_to(tmp_path / "secret", target_is_directory=True)
    spec = root / "openapi.yaml"
    text = spec.read_text()
    for attack, aimed in (
        ("../../../../../../../../etc/passwd", "../secret/passwd"),
        ("%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "%2e%2e/secret/passwd"),
        ("/etc/passwd#/root", f"{tmp_path / 'secret' / 'passwd'}#/root"),
    ):
        text = text.replace(attack, aimed)
    spec.write_text(text)
    return spec


def test_refs_leaving_the_folder_are_refused_unless_allowed(escape: Path) -> None:
    spec = load_spec(escape, "openapi.yaml", LintOptions())
    assert list(spec.docs.values()) == [spec.root]
    refused = sorted(p.site.pointer[-1] for p in spec.problems if p.rule == "ref-outside-root")
    assert refused == ["400", "401", "404", "409"]  # relative, absolute, symlink, %-encoded
    outside = load_spec(escape, "openapi.yaml", LintOptions(allow_outside_root=True))
    assert len(outside.docs) == 2 and not [p for p in outside.problems if p.rule == "ref-outside-root"]


def test_nothing_outside_the_folder_reaches_a_report(escape: Path) -> None:
    done = run_cli("lint", "--format", "json", str(escape))
    assert done.returncode == 1 and "hunter2" not in done.stdout + done.stderr


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and refuse) every attempt to open a socket, connect or look up a name."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def fail(*args: Any, **kwargs: Any) -> Any:
            attempts.append(name)
            raise OSError(f"no network in this test ({name})")

        return fail

    for name in ("socket", "create_connection", "getaddrinfo"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_remote_refs_open_no_socket_by_default(escape: Path, no_network: list[str]) -> None:
    result = lint(escape)
    assert no_network == []
    assert [f.location.pointer[-2] for f in only(result, "ref-remote")] == ["500"]


class _Server(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {
        "/ok.yaml": (200, {}, b"NotFound: {description: Not found}\nLocal: {$ref: '/etc/passwd'}\n"),
        "/file.yaml": (200, {}, b"Local: {$ref: 'file:///etc/passwd'}\n"),
        "/to-ok": (302, {"Location": "/ok.yaml"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/declared-huge": (200, {"Content-Length": str(10**12)}, b"x"),
        "/undeclared-big": (200, {}, b"x" * 200_000),
    }

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path.startswith("/drip"):
            self._drip()
            return
        status, headers, body = self.routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _drip(self) -> None:
        """The status line, then one header line every quarter second, 40 in all (10 s), then
        a body: each read waits well under any per-read timeout, the whole far over 0.5 s. It
        stops by itself, or as soon as the client hangs up."""
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n")
            for number in range(40):
                time.sleep(0.25)
                self.wfile.write(b"X-Drip-%d: x\r\n" % number)
            self.wfile.write(b"\r\nNotFound: {description: Not found}\n")
        except OSError:
            pass
        self.close_connection = True

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_follows_http_redirects_only(server: str) -> None:
    assert fetch(f"{server}/to-ok", 5, 1000).startswith(b"NotFound")
    with pytest.raises(RemoteError, match="redirect to 'file:///etc/passwd' refused"):
        fetch(f"{server}/to-file", 5, 1000)


@pytest.mark.parametrize("route", ["/declared-huge", "/undeclared-big"])
def test_fetch_refuses_bodies_over_the_cap(server: str, route: str) -> None:
    with pytest.raises(RemoteError, match="limit"):
        fetch(f"{server}{route}", 5, 100_000)


def test_fetch_times_out_and_takes_http_only(server: str) -> None:
    with pytest.raises(RemoteError, match="timed out"):
        fetch(f"{server}/slow", 0.3, 1000)
    with pytest.raises(RemoteError, match="only http"):
        fetch("file:///etc/passwd", 5, 1000)


def test_a_fetch_keeps_its_time_budget_while_headers_drip_in(server: str, tmp_path: Path) -> None:
    # the server sends a header line every 0.25 s for 10 s: each read is quick, the whole slow
    url = f"{server}/drip.yaml#/NotFound"
    spec = write(
        tmp_path / "openapi.yaml",
        HEAD + f"paths:\n  /a:\n    get:\n      responses:\n        '404': {{$ref: '{url}'}}\n",
    )
    done = run_cli(
        "lint", str(spec), "--allow-remote", "--remote-timeout", "0.5", "--format", "json", "--fail-on", "never"
    )
    assert done.returncode == 0, done.stderr
    found = [
        (f["rule"], f["line"], f["column"], f["pointer"], f["message"])
        for f in json.loads(done.stdout)["findings"]
        if f["rule"].startswith("ref-")
    ]
    assert found == [
        (
            "ref-unresolved",
            7,
            17,
            "/paths/~1a/get/responses/404/$ref",
            f"$ref '{url}': fetch timed out: not done within its 0.5 s budget",
        )
    ]


def test_a_remote_document_cannot_reach_local_files(server: str, tmp_path: Path) -> None:
    spec = write(
        tmp_path / "openapi.yaml",
        HEAD + "paths:\n  /a:\n    get:\n      responses:\n"
        f"        '404': {{$ref: '{server}/ok.yaml#/NotFound'}}\n"
        f"        '400': {{$ref: '{server}/ok.yaml#/Local'}}\n"
        f"        '401': {{$ref: '{server}/file.yaml#/Local'}}\n"
        f"        '500': {{$ref: '{server}/to-file'}}\n",
    )
    loaded = SpecSet(
        parse_document(spec.read_bytes(), spec, "openapi.yaml"), ResolveOptions(allow_remote=True)
    )
    loaded.load_all()
    messages = sorted(p.message for p in loaded.problems)
    assert sorted(loaded.docs) == sorted([str(spec.resolve()), f"{server}/ok.yaml", f"{server}/file.yaml"])
    assert any("/etc/passwd" in m and "HTTP Error 404" in m for m in messages)  # fetched from the server
    assert any("scheme 'file' is not supported" in m for m in messages)
    assert any("redirect to 'file:///etc/passwd' refused" in m for m in messages)


# -- third-party rules that raise or loop ----------------------------------------------------
class Loops(OperationRule):
    """Loops forever, swallowing exceptions.

    Why: proves the watchdog stops it.
    """

    id = "test-loops"

    def check(self, op: Any, ctx: Any) -> Iterator[Any]:
        while True:
            with contextlib.suppress(Exception):
                pass
        yield


class Raises(OperationRule):
    """Raises.

    Why: proves the engine contains it.
    """

    id = "test-raises"

    def check(self, op: Any, ctx: Any) -> Iterator[Any]:
        raise ZeroDivisionError("boom")
        yield


def test_rules_that_loop_or_raise_are_contained_and_the_others_report() -> None:
    config = Config(
        rules={
            "test-loops": RuleSetting(Severity.ERROR),
            "test-raises": RuleSetting(Severity.ERROR),
            "operation-4xx-declared": RuleSetting(Severity.WARNING),
        }
    )
    engine = Engine(config, rules={"test-loops": Loops, "test-raises": Raises}, rule_timeout=0.5)
    spec = load_spec(HOSTILE / "odd-status-keys.yaml", "odd.yaml", LintOptions())
    before = signal.getsignal(signal.SIGALRM)
    outcome, seconds = timed(lambda: engine.run(spec))
    crashes = sorted(f.message for f in outcome.findings if f.rule == "internal-error")
    assert outcome.internal_errors == 2 and seconds < 2
    assert "rule 'test-loops' ran out of its 0.5 s time budget on GET /pets (--rule-timeout)" in crashes
    assert "rule 'test-raises' crashed on GET /pets: ZeroDivisionError: boom" in crashes
    assert any(f.rule == "operation-4xx-declared" for f in outcome.findings)
    assert signal.getsignal(signal.SIGALRM) is before


def test_the_watchdog_charges_a_rule_only_for_its_own_time() -> None:
    watchdog = Watchdog(0.5)
    with watchdog.armed():
        for _ in watchdog.timed("slow-consumer", lambda: iter(range(3))):
            time.sleep(0.3)  # the engine handling a problem: not the rule's time
    assert watchdog.used["slow-consumer"] < 0.1 and not watchdog.spent("slow-consumer")


PLUGIN = '''
from linter.rules.base import OperationRule


class Loops(OperationRule):
    """Loops.

    Why: a plugin bug.
    """

    id = "plugin-loops"

    def check(self, op, ctx):
        while True:
            pass
        yield


class Raises(OperationRule):
    """Raises.

    Why: a plugin bug.
    """

    id = "plugin-raises"

    def check(self, op, ctx):
        yield from ()
        raise KeyError("plugin")


RULES = (Loops, Raises)
'''


def test_a_looping_plugin_through_the_cli_exits_2_with_the_other_findings(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site / "hostile_plugin.py", PLUGIN)
    write(
        site / "hostile_plugin-1.0.dist-info" / "METADATA",
        "Metadata-Version: 2.1\nName: hostile-plugin\nVersion: 1.0\n",
    )
    write(
        site / "hostile_plugin-1.0.dist-info" / "entry_points.txt",
        "[errlint.rules]\nhostile = hostile_plugin:RULES\n",
    )
    spec = shutil.copy(HOSTILE / "odd-status-keys.yaml", tmp_path / "spec.yaml")
    write(tmp_path / ".errlint.yaml", "rules:\n  plugin-loops: error\n  plugin-raises: error\n")
    env = {"PYTHONPATH": str(site)}
    done = run_cli("lint", "--format", "json", "--rule-timeout", "0.5", str(spec), env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    findings = json.loads(done.stdout)["findings"]
    crashes = sorted(f["message"] for f in findings if f["rule"] == "internal-error")
    assert [m.split(" on ")[0] for m in crashes] == [
        "rule 'plugin-loops' ran out of its 0.5 s time budget",
        "rule 'plugin-raises' crashed",
    ]
    assert {"spec-structure", "operation-4xx-declared"} <= {f["rule"] for f in findings}


# -- reports stay well-formed ---------------------------------------------------------------------
_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")


def render(reporter: Any, result: RunResult) -> str:
    out = io.StringIO()
    reporter.render(result, out)
    return out.getvalue()


def test_hostile_messages_stay_one_printable_line_in_text_and_exact_in_json() -> None:
    result = lint(HOSTILE / "messages.yaml")
    assert result.findings and not result.internal_errors
    text = render(TextReporter(), result)
    assert not _UNPRINTABLE.search(text)
    assert len(text.splitlines()) == len(result.findings) + 3  # file heading, blank line, summary
    report = json.loads(render(JsonReporter(), result))
    assert [f["message"] for f in report["findings"]] == [f.message for f in result.findings]
    ref = next(f["message"] for f in report["findings"] if f["rule"] == "ref-unresolved")
    assert '::warning::<b>%"é' in ref and "\n" in ref


def test_file_names_that_are_not_utf8_or_hold_controls_are_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    text = (HOSTILE / "missing-paths.yaml").read_bytes()
    for name in (b"\xff\xfe.yaml", b"new\nline\x1b[31m.yaml"):
        (folder / os.fsdecode(name)).write_bytes(text)
    for format_name in ("text", "json"):
        done = run_cli("lint", "--format", format_name, str(folder))
        assert done.returncode == 1, done.stderr
        assert not _UNPRINTABLE.search(done.stdout)
    files = {f["file"] for f in json.loads(done.stdout)["findings"]}
    assert {Path(f).name for f in files} == {"\\xff\\xfe.yaml", "new\nline\x1b[31m.yaml"}
