"""Run one process and measure it: wall time and peak resident memory, with a timeout.

The peak memory comes from the child's own rusage (``os.wait4``). On Linux a child's
``ru_maxrss`` also counts the RSS of the parent at the moment of ``fork``/``exec``, so the
process that calls :func:`run_once` must stay small: heavy preparation (YAML conversion,
synthetic specs) runs in child processes of its own (see ``synth.py``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Verdict:
    """What a finished run says: why it failed (None: it did not), and a remark worth showing."""

    failure: str | None = None
    note: str | None = None
    partial: bool = False


#: Reads a finished run (exit code, start of stdout, end of stderr).
Judge = Callable[[int, bytes, str], Verdict]


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    seconds: float
    peak_mb: float
    exit_code: int
    timed_out: bool = False
    failure: str | None = None
    note: str | None = None
    partial: bool = False

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.failure is None


@dataclass
class Measurement:
    """All runs of one tool on one input, and why it stopped early if it did."""

    samples: list[Sample] = field(default_factory=list)
    skipped: str | None = None

    @property
    def good(self) -> list[Sample]:
        return [s for s in self.samples if s.ok]

    @property
    def problem(self) -> str | None:
        """The reason there is no figure (skipped, timed out or failed), if any."""
        if self.skipped:
            return self.skipped
        for sample in self.samples:
            if sample.timed_out:
                return f"timeout after {sample.seconds:.0f} s"
            if sample.failure:
                return f"failed: {sample.failure}"
        return None if self.samples else "not run"

    @property
    def partial(self) -> bool:
        """Whether a run stopped before doing the whole job (so its figures do not compare)."""
        return any(s.partial for s in self.samples)

    @property
    def note(self) -> str:
        """The problem, else the remarks the runs had, once each."""
        return self.problem or "; ".join(dict.fromkeys(s.note for s in self.samples if s.note))

    @property
    def seconds(self) -> float | None:
        good = self.good
        return statistics.median(s.seconds for s in good) if good and not self.problem else None

    @property
    def peak_mb(self) -> float | None:
        good = self.good
        return statistics.median(s.peak_mb for s in good) if good and not self.problem else None

    def to_json(self) -> dict[str, object]:
        return {
            "median_seconds": self.seconds,
            "median_peak_mb": self.peak_mb,
            "problem": self.problem,
            "samples": [s.__dict__ for s in self.samples],
        }


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _tail(path: Path, size: int = 4000) -> str:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        return handle.read().decode("utf-8", "replace")


def _head(path: Path, size: int = 2000) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def run_once(
    argv: Sequence[str], judge: Judge, timeout: float, scratch: Path, env: dict[str, str], cwd: Path
) -> Sample:
    """Run ``argv`` once with stdout and stderr sent to files in ``scratch``; measure it.

    The child gets a session (process group) of its own, so that a timeout kills it with
    whatever it started, and so do strays left once it has exited.
    """
    out, err = scratch / "stdout", scratch / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(argv), stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env, cwd=cwd,
            start_new_session=True,
        )  # fmt: skip
        fired = threading.Event()

        def expire() -> None:
            fired.set()
            _kill_group(process.pid)

        timer = threading.Timer(timeout, expire)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
    process.returncode = code = os.waitstatus_to_exitcode(status)
    _kill_group(process.pid)
    peak_kb = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    if fired.is_set():
        return Sample(seconds, peak_kb / 1024, code, timed_out=True)
    verdict = judge(code, _head(out), _tail(err))
    return Sample(
        seconds, peak_kb / 1024, code, failure=verdict.failure, note=verdict.note, partial=verdict.partial
    )


def last_line(text: str) -> str:
    """The last non-blank line of ``text``, shortened: the usual place of an error message."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:160] if lines else "(no output on stderr)"


def reason(code: int, stderr: str) -> str:
    """A short reason for a failed run: the exit code (or signal) and a line of stderr."""
    how = f"killed by signal {-code}" if code < 0 else f"exit {code}"
    for marker in ("heap out of memory", "Error:", "error:", "Traceback"):
        for line in stderr.splitlines():
            if marker in line:
                return f"{how}: {line.strip()[:160]}"
    return f"{how}: {last_line(stderr)}"
