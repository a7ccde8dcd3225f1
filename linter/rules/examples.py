"""How every rule reads the examples of a response body: one function, one shape.

:func:`body_examples` is the only reader: ``response-example-valid``, the problem details,
Sales Layer and JSON:API rules all take their examples from it, so they agree on which
examples a body has, on how ``$ref``s among them are followed, and on where a finding
about one lands.

Which examples a body has (OpenAPI 3.0.3 section 4.7.11, 3.1.0 section 4.8.14, 2.0
"Response Object"):

* 3.x: the Media Type Object's ``example``, and the ``value`` of each entry of its
  ``examples`` (an entry may be a ``$ref`` to ``components/examples``; ``externalValue``
  entries are not read);
* 2.0: the response's ``examples[<media type>]``;
* otherwise, when the body gives none of these, the schema's own example (``example``,
  or the first of a 3.1 schema's ``examples``): the media type's example "SHALL override
  the example provided by the schema", so the schema's serves only when there is none.

How ``$ref``s are followed: an ``example: {$ref: ...}`` (or 2.0 ``examples`` entry) is
followed as bundlers do, and findings land on its target, where the shared value is
written, with each use in ``related``. A ``value: {$ref: ...}`` in an Example Object is
followed too, but a finding lands on that ``value`` (the target may fit where else it is
used), with the target in ``related``. A broken ``$ref`` gives no example (ref-unresolved
reports it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from linter.resolve.resolver import Node
from linter.spec.openapi import MediaType, Response


@dataclass(frozen=True, slots=True)
class Example:
    """One example of one body, as every rule reads it.

    * ``label``: how the example is named for this use: ``"example"``,
      ``"examples/<name>"`` (3.x entries), ``"examples/<media type>"`` (2.0) or
      ``"schema example"``.
    * ``written``: the node where the example is written for this use: the ``example``
      member, an Example Object's ``value``, the 2.0 ``examples`` entry, the schema's
      ``example``; possibly a lone ``{$ref: ...}``.
    * ``value``: the example's value: ``written`` with a lone ``$ref`` followed.
    * ``at``: where a finding about the example as a whole lands (see the module doc).
    * ``related``: other places that explain such a finding (the target of a
      ``value: {$ref}``); the engine adds the ``$ref`` sites through which ``at`` was reached.

    One example may be reached by several uses (a ``components/examples`` entry, a shared
    response, a YAML alias or merge key): a rule gives its problem a ``defect`` that does not
    name the use (``"the example does not match its schema: ..."``), so the engine reports
    the place once, with every use in ``related``.
    """

    label: str
    written: Node
    value: Node
    at: Node
    related: tuple[Node, ...] = ()

    def describe(self, response: Response, media: MediaType) -> str:
        """How a message names the example for this use: ``404 application/json examples/missing``."""
        return f"{response.status} {media.name} {self.label}"


def example_related(example: Example) -> tuple[tuple[Node, str], ...]:
    """``example.related`` as a :class:`~linter.rules.base.Problem` takes it."""
    return tuple((node, "the value this $ref leads to") for node in example.related)


def body_examples(response: Response, media: MediaType) -> Iterator[Example]:
    """Every example of ``media`` (one body of ``response``), in document order; the schema's
    example only when the body has none of its own (see the module doc)."""
    found = False
    for example in _media_examples(response, media):
        found = True
        yield example
    if not found and media.schema is not None:
        yield from _schema_example(media.schema)


def _media_examples(response: Response, media: MediaType) -> Iterator[Example]:
    node = media.node
    if node is None:
        return
    if response.version == "2.0":
        written = node.child(media.name)
        if written is not None:
            yield from _followed(f"examples/{media.name}", written)
        return
    single = node.child("example")
    if single is not None:
        yield from _followed("example", single)
    examples = node.get("examples")
    if examples is None or not examples.is_mapping:
        return
    for name in examples.keys():
        entry = examples.child(name)
        if entry is None:
            continue
        target = entry.deref()
        if target is None or not target.is_mapping:
            continue
        value = target.child("value")
        if value is None:
            continue
        label = f"examples/{name}"
        if _is_lone_ref(value.value):
            followed = value.deref()
            if followed is not None:
                yield Example(label, value, followed, value, (followed,))
            continue
        yield Example(label, value, value, value)


def _schema_example(schema: Node) -> Iterator[Example]:
    written = schema.child("example")
    if written is None:
        listed = schema.child("examples")
        if listed is not None and isinstance(listed.value, list) and listed.value:
            written = listed.child(0)
    if written is not None:
        yield from _followed("schema example", written)


def _followed(label: str, written: Node) -> Iterator[Example]:
    """An example written at ``written``: itself, or the target of a lone ``$ref`` there."""
    if not _is_lone_ref(written.value):
        yield Example(label, written, written, written)
        return
    target = written.deref()
    if target is not None:
        yield Example(label, written, target, target)


def _is_lone_ref(value: object) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$ref"), str)
