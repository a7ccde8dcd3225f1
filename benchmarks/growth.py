"""How errlint's lint time grows with the number of operations (and of findings).

    python benchmarks/growth.py [--sizes 10000,40000,160000] [--forms yaml,yaml-slow,json,json-other]
                                [--runs 1] [--errlint errlint] [--keep DIR]

Each input is a generated spec with N operations, ``GET /pN`` answering only ``200``, so the
``recommended`` ruleset reports one finding (``operation-4xx-declared``) per operation, each
placed with its line and column: N operations, N findings. Forms:

* ``yaml``: block-style YAML (80 bytes an operation; 160,000 operations are 12.8 MB), read on
  the YAML fast path (rapidyaml);
* ``yaml-slow``: the same file with ``ERRLINT_SLOW_PATHS=1`` (PyYAML's libyaml loader);
* ``json``: the same spec as 2-space indented JSON (positions computed from the layout);
* ``json-other``: 4-space indented JSON (positions found by the lazy scanner).

Each run is ``errlint lint FILE --format json -o /dev/null`` as a whole process. The table gives
the wall time, the CPU time (user + system, this process and its children: on a shared
machine it moves less than wall time), the CPU microseconds per operation and the CPU time
relative to the smallest size. Linear growth shows as a steady time per operation; quadratic
growth doubles it with each doubling of N. The files are generated into a temporary folder
(or ``--keep DIR``) and the generator is :func:`write_spec`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMS = ("yaml", "yaml-slow", "json", "json-other")


def operations(count: int) -> dict[str, object]:
    """The spec: ``count`` operations, each declaring only a 200 (one finding each)."""
    paths = {
        f"/p{n}": {"get": {"operationId": f"op{n}", "responses": {"200": {"description": "ok"}}}}
        for n in range(count)
    }
    return {"openapi": "3.0.3", "info": {"title": "Growth", "version": "1"}, "paths": paths}


def write_spec(count: int, form: str, target: Path) -> Path:
    """Write the spec of ``count`` operations in ``form`` (``yaml``, ``json``, ``json-other``),
    to a temporary name renamed at the end (another run may be reading the folder)."""
    partial = target.with_name(target.name + ".partial")
    if form == "yaml":
        parts = ["openapi: 3.0.3\ninfo:\n  title: Growth\n  version: '1'\npaths:\n"]
        parts.extend(
            f"  /p{n}:\n    get:\n      operationId: op{n}\n      responses:\n"
            f"        '200':\n          description: ok\n"
            for n in range(count)
        )
        partial.write_text("".join(parts), encoding="utf-8")
    else:
        indent = 2 if form == "json" else 4
        partial.write_text(json.dumps(operations(count), indent=indent) + "\n", encoding="utf-8")
    partial.replace(target)
    return target


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MB, exit code) of one run."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.stderr is not None:
        error = process.stderr.read().decode("utf-8", "replace").strip()
        process.stderr.close()
        if process.returncode not in (0, 1):
            sys.exit(f"growth: {' '.join(command)} exited {process.returncode}: {error[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,40000,160000", help="operation counts, comma-separated")
    parser.add_argument("--forms", default=",".join(FORMS), help=f"some of {', '.join(FORMS)}")
    parser.add_argument("--runs", type=int, default=1, help="runs per input (the median is shown)")
    parser.add_argument("--errlint", default="errlint", help="the errlint command (default: on PATH)")
    parser.add_argument("--keep", type=Path, help="generate the inputs into DIR and keep them")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    forms = [form for form in args.forms.split(",") if form]
    unknown = set(forms) - set(FORMS)
    if unknown:
        parser.error(f"unknown form(s): {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print("| form | operations | MB | wall s | CPU s | CPU µs / operation | CPU vs smallest | peak MB |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for form in forms:
            first_cpu = None
            for size in sizes:
                suffix = "yaml" if form.startswith("yaml") else "json"
                spec = folder / f"growth-{size}-{form.replace('-slow', '')}.{suffix}"
                if not spec.exists():
                    write_spec(size, form.replace("-slow", ""), spec)
                env = {**os.environ, "NO_COLOR": "1"}
                if form == "yaml-slow":
                    env["ERRLINT_SLOW_PATHS"] = "1"
                command = [*args.errlint.split(), "lint", str(spec), "--format", "json", "-o", os.devnull]
                samples = [run_once(command, env) for _ in range(args.runs)]
                wall = statistics.median(s[0] for s in samples)
                cpu = statistics.median(s[1] for s in samples)
                peak = statistics.median(s[2] for s in samples)
                first_cpu = first_cpu or cpu
                megabytes = spec.stat().st_size / 1e6
                print(
                    f"| {form} | {size:,} | {megabytes:.1f} | {wall:.1f} | {cpu:.1f} | "
                    f"{cpu / size * 1e6:.0f} | {cpu / first_cpu:.1f}x | {peak:.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
