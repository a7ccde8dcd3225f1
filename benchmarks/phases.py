"""Where one `errlint lint` run spends its time: a profile by phase, for deciding what to optimise.

    benchmarks/.cache/venv/bin/python benchmarks/phases.py SPEC [errlint lint options...]

Prints the seconds spent importing errlint, parsing files, resolving `$ref`s, in each rule,
finding positions and writing the report, then the whole run and the peak RSS. The run is
one process (`--jobs 1` unless given), so that every rule is timed here; for a call-level
profile, run `pyinstrument -m linter lint SPEC` (or py-spy) instead.
"""

from __future__ import annotations

import contextlib
import gc
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

START = time.perf_counter()
gc.disable()  # as the errlint command does

import linter.cli.main  # noqa: E402
from linter.check import collector, engine, watchdog  # noqa: E402
from linter.load import reader  # noqa: E402
from linter.resolve import resolver  # noqa: E402

IMPORTED = time.perf_counter()
spent: dict[str, float] = defaultdict(float)


def timed(owner: Any, name: str, label: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - began

    setattr(owner, name, wrapper)


def timed_rules() -> None:
    original = watchdog.Watchdog.timed

    def wrapper(self: Any, rule_id: str, check: Callable[[], Any]) -> Iterator[Any]:
        items = original(self, rule_id, check)
        while True:
            began = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                spent[f"rule {rule_id}"] += time.perf_counter() - began
                return
            spent[f"rule {rule_id}"] += time.perf_counter() - began
            yield item

    watchdog.Watchdog.timed = wrapper  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    timed(reader, "parse_document", "parse files")
    timed(resolver.SpecSet, "load_all", "resolve $refs")
    timed(collector, "_finalise", "positions of findings")
    timed(engine, "collect_suppressions", "x-errlint-ignore")
    timed(linter.cli.main, "_write_reports", "write the report")
    timed_rules()
    jobs = [] if "--jobs" in argv else ["--jobs", "1"]
    began = time.perf_counter()
    with contextlib.suppress(SystemExit):
        linter.cli.main.main(["lint", *argv, "--format", "json", "-o", "/dev/null", *jobs])
    run = time.perf_counter() - began
    print(f"{'import errlint':32} {IMPORTED - START:7.3f} s")
    for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        if seconds >= 0.0005:
            print(f"{label:32} {seconds:7.3f} s")
    print(f"{'lint (all of the above but import)':32} {run:7.3f} s")
    print(f"{'peak RSS':32} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
