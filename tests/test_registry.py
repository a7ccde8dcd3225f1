"""The registry: built-ins listed in code match the entry points, plugins are found when asked for."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import tomllib
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from linter import registry
from linter.errors import ConfigError
from tests.helpers import FIXTURES, ROOT, run_cli


def test_builtins_are_the_entry_points_of_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    # a group errlint itself registers nothing in (errlint.conditions) has no table there
    assert declared == {group: entries for group, entries in registry.BUILTINS.items() if entries}


def test_builtins_are_the_entry_points_of_the_installed_distribution() -> None:
    for group, builtins in registry.BUILTINS.items():
        installed = {ep.name: ep.value for ep in entry_points(group=group) if ep.dist and ep.dist.name == "errlint"}
        assert installed == builtins, group


def test_the_rule_ids_read_from_each_builtin_source_are_those_of_its_rules() -> None:
    """The ids found without importing a module are exactly those of the classes it exports."""
    for name, value in registry.BUILTINS[registry.RULES_GROUP].items():
        module = importlib.import_module(value.split(":")[0])
        ids = [rule.id for rule in module.RULES]
        assert len(ids) == len(set(ids)), name
        assert registry.builtin_rule_ids(name) == frozenset(ids), name
    assert "saleslayer-unknown-status" in registry.builtin_rule_ids("saleslayer")  # a package's submodules too


def test_module_rules_are_every_rule_class_it_defines() -> None:
    """RULES is derived: every rule class with an id, none of the id-less bases or imports."""
    from linter.rules import core, saleslayer
    from linter.rules.base import Rule
    from linter.rules.saleslayer import bodies

    assert [rule.__name__ for rule in core.RULES][:3] == ["ParseError", "DuplicateKey", "NotOpenAPI"]
    assert "_LoadProblemRule" not in {rule.__name__ for rule in core.RULES}
    assert {rule.__name__ for rule in saleslayer.RULES} >= {"SalesLayer400Shape", "SalesLayerApiKeyScheme"}
    assert "_BodyShapeRule" not in {rule.__name__ for rule in saleslayer.RULES}
    defined = {
        value for value in vars(bodies).values()
        if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == bodies.__name__
    }  # fmt: skip
    assert defined - set(saleslayer.RULES) == {bodies._BodyShapeRule}


def test_every_rule_of_a_builtin_ruleset_is_a_builtin_rule() -> None:
    """Each id a built-in ruleset names is found by the lazy lookup, in the entry that defines it."""
    from linter.check.ruleset import load_ruleset

    for ruleset_name, path in registry.rulesets().items():
        config = load_ruleset(path)
        for rule_id in set(config.rules) - set(config.policies):  # policies are rules written as data
            owners = [name for name in registry.BUILTINS[registry.RULES_GROUP] if rule_id in registry.builtin_rule_ids(name)]
            assert len(owners) == 1, (ruleset_name, rule_id, owners)
            assert registry.rule(rule_id).id == rule_id


def test_a_small_json_lint_to_a_stream_loads_only_what_it_uses() -> None:
    # hashlib loads OpenSSL (about 4 MB) and tempfile pulls in shutil, bz2, lzma and random:
    # only fingerprints (CI reports, baselines) and writes to regular files need them; the
    # helper process (and pickle) only big specs, the scope explanation only its option
    code = (
        "import sys\n"
        "from linter.cli.main import main\n"
        "try:\n"
        f"    main(['lint', {str(ROOT / 'examples' / 'petstore.yaml')!r}, '--format', 'json', '-o', '/dev/stdout'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "unused = ('hashlib', 'tempfile', 'fcntl', 'pickle', 'linter.report.fingerprint', 'linter.check.helper',\n"
        "          'linter.cli.explain_scope')\n"
        "print(sorted(m for m in unused if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"')) == []


def test_a_small_lint_imports_neither_entry_point_machinery_nor_unused_rule_modules() -> None:
    code = (
        "import sys\n"
        "from linter.cli.main import main\n"
        "try:\n"
        f"    main(['lint', {str(ROOT / 'examples' / 'petstore.yaml')!r}, '-q'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m == 'importlib.metadata' or m.startswith(('linter.rules.', 'linter.vendors.'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"')))
    assert "importlib.metadata" not in loaded
    assert {"linter.rules.core", "linter.rules.hygiene"} <= loaded
    vendors = ("saleslayer", "jsonapi", "problem_details", "diff")
    assert not loaded & {f"linter.rules.{name}" for name in vendors}
    assert not {m for m in loaded if m.startswith("linter.vendors.")}  # scope keys load when named


PLUGIN = '''
from linter.report.json import JsonReporter
from linter.rules.base import OperationRule, Problem


class Teapot(OperationRule):
    """Every operation is a teapot.

    Why: to show that plugin rules are found.
    """

    id = "plugin-teapot"

    def check(self, op, ctx):
        yield Problem(op.node, "is a teapot")


class Clash(OperationRule):
    """Takes a built-in id.

    Why: a plugin bug.
    """

    id = "spec-structure"

    def check(self, op, ctx):
        yield from ()


class Terse(JsonReporter):
    pass


TEAPOT_RULESET = __file__.replace("teapot_plugin.py", "teapot.yaml")
'''


def _plugin_site(tmp_path: Path, entry_points_text: str) -> dict[str, str]:
    site = tmp_path / "site"
    (site / "teapot_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "teapot_plugin.py").write_text(PLUGIN, encoding="utf-8")
    (site / "teapot_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: teapot-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (site / "teapot_plugin-1.0.dist-info" / "entry_points.txt").write_text(entry_points_text, encoding="utf-8")
    (site / "teapot.yaml").write_text("extends: recommended\nrules:\n  plugin-teapot: error\n", encoding="utf-8")
    return {"PYTHONPATH": str(site)}


def test_plugin_rules_rulesets_and_reporters_are_found_when_named(tmp_path: Path) -> None:
    env = _plugin_site(
        tmp_path,
        "[errlint.rules]\nteapot = teapot_plugin:Teapot\n"
        "[errlint.rulesets]\nteapot = teapot_plugin:TEAPOT_RULESET\n"
        "[errlint.reporters]\nterse = teapot_plugin:Terse\n",
    )
    spec = FIXTURES / "hostile" / "odd-status-keys.yaml"
    done = run_cli("lint", str(spec), "--ruleset", "teapot", "--format", "terse", env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    rules = {finding["rule"] for finding in json.loads(done.stdout)["findings"]}
    assert {"plugin-teapot", "operation-4xx-declared"} <= rules
    listed = run_cli("rules", env=env, cwd=tmp_path)
    assert listed.returncode == 0 and "plugin-teapot" in listed.stdout


def test_a_plugin_taking_a_builtin_rule_id_is_reported_when_rules_are_listed(tmp_path: Path) -> None:
    env = _plugin_site(tmp_path, "[errlint.rules]\nclash = teapot_plugin:Clash\n")
    done = run_cli("rules", env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert 'rule id "spec-structure" is registered twice' in done.stderr
    assert "teapot-plugin 1.0" in done.stderr


@pytest.mark.parametrize(
    ("group", "find", "value", "message"),
    [
        (
            registry.SCOPES_GROUP,
            registry.scope_predicate,
            "no_such_module:KEY",
            'failed to load scope key plugin entry point "odd" (no_such_module:KEY) from errlint itself:'
            " No module named 'no_such_module'",
        ),
        (
            registry.SCOPES_GROUP,
            registry.scope_predicate,
            "linter.vendors.jsonapi:JSONAPI",
            'entry point "odd" (linter.vendors.jsonapi:JSONAPI) from errlint itself'
            " must name a scope predicate with key 'odd'",
        ),
        (
            registry.CONDITIONS_GROUP,
            registry.condition,
            "no_such_module:KEY",
            'failed to load condition plugin entry point "odd" (no_such_module:KEY) from errlint itself:'
            " No module named 'no_such_module'",
        ),
        (
            registry.CONDITIONS_GROUP,
            registry.condition,
            "linter.vendors.jsonapi:JSONAPI",
            'entry point "odd" (linter.vendors.jsonapi:JSONAPI) from errlint itself'
            " must name a condition with key 'odd'",
        ),
    ],
)
def test_a_keyed_entry_that_fails_to_load_or_names_another_key_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, group: str, find: Any, value: str, message: str
) -> None:
    monkeypatch.setitem(registry.BUILTINS[group], "odd", value)
    with pytest.raises(ConfigError) as raised:
        find("odd")
    assert str(raised.value) == message


def test_keyed_entries_are_found_built_in_first_and_listed_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.BUILTINS[registry.CONDITIONS_GROUP], "jsonapi", "linter.vendors.jsonapi:JSONAPI")
    assert registry.condition("jsonapi") is registry.scope_predicate("jsonapi")
    assert registry.condition("no-such-condition") is None
    assert "jsonapi" in registry.condition_keys()
    assert registry.condition_keys() == sorted(registry.BUILTINS[registry.CONDITIONS_GROUP])
    assert registry.scope_keys() == ["family", "jsonapi"]
    names = registry.reporter_names()
    assert names == sorted(names) and set(registry.BUILTINS[registry.REPORTERS_GROUP]) <= set(names)
    assert registry.ruleset("no-such-ruleset") is None
