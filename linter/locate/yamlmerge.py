"""Places in composed YAML through aliases and merge keys (``<<``).

The converter (:mod:`linter.load.document`) gives a mapping the members of its ``<<``
sources that it does not write itself, and an alias the very value of its anchor. So a
pointer into the data may pass through members that are written elsewhere in the text.
Here a mapping node's members include those of its merge sources (its own first, then each
source in order, nearer sources first, as the converter merges them), and a pointer is
mapped to the one place where its value is written: the anchor's text.
"""

from __future__ import annotations

from typing import Any

from linter.pointer import Pointer

MERGE_TAG = "tag:yaml.org,2002:merge"
#: per mapping node (by id): its members by key text, each (key node, value node)
KeyIndex = dict[int, dict[str, tuple[Any, Any]]]


def members(node: Any, keys: KeyIndex) -> dict[str, tuple[Any, Any]]:
    """``node``'s members by key text, merged members included (memoised in ``keys``)."""
    import yaml

    found = keys.get(id(node))
    if found is not None:
        return found
    found = keys[id(node)] = {}
    sources: list[Any] = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        if key_node.tag == MERGE_TAG:
            sources += value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            continue
        found[str(key_node.value)] = (key_node, value_node)
    for source in sources:
        if isinstance(source, yaml.MappingNode):
            for name, member in members(source, keys).items():
                found.setdefault(name, member)
    return found


def first_pointers(root: Any) -> dict[int, Pointer]:
    """For each container node (by id), the pointer of the place where it is written: its
    first occurrence in document order, which is where an anchor is defined (an alias always
    follows its anchor). Merge sources are not places of their own. Each node is visited once,
    so an alias bomb costs no more than its text."""
    import yaml

    found: dict[int, Pointer] = {}
    stack: list[tuple[Any, Pointer]] = [(root, ())]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, yaml.ScalarNode) or id(node) in found:
            continue
        found[id(node)] = pointer
        children: list[tuple[Any, Pointer]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != MERGE_TAG:
                    children.append((value_node, (*pointer, str(key_node.value))))
        else:
            children = [(child, (*pointer, str(index))) for index, child in enumerate(node.value)]
        stack.extend(reversed(children))
    return found


def written_pointer(root: Any, pointer: Pointer, keys: KeyIndex, first: dict[int, Pointer]) -> Pointer:
    """``pointer`` where its value is written: through an alias or a merged member, the
    pointer continues from the anchor's place. Unknown tails are kept as given."""
    import yaml

    node = root
    written: Pointer = ()
    for depth, token in enumerate(pointer):
        if isinstance(node, yaml.MappingNode):
            member = members(node, keys).get(token)
            if member is None:
                return (*written, *pointer[depth:])
            node = member[1]
        elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
            node = node.value[int(token)]
        else:
            return (*written, *pointer[depth:])
        written = first.get(id(node), (*written, token))
    return written
