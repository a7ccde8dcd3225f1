"""A time budget per rule and spec, so that a rule that loops forever cannot hang a CI job.

POSIX only, on the main thread: while the engine runs one spec, a ``SIGALRM`` interval
timer ticks every :data:`TICK` seconds (armed once per spec, not per rule call). The
engine marks which rule is running; when a tick finds that rule past its budget for this
spec, the handler raises :class:`RuleTimeout` inside the rule, and the engine reports an
``internal-error`` finding for it. Elsewhere (Windows, other threads) rules run unbounded.

Python runs signal handlers between bytecodes, so a rule stuck inside one long C call (a
catastrophic regular expression) is stopped only when that call returns.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TypeVar

#: seconds between checks: a looping rule is stopped at most this long after its budget
TICK = 0.25
#: the default budget of each rule on each spec, in seconds (``--rule-timeout``)
DEFAULT_RULE_TIMEOUT = 10.0

T = TypeVar("T")


class RuleTimeout(BaseException):
    """Raised inside a rule past its budget. A ``BaseException``, so that a rule's own
    ``except Exception`` cannot swallow it."""


class Watchdog:
    """Time used per rule on one spec, and the timer that enforces ``budget`` (None: no limit)."""

    def __init__(self, budget: float | None) -> None:
        self.budget = budget if budget else None
        self.used: dict[str, float] = {}
        self._rule: str | None = None
        self._started = 0.0

    @property
    def can_interrupt(self) -> bool:
        return (
            self.budget is not None
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )

    @contextmanager
    def armed(self) -> Iterator[None]:
        """Let the timer tick while the body runs; the previous handler and timer are restored."""
        if not self.can_interrupt:
            yield
            return
        previous = signal.signal(signal.SIGALRM, self._on_tick)
        previous_timer = signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if previous_timer[0]:
                signal.setitimer(signal.ITIMER_REAL, *previous_timer)

    def spent(self, rule_id: str) -> bool:
        """Whether ``rule_id`` has used up its budget on this spec."""
        return self.budget is not None and self.used.get(rule_id, 0.0) >= self.budget

    def timed(self, rule_id: str, check: Callable[[], Iterable[T]]) -> Iterator[T]:
        """Run ``check()`` and iterate it, charging the time to ``rule_id``; the clock stops
        while the caller handles each yielded item."""
        self._start(rule_id)
        try:
            items = iter(check())
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    return
                self._stop()
                yield item
                self._start(rule_id)
        finally:
            self._stop()

    def _start(self, rule_id: str) -> None:
        # the start time first: a tick between the two lines must not see a stale one
        self._started = time.monotonic()
        self._rule = rule_id

    def _stop(self) -> None:
        rule, self._rule = self._rule, None
        if rule is not None:
            self.used[rule] = self.used.get(rule, 0.0) + time.monotonic() - self._started

    def _on_tick(self, signum: int, frame: FrameType | None) -> None:
        rule = self._rule
        if rule is None or self.budget is None:
            return
        if self.used.get(rule, 0.0) + time.monotonic() - self._started > self.budget:
            raise RuleTimeout(rule)
