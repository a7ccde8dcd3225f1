"""Fetching a remote ``$ref`` target: only when asked for (``--allow-remote``), only http(s),
bounded in time and size, and never redirected to another scheme (``file:``, ``ftp:``...).

The opener has the http(s) handlers only, so no other scheme can be reached even by
mistake; the resolver never calls :func:`fetch` unless remote refs are allowed.
"""

from __future__ import annotations

import time
import urllib.request
from typing import Any
from urllib.parse import urljoin, urlsplit

from linter.jsonvalue import excerpt

ALLOWED_SCHEMES = ("http", "https")
#: redirects followed per fetch (urllib's default is 10)
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class RemoteError(Exception):
    """Why a remote document could not be fetched."""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to http(s); urllib alone would also go to ``ftp:``."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        target = urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if urlsplit(target).scheme not in ALLOWED_SCHEMES:
            raise RemoteError(f"redirect to {excerpt(target)} refused: only http(s) is allowed")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    """The body at ``url``: refused over ``max_bytes``, or after about ``timeout`` seconds in all."""
    if urlsplit(url).scheme not in ALLOWED_SCHEMES:
        raise RemoteError("only http(s) URLs are fetched")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity", "User-Agent": "errlint"})
    try:
        with _opener().open(request, timeout=timeout) as response:
            _check_declared_size(response, max_bytes)
            return _read_bounded(response, max_bytes, deadline)
    except RemoteError:
        raise
    except Exception as exc:
        raise RemoteError(f"fetch failed: {exc}") from None


def _check_declared_size(response: Any, max_bytes: int) -> None:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise RemoteError(f"remote document is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")


def _read_bounded(response: Any, max_bytes: int, deadline: float) -> bytes:
    """Read what arrives, a piece at a time: a server that lies about its length, or sends a byte
    at a time, is cut off."""
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read1(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise RemoteError(f"remote document larger than the {max_bytes:,}-byte limit")
        if time.monotonic() > deadline:
            raise RemoteError("remote document took too long to arrive")
        chunks.append(chunk)
    return b"".join(chunks)
