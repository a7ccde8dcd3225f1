"""Record, or compare, errlint's JSON reports of every corpus spec under every built-in ruleset.

A refactoring must not change what errlint finds. Record the reports before moving code, then
compare after::

    python benchmarks/corpus_reports.py record /tmp/before
    python benchmarks/corpus_reports.py compare /tmp/before      # exit 1 and a diff summary on change

The comparison ignores errlint's version in the reports (``tool.version``), so reports
recorded before a version bump compare equal when the findings are.

``--corpus DIR`` names the corpus (default: ``../shared/corpus`` beside the checkout). The
``errlint`` installed beside the Python that runs this script is run (``.venv/bin/python
benchmarks/corpus_reports.py ...`` needs no activated environment), else the one on PATH;
one process per spec and ruleset, ``--jobs 1``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the root file of each corpus spec (see the corpus MANIFEST)
SPECS = {
    "commercelayer-core": "commercelayer-core/gen/openapi.json",
    "commercelayer-provisioning": "commercelayer-provisioning/gen/openapi.json",
    "commercelayer-rail0": "commercelayer-rail0/gen/openapi.json",
    "stripe": "stripe/openapi/spec3.yaml",
    "digitalocean": "digitalocean/specification/DigitalOcean-public.v2.yaml",
    "unit": "unit/openapi.json",
    "discord": "discord/specs/openapi.json",
    "docker-engine": "docker-engine/api/swagger.yaml",
    "nakadi": "nakadi/docs/_data/nakadi-event-bus-api.yaml",
    "redocly-museum": "redocly-museum/openapi.yaml",
}
RULESETS = ("recommended", "saleslayer", "jsonapi", "commercelayer", "problem-details", "zalando", "azure")


def errlint() -> str:
    """The ``errlint`` script of this Python's environment, else ``errlint`` from PATH."""
    beside = Path(sys.executable).with_name("errlint")
    return str(beside) if beside.is_file() else "errlint"


def report(corpus: Path, root: str, ruleset: str) -> dict:
    done = subprocess.run(
        [errlint(), "lint", "--jobs", "1", "--format", "json", "--ruleset", ruleset, root],
        cwd=corpus, capture_output=True, text=True, check=False,
    )
    if done.returncode not in (0, 1):
        return {"exit": done.returncode, "stderr": done.stderr.strip()}
    return {"exit": done.returncode, "report": json.loads(done.stdout)}


def _comparable(recorded: dict) -> dict:
    """A recorded run without errlint's own version (``report.tool.version``), which a release
    changes and which says nothing about what errlint found."""
    report = recorded.get("report")
    if not isinstance(report, dict) or not isinstance(report.get("tool"), dict):
        return recorded
    tool = {key: value for key, value in report["tool"].items() if key != "version"}
    return {**recorded, "report": {**report, "tool": tool}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--rulesets", default=",".join(RULESETS))
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    args.folder.mkdir(parents=True, exist_ok=True)
    changed = 0
    for name, root in SPECS.items():
        for ruleset in args.rulesets.split(","):
            current = report(args.corpus, root, ruleset)
            path = args.folder / f"{name}--{ruleset}.json"
            if args.action == "record":
                path.write_text(json.dumps(current, indent=1, sort_keys=True))
                count = len(current.get("report", {}).get("findings", []))
                print(f"{name:28} {ruleset:16} exit {current['exit']}  {count} findings")
                continue
            if not path.is_file():
                changed += 1
                print(f"{name:28} {ruleset:16} NOT RECORDED (record again with this ruleset list)")
                continue
            before = json.loads(path.read_text())
            same = _comparable(before) == _comparable(current)
            changed += not same
            count = (len(before.get("report", {}).get("findings", [])),
                     len(current.get("report", {}).get("findings", [])))
            print(f"{name:28} {ruleset:16} {'same' if same else 'CHANGED'}  {count[0]} -> {count[1]} findings")
    if args.action == "compare":
        print(f"{changed} report(s) changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
