"""Fuzz errlint with hostile variations of real specs, for as many examples as asked.

    .venv/bin/python benchmarks/fuzz.py --examples 20000 --large-seeds --save fuzz-failures

Cases and the oracle come from ``tests/fuzzing.py`` (the suite runs the same property with a
small budget in ``tests/test_fuzz.py``). Each example is linted in-process through
``linter.api.lint_paths`` with every registered ruleset, then rendered as text and JSON;
every ``--cli-every``-th one also goes through the installed ``errlint`` command. A failure
is shrunk by hypothesis, saved under ``--save`` when given, and the run goes on with the
next seed until the budget is spent. Exit status: 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzzing import LARGE_SEEDS, SMALL_SEEDS, Case, check_cli, check_in_process, fuzz_ruleset, mutated_specs
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed


@dataclass
class Tally:
    examples: int = 0
    cli_runs: int = 0
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def line(self) -> str:
        rate = self.examples / max(time.monotonic() - self.started, 1e-9)
        return f"{self.examples} examples ({self.cli_runs} via the CLI), {len(self.failures)} failures, {rate:.1f}/s"


def _property(work: Path, tally: Tally, cli_every: int, save: Path | None) -> Callable[[Case], None]:
    """Check one case; the file is rewritten in place, so a long run uses no disk to speak of."""
    ruleset = fuzz_ruleset(work)

    def one(case: Case) -> None:
        tally.examples += 1
        try:
            check_in_process(case, work / "case", ruleset)
            if cli_every and tally.examples % cli_every == 0:
                tally.cli_runs += 1
                check_cli(case, work / "cli", ruleset)
        except BaseException:
            if save is not None:
                # overwritten while hypothesis shrinks: the file left is the smallest failing case
                Case(f"failure-{len(tally.failures) + 1}-{case.name}", case.raw).write(save)
            raise

    return one


def run_batch(budget: int, seed: int, args: argparse.Namespace, tally: Tally, work: Path) -> None:
    seeds = SMALL_SEEDS + (LARGE_SEEDS if args.large_seeds else ())
    body = _property(work, tally, args.cli_every, args.save)
    test = settings(
        max_examples=budget,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )(given(mutated_specs(seeds))(body))
    try:
        hypothesis_seed(seed)(test)()
    except Exception:
        tally.failures.append(traceback.format_exc(limit=8))
        print(tally.failures[-1], file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--examples", type=int, default=1000, help="examples to run in all")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="first hypothesis seed")
    parser.add_argument("--batch", type=int, default=500, help="examples per hypothesis run")
    parser.add_argument("--cli-every", type=int, default=200, help="every Nth example also via the CLI")
    parser.add_argument("--large-seeds", action="store_true", help="also mutate bigger corpus specs")
    parser.add_argument("--save", type=Path, help="write the bytes of failing cases here")
    parser.add_argument(
        "--memory-mb", type=int, default=4096, help="address-space cap: a blow-up fails, not the machine"
    )
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (args.memory_mb * 1024 * 1024, resource.RLIM_INFINITY))
    tally = Tally()
    seed = args.seed
    with tempfile.TemporaryDirectory(prefix="errlint-fuzz-") as scratch:
        while tally.examples < args.examples:
            run_batch(min(args.batch, args.examples - tally.examples), seed, args, tally, Path(scratch))
            print(f"seed {seed}: {tally.line()}", flush=True)
            seed += 1
    print(f"done: {tally.line()}")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
