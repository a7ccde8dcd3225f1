"""Every rule has fixtures: ``fixtures/rules/<rule-id>/bad.yaml`` (findings where the
``# expect:`` markers are) and ``good.yaml`` (none); other ``*.yaml`` files in the folder are
extra cases. Multi-file cases are folders ``<case>/openapi.yaml``.

A marker is ``# expect: <rule-id>[@<column>] ["<message fragment>"]``, several separated by
commas. Findings and markers are matched one to one: a rule that reports twice on a line
needs two markers. A case gets rule options from a first line ``# options: {name: value}``
(front matter), or from a ``<case>.ruleset.yaml`` beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import (
    FIXTURES,
    Expected,
    expected_findings,
    parse_markers,
    python_reprs,
    run_rule,
    unmatched,
    with_rule,
)

from linter import registry
from linter.api import LintOptions, load_spec
from linter.check.engine import Engine
from linter.model import Finding, Location, Severity
from linter.rules.docs import builtin_policies, builtin_policy_rulesets

RULE_DIR = FIXTURES / "rules"
#: rules whose findings cannot be planted in a fixture: they report errlint's own failures,
#: or compare two versions of a spec (error-response-removed: see tests/test_diffmode.py)
NO_FIXTURE = {"internal-error", "unused-ignore", "error-response-removed"}
#: rulesets whose policies have their fixtures in fixtures/policies/<ruleset>/ (tests/test_guideline_rulesets.py)
GUIDELINE_RULESETS = {"zalando", "azure"}
#: every rule and built-in policy held to fixtures/rules/<id>/ (the status codes of saleslayer,
#: jsonapi and commercelayer are policies)
RULES = {
    **registry.rules(),
    **{
        rule_id: rule
        for rule_id, rule in builtin_policies().items()
        if builtin_policy_rulesets().get(rule_id) not in GUIDELINE_RULESETS
    },
}


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
    findings = _run_case(rule_id, path)
    expected = [marker for f in _case_files(path) for marker in expected_findings(f)]
    missing, unexpected = unmatched(expected, findings)
    report = "\n".join(f"{f.location.file}:{f.location.line}:{f.location.column} {f.rule} {f.message}" for f in findings)
    assert not missing and not unexpected, (
        f"markers without a finding: {[str(m) for m in missing]}\n"
        f"findings without a marker: {[f'{u.location.line}:{u.location.column} {u.rule}' for u in unexpected]}\n"
        + report
    )
    reprs = [(f.location.line, f.message) for f in findings if python_reprs(f.message)]
    assert not reprs, f"messages show Python reprs, not JSON values: {reprs}"
    if path.stem == "bad" or path.parent.name == "bad":
        assert findings, f"{path} must produce at least one {rule_id} finding"
    if path.stem == "good" or path.parent.name == "good":
        assert not findings, report


def _run_case(rule_id: str, path: Path) -> list[Finding]:
    """The findings of ``rule_id`` alone on a case, with its front-matter or sidecar options."""
    options = front_matter_options(path)
    if options is None:
        return run_rule(rule_id, path, path.with_name(path.stem + ".ruleset.yaml"))
    from helpers import single_rule_config

    config = with_rule(single_rule_config(rule_id), rule_id, {"options": options})
    return Engine(config, raise_errors=True).run(load_spec(path, str(path), LintOptions())).findings


def front_matter_options(path: Path) -> dict[str, object] | None:
    """The options of a first line ``# options: {...}`` (a YAML flow mapping), or None."""
    with path.open(encoding="utf-8") as stream:
        first = stream.readline()
    if not first.startswith("# options:"):
        return None
    options = yaml.safe_load(first[len("# options:") :])
    assert isinstance(options, dict), f"{path}: # options: must be a mapping"
    return options


# -- the marker matcher itself -------------------------------------------------------------
def _finding(line: int, column: int, rule: str = "r", message: str = "m") -> Finding:
    return Finding(rule, Severity.WARNING, message, Location(str(HERE), (), line, column))


HERE = Path("/fixture.yaml")


def test_markers_pin_column_and_message_fragment() -> None:
    markers = parse_markers('a: 1\nb: 2  # expect: r@7 "does not declare a 404", s\n', HERE)
    assert markers == [Expected(HERE, 2, "r", 7, "does not declare a 404"), Expected(HERE, 2, "s")]
    assert unmatched(markers, [_finding(2, 7, "r", "x does not declare a 404"), _finding(2, 1, "s")]) == ([], [])
    wrong_column = _finding(2, 8, "r", "does not declare a 404")
    assert unmatched(markers[:1], [wrong_column]) == (markers[:1], [wrong_column])
    wrong_message = _finding(2, 7, "r", "does not declare a 409")
    assert unmatched(markers[:1], [wrong_message]) == (markers[:1], [wrong_message])


def test_a_rule_reporting_twice_on_one_line_needs_two_markers() -> None:
    twice = [_finding(3, 5), _finding(3, 9)]
    assert unmatched(parse_markers("\n\nx  # expect: r\n", HERE), twice) == ([], [twice[1]])
    assert unmatched(parse_markers("\n\nx  # expect: r, r\n", HERE), twice) == ([], [])


def test_python_reprs_are_told_from_json_values() -> None:
    assert python_reprs("detail: None is not of type 'string'; status: '404' is not") == ["None", "'string'", "'404'"]
    assert python_reprs("$ref 'common.yaml#/NotFund': /NotFund not found") == ["'common.yaml#/NotFund'"]
    assert python_reprs('detail: null is not of type "string"; the spec\'s folder; True-ish') == ["True"]
    assert python_reprs('$ref "common.yaml#/NotFund": the API\'s \'users\' list') == ["'users'"]


def test_a_malformed_marker_is_an_error_not_silence() -> None:
    with pytest.raises(ValueError, match="malformed"):
        parse_markers("x  # expect: r@ \"unterminated\n", HERE)
    assert parse_markers("# each `# expect:` marker names a rule\n", HERE) == []


def test_front_matter_gives_options() -> None:
    case = RULE_DIR / "saleslayer-409-declared" / "processed-paths.yaml"
    assert front_matter_options(case) == {"processed-paths": ["/rest/DAM/videos/**"], "processed-tags": []}
    assert front_matter_options(RULE_DIR / "saleslayer-409-declared" / "bad.yaml") is None


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_bad_and_good_fixture(rule_id: str) -> None:
    if rule_id in NO_FIXTURE:
        pytest.skip("no single-spec fixture can show it (see NO_FIXTURE)")
    folder = RULE_DIR / rule_id
    assert (folder / "bad.yaml").is_file() or (folder / "bad").is_dir(), f"missing {folder}/bad.yaml"
    assert (folder / "good.yaml").is_file() or (folder / "good").is_dir(), f"missing {folder}/good.yaml"


def test_every_fixture_folder_names_a_rule_or_a_builtin_policy() -> None:
    known = {*registry.rules(), *builtin_policy_rulesets()}
    assert [folder.name for folder in RULE_DIR.iterdir() if folder.name not in known] == []


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_is_documented(rule_id: str) -> None:
    from linter.rules.docs import rule_page

    rule = RULES[rule_id]
    doc = rule.documentation()
    summary = doc.split("\n", 1)[0]
    assert summary.endswith("."), f"{rule_id}: summary line must end with a period"
    assert "\nWhy:" in doc, f"{rule_id}: docstring lacks a Why: section"
    page = rule_page(rule)
    assert rule_id in page
    # Bad: and Good: snippets, and what they do: tests/test_rule_examples.py
