"""YAML 1.2 scalars: the JSON-compatible core schema, the one reading of every load path.

OpenAPI 3.x and Swagger 2.0 documents are YAML 1.2 ("OpenAPI Specification 3.1.0",
section 4.3: "the YAML 1.2 core schema"; 2.0 the same). PyYAML implements YAML 1.1,
where ``on``, ``off``, ``yes``, ``no``, ``y`` and ``n`` are booleans, ``1:20`` is 80 and
``0b1``, ``1_000`` and ``012`` are numbers. Under the core schema (YAML 1.2.2, section
10.3.2) a plain scalar is:

* null: ``null``, ``Null``, ``NULL``, ``~`` or empty;
* a boolean: ``true``, ``True``, ``TRUE``, ``false``, ``False``, ``FALSE``;
* an integer: ``[-+]?[0-9]+`` (decimal, so ``012`` is 12), ``0o[0-7]+``, ``0x[0-9a-fA-F]+``;
* a float: ``[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?``, ``[-+]?.inf`` (also
  ``.Inf``, ``.INF``) and ``.nan`` (also ``.NaN``, ``.NAN``);
* a string otherwise.

:func:`plain_value` reads one plain scalar; :func:`construct` builds a value from a
tag and its text (explicit ``!!int "12"`` tags too); :class:`CoreLoader` is libyaml's
composer with these resolvers (reached through ``linter.load.libyaml.yaml_loader``, which
also sets libyaml's nesting limit). The YAML loader
(:mod:`linter.load.document`), the rapidyaml fast path (:mod:`linter.load.yamlfast`) and
the ``fix`` editor (:mod:`linter.edit.yaml_editor`) all read scalars through this module.
The merge key ``<<`` (a YAML 1.1 type that OpenAPI documents use) is still recognised.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_MERGE = re.compile(r"^(?:<<)$")

#: (tag, pattern, first characters) in resolution order; the empty scalar is null
_IMPLICIT: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (NULL_TAG, _NULL, "~nN"),
    (BOOL_TAG, _BOOL, "tTfF"),
    (INT_TAG, _INT, "-+0123456789"),
    (FLOAT_TAG, _FLOAT, "-+.0123456789"),
    (MERGE_TAG, _MERGE, "<"),
)
#: first characters of plain scalars that may be something other than a string ("" too)
RESOLVABLE_FIRST = frozenset("".join(first for _, _, first in _IMPLICIT))
#: matches every plain scalar that is not a string (and the merge key)
MAYBE_NOT_STR = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern, _ in _IMPLICIT))


def resolve(text: str) -> str:
    """The tag of a plain scalar whose text is ``text``."""
    for tag, pattern, _ in _IMPLICIT:
        if pattern.match(text):
            return tag
    return STR_TAG


def construct(tag: str, text: str) -> Any:
    """The value of a scalar tagged ``tag`` (implicitly or explicitly) with text ``text``.

    Raises ``ValueError`` when the text is not a value of that type (``!!int abc``); the
    callers then keep the text. Tags other than null, bool, int and float give the text.
    """
    if tag == NULL_TAG:
        if not _NULL.match(text):
            raise ValueError(f"not a null: {text!r}")
        return None
    if tag == BOOL_TAG:
        if not _BOOL.match(text):
            raise ValueError(f"not a boolean: {text!r}")
        return text[0] in "tT"
    if tag == INT_TAG:
        if not _INT.match(text):
            raise ValueError(f"not an integer: {text!r}")
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)
    if tag == FLOAT_TAG:
        if not _FLOAT.match(text):
            raise ValueError(f"not a float: {text!r}")
        lowered = text.lower()
        if lowered.endswith(".inf"):
            return -math.inf if text.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        return float(text)
    return text


def plain_value(text: str) -> Any:
    """The value of the plain (unquoted, untagged) scalar ``text``; ``"<<"`` stays text."""
    if MAYBE_NOT_STR.match(text) is None:
        return text
    tag = resolve(text)
    if tag in (STR_TAG, MERGE_TAG):
        return text
    return construct(tag, text)


def is_plain_string(text: str) -> bool:
    """Whether ``text`` written plain reads back as the same string."""
    return resolve(text) == STR_TAG


class CoreResolver(yaml.resolver.BaseResolver):
    """PyYAML's resolver with the core schema's implicit types (and the merge key)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


for _tag, _pattern, _first in _IMPLICIT:
    CoreResolver.add_implicit_resolver(_tag, _pattern, [*_first, *([""] if _tag == NULL_TAG else [])])


def _base_parser() -> type:
    try:
        from yaml._yaml import CParser

        return CParser  # type: ignore[no-any-return]
    except ImportError:  # PyYAML built without libyaml
        from yaml.composer import Composer
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class PureParser(Reader, Scanner, Parser, Composer):
            def __init__(self, stream: Any) -> None:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)
                Composer.__init__(self)

        return PureParser


_Parser = _base_parser()


class CoreLoader(_Parser, yaml.constructor.SafeConstructor, CoreResolver):  # type: ignore[misc,valid-type]
    """libyaml's composer whose nodes carry core-schema tags (never used to construct objects)."""

    def __init__(self, stream: Any) -> None:
        _Parser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        CoreResolver.__init__(self)
