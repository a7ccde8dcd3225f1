"""RFC 6901 JSON pointers as tuples of tokens."""

from __future__ import annotations

from linter.jsonvalue import excerpt

Pointer = tuple[str, ...]


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def to_str(pointer: Pointer) -> str:
    """``("paths", "/pets", "get")`` -> ``/paths/~1pets/get``; the root is ``""``."""
    return "".join("/" + escape(t) for t in pointer)


def parse(text: str) -> Pointer:
    """Parse ``/a/b~1c`` (a fragment without the ``#``) into tokens."""
    from urllib.parse import unquote

    text = unquote(text)
    if text in ("", "/"):
        return () if text == "" else ("",)
    if not text.startswith("/"):
        raise ValueError(f'JSON pointer must start with "/": {excerpt(text)}')
    return tuple(unescape(t) for t in text[1:].split("/"))
