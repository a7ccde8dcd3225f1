"""Sales Layer API families (Catalog, DAM) as the ``family`` scope key, and the ``when:``
conditions of the Sales Layer ruleset's status policies that are not declarative:
``request-inputs`` (400), ``resource-query-parameter`` (404) and ``processed-resource`` (409).

Source: Sales Layer's "Error responses" page documents 403 for the Catalog API only and
409 for the DAM API only, so the Sales Layer ruleset scopes those rules by family; it
answers 400 to malformed request inputs, 404 to a wrong identifier, and 409 to changes of a
resource that is being processed.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

from linter.jsonvalue import excerpt
from linter.policies.conditions import flag_condition
from linter.rules.saleslayer.vocabulary import api_key_header_field
from linter.spec.openapi import Operation
from linter.spec.scope import ScopePredicate, spec_title

FAMILIES = ("catalog", "dam")
#: headers that never call for a 400: OpenAPI 3 ignores them as parameters, and a bad
#: value gets its own code (406 Accept, 415 Content-Type, 401 Authorization)
PROTOCOL_HEADERS = frozenset({"accept", "content-type", "authorization"})
#: last word of a parameter name that names the resource it reads (`fileId`, `product_code`)
IDENTIFIER_WORDS = ("id", "name", "code", "key", "slug", "sku", "reference", "ref")
WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def detect_family(op: Operation) -> tuple[str | None, str]:
    """The Sales Layer API family of ``op`` (``"catalog"``, ``"dam"`` or None) and why; first
    match wins, as the catalogue orders them: ``x-api-family`` (operation, path item, root),
    a ``/rest/Catalog/`` or ``/rest/DAM/`` path, a Catalog/DAM tag, the ``info.title``."""
    for owner, where in ((op.node, "operation"), (op.path_item, "path item"), (op.root, "root")):
        value = owner.value.get("x-api-family") if isinstance(owner.value, dict) else None
        if isinstance(value, str) and value.lower() in FAMILIES:
            return value.lower(), f"x-api-family: {value} on the {where}"
    lowered = op.path.lower()
    for family, prefix in (("catalog", "/rest/catalog/"), ("dam", "/rest/dam/")):
        if lowered.startswith(prefix) or lowered == prefix.rstrip("/"):
            return family, f"path starts with {prefix}"
    for tag in op.tags:
        if tag.lower() in FAMILIES:
            return tag.lower(), f"tag {excerpt(tag)}"
    title = spec_title(op)
    words = title.lower().replace("-", " ").replace("_", " ").split()
    for family in FAMILIES:
        if family in words:
            return family, f"info.title {excerpt(title)} names {'DAM' if family == 'dam' else 'Catalog'}"
    return None, "no x-api-family, /rest/Catalog|DAM/ path, Catalog/DAM tag or title matched"


def _parse(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        raise ValueError("scope key 'family' must be a string or a list of strings")
    for name in items:
        if name.lower() not in (*FAMILIES, "none"):
            raise ValueError(f"scope family must be catalog, dam or none, got {excerpt(name)}")
    return tuple(name.lower() for name in items)


def _test(op: Operation, families: tuple[str, ...]) -> bool:
    return not families or (detect_family(op)[0] or "none") in families


FAMILY = ScopePredicate(
    "family",
    _parse,
    _test,
    "the Sales Layer API family: catalog, dam or none (x-api-family, /rest/Catalog|DAM/ path, tag, title)",
)


# -- conditions of the saleslayer ruleset's policies -------------------------------------------
@dataclass(frozen=True)
class RequestInputsOptions:
    api_key_header: str = api_key_header_field()


def request_inputs(op: Operation, api_key_header: str) -> list[str]:
    """What a client sends besides the path and the API key: parameters by location (``query
    parameters $filter, $top``), then ``a request body``; protocol headers do not count."""
    ignored_headers = PROTOCOL_HEADERS | {api_key_header.lower()}
    names: dict[str, list[str]] = {}
    for param in op.parameters:
        if param.location in ("query", "cookie") or (
            param.location == "header" and param.name.lower() not in ignored_headers
        ):
            names.setdefault(param.location, []).append(excerpt(param.name))
    inputs = [
        f"{location} parameter{'s' if len(found) > 1 else ''} {', '.join(found)}"
        for location, found in names.items()
    ]
    if op.has_body:
        inputs.append("a request body")
    return inputs


REQUEST_INPUTS = flag_condition(
    "request-inputs",
    lambda op, options: " and ".join(request_inputs(op, options.api_key_header)) or None,
    RequestInputsOptions,
    "the operation takes query, cookie or header parameters (not the API key or protocol headers)"
    " or a body; {request-inputs} in a message names them",
)


@dataclass(frozen=True)
class ResourceQueryParameterOptions:
    identifier_words: tuple[str, ...] = field(
        default=IDENTIFIER_WORDS,
        metadata={
            "help": "a required query parameter whose name ends in one of these words"
            " (camelCase, snake_case or kebab-case) names the resource"
        },
    )


def resource_query_parameter(op: Operation, identifier_words: tuple[str, ...]) -> str | None:
    """The first required query parameter whose name's last word is one of
    ``identifier_words`` (``fileId``, ``product_code``): it names the resource, or None."""
    words = {w.lower() for w in identifier_words}
    for param in op.parameters:
        if param.location == "query" and param.node.value.get("required") is True:
            parts = WORD_RE.findall(param.name)
            if parts and parts[-1].lower() in words:
                return param.name
    return None


RESOURCE_QUERY_PARAMETER = flag_condition(
    "resource-query-parameter",
    lambda op, options: _quoted(resource_query_parameter(op, options.identifier_words)),
    ResourceQueryParameterOptions,
    "a required query parameter names the resource (its last word is one of identifier-words);"
    " {resource-query-parameter} in a message quotes it",
)


def _quoted(name: str | None) -> str | None:
    return None if name is None else excerpt(name)


@dataclass(frozen=True)
class ProcessedResourceOptions:
    processed_paths: tuple[str, ...] = field(
        default=("*/images/*", "*/files/*", "*/assets/*"),
        metadata={"help": "path globs (case-insensitive) of resources that are processed"},
    )
    processed_tags: tuple[str, ...] = field(
        default=("images", "files", "assets"),
        metadata={"help": "tag globs (case-insensitive) of operations on processed resources"},
    )


def _any_glob(text: str, patterns: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in patterns)


def is_processed_resource(op: Operation, paths: tuple[str, ...], tags: tuple[str, ...]) -> bool:
    """Whether ``op``'s path matches one of the ``paths`` globs or one of its tags one of the
    ``tags`` globs (case-insensitive): a resource Sales Layer processes (images, files)."""
    return _any_glob(op.path, paths) or any(_any_glob(tag, tags) for tag in op.tags)


PROCESSED_RESOURCE = flag_condition(
    "processed-resource",
    lambda op, options: (
        op.path if is_processed_resource(op, options.processed_paths, options.processed_tags) else None
    ),
    ProcessedResourceOptions,
    "the path or a tag matches processed-paths or processed-tags (resources that are processed)",
)
