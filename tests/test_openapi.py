"""Operation views over OpenAPI 2.0 and 3.x: parameters, bodies, security, responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES

from linter import pointer as jp
from linter.api import LintOptions, load_spec
from linter.spec.openapi import Operation, is_error_status, iter_operations, spec_version

CORE = FIXTURES / "specs" / "core"


def operations(path: Path) -> dict[str, Operation]:
    spec = load_spec(path, path.name, LintOptions())
    assert not spec.problems
    return {op.label: op for op in iter_operations(spec)}


@pytest.fixture(scope="module")
def swagger2() -> dict[str, Operation]:
    return operations(CORE / "swagger2.yaml")


@pytest.fixture(scope="module")
def views3() -> dict[str, Operation]:
    return operations(CORE / "views3.yaml")


def params(op: Operation) -> list[tuple[str, str, str | None]]:
    return [(p.name, p.location, p.node.value.get("description")) for p in op.parameters]


@pytest.mark.parametrize(
    ("data", "version"),
    [
        ({"swagger": "2.0"}, "2.0"),
        ({"openapi": "3.0.3"}, "3.0"),
        ({"openapi": "3.1.0"}, "3.1"),
        ({"openapi": 3.1}, "3.1"),
        ({"openapi": "4.0"}, "4.0"),
        ({"info": {}}, None),
        (["openapi"], None),
        (None, None),
    ],
)
def test_spec_version(data: Any, version: str | None) -> None:
    assert spec_version(data) == version


ERROR_STATUSES = ["400", "599", "4XX", "5xx", "default", "DEFAULT"]
OTHER_STATUSES = ["200", "3XX", "40", "4X1", "x-404"]


@pytest.mark.parametrize("status", ERROR_STATUSES + OTHER_STATUSES)
def test_error_statuses(status: str) -> None:
    assert is_error_status(status) is (status in ERROR_STATUSES)


def test_operations_are_labelled_method_and_path(swagger2: dict[str, Operation]) -> None:
    assert sorted(swagger2) == ["GET /pets", "POST /pets", "PUT /pets/{id}/photo"]


# -- 2.0 ------------------------------------------------------------------------------------
def test_2_0_parameters_merge_and_the_operation_wins(swagger2: dict[str, Operation]) -> None:
    assert params(swagger2["POST /pets"]) == [
        ("limit", "query", "the operation's own"),
        ("trace", "header", None),
        ("body", "body", None),
    ]


def test_2_0_bodies_come_from_body_and_form_data_parameters(swagger2: dict[str, Operation]) -> None:
    post, get, put = swagger2["POST /pets"], swagger2["GET /pets"], swagger2["PUT /pets/{id}/photo"]
    assert (post.has_body, get.has_body, put.has_body) == (True, False, True)
    assert post.request_body is None
    assert post.request_media_types() == ["application/xml"]
    assert put.request_media_types() == ["application/json"]
    assert get.request_media_types() == []


def test_2_0_responses_use_integer_keys_and_produces(swagger2: dict[str, Operation]) -> None:
    post, put = swagger2["POST /pets"], swagger2["PUT /pets/{id}/photo"]
    assert post.status_keys == ["201", "400"]
    assert [r.status for r in post.error_responses()] == ["400"]
    error = post.response("400")
    assert error is not None and error.code == 400
    assert [(m.name, m.schema.pointer) for m in error.media_types()] == [  # type: ignore[union-attr]
        ("application/json", ("definitions", "Error"))
    ]
    assert put.produces == ("application/json", "text/plain")
    assert [m.name for m in put.response("default").media_types()] == ["application/json", "text/plain"]  # type: ignore[union-attr]
    assert put.response("204").media_types() == []  # type: ignore[union-attr]


def test_2_0_security_is_inherited_unless_overridden(swagger2: dict[str, Operation]) -> None:
    assert swagger2["POST /pets"].security == [{"key": []}]
    assert swagger2["POST /pets"].is_secured
    assert swagger2["GET /pets"].security == []
    assert not swagger2["GET /pets"].is_secured


# -- 3.x ------------------------------------------------------------------------------------
def test_3_x_parameters_merge_on_name_and_location(views3: dict[str, Operation]) -> None:
    get = views3["GET /pets/{id}"]
    assert params(get) == [
        ("id", "path", None),
        ("verbose", "query", "the operation's own"),
        ("id", "header", None),
    ]
    assert params(views3["DELETE /pets/{id}"]) == [("id", "path", None), ("verbose", "query", None)]
    inherited = views3["DELETE /pets/{id}"].parameters[1]
    assert inherited.node.pointer == ("components", "parameters", "Verbose")


def test_3_x_request_body_follows_its_ref(views3: dict[str, Operation]) -> None:
    patch, get = views3["PATCH /pets/{id}"], views3["GET /pets/{id}"]
    assert patch.request_body is not None
    assert jp.to_str(patch.request_body.pointer) == "/components/requestBodies/PetPatch"
    assert patch.has_body and not get.has_body
    assert patch.request_media_types() == ["application/merge-patch+json"]
    assert get.request_media_types() == []


@pytest.mark.parametrize(
    ("label", "security", "secured", "schemes"),
    [
        ("GET /pets/{id}", [{"bearer": []}], True, {"bearer"}),
        ("PATCH /pets/{id}", [{"key": [], "bearer": []}, {}], True, {"key", "bearer"}),
        ("DELETE /pets/{id}", [], False, set()),
    ],
)
def test_3_x_effective_security(
    views3: dict[str, Operation], label: str, security: list[Any], secured: bool, schemes: set[str]
) -> None:
    op = views3[label]
    assert op.security == security
    assert op.is_secured is secured
    assert op.security_scheme_names() == schemes


def test_3_x_responses_skip_extensions_and_know_ranges(views3: dict[str, Operation]) -> None:
    get, patch = views3["GET /pets/{id}"], views3["PATCH /pets/{id}"]
    assert get.status_keys == ["200", "4XX"]
    assert [r.status for r in get.error_responses()] == ["4XX"]
    assert get.declares(404, ranges=True) and not get.declares(404)
    assert not get.declares(500, ranges=True, default=True)
    assert patch.declares("500", default=True) and not patch.declares("500")
    error = get.response("4xx")
    assert error is not None and error.code is None
    assert jp.to_str(error.node.pointer) == "/components/responses/Error"
    assert jp.to_str(error.ref_node.pointer) == "/paths/~1pets~1{id}/get/responses/4XX"
    assert [m.base for m in error.media_types()] == ["application/problem+json"]


def test_a_secured_spec_without_security_is_none() -> None:
    ops = operations(CORE / "multi" / "openapi.yaml")
    assert {op.security for op in ops.values()} == {None}


# -- path items in other files ----------------------------------------------------------------
def test_path_item_refs_across_files() -> None:
    ops = operations(CORE / "multi" / "openapi.yaml")
    assert sorted(ops) == ["GET /pets", "GET /pets/{id}", "POST /pets"]
    get = ops["GET /pets/{id}"]
    assert (get.path_item.doc.display, get.path_item.pointer) == ("paths/pet-by-id.yaml", ("item",))
    assert get.node.doc.display == "paths/pet-by-id.yaml"
    assert get.operation_id == "getPet"
    assert params(get) == [("id", "path", None)]
    assert [(r.status, r.node.doc.display) for r in get.error_responses()] == [
        ("404", "components/responses.yaml")
    ]


def test_webhooks_and_callbacks_are_operations_with_their_own_labels() -> None:
    from linter.spec.openapi import iter_all_operations

    path = FIXTURES / "rules" / "response-example-valid" / "callbacks.yaml"
    spec = load_spec(path, path.name, LintOptions())
    labels = [(op.kind, op.label) for op in iter_all_operations(spec)]
    assert labels == [
        ("paths", "POST /streams"),
        ("callbacks", "POST /streams CALLBACK onData POST {$request.query.callbackUrl}/data"),
        ("callbacks", "POST /streams CALLBACK onEnd POST {$request.query.callbackUrl}/end"),
    ]
    assert [op.label for op in iter_operations(spec)] == ["POST /streams"]
    hooks = FIXTURES / "rules" / "response-example-valid" / "webhooks.yaml"
    spec = load_spec(hooks, hooks.name, LintOptions())
    assert [(op.kind, op.label, op.path) for op in iter_all_operations(spec)] == [
        ("webhooks", "WEBHOOK created POST", "created")
    ]


def test_a_lone_default_is_the_success_response() -> None:
    path = FIXTURES / "rules" / "problem-details-shape" / "lone-default.yaml"
    ops = operations(path)
    assert ops["GET /reports"].default_is_success and ops["GET /reports"].error_responses() == []
    assert [r.status for r in ops["GET /reports/{id}"].error_responses()] == ["default"]
