"""Connections a stop can reach while they are still being made, and after.

httpcore's own backend connects with ``socket.create_connection``: a blocking call no
other thread can end, so the reader's stop (a :class:`~kkr_tui.sync.client.StopEvent`
set on the UI thread) did not reach a connect to a host that never answers, and the
fetch went on until the connect timeout. This backend makes the same connection
(each address the name resolves to in turn, ``TCP_NODELAY``) but waits for it in
``select`` on the socket *and* a wake-up socket: :meth:`StoppableBackend.stop`
(called when the stop is set) ends the wait at once, and the connect raises
:class:`~kkr_tui.sync.client.SyncCancelled`. A Ctrl+C in the command line interrupts
the same ``select`` in the main thread (its handler raises there). The connection is
then a :class:`~.netstream.SocketStream`, its sockets remembered, so the same stop
shuts a read, a write or a TLS handshake blocked on one.

It is httpcore's public :class:`httpcore.NetworkBackend`, handed to httpcore's pools
as their ``network_backend`` (:mod:`.transport`): the connection to a proxy is made
here too, so a stop reaches it as it reaches a connection to the site.

The name lookup before it (``getaddrinfo``, one blocking call of the C library) runs
in a thread of its own and is waited for the same way: a stop leaves it behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from selectors import EVENT_READ, EVENT_WRITE, DefaultSelector
from typing import Any

import httpcore

from kkr_tui.sync.netstream import Sockets, SocketStream

#: A socket option as httpcore passes it on (level, option, value[, length]); wider
#: than httpcore's own alias, which is not public.
SocketOption = tuple[Any, ...]

_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN}

#: One answer of ``getaddrinfo``: family, type, protocol, canonical name, address
#: (typeshed's exact type differs between Python versions).
_Address = tuple[Any, ...]


class StoppableBackend(httpcore.NetworkBackend):
    """A sync network backend whose connections :meth:`stop` interrupts.

    ``stopped`` says whether the run was stopped (the client's cancel event); when it
    is, a connect in progress or about to start raises ``cancelled()``.
    """

    def __init__(self, stopped: Callable[[], bool], cancelled: Callable[[], BaseException]) -> None:
        self._stopped = stopped
        self._cancelled = cancelled
        self._sockets = Sockets(stopped)
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)

    def stop(self) -> None:
        """Thread-safe: end every connect waiting now or later, and shut every
        connection made (a read, a write, a TLS handshake blocked on one returns)."""
        self.wake()
        self._sockets.shut_all()

    def wake(self) -> None:
        """Thread-safe: end every connect waiting now or later (one byte stays unread,
        so the wake-up is seen however late the connect looks)."""
        # OSError: closed, or its buffer full of earlier wake-ups (woken already).
        with contextlib.suppress(OSError):
            self._wake_write.send(b"!")

    def close(self) -> None:
        """Close the wake-up sockets (the client is closed)."""
        self._wake_read.close()
        self._wake_write.close()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve ``host`` and connect to its addresses in turn, as
        ``socket.create_connection`` does, but interruptibly (see the module docstring).
        Errors as httpcore's backend raises them: ``ConnectTimeout``, ``ConnectError``
        (from the OS error, which :mod:`.netreason` reads)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            addresses = self._lookup(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(exc) from exc
        errors: list[OSError] = []
        for family, kind, proto, _name, address in addresses:
            self._check()
            sock = socket.socket(family, kind, proto)
            try:
                if local_address is not None:
                    sock.bind((local_address, 0))
                self._connect(sock, address, deadline)
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(timeout)
            except TimeoutError as exc:
                sock.close()
                raise httpcore.ConnectTimeout(exc) from exc
            except OSError as exc:
                sock.close()
                errors.append(exc)
                continue
            except BaseException:
                sock.close()
                raise
            self._sockets.add(sock)
            return SocketStream(sock, self._sockets)
        error = errors[0] if errors else OSError(errno.EADDRNOTAVAIL, "no address to connect to")
        raise httpcore.ConnectError(error) from error

    def _lookup(self, host: str, port: int) -> list[_Address]:
        """``getaddrinfo`` in a thread of its own, waited for beside the wake-up socket:
        the C library's lookup cannot be interrupted, so a stop leaves it behind (it
        ends at the resolver's timeout, its answer unused) instead of waiting for it."""
        answer: list[Any] = []  # the addresses, or what the lookup raised
        done_read, done_write = socket.socketpair()

        def look_up() -> None:
            try:
                answer.append(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                answer.append(exc)
            with contextlib.suppress(OSError):  # closed: the waiter has gone (stopped)
                done_write.send(b".")

        try:
            threading.Thread(target=look_up, name="kkr-tui-lookup", daemon=True).start()
            with DefaultSelector() as selector:
                selector.register(done_read, EVENT_READ)
                selector.register(self._wake_read, EVENT_READ)
                while not answer:
                    self._check()
                    ready = selector.select()
                    self._check()
                    if not answer and ready and all(k.fileobj is not done_read for k, _ in ready):
                        _drain(self._wake_read)  # a wake-up with no stop: never spin on it
        finally:
            done_read.close()
            done_write.close()
        if isinstance(answer[0], BaseException):
            raise answer[0]
        addresses: list[_Address] = answer[0]
        return addresses

    def _check(self) -> None:
        if self._stopped():
            raise self._cancelled()

    def _connect(self, sock: socket.socket, address: object, deadline: float | None) -> None:
        """Connect ``sock``, waiting in ``select`` on it and on the wake-up socket."""
        sock.setblocking(False)
        code = sock.connect_ex(address)  # type: ignore[arg-type]  # getaddrinfo's address
        if code not in (0, *_IN_PROGRESS):
            raise OSError(code, _strerror(code))
        if code:
            with DefaultSelector() as selector:
                selector.register(sock, EVENT_WRITE)
                selector.register(self._wake_read, EVENT_READ)
                while True:
                    self._check()
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        raise TimeoutError("timed out")
                    ready = selector.select(left)
                    self._check()
                    if any(key.fileobj is sock for key, _events in ready):
                        break
                    if ready:  # a wake-up with no stop (cannot happen; never spin on it)
                        _drain(self._wake_read)
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise OSError(code, _strerror(code))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        """Never asked for: sync speaks TCP only (no ``uds`` is given to the pools)."""
        raise httpcore.ConnectError(f"no Unix sockets in sync: {path}")  # pragma: no cover

    def sleep(self, seconds: float) -> None:
        """httpcore's pools sleep between connect retries (sync asks for none)."""
        time.sleep(seconds)  # pragma: no cover


def _strerror(code: int) -> str:
    return os.strerror(code)


def _drain(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.recv(64)
