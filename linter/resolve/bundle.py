"""A validation view of the root document: non-schema ``$ref``s inlined, with a map back to sources.

Specs in the wild put ``$ref`` where the OpenAPI schema allows none (an operation, a
``description``): openapi-spec-validator accepts them because it validates the resolved
document. We do the same, cheaply: refs outside schemas are replaced by their targets
(once per site, cycles left as they are); schema subtrees are never walked, since a
schema ``$ref`` is valid where it stands. ``origin(path)`` maps a path in the view back
to the file and pointer it came from.
"""

from __future__ import annotations

from typing import Any

from linter.pointer import Pointer
from linter.resolve.resolver import Document, Site, SpecSet

_SCHEMA_KEYS = frozenset({"schema"})
_SCHEMA_MAPS = frozenset({"schemas", "definitions"})
_OPAQUE_KEYS = frozenset({"example", "value", "x-errlint-ignore"})
#: refs inlined one inside another along one path of the view, at most
MAX_NESTED_REFS = 16


class ValidationView:
    def __init__(self, spec: SpecSet, max_inlined: int = 100_000) -> None:
        self.spec = spec
        self.sources: dict[Pointer, tuple[Document, Pointer]] = {}
        self.inlined = 0
        self.max_inlined = max_inlined
        # bounds on the view's nesting: refs inlined one inside another, and depth in the view,
        # so that a 10,000-long $ref chain cannot overflow the stack (of this walk or the validator)
        # nor multiply the view's size (the corpus nests at most 3 inlined refs)
        self.max_nested_refs = min(MAX_NESTED_REFS, spec.options.limits.max_ref_chain)
        self.max_depth = spec.options.limits.max_depth
        self.data = self._walk(spec.root.data, spec.root, (), (), ())

    def origin(self, path: Pointer) -> Site:
        """The file and pointer that a path in the view came from."""
        for cut in range(len(path), 0, -1):
            source = self.sources.get(path[:cut])
            if source is not None:
                doc, pointer = source
                return Site(doc, (*pointer, *path[cut:]))
        return Site(self.spec.root, path)

    def _walk(
        self, value: Any, doc: Document, pointer: Pointer, path: Pointer, stack: tuple[Any, ...]
    ) -> Any:
        if len(path) >= self.max_depth:
            return value
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and self.inlined < self.max_inlined and len(stack) < self.max_nested_refs:
                target = self.spec.resolve_ref(doc, ref, Site(doc, pointer), report=False)
                key = (id(target.doc), target.pointer) if target is not None else None
                if target is not None and key not in stack:
                    self.inlined += 1
                    self.sources[path] = (target.doc, target.pointer)
                    return self._walk(target.value, target.doc, target.pointer, path, (*stack, key))
                return value
            changed = False
            result: dict[str, Any] = {}
            for name, child in value.items():
                new = child
                if isinstance(child, (dict, list)) and name not in _OPAQUE_KEYS:
                    if name in _SCHEMA_KEYS or (name in _SCHEMA_MAPS and isinstance(child, dict)):
                        new = child
                    else:
                        new = self._walk(child, doc, (*pointer, name), (*path, name), stack)
                changed = changed or new is not child
                result[name] = new
            return result if changed else value
        if isinstance(value, list):
            # a loop, not a comprehension: one stack frame per level (see docs/security.md)
            items = []
            for i, child in enumerate(value):
                if isinstance(child, (dict, list)):
                    child = self._walk(child, doc, (*pointer, str(i)), (*path, str(i)), stack)
                items.append(child)
            return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
        return value
