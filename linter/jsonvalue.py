"""Values from a spec or a config: as messages show them (JSON, as the document writes them),
and a config's "a string or a list of strings" read as a tuple (:func:`string_tuple`).

One helper for every finding message and every ``errlint:`` line that quotes a value:
``None`` -> ``null``, ``'404'`` -> ``"404"``, ``True`` -> ``true`` (issue 15: messages
show JSON values, never Python reprs). Control characters inside strings come out as JSON
escapes (``"\\n"``); what JSON leaves as is (DEL, C1, U+2028, bidi overrides) is escaped
where text is printed (:func:`linter.report.escape.printable`).
"""

from __future__ import annotations

import json
from typing import Any

#: about how many characters a quoted value may take in a message
EXCERPT = 60


def excerpt(value: Any, limit: int | None = EXCERPT) -> str:
    """``value`` as compact JSON, cut to about ``limit`` characters (``{"a":1,…}``).

    ``None`` -> ``null``, ``"404"`` -> ``"404"``, ``True`` -> ``true``; a value JSON cannot
    hold (a date YAML read, a set) is shown as its text, quoted. ``limit=None`` shows it
    whole (a ``$ref``, a URL: cut, it would no longer say which one)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    if limit is None or len(text) <= limit:
        return text
    closer = {"{": "}", "[": "]"}.get(text[0], "")
    return text[: limit - 1 - len(closer)] + "…" + closer


def string_tuple(value: Any) -> tuple[str, ...] | None:
    """``value`` where a config takes a string or a list of strings, as a tuple: ``None``
    (the key absent) -> ``()``, ``"a"`` -> ``("a",)``, ``["a", "b"]`` -> ``("a", "b")``;
    ``None`` for anything else (a number, a mapping, a list holding a non-string), which the
    caller reports in its own words."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None
