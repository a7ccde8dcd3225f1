"""How long ``errlint lint`` takes next to merely parsing the same files, on real specs.

    .venv/bin/python benchmarks/run_core.py [--runs 5] [--corpus ../shared/corpus]

For each spec it times, as whole processes started the same way (so interpreter start-up
counts on both sides):

* ``errlint lint SPEC`` with the default configuration (recommended ruleset);
* ``python -c <parse>``: the fastest parse Python has of every file the spec reaches
  (orjson for JSON, PyYAML's libyaml ``CSafeLoader`` for YAML), nothing else; once as
  Python runs by default and once with the cycle collector off (as errlint loads).

It prints the median wall time of ``--runs`` runs of each, the ratios lint/parse and the
peak resident memory of each process (from ``os.wait4``). Targets: lint <= 3x parse on the
largest spec; a small spec < 0.3 s wall.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

#: (label, root file inside the corpus)
SPECS = [
    ("stripe (4.1 MB YAML)", "stripe/openapi/spec3.yaml"),
    ("commercelayer-core (4.1 MB JSON)", "commercelayer-core/gen/openapi.json"),
    ("digitalocean (2,849 YAML files)", "digitalocean/specification/DigitalOcean-public.v2.yaml"),
    ("redocly-museum (23 kB YAML)", "redocly-museum/openapi.yaml"),
]

PARSE = """
import gc, sys
if sys.argv[2] == "gc-off":
    gc.disable()
from pathlib import Path
import orjson, yaml
for name in Path(sys.argv[1]).read_text().splitlines():
    data = Path(name).read_bytes()
    if name.endswith(".json"):
        orjson.loads(data)
    else:
        yaml.load(data, Loader=yaml.CSafeLoader)
"""


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_rss_mb: float


@dataclass(frozen=True)
class Row:
    label: str
    files: int
    lint: Sample
    parse: Sample
    parse_gc_off: Sample


def run_once(command: list[str], accepted: tuple[int, ...]) -> Sample:
    """Wall time and peak RSS of one process; its exit code must be one of ``accepted``."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in accepted:
            stderr.seek(0)
            raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{stderr.read().decode()}")
    peak_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return Sample(seconds, peak_kb / 1024)


def median(command: list[str], runs: int, accepted: tuple[int, ...] = (0,)) -> Sample:
    samples = [run_once(command, accepted) for _ in range(runs)]
    return Sample(
        statistics.median(s.seconds for s in samples),
        statistics.median(s.peak_rss_mb for s in samples),
    )


LIST_FILES = """
import sys
from pathlib import Path
from linter.api import LintOptions, load_spec
print("\\n".join(sorted(load_spec(Path(sys.argv[1]), sys.argv[1], LintOptions()).docs)))
"""


def reached_files(spec: Path) -> list[str]:
    """Every file errlint loads for ``spec`` (the root and what its ``$ref``s reach).

    Asked of a child process: a child's peak RSS includes its parent's at fork time, so
    this process must stay small for the memory figures to mean anything.
    """
    done = subprocess.run(
        [sys.executable, "-c", LIST_FILES, str(spec)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.splitlines()


def errlint_command() -> list[str]:
    beside = Path(sys.executable).with_name("errlint")
    return [str(beside)] if beside.exists() else ["errlint"]


def measure(label: str, spec: Path, runs: int, workdir: Path) -> Row:
    files = reached_files(spec)
    listing = workdir / f"{spec.stem}.files"
    listing.write_text("\n".join(files))
    # exit 1 only means findings: the corpus specs have some
    lint = median([*errlint_command(), "lint", str(spec)], runs, accepted=(0, 1))
    parse, parse_gc_off = (
        median([sys.executable, "-c", PARSE, str(listing), gc_mode], runs) for gc_mode in ("gc-on", "gc-off")
    )
    return Row(label, len(files), lint, parse, parse_gc_off)


def print_table(rows: list[Row], runs: int) -> None:
    print(f"median of {runs} runs; wall time of the whole process, peak RSS of that process")
    print("parse: as Python runs by default; nogc: the same with the cycle collector off")
    header = (
        f"{'spec':<34} {'files':>5} {'lint s':>7} {'parse s':>7} {'nogc s':>7} "
        f"{'/parse':>7} {'/nogc':>7} {'lint MB':>8} {'parse MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        lint, parse, nogc = row.lint.seconds, row.parse.seconds, row.parse_gc_off.seconds
        print(
            f"{row.label:<34} {row.files:>5} {lint:>7.2f} {parse:>7.2f} {nogc:>7.2f} "
            f"{lint / parse:>6.1f}x {lint / nogc:>6.1f}x {row.lint.peak_rss_mb:>8.0f} {row.parse.peak_rss_mb:>8.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median is shown)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the shared corpus folder")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"no corpus at {args.corpus}: pass --corpus")
    with tempfile.TemporaryDirectory() as workdir:
        rows = [measure(label, args.corpus / root, args.runs, Path(workdir)) for label, root in SPECS]
    print_table(rows, args.runs)


if __name__ == "__main__":
    main()
