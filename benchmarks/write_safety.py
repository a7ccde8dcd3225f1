"""``errlint fix`` under failure: a file-size limit, SIGKILL at random moments, two runs at once.

    python benchmarks/write_safety.py [--spec FILE] [--kills 20] [--races 10] [--seed 1]

Each case runs the ``errlint`` on PATH as a real process on a copy of a big spec (the Stripe
spec from ``../shared/corpus`` when it is there, else a generated spec of 1,500 operations
that ``fix --ruleset commercelayer`` edits everywhere), in a temporary folder, and checks
the guarantees of docs/security.md ("What errlint writes"):

* **file-size limit** (as ``prlimit --fsize``, or a full disk): ``fix`` under
  ``RLIMIT_FSIZE`` of 2,000,000 bytes (or the spec's own size, when that is larger than the
  fixed text is not) exits 2 with one line ``errlint: cannot write SPEC: File too large``, the
  spec is byte for byte what it was, and no temporary file is left beside it;
* **SIGKILL** at ``--kills`` random moments spread over a run: the spec is always either the
  original or the completely fixed text, never anything else (a temporary file
  ``.NAME.*.errlint-tmp`` may be left beside it when the kill comes while it is written;
  it is counted, and removed);
* **two runs at once** (``--races`` rounds, the second started after a random delay): one
  ``fix`` writes the spec itself, the other puts the new responses in a components file
  (``--components-file``), so their results differ. The spec must end as one run's complete
  result; a run that says it made changes and exits 0 must find them in the spec (nothing
  lost); the other exits 0 with no change (it started after the first had written) or exits
  2 with ``it was changed by another process while errlint ran; nothing was written``.

It prints one line per case and exits 1 if any guarantee failed. With the defaults it runs
``fix`` about 45 times: a few minutes on the Stripe spec; the test suite does not run it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRIPE = ROOT.parent / "shared" / "corpus" / "stripe" / "openapi" / "spec3.yaml"
FSIZE = 2_000_000
CHANGED_MEANWHILE = "it was changed by another process while errlint ran; nothing was written"


def errlint() -> list[str]:
    found = shutil.which("errlint")
    if found is None:
        sys.exit("write_safety: no errlint on PATH")
    return [found]


def fix_command(spec: Path, *extra: str) -> list[str]:
    return [*errlint(), "fix", str(spec), "--ruleset", "commercelayer", "--jobs", "1", *extra]


def generated_spec(target: Path, count: int = 1500) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from growth import write_spec

    return write_spec(count, "yaml", target)


def leftovers(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.errlint-tmp"))


def run(command: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload,no-any-return]


class Checks:
    def __init__(self) -> None:
        self.failed = 0

    def report(self, case: str, ok: bool, detail: str) -> None:
        self.failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {case}: {detail}", flush=True)


def file_size_limit(original: bytes, fixed: bytes, work: Path, checks: Checks) -> None:
    spec = work / "spec.yaml"
    spec.write_bytes(original)
    limit = FSIZE if len(fixed) > FSIZE else len(original)

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = run(fix_command(spec), work, preexec_fn=limited)
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    ok = (
        done.returncode == 2
        and last == f"errlint: cannot write {spec}: File too large"
        and spec.read_bytes() == original
        and not leftovers(work)
    )
    checks.report(
        "file-size limit",
        ok,
        f"RLIMIT_FSIZE {limit:,} bytes: exit {done.returncode}, {last!r}, spec "
        f"{'unchanged' if spec.read_bytes() == original else 'CHANGED'}, {len(leftovers(work))} temporary files left",
    )


def kills(original: bytes, fixed: bytes, work: Path, checks: Checks, count: int, rng: random.Random) -> None:
    spec = work / "spec.yaml"
    spec.write_bytes(original)
    started = time.monotonic()
    run(fix_command(spec), work)
    duration = time.monotonic() - started
    outcomes = {"old": 0, "new": 0}
    bad = 0
    stray = 0
    for _ in range(count):
        spec.write_bytes(original)
        process = subprocess.Popen(fix_command(spec), cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = spec.read_bytes()
        if now == original:
            outcomes["old"] += 1
        elif now == fixed:
            outcomes["new"] += 1
        else:
            bad += 1
        for temp in leftovers(work):
            stray += 1
            temp.unlink()
    checks.report(
        "SIGKILL",
        bad == 0,
        f"{count} kills over a {duration:.1f} s run: spec old {outcomes['old']}, new {outcomes['new']}, "
        f"other {bad}; {stray} temporary files left (removed)",
    )


def races(original: bytes, work: Path, checks: Checks, count: int, rng: random.Random) -> None:
    spec, components = work / "spec.yaml", work / "components.yaml"
    # each run's result alone, to recognise them
    spec.write_bytes(original)
    run(fix_command(spec), work)
    alone_root = spec.read_bytes()
    spec.write_bytes(original)
    started = time.monotonic()
    run(fix_command(spec, "--components-file", str(components)), work)
    duration = time.monotonic() - started
    alone_split = spec.read_bytes()
    tally = {"one wrote, other refused": 0, "one wrote, other found nothing to do": 0}
    bad: list[str] = []
    for round_number in range(count):
        spec.write_bytes(original)
        components.unlink(missing_ok=True)
        first = subprocess.Popen(
            fix_command(spec), cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        time.sleep(rng.uniform(0, duration * 0.8))
        second = subprocess.Popen(
            fix_command(spec, "--components-file", str(components)),
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        results = []
        for process, alone in ((first, alone_root), (second, alone_split)):
            _, stderr = process.communicate()
            results.append((process.returncode, stderr.strip().splitlines()[-1:] or [""], alone))
        final = spec.read_bytes()
        wrote = [r for r in results if r[0] == 0 and "made 0 changes" not in r[1][0]]
        others = [r for r in results if r not in wrote]
        if len(wrote) != 1 or final != wrote[0][2]:
            bad.append(f"round {round_number}: exits {[r[0] for r in results]}, {[r[1][0] for r in results]}")
            continue
        other = others[0]
        if other[0] == 2 and CHANGED_MEANWHILE in other[1][0]:
            tally["one wrote, other refused"] += 1
        elif other[0] == 0:
            tally["one wrote, other found nothing to do"] += 1
        else:
            bad.append(f"round {round_number}: the other run said {other[1][0]!r} (exit {other[0]})")
        for temp in leftovers(work):
            bad.append(f"round {round_number}: {temp.name} left behind")
            temp.unlink()
    checks.report(
        "two runs at once",
        not bad,
        f"{count} rounds: " + ", ".join(f"{n} {what}" for what, n in tally.items()) + "".join(f"; {b}" for b in bad),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, help="a big YAML spec to copy (default: Stripe's, or a generated one)")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--races", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    checks = Checks()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        source = args.spec or (STRIPE if STRIPE.is_file() else generated_spec(work / "generated.yaml"))
        original = source.read_bytes()
        print(f"spec: {source.name}, {len(original):,} bytes", flush=True)
        spec = work / "spec.yaml"
        spec.write_bytes(original)
        done = run(fix_command(spec), work)
        fixed = spec.read_bytes()
        if done.returncode != 0 or fixed == original:
            sys.exit(f"write_safety: fix made no change to the spec (exit {done.returncode}): {done.stderr[-300:]}")
        file_size_limit(original, fixed, work, checks)
        kills(original, fixed, work, checks, args.kills, rng)
        races(original, work, checks, args.races, rng)
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
