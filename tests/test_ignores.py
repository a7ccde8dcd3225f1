"""x-errlint-ignore entries that name no rule are findings at the entry, with a suggestion;
unused entries are reported at their own line (root-level ones too, not at 1:1)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
x-errlint-ignore:
  - error-response-contnet
  - error-response-content
paths:
  /pets:
    get:
      x-errlint-ignore: [operation-4xx-declard]
      responses:
        "200": {description: OK}
"""


def _findings(tmp_path: Path, *args: str) -> list[tuple[int, int, str, str]]:
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    done = run_cli("lint", "spec.yaml", "--format", "json", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    return [(f["line"], f["column"], f["rule"], f["message"]) for f in report["findings"]]


def test_a_mistyped_rule_id_is_reported_at_its_entry_with_the_closest_id(tmp_path: Path) -> None:
    assert _findings(tmp_path) == [
        (
            4,
            5,
            "ignore-rule-unknown",
            'x-errlint-ignore names "error-response-contnet", which is no rule\'s id '
            '(did you mean "error-response-content"?)',
        ),
        (
            9,
            26,
            "ignore-rule-unknown",
            'x-errlint-ignore names "operation-4xx-declard", which is no rule\'s id '
            '(did you mean "operation-4xx-declared"?)',
        ),
        (10, 7, "operation-4xx-declared", "GET /pets declares no 4xx response"),
    ]


def test_unused_root_level_entries_are_reported_at_their_own_line(tmp_path: Path) -> None:
    unused = [f for f in _findings(tmp_path, "--report-unused-ignores") if f[2] == "unused-ignore"]
    assert unused == [(5, 5, "unused-ignore", 'x-errlint-ignore for "error-response-content" matches no finding')]
