"""The byte streams sync's connections are: a socket (plain or TLS) behind httpcore's
public :class:`httpcore.NetworkStream` interface.

httpcore's own stream class is private (``httpcore._backends``), and using it tied
kkr-tui to one httpcore release. This one does what httpcore's connections ask of a
stream, with nothing private: read and write with a timeout (raising httpcore's public
``ReadTimeout``/``ReadError``/``WriteTimeout``/``WriteError``), start TLS on the
connection (also TLS inside TLS, for an ``https://`` target through an ``https://``
proxy), and the extra information httpcore reads (``ssl_object`` for the protocol the
handshake chose, ``is_readable`` to tell a kept-alive connection the server closed,
``socket`` and the two addresses).

Every socket a stream makes, a TLS socket too, is handed to its :class:`Sockets`, so a
stop reaches it (:meth:`Sockets.shut_all`: a read, a write or a TLS handshake blocked
on it returns at once). The TLS handshake runs after the TLS socket is handed over, so
a server that accepts the connection and never answers the handshake is reached too.
"""

from __future__ import annotations

import contextlib
import functools
import select
import socket
import ssl
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import httpcore

#: RFC 8449's largest TLS record: how much a TLS-in-TLS stream reads at a time.
_TLS_RECORD = 16384


class Sockets:
    """The sockets of one client's connections, for a stop to shut from any thread.

    ``stopped`` says whether the run was stopped: a socket handed over after the stop
    is shut at once (it connected just as the stop came)."""

    def __init__(self, stopped: Callable[[], bool]) -> None:
        self._stopped = stopped
        self._lock = threading.Lock()
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()

    def add(self, sock: socket.socket) -> None:
        """Remember ``sock`` (shut it at once when the run is stopped already)."""
        with self._lock:
            self._sockets.add(sock)
        if self._stopped():
            shut(sock)

    def shut_all(self) -> None:
        """Thread-safe: shut every remembered socket down for both directions."""
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            shut(sock)


def shut(sock: socket.socket) -> None:
    """Shut a socket down for both directions: a thread blocked on it wakes with
    end-of-file (or an error). The plain socket's method also for TLS
    (``SSLSocket.shutdown`` would unwrap the TLS object under the reading thread)."""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


@contextlib.contextmanager
def _raised_as(
    timeout: type[httpcore.TimeoutException], failure: type[httpcore.NetworkError]
) -> Iterator[None]:
    """A socket call's failure as httpcore's exception for it: ``timeout`` when the
    socket timed out, ``failure`` for any other ``OSError`` (TLS errors included), each
    raised from the original (what httpcore's own streams raise, which the transport
    maps to httpx's)."""
    try:
        yield
    except TimeoutError as exc:
        raise timeout(exc) from exc
    except OSError as exc:
        raise failure(exc) from exc


class SocketStream(httpcore.NetworkStream):
    """One connection's socket, plain or TLS, as httpcore reads and writes it."""

    def __init__(self, sock: socket.socket, sockets: Sockets) -> None:
        self._sock = sock
        self._sockets = sockets

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _raised_as(httpcore.ReadTimeout, httpcore.ReadError):
            self._sock.settimeout(timeout)
            return self._sock.recv(max_bytes)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _raised_as(httpcore.WriteTimeout, httpcore.WriteError):
            self._sock.settimeout(timeout)
            self._sock.sendall(buffer)

    def close(self) -> None:
        self._sock.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        """TLS on this connection: the handshake verified as ``ssl_context`` says (a
        failed one raises ``ConnectError`` from the ``ssl`` error, which
        :mod:`.netreason` names). Inside an existing TLS connection (a proxy spoken to
        over TLS) the inner TLS runs in memory over the outer one."""
        try:
            if isinstance(self._sock, ssl.SSLSocket):
                return _TLSInTLSStream(self._sock, ssl_context, server_hostname, timeout)
            self._sock.settimeout(timeout)
            tls = ssl_context.wrap_socket(
                self._sock, server_hostname=server_hostname, do_handshake_on_connect=False
            )
        except BaseException:
            self.close()
            raise
        try:
            self._sockets.add(tls)  # before the handshake, so a stop reaches it
            with _raised_as(httpcore.ConnectTimeout, httpcore.ConnectError):
                tls.do_handshake()
        except BaseException:
            tls.close()
            raise
        return SocketStream(tls, self._sockets)

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            # An SSLSocket answers what httpcore asks of an SSL object
            # (selected_alpn_protocol, version, getpeercert).
            return self._sock if isinstance(self._sock, ssl.SSLSocket) else None
        return _extra_info(self._sock, info)


class _TLSInTLSStream(httpcore.NetworkStream):
    """TLS spoken in memory (``ssl.MemoryBIO``) over a TLS socket: the standard
    library cannot wrap an ``SSLSocket`` again. Only an ``https://`` target behind an
    ``https://`` proxy needs it."""

    def __init__(
        self,
        sock: ssl.SSLSocket,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None,
        timeout: float | None,
    ) -> None:
        self._sock = sock
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = ssl_context.wrap_bio(
            self._incoming, self._outgoing, server_hostname=server_hostname
        )
        with _raised_as(httpcore.ConnectTimeout, httpcore.ConnectError):
            self._sock.settimeout(timeout)
            self._pump(self._tls.do_handshake)

    def _pump(self, step: Callable[[], Any]) -> Any:
        """Run one TLS step, moving its bytes over the outer socket until it is done."""
        while True:
            result: Any = None
            done = wants_read = False
            try:
                result = step()
                done = True
            except ssl.SSLWantReadError:
                wants_read = True
            except ssl.SSLWantWriteError:
                pass
            pending = self._outgoing.read()
            if pending:
                self._sock.sendall(pending)
            if done:
                return result
            if wants_read:
                data = self._sock.recv(_TLS_RECORD)
                if data:
                    self._incoming.write(data)
                else:
                    self._incoming.write_eof()

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _raised_as(httpcore.ReadTimeout, httpcore.ReadError):
            self._sock.settimeout(timeout)
            data: bytes = self._pump(functools.partial(self._tls.read, max_bytes))
            return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _raised_as(httpcore.WriteTimeout, httpcore.WriteError):
            self._sock.settimeout(timeout)
            view = memoryview(buffer)
            while view:
                sent: int = self._pump(functools.partial(self._tls.write, view))
                view = view[sent:]

    def close(self) -> None:
        self._sock.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        raise NotImplementedError("TLS three layers deep is never asked for")

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._tls
        return _extra_info(self._sock, info)


def _extra_info(sock: socket.socket, info: str) -> Any:
    if info == "socket":
        return sock
    if info == "client_addr":
        return sock.getsockname()
    if info == "server_addr":
        return sock.getpeername()
    if info == "is_readable":
        return _readable(sock)
    return None


def _readable(sock: socket.socket) -> bool:
    """Whether a read would return at once: for a kept-alive connection waiting for
    its next request, that means the server closed it (or sent what it should not)."""
    if sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))
