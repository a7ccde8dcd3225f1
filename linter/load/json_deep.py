"""JSON deeper than orjson reads (1024 levels), for a ``--max-depth`` above that: read without
recursion, so at any depth errlint allows, with every string and number read by orjson."""

from __future__ import annotations

import re
from typing import Any


class BadJson(Exception):
    """Text that is not JSON: ``message`` and the character ``offset`` where it goes wrong."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message, self.offset = message, offset


class JsonTooDeep(Exception):
    """JSON nested deeper than the depth it was read with."""


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_SCALAR = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null',
    re.DOTALL,
)


def _json_scalar(token: str, offset: int) -> Any:
    import orjson

    try:
        return orjson.loads(token)
    except orjson.JSONDecodeError as exc:
        raise BadJson(str(exc).split(":", 1)[0], offset + exc.pos) from None


def load_deep_json(text: str, max_depth: int) -> Any:
    """The data of the JSON ``text``, read without recursion, so at any depth up to ``max_depth``.

    Containers are built here; every string and number is read by orjson, so the data is what
    ``orjson.loads`` gives where it can go that deep. Raises :class:`JsonTooDeep` at the first
    container deeper than ``max_depth`` (counting the outermost as 1) and :class:`BadJson`
    (message, character offset) at the first syntax error. Linear in the text.
    """
    space, scalar, string = _JSON_SPACE.match, _JSON_SCALAR.match, _JSON_STRING.match
    end = len(text)
    stack: list[Any] = []  # the open containers, outermost first
    keys: list[str] = []  # the member name each open object is waiting for a value of
    pos = space(text).end()
    while True:
        # a value starts at pos
        char = text[pos : pos + 1]
        if char in ("[", "{"):
            if len(stack) >= max_depth:
                raise JsonTooDeep
            pos = space(text, pos + 1).end()
            if text.startswith("]" if char == "[" else "}", pos):
                value: Any = [] if char == "[" else {}
                pos += 1
            else:
                stack.append([] if char == "[" else {})
                if char == "{":
                    pos = _json_member_name(text, pos, keys, string, space)
                continue
        else:
            match = scalar(text, pos)
            if match is None:
                raise BadJson("unexpected end of data" if pos >= end else "expected a JSON value", pos)
            value = _json_scalar(match.group(), pos)
            pos = match.end()
        # a value ends at pos: put it in its container, then close what it completes
        while True:
            pos = space(text, pos).end()
            if not stack:
                if pos < end:
                    raise BadJson("unexpected content after document", pos)
                return value
            parent = stack[-1]
            if isinstance(parent, list):
                parent.append(value)
            else:
                parent[keys.pop()] = value
            char = text[pos : pos + 1]
            if char == ",":
                pos = space(text, pos + 1).end()
                if isinstance(parent, dict):
                    pos = _json_member_name(text, pos, keys, string, space)
                elif text.startswith("]", pos):
                    raise BadJson("trailing comma is not allowed", pos)
                break
            if char != ("]" if isinstance(parent, list) else "}"):
                expected = "',' or ']'" if isinstance(parent, list) else "',' or '}'"
                raise BadJson(f"expected {expected}" if char else "unexpected end of data", pos)
            value = stack.pop()
            pos += 1


def _json_member_name(text: str, pos: int, keys: list[str], string: Any, space: Any) -> int:
    """Read ``"name" :`` at ``pos`` onto ``keys``; the offset of the member's value."""
    match = string(text, pos)
    if match is None:
        message = "expected a member name in double quotes" if pos < len(text) else "unexpected end of data"
        raise BadJson(message, pos)
    keys.append(_json_scalar(match.group(), pos))
    pos = space(text, match.end()).end()
    if not text.startswith(":", pos):
        raise BadJson("expected ':' after a member name", pos)
    return space(text, pos + 1).end()
