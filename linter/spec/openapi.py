"""OpenAPI views that rules see: operations, parameters, bodies, responses, media types.

Everything here works for OpenAPI 2.0, 3.0 and 3.1 and follows ``$ref``s through
:class:`~linter.resolve.resolver.Node`, so rules never look at raw YAML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from linter.resolve.resolver import Node, SpecSet

METHODS_2_3 = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
METHODS_3_2 = (*METHODS_2_3, "query")
WRITE_METHODS = frozenset({"post", "put", "patch"})
MUTATING_METHODS = WRITE_METHODS | {"delete"}
STATUS_RE = re.compile(r"^[1-5][0-9][0-9]$")
RANGE_RE = re.compile(r"^[1-5]XX$", re.IGNORECASE)
TEMPLATE_RE = re.compile(r"\{[^}/]+\}")


def spec_version(data: Any) -> str | None:
    """``"2.0"``, ``"3.0"``, ``"3.1"``, ``"3.2"`` or None when the root is not OpenAPI."""
    if not isinstance(data, dict):
        return None
    if "swagger" in data:
        return "2.0" if str(data["swagger"]).startswith("2") else str(data["swagger"])
    if "openapi" in data:
        text = str(data["openapi"])
        return text[:3] if re.match(r"^3\.\d", text) else text
    return None


def ref_siblings_apply(node: Node) -> bool:
    """Whether keywords written beside a ``$ref`` in a Schema Object apply: in OpenAPI 3.1
    and later (JSON Schema 2020-12, section 8.2.3.1: ``$ref`` is an applicator among the
    others); in 3.0 and 2.0 they are ignored ("This object cannot be extended with
    additional properties and any properties added SHALL be ignored", 3.0.3 section 4.7.23)."""
    cache = node.spec.cache
    known = cache.get(_SIBLINGS_KEY)
    if known is None:
        known = cache[_SIBLINGS_KEY] = spec_version(node.spec.root.data) not in (None, "2.0", "3.0")
    return bool(known)


_SIBLINGS_KEY = "ref-siblings-apply"


def schema_view(node: Node | None) -> Node | None:
    """A Schema Object as it applies: ``$ref``s followed, except that in 3.1 a ``$ref`` with
    keywords beside it stays as written (those keywords and the target both apply; see
    :func:`ref_siblings_apply`). None when absent or broken."""
    if node is None:
        return None
    value = node.value
    if isinstance(value, dict) and "$ref" in value and len(value) > 1 and ref_siblings_apply(node):
        return node if node.deref() is not None else None
    return node.deref()


def is_error_status(status: str) -> bool:
    """4xx/5xx codes, ``4XX``/``5XX`` ranges and ``default``."""
    upper = status.upper()
    return upper == "DEFAULT" or (
        len(upper) == 3 and upper[0] in "45" and (upper[1:].isdigit() or upper[1:] == "XX")
    )


@dataclass
class MediaType:
    name: str
    node: Node | None
    schema: Node | None

    @property
    def base(self) -> str:
        """The media type without parameters, lower-cased: ``application/vnd.api+json``."""
        return self.name.split(";", 1)[0].strip().lower()



@dataclass
class Response:
    status: str
    node: Node
    ref_node: Node
    version: str
    produces: tuple[str, ...]

    @property
    def is_error(self) -> bool:
        return is_error_status(self.status)

    @property
    def code(self) -> int | None:
        return int(self.status) if STATUS_RE.match(self.status) else None

    def media_types(self) -> list[MediaType]:
        """Declared bodies; 2.0 responses get one entry per ``produces`` type when they have a schema."""
        if self.version == "2.0":
            schema = self.node.get("schema")
            if schema is None:
                return []
            names = self.produces or ("application/json",)
            result = []
            examples = self.node.get("examples")
            for name in names:
                media_node = None
                if examples is not None and name in examples.keys():
                    media_node = examples
                result.append(_MediaType2(name, media_node, schema))
            return result
        content = self.node.get("content")
        if content is None or not content.is_mapping:
            return []
        return [MediaType(name, media, schema_view(media.child("schema"))) for name, media in content.items()]

    @property
    def has_content(self) -> bool:
        return bool(self.media_types())


class _MediaType2(MediaType):
    """A 2.0 response body: ``node`` is the response's ``examples`` map (examples are keyed
    by media type there; see :func:`linter.rules.examples.body_examples`)."""


@dataclass
class Parameter:
    name: str
    location: str
    node: Node


#: where an operation is declared: under ``paths``, under the root's ``webhooks`` (3.1), or
#: under an operation's ``callbacks`` (3.x)
OperationKind = Literal["paths", "webhooks", "callbacks"]
OPERATION_KINDS: frozenset[str] = frozenset({"paths", "webhooks", "callbacks"})


class Operation:
    """One method under one path item, with path-item and root context merged in.

    ``kind`` says where the path item is declared. For a webhook, ``path`` is the webhook's
    name; for a callback, the callback's runtime expression (``{$request.body#/url}``), and
    ``parent`` is the operation that declares it. Labels tell them apart in every report:
    ``GET /pets``, ``WEBHOOK newPet POST``, ``POST /subscribe CALLBACK onEvent POST {$request.body#/url}``.
    """

    def __init__(
        self,
        spec: SpecSet,
        path: str,
        method: str,
        node: Node,
        path_item: Node,
        version: str,
        kind: OperationKind = "paths",
        name: str = "",
        parent: Operation | None = None,
    ):
        self.spec = spec
        self.path = path
        self.method = method
        self.node = node
        self.path_item = path_item
        self.version = version
        self.kind = kind
        #: the webhook's or callback's name ("" under ``paths``)
        self.name = name
        self.parent = parent
        self.root = spec.root_node()

    def __str__(self) -> str:
        method = self.method.upper()
        if self.kind == "webhooks":
            return f"WEBHOOK {self.name} {method}"
        if self.kind == "callbacks":
            return f"{self.parent} CALLBACK {self.name} {method} {self.path}"
        return f"{method} {self.path}"

    label = property(__str__)

    @property
    def operation_id(self) -> str | None:
        value = self.node.get_value("operationId")
        return value if isinstance(value, str) else None

    @property
    def tags(self) -> list[str]:
        tags = self.node.get_value("tags")
        return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []

    def extension(self, name: str) -> Any:
        """An ``x-`` extension from the operation, else its path item, else the root."""
        for node in (self.node, self.path_item, self.root):
            if isinstance(node.value, dict) and name in node.value:
                return node.value[name]
        return None

    @property
    def is_id_path(self) -> bool:
        return bool(TEMPLATE_RE.search(self.path))

    @property
    def ends_with_id(self) -> bool:
        last = self.path.rstrip("/").rsplit("/", 1)[-1]
        return bool(TEMPLATE_RE.fullmatch(last))

    @cached_property
    def parameters(self) -> list[Parameter]:
        """Path-item and operation parameters merged; the operation's win on (name, in)."""
        merged: dict[tuple[str, str], Parameter] = {}
        for owner in (self.path_item, self.node):
            params = owner.get("parameters")
            if params is None:
                continue
            for param in params.elements():
                if not param.is_mapping:
                    continue
                name, where = param.value.get("name"), param.value.get("in")
                if isinstance(name, str) and isinstance(where, str):
                    merged[(name, where)] = Parameter(name, where, param)
        return list(merged.values())

    @property
    def security(self) -> list[dict[str, Any]] | None:
        """Effective security requirements: the operation's, else the root's; None if neither."""
        for owner in (self.node, self.root):
            if isinstance(owner.value, dict) and "security" in owner.value:
                value = owner.value["security"]
                return value if isinstance(value, list) else []
        return None

    @property
    def is_secured(self) -> bool:
        security = self.security
        return bool(security) and any(isinstance(req, dict) and req for req in security)  # type: ignore[union-attr]

    def security_scheme_names(self) -> set[str]:
        return {name for req in self.security or [] if isinstance(req, dict) for name in req}

    @property
    def request_body(self) -> Node | None:
        """3.x ``requestBody`` (dereferenced), or None."""
        if self.version == "2.0":
            return None
        return self.node.get("requestBody")

    @property
    def has_body(self) -> bool:
        if self.version == "2.0":
            return any(p.location in ("body", "formData") for p in self.parameters)
        return self.request_body is not None

    def request_media_types(self) -> list[str]:
        if self.version == "2.0":
            if not self.has_body:
                return []
            consumes = self.node.get_value("consumes") or self.root.get_value("consumes") or []
            return [c for c in consumes if isinstance(c, str)]
        body = self.request_body
        content = body.get("content") if body is not None else None
        return content.keys() if content is not None else []

    @cached_property
    def produces(self) -> tuple[str, ...]:
        produces = self.node.get_value("produces")
        if produces is None:
            produces = self.root.get_value("produces")
        return tuple(p for p in produces if isinstance(p, str)) if isinstance(produces, list) else ()

    @cached_property
    def responses_node(self) -> Node | None:
        return self.node.get("responses")

    @cached_property
    def responses(self) -> list[Response]:
        node = self.responses_node
        if node is None or not node.is_mapping:
            return []
        result = []
        for status in node.keys():
            if status.startswith("x-"):
                continue
            ref_node = node.child(status)
            target = ref_node.deref() if ref_node is not None else None
            if ref_node is None or target is None or not target.is_mapping:
                continue
            result.append(Response(status, target, ref_node, self.version, self.produces))
        return result

    def response(self, status: str) -> Response | None:
        for response in self.responses:
            if response.status.upper() == status.upper():
                return response
        return None

    def declares(self, status: str | int, *, ranges: bool = False, default: bool = False) -> bool:
        """Whether ``responses`` has the exact key; ranges/default count only when allowed."""
        status = str(status)
        keys = {key.upper() for key in self.responses_node.keys()} if self.responses_node else set()
        if status.upper() in keys:
            return True
        if ranges and f"{status[0]}XX" in keys:
            return True
        return default and "DEFAULT" in keys

    @property
    def status_keys(self) -> list[str]:
        return [
            key
            for key in (self.responses_node.keys() if self.responses_node else [])
            if not key.startswith("x-")
        ]

    @property
    def default_is_success(self) -> bool:
        """Whether ``default`` is this operation's success response: it declares no 1xx, 2xx
        or 3xx code or range, so ``default`` is the only answer documented for a request that
        works (580 operations of 29 public specs are written so, often with a ``Successful``
        description and the success schema). OpenAPI 3.1.0 section 4.8.16.1: ``default`` is
        "the default response for the HTTP codes not covered individually"."""
        return not any(key[:1] in "123" for key in self.status_keys)

    def error_responses(self) -> list[Response]:
        """4xx/5xx codes, ``4XX``/``5XX`` ranges and ``default``; without ``default`` when it is
        the success response (:attr:`default_is_success`). Every rule about error bodies
        reads error responses here."""
        lone_default = self.default_is_success
        return [r for r in self.responses if r.is_error and not (lone_default and r.status.upper() == "DEFAULT")]

    def response_media_types(self) -> list[str]:
        return [m.name for r in self.responses for m in r.media_types()]

    def all_media_types(self) -> list[str]:
        return [*self.request_media_types(), *self.response_media_types()]

    @property
    def anchor(self) -> Node:
        """Where a *missing* response lands: the ``responses`` key, else the operation."""
        if self.node.value and isinstance(self.node.value, dict) and "responses" in self.node.value:
            return self.node.child("responses") or self.node
        return self.node


def iter_operations(spec: SpecSet) -> Iterator[Operation]:
    """Every operation under ``paths`` (path-item ``$ref``s followed), in document order."""
    version = spec_version(spec.root.data)
    if version is None:
        return
    root = spec.root_node()
    paths = root.get("paths")
    if paths is None or not paths.is_mapping:
        return
    for path, item in paths.items():
        if not path.startswith("/") or not item.is_mapping:
            continue
        yield from _item_operations(spec, item, version, "paths", path, "", None)


def iter_all_operations(spec: SpecSet) -> Iterator[Operation]:
    """Every operation the spec declares: under ``paths``, then under ``webhooks`` (3.1,
    section 4.8.1), then the callbacks each of those declares (3.x ``callbacks``: callback
    name -> runtime expression -> Path Item), depth first, in document order. The operations
    the rules see; :func:`iter_operations` gives those under ``paths`` alone."""
    version = spec_version(spec.root.data)
    if version is None:
        return
    found = list(iter_operations(spec))
    webhooks = spec.root_node().get("webhooks") if version != "2.0" else None
    if webhooks is not None and webhooks.is_mapping:
        for name, item in webhooks.items():
            if item.is_mapping and not name.startswith("x-"):
                found.extend(_item_operations(spec, item, version, "webhooks", name, name, None))
    seen: set[tuple[int, tuple[str, ...]]] = set()
    for op in found:
        yield op
        yield from _callback_operations(op, seen)


def _callback_operations(op: Operation, seen: set[tuple[int, tuple[str, ...]]]) -> Iterator[Operation]:
    """The operations of ``op``'s callbacks, and of theirs (each path item once per parent)."""
    if op.version == "2.0":
        return
    callbacks = op.node.get("callbacks")
    if callbacks is None or not callbacks.is_mapping:
        return
    for name, callback in callbacks.items():
        if not callback.is_mapping or name.startswith("x-"):
            continue
        for expression, item in callback.items():
            key = (id(item.doc), item.pointer)
            if not item.is_mapping or expression.startswith("x-") or key in seen:
                continue
            seen.add(key)
            for inner in _item_operations(op.spec, item, op.version, "callbacks", expression, name, op):
                yield inner
                yield from _callback_operations(inner, seen)
            seen.discard(key)


def _item_operations(
    spec: SpecSet,
    item: Node,
    version: str,
    kind: OperationKind,
    path: str,
    name: str,
    parent: Operation | None,
) -> Iterator[Operation]:
    methods = METHODS_3_2 if version == "3.2" else METHODS_2_3
    for method in methods:
        op = item.get(method)
        if op is not None and op.is_mapping:
            yield Operation(spec, path, method, op, item, version, kind, name, parent)
