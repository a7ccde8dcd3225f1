"""Spec text made safe to print: one helper for every place that writes text taken from a
spec (a path key, a title, a file name) to a terminal, a log or a text report.

A CI log is read by machines too: on GitHub Actions a line starting ``::error`` is a workflow
command, and a terminal acts on ESC (colours, cursor moves, OSC 8 links, window titles).
Spec text therefore never brings its own line break or control character: C0 and C1
controls (CR, LF, ESC, NUL, NEL ...), DEL, the line and paragraph separators and the bidi
overrides ("Trojan Source", CVE-2021-42574) become ``\\x1b``/``\\u2028``-style escapes,
so each message stays one line and shows what the spec holds.
"""

from __future__ import annotations

import re

#: characters a terminal acts on instead of showing: C0/C1 controls (ESC starts colour and
#: cursor sequences), line and paragraph separators, and bidi overrides ("Trojan Source")
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` as one printable line: every character of :data:`UNPRINTABLE` escaped
    (``"a\\nb"`` -> ``"a\\\\x0ab"``, ESC -> ``\\\\x1b``) but those in ``keep`` (a format
    that encodes CR and LF its own way keeps them); other text is unchanged."""
    if not keep:
        return UNPRINTABLE.sub(_escape, text)
    return UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
