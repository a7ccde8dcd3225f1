"""Property-based: whatever a mutated spec holds, errlint ends normally and its reports parse.

A small, derandomised budget for the suite; ``benchmarks/fuzz.py --examples N`` runs the
same property at scale (cases and oracle: ``tests/fuzzing.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import Case, check_cli, check_in_process, fuzz_ruleset, mutated_specs
from hypothesis import HealthCheck, given, settings

FUZZ_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture(scope="module")
def ruleset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fuzz_ruleset(tmp_path_factory.mktemp("fuzz"))


@FUZZ_SETTINGS
@given(case=mutated_specs())
def test_mutated_specs_lint_in_process(
    case: Case, ruleset: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_in_process(case, tmp_path_factory.mktemp("case"), ruleset)


@settings(FUZZ_SETTINGS, max_examples=4)
@given(case=mutated_specs())
def test_mutated_specs_through_the_installed_command(
    case: Case, ruleset: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_cli(case, tmp_path_factory.mktemp("cli"), ruleset)


def test_the_oracle_catches_a_crashing_rule(
    ruleset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The property can fail: a rule that raises is reported by the oracle, not hidden."""
    from linter.rules.core import NotOpenAPI

    def boom(self: object, spec: object, ctx: object) -> None:
        raise RuntimeError("planted")

    monkeypatch.setattr(NotOpenAPI, "check", boom)
    with pytest.raises(AssertionError, match="planted"):
        check_in_process(Case("spec.yaml", b"openapi: 3.0.3\n"), tmp_path, ruleset)
