"""Every rule has fixtures: ``fixtures/rules/<rule-id>/bad.yaml`` (findings where the
``# expect: <rule-id>`` markers are) and ``good.yaml`` (none); other ``*.yaml`` files in
the folder are extra cases, and ``<case>.ruleset.yaml`` beside one gives it options.
Multi-file cases are folders ``<case>/openapi.yaml``."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, expected_markers, run_rule

from linter import registry

RULE_DIR = FIXTURES / "rules"
#: rules whose findings cannot be planted in a fixture: they report errlint's own failures,
#: or compare two versions of a spec (error-response-removed: see tests/test_diffmode.py)
NO_FIXTURE = {"internal-error", "unused-ignore", "ignore-rule-unknown", "error-response-removed"}


def _cases() -> list[tuple[str, Path]]:
    cases = []
    for folder in sorted(RULE_DIR.iterdir()) if RULE_DIR.is_dir() else []:
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.json")):
            if not path.name.endswith(".ruleset.yaml"):
                cases.append((folder.name, path))
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            for root in ("openapi.yaml", "openapi.json"):
                if (sub / root).is_file():
                    cases.append((folder.name, sub / root))
    return cases


def _case_files(path: Path) -> list[Path]:
    """The fixture files a case spans: the file itself, or every spec file of a folder case."""
    if path.name.startswith("openapi.") and path.parent.parent.parent == RULE_DIR:
        return sorted(p for p in path.parent.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    return [path]


@pytest.mark.parametrize(
    ("rule_id", "path"), _cases(), ids=lambda v: v if isinstance(v, str) else f"{v.parent.name}/{v.name}"
)
def test_fixture_findings_match_markers(rule_id: str, path: Path) -> None:
    ruleset = path.with_name(path.stem + ".ruleset.yaml")
    findings = run_rule(rule_id, path, ruleset)
    expected = {(f.resolve(), line, rule) for f in _case_files(path) for line, rule in expected_markers(f)}
    got = {(Path(f.location.file).resolve(), f.location.line, f.rule) for f in findings}
    report = "\n".join(f"{f.location.file}:{f.location.line} {f.rule} {f.message}" for f in findings)
    assert got == expected, report
    if path.stem == "bad" or path.parent.name == "bad":
        assert findings, f"{path} must produce at least one {rule_id} finding"
    if path.stem == "good" or path.parent.name == "good":
        assert not findings, report


@pytest.mark.parametrize("rule_id", sorted(registry.rules()))
def test_every_rule_has_bad_and_good_fixture(rule_id: str) -> None:
    if rule_id in NO_FIXTURE:
        pytest.skip("no single-spec fixture can show it (see NO_FIXTURE)")
    folder = RULE_DIR / rule_id
    assert (folder / "bad.yaml").is_file() or (folder / "bad").is_dir(), f"missing {folder}/bad.yaml"
    assert (folder / "good.yaml").is_file() or (folder / "good").is_dir(), f"missing {folder}/good.yaml"


@pytest.mark.parametrize("rule_id", sorted(registry.rules()))
def test_every_rule_is_documented(rule_id: str) -> None:
    from linter.rules.docs import rule_page

    rule = registry.rule(rule_id)
    doc = rule.documentation()
    summary = doc.split("\n", 1)[0]
    assert summary.endswith("."), f"{rule_id}: summary line must end with a period"
    for section in ("Why:", "Bad:", "Good:"):
        assert f"\n{section}" in doc, f"{rule_id}: docstring lacks a {section} section"
    page = rule_page(rule)
    assert rule_id in page and "```yaml" in page
