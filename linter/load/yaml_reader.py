"""YAML text -> :class:`~linter.load.document.Document` data: rapidyaml for big files when it
reads them as PyYAML would, else libyaml's composer and :mod:`linter.load.yaml_convert`;
positions from the composed node tree."""

from __future__ import annotations

from typing import Any

from linter import fastpath
from linter.load.document import Document, Limits, LoadProblem, _KeyIndex
from linter.load.libyaml import yaml_loader
from linter.load.yaml_convert import _check_yaml_depth, _Refused, _YamlConverter
from linter.pointer import Pointer


def _parse_yaml(doc: Document, limits: Limits) -> None:
    import yaml

    if not doc.text.strip():
        doc.data = None
        return
    if len(doc.text) >= FAST_YAML_MIN_CHARS and fastpath.enabled():
        loaded = _load_yaml_fast(doc.text, limits.max_depth)
        if loaded is not None:
            doc.data, doc._yaml_locate = loaded
            return
    try:
        _check_yaml_depth(doc.text, limits.max_depth)
        root = _compose_yaml(doc.text)
        if root is None:
            doc.data = None
            return
        doc.data = _YamlConverter(doc, limits).convert(root, ())
    except yaml.MarkedYAMLError as exc:
        doc.ok = False
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        start = exc.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            what += f" (it began at line {start.line + 1}, column {start.column + 1})"
        doc.problems.append(LoadProblem("parse-error", f"invalid YAML: {what}", line, column))
        return
    except yaml.YAMLError as exc:
        doc.ok = False
        doc.problems.append(LoadProblem("parse-error", f"invalid YAML: {exc}", 1, 1))
        return
    except _Refused as exc:
        doc.ok = False
        doc.data = None
        doc.problems.append(LoadProblem("parse-error", exc.message, exc.line, exc.column))
        return
    doc._yaml_root = root


#: YAML files at least this long are read by rapidyaml when it can (linter.load.yamlfast); below
#: it, libyaml's composer costs less than importing rapidyaml (8 ms)
FAST_YAML_MIN_CHARS = 128 * 1024


def _load_yaml_fast(text: str, max_depth: int) -> tuple[Any, Any] | None:
    try:
        from linter.load import yamlfast
    except ImportError:  # rapidyaml has no build for this platform
        return None
    return yamlfast.load(text, max_depth)


def _compose_yaml(text: str) -> Any:
    """libyaml's node tree of the (single) document in ``text``; None when it is empty."""
    loader = yaml_loader()(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _locate_yaml(root: Any, pointer: Pointer, keys: _KeyIndex) -> Any:
    """Walk composed nodes along ``pointer``; ``keys`` caches each mapping's members by name so
    that thousands of findings in one big mapping do not each scan it. A member that a merge
    key (``<<``) brings is found where it is written (see :mod:`linter.locate.yamlmerge`)."""
    import yaml

    from linter.locate.yamlmerge import members as merged_members

    node = root
    mark = root.start_mark
    for token in pointer:
        if isinstance(node, yaml.MappingNode):
            member = merged_members(node, keys).get(token)
            if member is None:
                break
            mark, node = member[0].start_mark, member[1]
        elif isinstance(node, yaml.SequenceNode):
            if not token.isdigit() or int(token) >= len(node.value):
                break
            node = node.value[int(token)]
            mark = node.start_mark
        else:
            break
    return mark  # Document.mark_position turns it into (line, column)
