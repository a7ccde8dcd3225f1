"""A ruleset's error-body convention, declared once as data (``error-bodies:``).

```yaml
error-bodies:
  name: saleslayer                        # what `errlint fix` calls it (default: the file's name)
  bodies:                                 # the first body whose statuses cover a code is its body
    - statuses: ["400"]                   # codes, ranges (4XX), default
      media-types: [application/json]     # the first is the one `errlint fix` writes
      schema: {$ref: schemas/saleslayer.yaml#/ValidationFailures}   # inline or a file
      component: ValidationFailures       # the schema's name when `errlint fix` adds it
      label: Sales Layer validationFailures   # how findings name the convention
    - statuses: [4XX, 5XX, default]
      media-types: [application/problem+json, application/json]
      schema: {$ref: schemas/saleslayer.yaml#/ProblemDetails}
      component: ProblemDetails
      label: Sales Layer problem details
      examples: {status-member: status}   # an example's `status` equals the response's code
```

The body-shape rules of a built-in ruleset read its declaration (:func:`declared`, one
cached loader), and ``errlint fix`` writes the body the declaration in effect gives a code
(:mod:`linter.audit.conventions`). A config or ruleset that declares ``error-bodies``
replaces what the rulesets it extends declared. :func:`parse_error_bodies` raises
:class:`ConfigError` naming ``file:line:column`` for every mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from linter.errors import ConfigError
from linter.jsonvalue import excerpt
from linter.policies.model import (
    Where,
    body_component,
    body_media_types,
    body_schema,
    covers,
    no_unknown_keys,
    status_list,
)

SECTION = "error-bodies"
SECTION_KEYS = ("name", "bodies")
BODY_KEYS = ("statuses", "media-types", "schema", "component", "label", "examples")
EXAMPLE_KEYS = ("check", "status-member")


@dataclass(frozen=True)
class ErrorBody:
    """The error body of some statuses: what it is served as, its canonical schema (every
    ``$ref`` inlined), the schema's component name and how findings name it."""

    statuses: tuple[str, ...]
    media_types: tuple[str, ...]
    schema: dict[str, Any]
    component: str
    label: str
    #: whether examples are validated against ``schema``
    check_examples: bool = True
    #: the member of an example that carries the response's status code (``status``), if any
    status_member: str | None = None

    def covers(self, status: str) -> bool:
        """A declared response key under ``statuses``: the same key, a code of a listed range."""
        return covers(self.statuses, status)

    @property
    def media_type(self) -> str:
        """The media type ``errlint fix`` writes: the first declared."""
        return self.media_types[0] if self.media_types else "application/json"

    def example_schema(self, status: str) -> dict[str, Any]:
        """The schema an example under ``status`` must validate against: ``schema``, with the
        ``status_member`` bound to the code (``const``) when ``status`` is one."""
        if self.status_member is None or not status.isdigit():
            return self.schema
        properties = self.schema.get("properties", {})
        member = properties.get(self.status_member)
        if not isinstance(member, dict):
            return self.schema
        code: Any = int(status) if member.get("type") == "integer" else status
        return {**self.schema, "properties": {**properties, self.status_member: {**member, "const": code}}}


@dataclass(frozen=True)
class ErrorBodies:
    """One ``error-bodies:`` declaration: a named convention and its bodies, in order."""

    name: str
    bodies: tuple[ErrorBody, ...]
    #: ``file:line:column`` of the section
    origin: str = ""

    def body_for(self, status: str) -> ErrorBody | None:
        """The first body whose statuses cover ``status``."""
        return next((body for body in self.bodies if body.covers(status)), None)

    def body(self, status: str) -> ErrorBody:
        """:meth:`body_for` of a status the declaration must cover (a built-in rule's)."""
        found = self.body_for(status)
        if found is None:
            raise LookupError(f"{self.origin}: error-bodies {self.name} declares no body for {status}")
        return found


def parse_error_bodies(raw: Any, where: Where, base: Path, default_name: str) -> ErrorBodies:
    """The ``error-bodies`` section ``raw`` of a file whose schema ``$ref``s are relative to
    ``base``; ``where(*pointer)`` locates a member of that file."""

    def here(*keys: str) -> str:
        return where(SECTION, *keys)

    if not isinstance(raw, dict):
        raise ConfigError(f"{here()}: {SECTION} must be a mapping (use {', '.join(SECTION_KEYS)})")
    no_unknown_keys(raw, SECTION_KEYS, SECTION, here)
    name = raw.get("name", default_name)
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{here('name')}: name must be text")
    items = raw.get("bodies")
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{here('bodies') if 'bodies' in raw else here()}: {SECTION} needs bodies, a list")
    bodies = tuple(
        _body(item, lambda *keys, index=index: here("bodies", str(index), *keys), base)
        for index, item in enumerate(items)
    )
    return ErrorBodies(name, bodies, here())


def _body(raw: Any, here: Where, base: Path) -> ErrorBody:
    if not isinstance(raw, dict):
        raise ConfigError(f"{here()}: each body must be a mapping (use {', '.join(BODY_KEYS)})")
    no_unknown_keys(raw, BODY_KEYS, "body", here)
    for key in ("statuses", "schema", "component", "label"):
        if key not in raw:
            raise ConfigError(f"{here()}: body needs {key} (it has {', '.join(map(str, raw)) or 'nothing'})")
    statuses = status_list(raw["statuses"], here, "statuses")
    if not statuses:
        raise ConfigError(f"{here('statuses')}: statuses must list codes, ranges (4XX) or default")
    label = raw["label"]
    if not isinstance(label, str) or not label.strip():
        raise ConfigError(f"{here('label')}: label must be text")
    check, status_member = _examples(raw.get("examples", True), here)
    schema = body_schema(raw["schema"], here, base)
    component = body_component(raw["component"], here)
    if component is None:
        raise ConfigError(f"{here('component')}: component must be a schema name such as Problem")
    return ErrorBody(
        statuses=statuses,
        media_types=body_media_types(raw.get("media-types"), here),
        schema=schema,
        component=component,
        label=label,
        check_examples=check,
        status_member=status_member,
    )


def _examples(raw: Any, here: Where) -> tuple[bool, str | None]:
    """``examples: true|false`` or ``{check: bool, status-member: name}``."""
    if isinstance(raw, bool):
        return raw, None
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{here('examples')}: examples must be true, false or a mapping of check, status-member"
        )
    no_unknown_keys(raw, EXAMPLE_KEYS, "examples", lambda *keys: here("examples", *keys))
    check = raw.get("check", True)
    if not isinstance(check, bool):
        raise ConfigError(f"{here('examples', 'check')}: check must be true or false")
    member = raw.get("status-member")
    if member is not None and (not isinstance(member, str) or not member):
        raise ConfigError(
            f"{here('examples', 'status-member')}: status-member must be a member name, got {excerpt(member)}"
        )
    return check, member


@cache
def declared(ruleset: str) -> ErrorBodies:
    """The ``error-bodies`` of the built-in ruleset ``ruleset`` (its own file, not what it
    extends), read once per process: the canonical bodies its shape rules check."""
    from linter import registry
    from linter.load.reader import load_document

    path = registry.ruleset(ruleset)
    if path is None:
        raise LookupError(f"no ruleset {ruleset!r}")
    doc = load_document(path, str(path))
    if doc.problems or not isinstance(doc.data, dict) or SECTION not in doc.data:
        raise LookupError(f"{path}: the ruleset declares no {SECTION}")

    def where(*pointer: str) -> str:
        line, column = doc.locate(pointer)
        return f"{doc.display}:{line}:{column}"

    return parse_error_bodies(doc.data[SECTION], where, path.parent, ruleset)
