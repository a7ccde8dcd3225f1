"""Part of one spec's work done in a forked helper process, on another core.

A fork shares everything loaded so far, copy-on-write, so the helper starts within
milliseconds with the spec in hand. It sends back one picklable result through a pipe and
exits without tearing anything down. Whatever goes wrong (no ``fork`` on this platform,
other threads running, the helper dying or sending garbage) the caller is told ``None``
and does the work itself: results never depend on whether a helper ran.

What the engine's helper sends back is a list of :data:`Record` s: plain frozen dataclasses
that name files by their key in ``SpecSet.docs`` and operations by their index in document
order (the same in both processes), never a document, node or operation object. The
:class:`Recorder` makes them in the helper; :meth:`linter.check.collector.Collector.replay`
takes them in the main process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.check.lifetime import die_with_parent
from linter.model import Severity

if TYPE_CHECKING:
    from linter.resolve.resolver import Site, SpecSet
    from linter.rules.base import Problem
    from linter.spec.openapi import Operation

#: a place in a spec across processes: (key of the document in ``SpecSet.docs``, JSON pointer)
Where = tuple[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class ProblemRecord:
    """A problem a rule reported in the helper."""

    rule: str
    severity: Severity
    message: str
    status: str | None
    origin: Where
    #: the ``$ref`` sites followed to reach ``origin``, outermost first
    via: tuple[Where, ...]
    #: index of the operation in document order; -1 for a document rule
    operation: int
    #: other places that explain the problem, each (place, what it is) (``Problem.related``)
    explained: tuple[tuple[Where, str], ...] = ()
    #: the defect apart from the use that reached it (``Problem.defect``)
    defect: str | None = None


@dataclass(frozen=True, slots=True)
class CrashRecord:
    """A rule that crashed or ran out of time in the helper: "rule 'x' <what>[ on op]<why>"."""

    rule: str
    #: index of the operation in document order; -1 for a document rule
    operation: int
    what: str
    why: str


Record = ProblemRecord | CrashRecord


class Recorder:
    """In a helper process: what the rules say, kept as :data:`Record` s (the engine's sink)."""

    def __init__(self, spec: SpecSet, operations: list[Operation]) -> None:
        self.spec = spec
        self.index = {id(op): number for number, op in enumerate(operations)}
        self.keys: dict[int, str] = {}
        self.records: list[Record] = []

    def add(self, rule_id: str, severity: Severity, problem: Problem, op: Operation | None) -> None:
        origin, via = problem.origin()
        self.records.append(
            ProblemRecord(
                rule_id,
                severity,
                problem.message,
                problem.status,
                self._where(origin),
                tuple(self._where(site) for site in via),
                self._number(op),
                tuple((self._where(site), what) for site, what in problem.explained_sites()),
                problem.defect,
            )
        )

    def crash(self, rule_id: str, op: Operation | None, what: str, why: str) -> None:
        self.records.append(CrashRecord(rule_id, self._number(op), what, why))

    def _number(self, op: Operation | None) -> int:
        return self.index[id(op)] if op is not None else -1

    def _where(self, site: Site) -> Where:
        if id(site.doc) not in self.keys:  # documents loaded while the rules ran, too
            self.keys = {id(doc): key for key, doc in self.spec.docs.items()}
        return (self.keys[id(site.doc)], site.pointer)


class Helper:
    """A forked process computing one result."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader
        self._done = False

    def result(self) -> Any | None:
        """The helper's result, or None when it failed (it is always reaped)."""
        try:
            with os.fdopen(self.reader, "rb") as stream:
                payload = stream.read()
        finally:
            status = self._reap()
        if status != 0 or not payload:
            return None
        try:
            return pickle.loads(payload)
        except Exception:
            return None

    def cancel(self) -> None:
        """Stop the helper if it still runs (the caller gave up waiting)."""
        if self._done:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.close(self.reader)
        self._reap()

    def _reap(self) -> int:
        if self._done:
            return -1
        self._done = True
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def start(work: Callable[[], Any]) -> Helper | None:
    """Run ``work()`` in a forked helper; None when forking is not safe or possible here."""
    if not hasattr(os, "fork") or not _single_threaded():
        return None
    reader, writer = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # the helper: never returns into the caller's code
        code = 1
        try:
            os.close(reader)
            die_with_parent(parent)
            payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as stream:
                stream.write(payload)
            code = 0
        except BaseException:
            pass
        finally:
            os._exit(code)
    os.close(writer)
    return Helper(pid, reader)


def _single_threaded() -> bool:
    """Whether this process runs one thread only (forking a threaded process can deadlock
    the child on a lock some other thread held); native threads are counted where the
    system shows them."""
    if threading.active_count() > 1:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return True
