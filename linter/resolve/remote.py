"""Fetching a remote ``$ref`` target: only when asked for (``--allow-remote``), only http(s),
bounded in time and size, and never redirected to another scheme (``file:``, ``ftp:``...).

The opener has the http(s) handlers only, so no other scheme can be reached even by
mistake; the resolver never calls :func:`fetch` unless remote refs are allowed.

The time budget covers the whole fetch: connecting (and the TLS handshake), sending the
request, the status line, the headers, every redirect and the body. urllib's own ``timeout``
bounds each socket operation only, so a server sending one header line every few seconds
could hold a fetch for ever; here every read and write on the socket gets what is left of
the budget as its timeout. Only the name lookup (``getaddrinfo``) is left to the system's
resolver and its own timeouts.
"""

from __future__ import annotations

import http.client
import io
import socket
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urljoin, urlsplit

ALLOWED_SCHEMES = ("http", "https")
#: redirects followed per fetch (urllib's default is 10)
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class RemoteError(Exception):
    """Why a remote document could not be fetched."""


class _OutOfTime(TimeoutError):
    """The fetch's whole budget is spent."""


def _remaining(deadline: float) -> float:
    """Seconds left before ``deadline`` (a ``time.monotonic`` value); raises ``_OutOfTime``."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _OutOfTime("out of time")
    return left


class _DeadlineReader(io.RawIOBase):
    """The socket's own unbuffered reader, each read given what is left of the budget."""

    def __init__(self, sock: Any, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # counts as a reference, as urllib expects
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(_remaining(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """A connected socket (plain or TLS) whose reads and writes share one deadline."""

    def __init__(self, sock: Any, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> io.BufferedReader:
        if mode != "rb":
            raise ValueError(f"unexpected socket file mode {mode!r}")
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def sendall(self, data: Any, *args: Any) -> None:
        self._sock.settimeout(_remaining(self._deadline))
        self._sock.sendall(data, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _DeadlineConnection:
    """Mixed into urllib's connection classes: the connection (and TLS handshake) gets what
    is left of the budget, and the socket is wrapped so every later read and write does."""

    def __init__(self, *args: Any, deadline: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def connect(self) -> None:
        self.timeout = _remaining(self._deadline)
        super().connect()  # type: ignore[misc]
        self.sock = _DeadlineSocket(self.sock, self._deadline)


class _HTTPConnection(_DeadlineConnection, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_DeadlineConnection, http.client.HTTPSConnection):
    pass


class _DeadlineHandlers:
    """Mixed into the http and https handlers: their connections share the fetch's deadline."""

    deadline = 0.0

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        secure = issubclass(http_class, http.client.HTTPSConnection)
        connection = _HTTPSConnection if secure else _HTTPConnection
        return super().do_open(connection, req, deadline=self.deadline, **kwargs)  # type: ignore[misc]


class _HTTPHandler(_DeadlineHandlers, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_DeadlineHandlers, urllib.request.HTTPSHandler):
    pass


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to http(s); urllib alone would also go to ``ftp:``."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        target = urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if urlsplit(target).scheme not in ALLOWED_SCHEMES:
            raise RemoteError(f"redirect to {target!r} refused: only http(s) is allowed")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(deadline: float) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    plain, secure = _HTTPHandler(), _HTTPSHandler()
    plain.deadline = secure.deadline = deadline
    for handler in (
        urllib.request.ProxyHandler(),
        plain,
        secure,
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    """The body at ``url``, fetched within ``timeout`` seconds in all (connecting, status line,
    headers, redirects, body) and at most ``max_bytes`` long.

    Raises :class:`RemoteError`: not http(s), a refused redirect, an HTTP error status, over
    the size limit, out of time ("timed out"), or any other failure.
    """
    if urlsplit(url).scheme not in ALLOWED_SCHEMES:
        raise RemoteError("only http(s) URLs are fetched")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity", "User-Agent": "errlint"})
    try:
        with _opener(deadline).open(request, timeout=timeout) as response:
            _check_declared_size(response, max_bytes)
            return _read_bounded(response, max_bytes)
    except RemoteError:
        raise
    except Exception as exc:
        if _timed_out(exc):
            raise RemoteError(f"fetch timed out: not done within its {timeout:g} s budget") from None
        raise RemoteError(f"fetch failed: {exc}") from None


def _timed_out(exc: BaseException) -> bool:
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    return isinstance(exc, (TimeoutError, socket.timeout))


def _check_declared_size(response: Any, max_bytes: int) -> None:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise RemoteError(f"remote document is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")


def _read_bounded(response: Any, max_bytes: int) -> bytes:
    """Read what arrives, a piece at a time: a server that lies about its length is cut off
    (one that sends a byte at a time runs out of its time budget)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read1(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise RemoteError(f"remote document larger than the {max_bytes:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)
