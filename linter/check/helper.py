"""Part of one spec's work done in a forked helper process, on another core.

A fork shares everything loaded so far, copy-on-write, so the helper starts within
milliseconds with the spec in hand. It sends back one picklable result through a pipe and
exits without tearing anything down. Whatever goes wrong (no ``fork`` on this platform,
other threads running, the helper dying or sending garbage) the caller is told ``None``
and does the work itself: results never depend on whether a helper ran.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from linter.check.lifetime import die_with_parent


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
