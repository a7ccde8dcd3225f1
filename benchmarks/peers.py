"""The tools compared with errlint: how to install them, how to run them, how to read a run.

The npm packages (the two peer linters and the GitHub spec) go into ``benchmarks/.cache/npm``
at pinned versions; ``openapi-spec-validator`` is taken from the Python environment that runs
the benchmark (errlint depends on it, so it is normally there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from measure import Judge, Verdict, last_line, reason

#: npm packages, pinned: each is installed unless that exact version is already in the cache.
NPM_PACKAGES = {
    "@stoplight/spectral-cli": "6.16.3",
    "@redocly/cli": "2.77.0",
    "@octokit/openapi": "23.0.2",
}

SPECTRAL_RULESET = 'extends: ["spectral:oas"]\n'

#: Switches the peers' network calls off (update notices, telemetry): runs stay offline.
QUIET_ENV = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "NO_COLOR": "1",
    "FORCE_COLOR": "0",
}


@dataclass(frozen=True)
class Tool:
    """A command line to time. ``argv(paths)`` builds the command for one or more inputs."""

    name: str
    argv: Callable[[Sequence[Path]], list[str]] | None
    judge: Judge
    version: str = ""
    unavailable: str | None = None


def npm_dir(cache: Path) -> Path:
    return cache / "npm"


def installed_version(cache: Path, package: str) -> str | None:
    manifest = npm_dir(cache) / "node_modules" / package / "package.json"
    try:
        return json.loads(manifest.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def npm_error(output: str) -> str:
    """The line of npm's output that says what went wrong."""
    for line in output.splitlines():
        if line.startswith(("npm error", "npm ERR!")) and "A complete log" not in line:
            return line.strip()[:200]
    return last_line(output)


def install(cache: Path, log: Callable[[str], None]) -> dict[str, str | None]:
    """Install every missing npm package; return package -> npm's error line (None: installed)."""
    folder = npm_dir(cache)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "package.json"
    if not manifest.exists():
        manifest.write_text('{"name": "errlint-benchmark-peers", "private": true}\n')
    result: dict[str, str | None] = {}
    for package, version in NPM_PACKAGES.items():
        if installed_version(cache, package) == version:
            result[package] = None
            continue
        log(f"npm install {package}@{version}")
        done = subprocess.run(
            ["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--save-exact",
             f"{package}@{version}"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        ok = done.returncode == 0 and installed_version(cache, package) == version
        result[package] = None if ok else npm_error(done.stderr + done.stdout)
    ruleset = cache / ".spectral.yaml"
    if not ruleset.exists():
        ruleset.write_text(SPECTRAL_RULESET)
    return result


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = (done.stdout + done.stderr).split()
    return lines[-1] if lines else "?"


def judge_exit(accepted: tuple[int, ...], stdout_starts: bytes = b"") -> Judge:
    """A run is good when its exit code is accepted (1 = findings) and stdout starts as expected."""

    def judge(code: int, head: bytes, stderr: str) -> Verdict:
        if code not in accepted:
            return Verdict(reason(code, stderr))
        if stdout_starts and not head.lstrip().startswith(stdout_starts):
            return Verdict(f"exit {code}, no report on stdout: {last_line(stderr)}")
        if "Traceback (most recent call last)" in stderr:
            return Verdict(reason(code, stderr))
        return Verdict()

    return judge


def errlint(extra: Sequence[str] = ()) -> Tool:
    beside = Path(sys.executable).with_name("errlint")
    exe = str(beside) if beside.exists() else "errlint"
    version = _version([sys.executable, "-m", "linter", "--version"])

    def argv(paths: Sequence[Path]) -> list[str]:
        return [exe, "lint", *map(str, paths), "--format", "json", "-o", os.devnull, *extra]

    label = " ".join(["errlint", *extra])
    return Tool(label, argv, judge_exit((0, 1)), version)


def spectral(cache: Path, error: str | None) -> Tool:
    exe = npm_dir(cache) / "node_modules" / ".bin" / "spectral"
    ruleset = cache / ".spectral.yaml"

    def argv(paths: Sequence[Path]) -> list[str]:
        return [str(exe), "lint", *map(str, paths), "--ruleset", str(ruleset), "-f", "json"]

    if error:
        return Tool("spectral", None, judge_exit(()), unavailable=f"not installed: {error}")
    return Tool(
        "spectral", argv, judge_exit((0, 1), b"["), installed_version(cache, "@stoplight/spectral-cli") or ""
    )


def redocly(cache: Path, error: str | None) -> Tool:
    exe = npm_dir(cache) / "node_modules" / ".bin" / "redocly"

    def argv(paths: Sequence[Path]) -> list[str]:
        return [str(exe), "lint", *map(str, paths), "--format", "json"]

    if error:
        return Tool("redocly", None, judge_exit(()), unavailable=f"not installed: {error}")
    return Tool("redocly", argv, judge_exit((0, 1), b"{"), installed_version(cache, "@redocly/cli") or "")


def spec_validator() -> Tool:
    exe = Path(sys.executable).with_name("openapi-spec-validator")
    if not exe.exists():
        return Tool(
            "openapi-spec-validator", None, judge_exit(()), unavailable="not installed in this Python"
        )

    def argv(paths: Sequence[Path]) -> list[str]:
        return [str(exe), *map(str, paths)]

    return Tool("openapi-spec-validator", argv, judge_validator, _version([str(exe), "--version"]))


def judge_validator(code: int, head: bytes, stderr: str) -> Verdict:
    """openapi-spec-validator exits 0 (valid), 1 (invalid) or 2 (an error it reports, such as a
    broken ``$ref``) after printing ``FILE: Error: ...``: then it stopped at that error."""
    verdict = judge_exit((0, 1, 2))(code, head, stderr)
    if verdict.failure or code == 0:
        return verdict
    text = head.decode("utf-8", "replace")
    if ": Error:" not in text and ": Validation Error:" not in text:
        return Verdict(reason(code, stderr + "\n" + text))
    message = text.split("Error:", 1)[1].strip().splitlines()[0].split(" within {")[0][:100]
    return Verdict(note=f"stopped at the first error ({message})", partial=True)


def all_tools(cache: Path, errors: dict[str, str | None]) -> list[Tool]:
    """errlint first, then each peer: the order of every round."""
    return [
        errlint(),
        spectral(cache, errors.get("@stoplight/spectral-cli")),
        redocly(cache, errors.get("@redocly/cli")),
        spec_validator(),
    ]
