"""The benchmark scripts CONTRIBUTING tells contributors to run work as written there."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from helpers import ROOT


def test_corpus_reports_runs_the_errlint_of_its_own_environment() -> None:
    # CONTRIBUTING runs `.venv/bin/python benchmarks/corpus_reports.py ...` without activating
    # the environment: the errlint to run is the one beside that Python, not one on PATH
    spec = importlib.util.spec_from_file_location("corpus_reports", ROOT / "benchmarks" / "corpus_reports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    beside = Path(sys.executable).with_name("errlint")
    assert beside.is_file()  # the suite runs from an environment errlint is installed in
    assert module.errlint() == str(beside)
