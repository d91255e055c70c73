"""Why a connection failed, as a code a reader's language words (Danish by default).

httpx reports a failed connection as ``ConnectError("[Errno 111] Connection
refused")``: English, and an errno number nobody should need to read. The operating
system's own exception is still there, at the end of the chain of causes httpx and
httpcore keep (``__cause__`` / ``__context__``), so this module walks that chain and
names the kind of failure: refused, a host name that could not be looked up, no
network, a host that cannot be reached, a certificate or TLS handshake that failed.
The result is a :class:`~kkr_tui.model.SyncFailure` with that kind as its ``why``
code (:data:`~kkr_tui.model.NetWhy`); :mod:`kkr_tui.failure_words` words it when shown,
and anything unnamed reads "the connection could not be made" rather than raw English.

Pure: it only reads the exception it is given.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator

from kkr_tui.model import NetWhy, SyncFailure


class ProxyUnusable(ValueError):
    """A proxy the environment names that sync cannot speak to (a scheme httpx does
    not know, SOCKS without socksio): raised, as the cause of a failed connection, by
    every request that would go through it."""


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it was raised from or during, each once."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _why(exc: BaseException) -> NetWhy:
    """The kind of one exception of the chain, as a code ("" when it names none)."""
    if isinstance(exc, ProxyUnusable):
        return "proxy_unusable"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "certificate"
    if isinstance(exc, ssl.SSLError):
        return "tls"
    if isinstance(exc, socket.gaierror):
        return "lookup_failed" if exc.errno == socket.EAI_AGAIN else "name_not_found"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, ConnectionResetError | ConnectionAbortedError):
        return "reset"
    if isinstance(exc, OSError):
        if exc.errno == errno.ENETUNREACH:
            return "no_network"
        if exc.errno == errno.EHOSTUNREACH:
            return "host_unreachable"
        if exc.errno == errno.ECONNREFUSED:
            return "refused"
    return ""


_TEXTS: tuple[tuple[tuple[str, ...], NetWhy], ...] = (
    (("connection refused", "errno 111"), "refused"),
    (("name or service not known", "nodename nor servname"), "name_not_found"),
    (("temporary failure in name resolution",), "lookup_failed"),
    (("network is unreachable",), "no_network"),
    (("no route to host",), "host_unreachable"),
    (("certificate verify failed",), "certificate"),
)


def _from_text(text: str) -> NetWhy:
    """The kind from an exception's message, for libraries that keep no cause."""
    lowered = text.lower()
    for needles, why in _TEXTS:
        if any(needle in lowered for needle in needles):
            return why
    return ""


def _first_why(exc: BaseException, *, by_text: bool = False) -> NetWhy:
    for found in causes(exc):
        why = _why(found)
        if why:
            return why
    if by_text:
        for found in causes(exc):
            why = _from_text(str(found))
            if why:
                return why
    return ""


def connect_failure(exc: BaseException) -> SyncFailure:
    """Why no connection could be made (worded ``no connection (…)``)."""
    return SyncFailure("no_connection", (("why", _first_why(exc, by_text=True)),))


def broken_failure(exc: BaseException) -> SyncFailure:
    """A connection that broke after it was made (``the connection broke (…)``)."""
    return SyncFailure("connection_broke", (("why", _first_why(exc)),))


def transfer_failure(exc: BaseException) -> SyncFailure:
    """A download whose body stopped coming (``the transfer broke off (…)``)."""
    return SyncFailure("transfer_broke", (("why", _first_why(exc)),))
