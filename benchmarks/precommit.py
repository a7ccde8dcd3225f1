"""The pre-commit hook on a changed fragment, against linting the affected root alone.

Builds (once) a git repository in ``benchmarks/.cache/precommit-repo`` holding the whole
DigitalOcean spec (2,907 YAML files joined by ``$ref``s, from the shared corpus) and 200
other specs (each a root and a fragment it ``$ref``s, under ``services/``), then times, as
whole processes with the ``errlint`` on PATH:

- ``hook``: ``errlint lint --only-openapi FRAGMENT``, what the hook runs when a commit
  changes only one DigitalOcean fragment (root discovery, then the root's lint);
- ``root``: ``errlint lint ROOT``, the affected root alone;
- ``discovery``: the root discovery alone (``roots_reaching``), timed inside a process.

::

    python benchmarks/precommit.py                # 5 rounds, medians
    python benchmarks/precommit.py --runs 9 --corpus ../shared/corpus

pre-commit's own start-up (it runs the hook in its environment) is not included: it is the
same for any hook.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
DO_ROOT = "digitalocean/specification/DigitalOcean-public.v2.yaml"
FRAGMENT = "digitalocean/specification/resources/apps/responses/list_apps.yml"
OTHER_SPECS = 200
SERVICE = """\
openapi: 3.0.3
info: {{title: Service {n}, version: "1"}}
paths:
  /items/{{id}}:
    get:
      operationId: getItem{n}
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      responses:
        "200": {{description: ok}}
        "404": {{$ref: "./components/errors.yaml#/NotFound"}}
"""
ERRORS = """\
NotFound:
  description: Not found
  content:
    application/json:
      schema: {type: object, properties: {message: {type: string}}}
"""
DISCOVERY = """\
import sys, time
from pathlib import Path
from linter.resolve.roots import roots_reaching
start = time.perf_counter()
found = roots_reaching([sys.argv[1]], Path.cwd())
print(time.perf_counter() - start, len(found))
"""


def build(corpus: Path, repo: Path) -> None:
    """The benchmark repository, made once (a marker file says it is complete)."""
    if (repo / ".complete").is_file():
        return
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(corpus / "digitalocean", repo / "digitalocean")
    for n in range(OTHER_SPECS):
        folder = repo / "services" / f"s{n:03d}"
        (folder / "components").mkdir(parents=True)
        (folder / "openapi.yaml").write_text(SERVICE.format(n=n), encoding="utf-8")
        (folder / "components" / "errors.yaml").write_text(ERRORS, encoding="utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "specs"], cwd=repo, check=True)
    (repo / ".complete").write_text("", encoding="utf-8")


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the process and its children) in seconds.

    CPU time moves less than wall time when other work shares the machine."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)}: exit {child.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    if not (args.corpus / DO_ROOT).is_file():
        print(f"no DigitalOcean spec in {args.corpus}", file=sys.stderr)
        return 2
    errlint = shutil.which("errlint")
    if errlint is None:
        print("errlint is not on PATH", file=sys.stderr)
        return 2
    repo = CACHE / "precommit-repo"
    build(args.corpus, repo)
    files = int(subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.count("\n"))
    runs: dict[str, list[tuple[float, float]]] = {"hook": [], "root": [], "discovery": []}
    for _ in range(args.runs):  # interleaved, so a slow moment of the machine hits both
        runs["hook"].append(timed([errlint, "lint", "--only-openapi", FRAGMENT], repo))
        runs["root"].append(timed([errlint, "lint", DO_ROOT], repo))
        out = subprocess.run(
            [sys.executable, "-c", DISCOVERY, FRAGMENT], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.split()
        assert out[1] == "1", f"expected one root, found {out[1]}"
        runs["discovery"].append((float(out[0]), float("nan")))
    print(f"repository: {files} files (DigitalOcean, 2,907 files, plus {OTHER_SPECS} specs of 2 files)")
    print(f"changed fragment: {FRAGMENT}; {args.runs} rounds, medians (min-max)\n")
    print("| run | wall time (s) | CPU time (s) |")
    print("| --- | --- | --- |")
    labels = {
        "hook": "hook: `errlint lint --only-openapi FRAGMENT`",
        "root": "the affected root alone: `errlint lint ROOT`",
        "discovery": "root discovery alone (wall time inside the process)",
    }
    median: dict[str, tuple[float, float]] = {}
    for name, values in runs.items():
        walls, cpus = [v[0] for v in values], [v[1] for v in values]
        median[name] = (statistics.median(walls), statistics.median(cpus))
        cpu = "" if name == "discovery" else f"{median[name][1]:.2f} ({min(cpus):.2f}-{max(cpus):.2f})"
        print(f"| {labels[name]} | {median[name][0]:.2f} ({min(walls):.2f}-{max(walls):.2f}) | {cpu} |")
    print(f"\nhook / root alone: {median['hook'][0] / median['root'][0]:.2f}x wall time, "
          f"{median['hook'][1] / median['root'][1]:.2f}x CPU time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
