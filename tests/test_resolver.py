"""The resolver: loading every file a spec's ``$ref``s reach, following refs, and refusing bad ones."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES

from linter import pointer as jp
from linter import registry
from linter.api import LintOptions, load_spec
from linter.check.engine import Engine
from linter.check.ruleset import Config, RuleSetting
from linter.model import Finding
from linter.resolve.resolver import Node, SpecSet

MULTI = FIXTURES / "specs" / "core" / "multi"
RULES = FIXTURES / "rules"


def load(path: Path, display: str | None = None, **options: Any) -> SpecSet:
    return load_spec(path, display if display is not None else str(path), LintOptions(**options))


def problems(spec: SpecSet) -> list[tuple[str, str, str]]:
    """(rule, file, pointer of the node holding the ``$ref``) for every ref problem."""
    return sorted((p.rule, p.site.doc.display, jp.to_str(p.site.pointer)) for p in spec.problems)


def node_at(spec: SpecSet, pointer: str) -> Node:
    node: Node | None = spec.root_node()
    for token in jp.parse(pointer):
        assert node is not None
        node = node.get(token)
    assert node is not None, pointer
    return node


def all_rules_config() -> Config:
    return Config(
        rules={rule_id: RuleSetting(rule.default_severity) for rule_id, rule in registry.rules().items()}
    )


def lint_with_every_rule(spec: SpecSet) -> list[Finding]:
    return Engine(all_rules_config(), raise_errors=True).run(spec).findings


# -- multi-file specs ---------------------------------------------------------------------
def test_every_reachable_file_is_loaded_once_and_shown_relative_to_the_root() -> None:
    spec = load(MULTI / "openapi.yaml", "api/openapi.yaml")
    assert problems(spec) == []
    assert sorted(doc.display for doc in spec.docs.values()) == [
        "api/components/responses.yaml",
        "api/components/schemas/common/types.yaml",
        "api/components/schemas/errors/problem.yaml",
        "api/openapi.yaml",
        "api/paths/pet-by-id.yaml",
        "api/paths/pets.yaml",
    ]


def test_a_chain_across_files_and_folders_resolves_and_remembers_each_ref() -> None:
    spec = load(MULTI / "openapi.yaml", "openapi.yaml")
    response = node_at(spec, "/paths/~1pets/get/responses/404")
    assert (response.doc.display, response.pointer) == ("components/responses.yaml", ("Base404",))
    assert [(site.doc.display, jp.to_str(site.pointer)) for site in response.via] == [
        ("openapi.yaml", "/paths/~1pets"),
        ("paths/pets.yaml", "/get/responses/404"),
        ("openapi.yaml", "/components/responses/NotFound"),
        ("components/responses.yaml", "/NotFound"),
    ]
    code = node_at(spec, "/paths/~1pets/get/responses/404/content/application~1json/schema/properties/code")
    assert code.doc.display == "components/schemas/common/types.yaml"
    assert code.value["type"] == "string"
    assert code.site.position() == (1, 1)


def test_the_same_file_spelled_differently_is_one_document(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "shared.yaml").write_text("Error: {type: object}\n")
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    A: {$ref: 'shared.yaml#/Error'}\n    B: {$ref: './shared.yaml#/Error'}\n"
        "    C: {$ref: 'sub/../shared.yaml#/Error'}\n    D: {$ref: 'sha%72ed.yaml#/Error'}\n"
    )
    spec = load(tmp_path / "openapi.yaml")
    assert problems(spec) == []
    assert len(spec.docs) == 2
    targets = {id(node_at(spec, f"/components/schemas/{name}").value) for name in "ABCD"}
    assert len(targets) == 1


# -- broken refs --------------------------------------------------------------------------
def test_broken_refs_name_the_missing_file_or_pointer() -> None:
    spec = load(RULES / "ref-unresolved" / "missing-file" / "openapi.yaml", "openapi.yaml")
    messages = sorted((p.site.doc.display, p.message) for p in spec.problems)
    assert messages == [
        ("errors/responses.yaml", "$ref \"./schemas/problem.yaml\": file not found"),
        ("openapi.yaml", "$ref \"errors/nowhere.yaml#/ServerError\": file not found"),
        (
            "openapi.yaml",
            "$ref \"errors/responses.yaml#/Conflict\": /Conflict not found in errors/responses.yaml",
        ),
    ]


def test_broken_refs_read_as_missing_when_rules_follow_them() -> None:
    spec = load(RULES / "ref-unresolved" / "bad.yaml")
    responses = node_at(spec, "/paths/~1pets/get/responses")
    assert responses.get("404") is None
    assert [status for status, _ in responses.items()] == ["200", "500"]


@pytest.mark.parametrize(
    ("target", "content", "message"),
    [
        ("broken.yaml", "a: [1, 2\n", "the target file could not be parsed"),
        ("folder", None, "file not found"),
        ("list.yaml", "- 1\n- 2\n", "/Error not found in list.yaml"),
    ],
)
def test_unusable_target_files_are_findings(
    tmp_path: Path, target: str, content: str | None, message: str
) -> None:
    if content is None:
        (tmp_path / target).mkdir()
    else:
        (tmp_path / target).write_text(content)
    (tmp_path / "openapi.yaml").write_text(
        f"openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n"
        f"components:\n  schemas:\n    E: {{$ref: '{target}#/Error'}}\n"
    )
    spec = load(tmp_path / "openapi.yaml", "openapi.yaml")
    assert [(p.rule, p.site.pointer) for p in spec.problems] == [
        ("ref-unresolved", ("components", "schemas", "E"))
    ]
    assert spec.problems[0].message.endswith(message)


def test_a_parse_error_in_a_referenced_file_is_reported_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "errors.yaml").write_text("Error:\n  type: object\n  required: [code\n")
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    E: {$ref: 'errors.yaml#/Error'}\n"
    )
    findings = lint_with_every_rule(load(tmp_path / "openapi.yaml", "openapi.yaml"))
    assert [(f.rule, f.location.file, f.location.line) for f in findings] == [
        ("parse-error", "errors.yaml", 4),
        ("ref-unresolved", "openapi.yaml", 6),
    ]


# -- confinement ----------------------------------------------------------------------------
def outside_root_tree(tmp_path: Path) -> Path:
    """``root/openapi.yaml`` that refers to ``shared/errors.yaml`` beside ``root``."""
    (tmp_path / "root").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "errors.yaml").write_text("Error: {type: object}\n")
    spec = tmp_path / "root" / "openapi.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    E: {$ref: '../shared/errors.yaml#/Error'}\n"
    )
    return spec


def test_refs_outside_the_root_folder_are_refused_and_the_file_is_not_read(tmp_path: Path) -> None:
    spec = load(outside_root_tree(tmp_path))
    assert [p.rule for p in spec.problems] == ["ref-outside-root"]
    assert len(spec.docs) == 1
    assert node_at(spec, "/components/schemas").get("E") is None


def test_allow_outside_root_loads_them(tmp_path: Path) -> None:
    spec = load(outside_root_tree(tmp_path), "root/openapi.yaml", allow_outside_root=True)
    assert problems(spec) == []
    assert node_at(spec, "/components/schemas/E").doc.display == "shared/errors.yaml"


def test_a_symlink_cannot_smuggle_a_file_out_of_the_root(tmp_path: Path) -> None:
    spec_path = outside_root_tree(tmp_path)
    (spec_path.parent / "link.yaml").symlink_to(tmp_path / "shared" / "errors.yaml")
    spec_path.write_text(spec_path.read_text().replace("../shared/errors.yaml", "link.yaml"))
    assert [p.rule for p in load(spec_path).problems] == ["ref-outside-root"]


def test_up_and_back_down_inside_the_root_is_allowed() -> None:
    spec = load(RULES / "ref-outside-root" / "inside" / "openapi.yaml")
    assert problems(spec) == []
    assert node_at(spec, "/paths/~1pets/get/responses/404").value == {"description": "Not found"}


# -- remote refs --------------------------------------------------------------------------
@pytest.fixture
def network_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every socket, DNS lookup and connection fail, and record the attempts."""
    import ssl  # noqa: F401 - imported first so that it subclasses the real socket class
    import urllib.request  # noqa: F401

    calls: list[str] = []

    class NoSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            calls.append("socket")
            raise OSError("network access in a test")

    def refuse(name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            raise OSError(f"network access in a test: {name}")

        return fail

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo"):
        monkeypatch.setattr(socket, name, refuse(name))
    return calls


def test_remote_refs_are_not_fetched_by_default(network_calls: list[str]) -> None:
    spec = load(RULES / "ref-remote" / "bad.yaml", "bad.yaml")
    assert network_calls == []
    assert problems(spec) == [
        (
            "ref-remote",
            "bad.yaml",
            "/paths/~1pets/get/responses/400/content/application~1problem+json/schema",
        ),
        ("ref-remote", "bad.yaml", "/paths/~1pets/get/responses/500"),
    ]
    assert len(spec.docs) == 1


def test_allow_remote_fetches_and_a_failed_fetch_is_a_finding(network_calls: list[str]) -> None:
    spec = load(RULES / "ref-remote" / "bad.yaml", "bad.yaml", allow_remote=True)
    assert network_calls
    assert {p.rule for p in spec.problems} == {"ref-unresolved"}
    assert all("fetch failed" in p.message for p in spec.problems)


# -- cycles -------------------------------------------------------------------------------
CYCLES = [
    ("ref-cycle/bad.yaml", 4),
    ("ref-cycle/two-files/openapi.yaml", 3),
    ("ref-cycle/all-of.yaml", 0),
    ("ref-cycle/good.yaml", 0),
]


@pytest.mark.parametrize(("case", "cycles"), CYCLES, ids=[c[0] for c in CYCLES])
def test_cycles_terminate_under_every_rule(case: str, cycles: int) -> None:
    findings = lint_with_every_rule(load(RULES / case))
    assert sum(f.rule == "ref-cycle" for f in findings) == cycles
    assert not [f for f in findings if f.rule == "internal-error"]


def test_a_circular_ref_reads_as_missing() -> None:
    spec = load(RULES / "ref-cycle" / "bad.yaml")
    assert node_at(spec, "/paths/~1pets/get/responses").get("404") is None
    assert node_at(spec, "/components/schemas").get("A") is None


def test_recursion_through_all_of_resolves_step_by_step() -> None:
    spec = load(RULES / "ref-cycle" / "all-of.yaml")
    error = node_at(spec, "/components/schemas/Error")
    detailed = error.get("allOf").get(0)  # type: ignore[union-attr]
    assert detailed is not None and detailed.pointer == ("components", "schemas", "Detailed")
    again = detailed.get("allOf").get(0)  # type: ignore[union-attr]
    assert again is not None and again.value is error.value
    assert len(again.via) == 2


def test_a_long_chain_of_refs_is_cut_off(tmp_path: Path) -> None:
    links = "".join(f"    S{i}: {{$ref: '#/components/schemas/S{i + 1}'}}\n" for i in range(100))
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        f"{links}    S100: {{type: object}}\n"
    )
    spec = load(tmp_path / "openapi.yaml")
    chain_problems = [p for p in spec.problems if p.rule == "ref-cycle"]
    assert chain_problems and all("longer than 64" in p.message for p in chain_problems)
    assert node_at(spec, "/components/schemas/S99").value == {"type": "object"}


def test_broken_ref_first_met_while_following_a_chain_is_still_reported(tmp_path: Path) -> None:
    # the chain root -> common.yaml#/Missing -> #/Nowhere is followed (quietly) before
    # common.yaml itself is visited; the broken $ref must still be reported where it is written
    (tmp_path / "openapi.yaml").write_text(
        'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n'
        '        "404": {$ref: "common.yaml#/Missing"}\n',
        encoding="utf-8",
    )
    (tmp_path / "common.yaml").write_text('Missing: {$ref: "#/Nowhere"}\n', encoding="utf-8")
    spec = load(tmp_path / "openapi.yaml")
    assert [(p.rule, p.site.doc.path.name, p.site.pointer) for p in spec.problems] == [
        ("ref-unresolved", "common.yaml", ("Missing",))
    ]
