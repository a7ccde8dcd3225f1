"""The library entry point: lint paths and return findings. Never prints, never exits."""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from linter.check.across_roots import merge_roots
from linter.check.config import build_config
from linter.check.engine import Engine, EngineResult
from linter.check.ruleset import Config
from linter.check.watchdog import DEFAULT_RULE_TIMEOUT
from linter.errors import ConfigError, ErrlintError, UsageError
from linter.load.document import JSON_SUFFIXES, YAML_SUFFIXES, Limits, printable_path
from linter.load.reader import load_document, parse_document
from linter.model import Finding, LintResult, RuleInfo
from linter.resolve.resolver import ResolveOptions, SpecSet
from linter.spec.openapi import iter_all_operations

SPEC_SUFFIXES = (*YAML_SUFFIXES, *JSON_SUFFIXES)
_SNIFF_YAML = re.compile(r"""^["']?(openapi|swagger)["']?\s*:""", re.MULTILINE)
_SNIFF_JSON = re.compile(r'"(openapi|swagger)"\s*:')
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"}


@dataclass
class LintOptions:
    rulesets: tuple[str, ...] = ()
    config_file: Path | None = None
    allow_remote: bool = False
    #: seconds each remote document may take to fetch, in all (see linter/resolve/remote.py)
    remote_timeout: float = 10.0
    allow_outside_root: bool = False
    report_unused_ignores: bool = False
    only_openapi: bool = False
    #: the name shown for a spec read from standard input (PATH ``-``); None: ``<stdin>``
    stdin_filename: str | None = None
    limits: Limits = field(default_factory=Limits)
    raise_errors: bool = False
    #: seconds each rule may spend on each spec (None: unbounded); see linter/check/watchdog.py
    rule_timeout: float | None = DEFAULT_RULE_TIMEOUT
    #: processes linting independent root specs at once
    jobs: int = 1
    #: keep every loaded SpecSet in the result (forces one process)
    keep_specs: bool = False
    #: record, per operation, the API family and JSON:API applicability and why
    explain_scope: bool = False
    #: with ``only_openapi``: where to look for the root specs of named fragments (files or
    #: folders; empty: the whole repository). See linter/resolve/roots.py
    roots: tuple[str, ...] = ()


@dataclass
class SpecReport:
    """What one root spec produced, for callers that want more than findings."""

    display: str
    spec: SpecSet | None
    operations: int = 0
    #: every file the spec read (root and ``$ref``'d), as displayed
    documents: tuple[str, ...] = ()
    #: every operation's label ("GET /pets"), in document order
    operations_seen: tuple[str, ...] = ()
    #: ``--explain-scope`` lines, when asked for
    scope_lines: tuple[str, ...] = ()
    #: the real path of every local file the spec read (outputs must not overwrite them)
    sources: tuple[str, ...] = ()


@dataclass
class RunResult(LintResult):
    errors: list[str] = field(default_factory=list)
    #: information for people (which root spec was linted for which named fragment)
    notes: list[str] = field(default_factory=list)
    internal_errors: int = 0
    specs: list[SpecReport] = field(default_factory=list)


def local_sources(spec: SpecSet) -> tuple[str, ...]:
    """The real path of every local file ``spec`` read (root and ``$ref``'d): the resolver
    keys local documents by their resolved path, so none is resolved again here."""
    return tuple(key for key, doc in spec.docs.items() if not doc.display.startswith(("http://", "https://")))


def looks_like_openapi(path: Path) -> bool:
    """A cheap sniff: does the file have a top-level ``openapi``/``swagger`` key? Only a
    regular file is read (a FIFO or device is opened non-blocking and never read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return False
            head = handle.read(1 << 20)
        except OSError:
            return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if path.suffix.lower() in JSON_SUFFIXES:
        return bool(_SNIFF_JSON.search(text))
    return bool(_SNIFF_YAML.search(text))


#: specs read from standard input, by the path that stands for them (in the current folder,
#: so their relative ``$ref``s and config are found from there)
_STDIN: dict[Path, bytes] = {}
STDIN_DISPLAY = "<stdin>"


def stdin_bytes(path: Path) -> bytes | None:
    """The bytes read from standard input for the spec that ``path`` stands for, else None."""
    return _STDIN.get(path)


def expand_paths(
    paths: list[str],
    errors: list[str],
    only_openapi: bool = False,
    roots: tuple[str, ...] = (),
    notes: list[str] | None = None,
    allow_outside_root: bool = False,
    stdin_filename: str | None = None,
) -> Iterator[tuple[Path, str]]:
    """Files as given; folders walked (sorted) for spec files with an ``openapi``/``swagger`` root key;
    ``-`` is standard input, shown as ``stdin_filename`` (default ``<stdin>``). A folder holding
    no spec is an error (unless ``only_openapi``).

    A walk is confined like ``$ref``s: a file whose real path (symlinks resolved) is outside
    the real path of the folder named is neither opened nor sniffed, unless
    ``allow_outside_root``; only regular files are read (FIFOs, devices and sockets are skipped).

    With ``only_openapi``, a named spec file (``*.yaml``, ``*.yml``, ``*.json``) without that
    key is replaced by the root specs that reach it through ``$ref`` (searched in ``roots``,
    or the whole repository), after the named files; one reached by no root is skipped. Each
    root found so is announced in ``notes``.
    """
    fragments: list[str] = []
    for given in paths:
        if given == "-":
            yield _read_stdin(stdin_filename)
            continue
        path = Path(given)
        if path.is_dir():
            root = os.path.realpath(path)
            found = False
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
                for name in sorted(files):
                    candidate = Path(folder) / name
                    if candidate.suffix.lower() not in SPEC_SUFFIXES:
                        continue
                    real = os.path.realpath(candidate)
                    if not allow_outside_root and os.path.commonpath([root, real]) != root:
                        continue
                    if looks_like_openapi(candidate):
                        found = True
                        yield candidate, printable_path(os.path.join(given, os.path.relpath(candidate, path)))
            if not found and not only_openapi:
                # a mistyped folder must not turn a CI gate green
                errors.append(
                    f"{given}: no OpenAPI document found (no .yaml, .yml or .json file with an "
                    "openapi or swagger key)"
                )
        elif path.is_file():
            if only_openapi and not looks_like_openapi(path):
                if path.suffix.lower() in SPEC_SUFFIXES:
                    fragments.append(given)
                continue
            yield path, printable_path(given)
        elif path.exists():
            errors.append(f"{given}: not a regular file or folder")
        else:
            errors.append(f"{given}: no such file or folder")
    if fragments:
        yield from _roots_of(fragments, paths, roots, notes if notes is not None else [])


def _roots_of(
    fragments: list[str], named: list[str], search: tuple[str, ...], notes: list[str]
) -> Iterator[tuple[Path, str]]:
    """The root specs in the repository that reach ``fragments``, except those ``named``."""
    from linter.report.fingerprint import repository_root
    from linter.resolve.roots import roots_reaching

    already = {os.path.abspath(given) for given in named}
    for root, reached in roots_reaching(fragments, repository_root(), search).items():
        if root in already:
            continue
        display = printable_path(_display(root))
        shown = ", ".join(printable_path(_display(fragment)) for fragment in reached)
        notes.append(f"{display}: linted for {shown}, which it reaches through $ref")
        yield Path(root), display


def _display(path: str) -> str:
    """``path`` relative to the cwd when it is under it, else absolute."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _read_stdin(name: str | None) -> tuple[Path, str]:
    """Standard input, read once, as a path in the current folder named ``name`` (its suffix
    chooses JSON or YAML parsing; without one, YAML, which reads JSON too)."""
    import sys

    path = Path.cwd() / (name or "stdin")
    if path not in _STDIN:
        _STDIN[path] = sys.stdin.buffer.read()
    return path, printable_path(name) if name else STDIN_DISPLAY


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector (re-entrant; restores the previous state).

    Loading a spec creates millions of small objects that all stay alive, and the collector
    walks them again and again as they pile up: measured, 45% of the load time of the
    DigitalOcean spec and 75% of Stripe's. Documents hold no reference cycles to collect.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_spec(path: Path, display: str, options: LintOptions, *, load_all: bool = True) -> SpecSet:
    """The spec rooted at ``path``; with ``load_all`` false, only the root is read (then
    :func:`check_spec` visits every ``$ref``)."""
    with cyclic_gc_paused():
        if path in _STDIN:
            doc = parse_document(_STDIN[path], path, display, options.limits)
        else:
            doc = load_document(path, display, options.limits)
        spec = SpecSet(
            doc,
            ResolveOptions(
                allow_remote=options.allow_remote,
                remote_timeout=options.remote_timeout,
                allow_outside_root=options.allow_outside_root,
                limits=options.limits,
            ),
        )
        if load_all:
            spec.load_all()
    return spec


def check_spec(engine: Engine, spec: SpecSet) -> EngineResult:
    """The pipeline after loading the root file: start the engine (its helper process, if
    any, starts first: its work is the longest part of the run), visit every ``$ref``
    (stage 2, :meth:`SpecSet.load_all`) while the helper works, then run the rules."""
    with cyclic_gc_paused(), engine.begin(spec) as run:
        if not spec.loaded_all:
            spec.load_all()
        return run.finish()


def lint_paths(
    paths: list[str],
    options: LintOptions | None = None,
    on_file: Callable[[int, int, str], None] | None = None,
) -> RunResult:
    """Lint every spec under ``paths``. Config problems raise :class:`ConfigError`.

    ``on_file(done, total, display)`` is called as each root spec is done (for progress bars).

    With ``options.jobs`` above 1 and several root specs, the specs are linted in that many
    worker processes; their reports then carry no :class:`SpecSet` (``keep_specs`` forces
    one process, for callers such as diff mode that need the loaded specs afterwards).
    """
    options = options or LintOptions()
    result = RunResult()
    targets = list(
        expand_paths(
            paths,
            result.errors,
            options.only_openapi,
            options.roots,
            result.notes,
            allow_outside_root=options.allow_outside_root,
            stdin_filename=options.stdin_filename,
        )
    )
    if options.jobs > 1 and len(targets) > 1 and not options.keep_specs:
        outcomes = _lint_in_processes(targets, options)
    else:
        workers = options.jobs if len(targets) == 1 else 1
        linter = _SpecLinter(options, keep_spec=options.keep_specs, workers=workers)
        outcomes = linter.lint_all(targets)
    for index, outcome in enumerate(outcomes, start=1):
        _merge(result, outcome)
        if on_file is not None:
            on_file(index, len(targets), outcome.display)
    if len(result.files) > 1:  # a fragment shared by several roots: its defects once
        result.findings = merge_roots(result.findings)
    result.findings.sort(key=Finding.sort_key)
    return result


@dataclass
class _Outcome:
    """What linting one root spec produced (picklable, to cross process boundaries)."""

    display: str
    error: str | None = None
    report: SpecReport | None = None
    findings: list[Finding] = field(default_factory=list)
    internal_errors: int = 0
    rules: list[RuleInfo] = field(default_factory=list)


class _SpecLinter:
    """Lints root specs one at a time, building one config and engine per folder."""

    def __init__(self, options: LintOptions, keep_spec: bool, workers: int = 1) -> None:
        self.options = options
        self.keep_spec = keep_spec
        #: processes one spec may use (more than 1 only when specs are not linted in parallel)
        self.workers = workers
        self.engines: dict[str, tuple[Config, Engine]] = {}

    def _engine(self, path: Path) -> tuple[Config, Engine]:
        folder = str(path.resolve().parent)
        if folder not in self.engines:
            config = build_config(Path(folder), self.options.config_file, self.options.rulesets)
            engine = Engine(
                config,
                raise_errors=self.options.raise_errors,
                rule_timeout=self.options.rule_timeout,
                workers=self.workers,
                report_unused_ignores=self.options.report_unused_ignores,
            )
            self.engines[folder] = (config, engine)
        return self.engines[folder]

    def lint_all(self, targets: list[tuple[Path, str]]) -> Iterator[_Outcome]:
        """Lint each target in turn, the cycle collector paused throughout: a spec's
        leftovers are collected once, before the next spec, rather than scanned again
        and again while it is being linted. Only the youngest generation is collected,
        which holds what the last spec made, not what the caller's process had before."""
        with cyclic_gc_paused():
            for index, (path, display) in enumerate(targets):
                if index:
                    gc.collect(0)
                yield self.lint(path, display)

    def lint(self, path: Path, display: str) -> _Outcome:
        config, engine = self._engine(path)
        try:
            # only the root: check_spec visits the $refs, after starting a helper process if any
            spec = load_spec(path, display, self.options, load_all=False)
        except OSError as exc:
            return _Outcome(display, error=f"{display}: cannot read ({exc.strerror or exc})")
        outcome = check_spec(engine, spec)
        findings = list(outcome.findings)
        report = SpecReport(
            display,
            spec if self.keep_spec else None,
            outcome.operations,
            documents=tuple(doc.display for doc in spec.docs.values()),
            sources=local_sources(spec),
            operations_seen=tuple(op.label for op in iter_all_operations(spec)),
            scope_lines=_scope_lines(spec) if self.options.explain_scope else (),
        )
        rules = [_rule_info(rule_id, config) for rule_id in config.enabled_rules()]
        return _Outcome(display, None, report, findings, outcome.internal_errors, rules)


def _scope_lines(spec: SpecSet) -> tuple[str, ...]:
    """What ``--explain-scope`` prints for ``spec`` (imported here: only that option needs it)."""
    from linter.cli.explain_scope import explain_scopes

    return tuple(explain_scopes(spec))


_WORKER: _SpecLinter | None = None


def _start_worker(options: LintOptions, parent_pid: int) -> None:
    global _WORKER
    from linter.check.lifetime import die_with_parent

    die_with_parent(parent_pid)
    _WORKER = _SpecLinter(options, keep_spec=False)


def _lint_in_worker(target: tuple[Path, str]) -> _Outcome:
    assert _WORKER is not None
    gc.collect(0)
    with cyclic_gc_paused():
        return _WORKER.lint(*target)


def _lint_in_processes(targets: list[tuple[Path, str]], options: LintOptions) -> Iterator[_Outcome]:
    """Root specs are independent: lint them in ``options.jobs`` processes, results in input order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    workers = min(options.jobs, len(targets))
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(options, os.getpid())
    ) as pool:
        yield from pool.map(_lint_in_worker, targets, chunksize=max(1, len(targets) // (workers * 4)))


def _merge(result: RunResult, outcome: _Outcome) -> None:
    if outcome.error is not None:
        result.errors.append(outcome.error)
        return
    assert outcome.report is not None
    result.findings.extend(outcome.findings)
    result.internal_errors += outcome.internal_errors
    result.files.append(outcome.display)
    result.specs.append(outcome.report)
    known = {info.id for info in result.rules}
    result.rules.extend(info for info in outcome.rules if info.id not in known)


def _rule_info(rule_id: str, config: Config) -> RuleInfo:
    from linter import registry

    rule = config.policies.get(rule_id) or registry.rule(rule_id)
    severity = config.rules[rule_id].severity or rule.default_severity
    return RuleInfo(rule_id, severity, rule.summary(), rule.documentation())


__all__ = ["ConfigError", "ErrlintError", "LintOptions", "RunResult", "UsageError", "lint_paths"]
