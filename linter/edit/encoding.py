"""A file's encoding, kept across an edit: UTF-8 (with or without a BOM), or UTF-16/UTF-32
with their BOM and byte order, as :func:`linter.load.document.decode` reads them."""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from linter.edit.roundtrip import CannotEdit

#: the largest file ``fix`` edits (the default ``--max-file-size``)
MAX_EDIT_SIZE = 64 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class TextEncoding:
    codec: str = "utf-8"
    bom: bytes = b""

    @classmethod
    def sniff(cls, raw: bytes) -> tuple[TextEncoding, str]:
        """The encoding of ``raw`` and its text; raises :class:`CannotEdit` when undecodable."""
        for bom, codec in _BOMS:
            if raw.startswith(bom):
                encoding = cls(codec, bom)
                break
        else:
            encoding = cls()
        try:
            return encoding, raw[len(encoding.bom) :].decode(encoding.codec)
        except UnicodeDecodeError as exc:
            raise CannotEdit(
                f"not valid {encoding.codec.upper()} text ({exc.reason} at byte {exc.start})"
            ) from None

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


def read_regular(path: Path) -> tuple[bytes, bool]:
    """``(bytes, created)``: the file's bytes, or ``(b"", True)`` when it does not exist.
    Raises :class:`CannotEdit` for a FIFO, device or folder, or a file over the size limit."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return b"", True
    except OSError as exc:
        raise CannotEdit(f"cannot read it ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise CannotEdit("not a regular file")
        if info.st_size > MAX_EDIT_SIZE:
            raise CannotEdit(f"larger than {MAX_EDIT_SIZE} bytes")
        return handle.read(), False
