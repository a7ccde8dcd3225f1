"""Fetching a remote ``$ref`` target: only when asked for, only http(s), bounded in time and size."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit


class RemoteError(Exception):
    """Why a remote document could not be fetched."""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise RemoteError(f"redirect to {newurl!r} refused: only http(s) is allowed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    if urlsplit(url).scheme not in ("http", "https"):
        raise RemoteError("only http(s) URLs are fetched")
    opener = urllib.request.build_opener(_HttpOnlyRedirects())
    try:
        with opener.open(url, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except RemoteError:
        raise
    except Exception as exc:
        raise RemoteError(f"fetch failed: {exc}") from None
    if len(data) > max_bytes:
        raise RemoteError(f"remote document larger than {max_bytes:,} bytes")
    return data
