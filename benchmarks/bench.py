"""errlint next to its peers (Spectral, Redocly CLI, openapi-spec-validator): time and memory.

Run it as ``benchmarks/run`` (see benchmarks/README.md). Three tables:

1. real specs, each tool on each spec: median wall time, peak RSS, errlint/peer ratios;
2. the GitHub spec with its paths repeated 1, 2, 4 and 8 times: does the cost grow linearly?
3. a folder of many copies of a small spec, linted in one command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import peers
import synth
from measure import Measurement, Verdict, run_once
from peers import Tool

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
GITHUB = Path("node_modules/@octokit/openapi/generated")
TOOL_NAMES = ("errlint", "spectral", "redocly", "openapi-spec-validator")
MiB = 1024 * 1024


@dataclass(frozen=True)
class Row:
    """One input: a spec (one root file, maybe with files it refers to) or several files."""

    key: str
    label: str
    paths: tuple[Path, ...]
    size: int
    files: int
    missing: str | None = None


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def shown(path: Path) -> str:
    """``path`` relative to the repository root when it can be, for messages and the JSON."""
    try:
        return os.path.relpath(path, ROOT)
    except ValueError:
        return str(path)


def tree_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of the spec files (YAML, JSON) under ``folder``."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json")]
    return sum(sizes), len(sizes)


def make_row(key: str, label: str, path: Path, tree: bool = False) -> Row:
    if not path.exists():
        return Row(key, label, (path,), 0, 0, missing=f"not found: {shown(path)}")
    size, files = tree_size(path.parent) if tree else (path.stat().st_size, 1)
    return Row(key, label, (path,), size, files)


def github_yaml(cache: Path) -> Path:
    """The GitHub spec as YAML: the package's own if it has one, else converted once."""
    packaged = peers.npm_dir(cache) / GITHUB / "api.github.com.yaml"
    if packaged.exists():
        return packaged
    converted = cache / "specs" / "api.github.com.yaml"
    source = peers.npm_dir(cache) / GITHUB / "api.github.com.json"
    if not converted.exists() and source.exists():
        log("converting the GitHub spec to YAML (once)")
        synth.make_in_child("yaml", str(source), str(converted))
    return converted


def main_rows(corpus: Path, cache: Path) -> list[Row]:
    github = peers.npm_dir(cache) / GITHUB / "api.github.com.json"
    return [
        make_row("github-json", "GitHub REST JSON", github),
        make_row("github-yaml", "GitHub REST YAML", github_yaml(cache)),
        make_row("stripe", "stripe YAML", corpus / "stripe/openapi/spec3.yaml"),
        make_row(
            "commercelayer-core", "commercelayer-core JSON", corpus / "commercelayer-core/gen/openapi.json"
        ),
        make_row(
            "digitalocean",
            "digitalocean multi-file YAML",
            corpus / "digitalocean/specification/DigitalOcean-public.v2.yaml",
            tree=True,
        ),
        make_row("petstore", "petstore YAML", ROOT / "examples" / "petstore.yaml"),
    ]


@dataclass
class Bench:
    """What every measurement shares: settings and where to run."""

    runs: int
    timeout: float
    cache: Path

    @property
    def scratch(self) -> Path:
        folder = self.cache / "scratch"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, **peers.QUIET_ENV}

    def run_rounds(
        self, row: Row, tools: Sequence[Tool], inputs: Callable[[Tool], Sequence[Path]] | None = None
    ) -> dict[str, Measurement]:
        """``runs`` rounds; in each, every tool once, in order. A tool that failed or timed out
        on this input is not run again on it. ``inputs`` gives a tool other paths than the row's."""
        results = {t.name: Measurement(skipped=t.unavailable or row.missing) for t in tools}
        for round_number in range(1, self.runs + 1):
            for tool in tools:
                measurement = results[tool.name]
                if measurement.skipped or (measurement.problem and measurement.samples) or tool.argv is None:
                    continue
                paths = inputs(tool) if inputs else row.paths
                sample = run_once(
                    tool.argv(paths), tool.judge, self.timeout, self.scratch, self.env, self.scratch
                )
                measurement.samples.append(sample)
                status = "timeout" if sample.timed_out else (sample.failure or "ok")
                log(
                    f"{row.key} round {round_number}/{self.runs} {tool.name}: "
                    f"{sample.seconds:.2f} s, {sample.peak_mb:.0f} MB, {status}"
                )
        return results


def fmt_seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def fmt_mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def fmt_ratio(ours: float | None, theirs: float | None) -> str:
    return "-" if ours is None or theirs is None or theirs == 0 else f"{ours / theirs:.2f}"


def fmt_size(row: Row) -> str:
    if row.missing:
        return "missing"
    size = f"{row.size / MiB:.1f} MB" if row.size >= MiB / 10 else f"{row.size / 1024:.0f} kB"
    return size if row.files == 1 else f"{size}, {row.files:,} files"


def table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(cells) + " |" for cells in lines]
    return "\n".join(out)


def comparison_lines(row: Row, results: dict[str, Measurement], errlint_name: str) -> list[list[str]]:
    """Table lines for one input: each tool's figures and errlint's ratio to it."""
    ours = results.get(errlint_name)
    lines = []
    for name, m in results.items():
        own = name == errlint_name
        lines.append(
            [
                f"{row.label} ({fmt_size(row)})",
                name,
                fmt_seconds(m.seconds),
                fmt_mb(m.peak_mb),
                "" if own or ours is None else "n/a" if m.partial else fmt_ratio(ours.seconds, m.seconds),
                "" if own or ours is None else "n/a" if m.partial else fmt_ratio(ours.peak_mb, m.peak_mb),
                m.note,
            ]
        )
    return lines


COMPARISON_HEADER = (
    "spec",
    "tool",
    "wall (median)",
    "peak RSS",
    "errlint/peer time",
    "errlint/peer RSS",
    "note",
)


def run_main_table(bench: Bench, rows: Sequence[Row], tools: Sequence[Tool]) -> tuple[str, list[dict]]:
    lines, raw = [], []
    for row in rows:
        results = bench.run_rounds(row, tools)
        lines += comparison_lines(row, results, tools[0].name)
        raw += [row_json(row, name, m) for name, m in results.items()]
    return table(COMPARISON_HEADER, lines), raw


def row_json(row: Row, tool: str, m: Measurement, **extra: object) -> dict[str, object]:
    return {
        "row": row.key,
        "inputs": [shown(p) for p in row.paths[:3]] + (["..."] if len(row.paths) > 3 else []),
        "bytes": row.size,
        "files": row.files,
        "tool": tool,
        **extra,
        **m.to_json(),
    }


def scaled_spec(cache: Path, copies: int) -> Row:
    source = peers.npm_dir(cache) / GITHUB / "api.github.com.json"
    target = cache / "scale" / f"api.github.com-x{copies}.json"
    if not source.exists():
        return Row(f"x{copies}", f"{copies}x paths", (target,), 0, 0, missing=f"not found: {shown(source)}")
    if not target.exists():
        log(f"writing the GitHub spec with {copies}x its paths (once)")
        synth.make_in_child("scale", str(source), str(target), str(copies))
    return make_row(f"github-x{copies}", f"{copies}x paths", target)


def run_scale_table(bench: Bench, copies: Sequence[int], tools: Sequence[Tool]) -> tuple[str, list[dict]]:
    """The GitHub spec with its paths repeated: time, time per MB and growth for each size.

    A tool that failed or timed out at one size is not run at the larger ones."""
    lines, raw = [], []
    given_up: dict[str, str] = {}
    first_seconds: dict[str, float] = {}
    first_size = 0
    for count in copies:
        row = scaled_spec(bench.cache, count)
        first_size = first_size or row.size or 1
        active = [
            Tool(t.name, None, t.judge, unavailable=given_up.get(t.name)) if t.name in given_up else t
            for t in tools
        ]
        results = bench.run_rounds(row, active)
        for name, m in results.items():
            if m.problem and not m.skipped:
                given_up[name] = f"not run: {m.problem} at a smaller size"
            per_mb = None if m.seconds is None else m.seconds / (row.size / MiB)
            per_copy = None if m.seconds is None else m.seconds / count
            if m.seconds is not None:
                first_seconds.setdefault(name, m.seconds)
            growth = (
                None if m.seconds is None or name not in first_seconds else m.seconds / first_seconds[name]
            )
            lines.append(
                [
                    str(count),
                    f"{row.size / MiB:.1f} MB ({row.size / first_size:.2f}x)",
                    name,
                    fmt_seconds(m.seconds),
                    "-" if per_mb is None else f"{per_mb:.3f} s",
                    "-" if per_copy is None else f"{per_copy:.3f} s",
                    "-" if growth is None else f"{growth:.2f}x",
                    fmt_mb(m.peak_mb),
                    m.note,
                ]
            )
            raw.append(row_json(row, name, m, copies=count, seconds_per_mb=per_mb, seconds_per_copy=per_copy))
    header = (
        "copies of paths",
        "size (x first)",
        "tool",
        "wall (median)",
        "wall per MB",
        "wall per copy",
        "wall x first",
        "peak RSS",
        "note",
    )
    return table(header, lines), raw


def has_jobs_option(errlint: Tool) -> bool:
    """Whether ``errlint lint`` takes ``--jobs`` (asked of its ``--help``)."""
    exe = errlint.argv([])[0] if errlint.argv else "errlint"
    done = subprocess.run([exe, "lint", "--help"], capture_output=True, text=True, check=False)
    return re.search(r"--jobs\b", done.stdout) is not None


def run_many_table(
    bench: Bench, corpus: Path, spec: str, count: int, tools: Sequence[Tool]
) -> tuple[str, list[dict], str]:
    """``count`` copies of a small spec in one folder: errlint gets the folder, peers the file list."""
    source = corpus / spec
    folder = bench.cache / "many" / f"{source.stem}-x{count}"
    if not source.exists():
        files: list[Path] = [source]
        missing: str | None = f"not found: {shown(source)}"
    else:
        files, missing = synth.many_copies(source, folder, count), None
    size = sum(p.stat().st_size for p in files) if not missing else 0
    label = f"{count} x {source.parent.name}"
    errlint_tool = next((t for t in tools if t.name == "errlint"), None)
    jobs = errlint_tool is not None and errlint_tool.argv is not None and has_jobs_option(errlint_tool)
    note = (
        "errlint lint has a --jobs option: timed with --jobs 1 and with its default."
        if jobs
        else ("errlint lint has no --jobs option (checked with errlint lint --help): one process, one core.")
    )
    variants: list[Tool] = []
    for tool in tools:
        variants.append(tool)
        if tool.name == "errlint" and jobs:
            variants.append(peers.errlint(["--jobs", "1"]))
    row = Row("many", label, (folder,), size, len(files), missing)
    results = bench.run_rounds(row, variants, lambda t: (folder,) if t.name.startswith("errlint") else files)
    raw = [row_json(row, name, m) for name, m in results.items()]
    return table(COMPARISON_HEADER, comparison_lines(row, results, "errlint")), raw, note


def floor_mb(bench: Bench) -> float:
    """The peak RSS reported for ``true``: what this process adds to every child's figure."""
    exe = "/bin/true" if Path("/bin/true").exists() else "true"
    samples = [
        run_once([exe], lambda *_: Verdict(), bench.timeout, bench.scratch, bench.env, bench.scratch)
        for _ in range(3)
    ]
    return min(s.peak_mb for s in samples)


def node_version() -> str:
    try:
        return subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return "not found"


def split_list(values: Sequence[str] | None) -> list[str]:
    return [item.strip() for value in values or () for item in value.split(",") if item.strip()]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--runs", type=int, default=5, help="rounds per input; the median is shown (default 5)")
    add("--timeout", type=float, default=300, help="seconds before one command is killed (default 300)")
    add("--only", action="append", metavar="ROW", help="rows of the first table to run (repeatable or a,b)")
    add("--tools", action="append", metavar="TOOL", help=f"tools to run, of {', '.join(TOOL_NAMES)}")
    add("--tables", default="main,scale,many", help="which tables: main, scale, many (default: all three)")
    add("--copies", default="1,2,4,8", help="copies of the GitHub paths in the scale table (default 1,2,4,8)")
    add("--scale-tools", default="errlint,redocly", help="tools of the scale table (default errlint,redocly)")
    add("--many", type=int, default=200, help="files in the many-files table (default 200)")
    add(
        "--many-spec",
        default="redocly-museum/openapi.yaml",
        help="the corpus YAML spec copied (default %(default)s)",
    )
    add("--corpus", type=Path, default=DEFAULT_CORPUS, help="the corpus folder (default ../shared/corpus)")
    add("--json", type=Path, metavar="FILE", help="also write every figure, run by run, to FILE")
    args = parser.parse_args(argv)
    args.only, args.tools = split_list(args.only), split_list(args.tools) or list(TOOL_NAMES)
    args.tables = split_list([args.tables])
    unknown = [t for t in args.tools + split_list([args.scale_tools]) if t not in TOOL_NAMES]
    if unknown:
        parser.error(f"unknown tool {unknown[0]!r}; tools: {', '.join(TOOL_NAMES)}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    bench = Bench(args.runs, args.timeout, CACHE)
    install_errors = peers.install(CACHE, log)
    for package, error in install_errors.items():
        if error:
            log(f"could not install {package}: {error}")
    every_tool = peers.all_tools(CACHE, install_errors)
    tools = [t for t in every_tool if t.name in args.tools]
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "node": node_version(),
    }
    floor = floor_mb(bench)
    report: dict[str, object] = {
        "machine": machine,
        "tools": {t.name: t.version or t.unavailable for t in every_tool},
        "npm_install_errors": {k: v for k, v in install_errors.items() if v},
        "runs": args.runs,
        "timeout_seconds": args.timeout,
        "rss_floor_mb": floor,
    }
    versions = ", ".join(f"{t.name} {t.version or '(' + str(t.unavailable) + ')'}" for t in every_tool)
    out: list[str] = [
        f"{machine['cpus']} CPUs, Python {machine['python']}, node {machine['node']}; {versions}",
        f"Median of {args.runs} rounds; whole processes; peak RSS from wait4 "
        f"(a child that does nothing measures {floor:.0f} MB here). "
        "Ratios are errlint / peer: below 1 means errlint is faster or smaller.",
    ]
    if "main" in args.tables:
        rows = main_rows(args.corpus, CACHE)
        keys = [r.key for r in rows]
        if unknown_rows := [k for k in args.only if k not in keys]:
            raise SystemExit(f"unknown row {unknown_rows[0]!r}; rows: {', '.join(keys)}")
        rows = [r for r in rows if not args.only or r.key in args.only]
        text, report["main"] = run_main_table(bench, rows, tools)
        out += ["", "## Real specs", "", text]
    if "scale" in args.tables:
        wanted = split_list([args.scale_tools])
        scale_tools = [t for t in tools if t.name in wanted]
        copies = [int(c) for c in split_list([args.copies])]
        text, report["scale"] = run_scale_table(bench, copies, scale_tools)
        out += ["", "## Cost against spec size (GitHub paths repeated)", "", text]
    if "many" in args.tables:
        text, report["many"], note = run_many_table(bench, args.corpus, args.many_spec, args.many, tools)
        out += ["", "## Many files in one command", "", note, "", text]
    print("\n".join(out))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
