"""Why a connection failed, in words a reader understands (Danish by default).

httpx reports a failed connection as ``ConnectError("[Errno 111] Connection
refused")``: English, and an errno number nobody should need to read. The operating
system's own exception is still there, at the end of the chain of causes httpx and
httpcore keep (``__cause__`` / ``__context__``), so this module walks that chain and
names the kind of failure: refused, a host name that could not be looked up, no
network, a host that cannot be reached, a certificate or TLS handshake that failed.
Anything else is "the connection could not be made" rather than raw English.

Pure: it only reads the exception it is given.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator

from kkr_tui.i18n import _


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it was raised from or during, each once."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _why(exc: BaseException) -> str | None:
    """The plain-language kind of one exception of the chain, or None when it names none."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _("the site's certificate could not be verified")
    if isinstance(exc, ssl.SSLError):
        return _("the secure connection (TLS) could not be set up")
    if isinstance(exc, socket.gaierror):
        if exc.errno == socket.EAI_AGAIN:
            return _("the host name could not be looked up; is the network down?")
        return _("the host name could not be found")
    if isinstance(exc, ConnectionRefusedError):
        return _("the connection was refused")
    if isinstance(exc, ConnectionResetError | ConnectionAbortedError):
        return _("the connection was closed by the other end")
    if isinstance(exc, OSError):
        if exc.errno == errno.ENETUNREACH:
            return _("no network")
        if exc.errno == errno.EHOSTUNREACH:
            return _("the host cannot be reached")
        if exc.errno == errno.ECONNREFUSED:
            return _("the connection was refused")
    return None


def _from_text(text: str) -> str | None:
    """The kind from an exception's message, for libraries that keep no cause."""
    lowered = text.lower()
    if "connection refused" in lowered or "errno 111" in lowered:
        return _("the connection was refused")
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return _("the host name could not be found")
    if "temporary failure in name resolution" in lowered:
        return _("the host name could not be looked up; is the network down?")
    if "network is unreachable" in lowered:
        return _("no network")
    if "no route to host" in lowered:
        return _("the host cannot be reached")
    if "certificate verify failed" in lowered:
        return _("the site's certificate could not be verified")
    return None


def connect_reason(exc: BaseException) -> str:
    """One line saying why no connection could be made: ``no connection (…)``."""
    why = next((w for w in map(_why, causes(exc)) if w), None)
    why = why or next((w for w in (_from_text(str(e)) for e in causes(exc)) if w), None)
    return _("no connection ({why})").format(why=why or _("the connection could not be made"))


def broken_reason(exc: BaseException) -> str:
    """One line for a connection that broke after it was made: ``the connection broke (…)``."""
    why = next((w for w in map(_why, causes(exc)) if w), None)
    return _("the connection broke ({why})").format(
        why=why or _("the server stopped answering mid-way")
    )


def transfer_reason(exc: BaseException) -> str:
    """One line for a download whose body stopped coming: ``the transfer broke off (…)``."""
    why = next((w for w in map(_why, causes(exc)) if w), None)
    return _("the transfer broke off ({why})").format(why=why or _("the server stopped sending"))
