"""A forwarding HTTP proxy on 127.0.0.1 for the sync tests, and proxy environments.

:class:`Proxy` answers as a plain HTTP proxy does: a request in absolute form
(``GET http://host:port/path HTTP/1.1``) is sent on to its host and the answer relayed
back; ``CONNECT host:port`` opens a tunnel (``https://`` through the proxy). Each
request it took is kept in :attr:`Proxy.seen` (the request line), so a test can tell
a sync went through it. :class:`SocksProxy` is a SOCKS5 proxy (no authentication,
``CONNECT`` only; its :attr:`~Proxy.seen` lines read ``CONNECT host:port``). Nothing
reaches the internet: the tests point them at a local :class:`~sync_site.Site` only.

:func:`proxy_environment` sets ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` (and
``NO_PROXY``) for a test and clears what the machine had, in either case.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import socketserver
import ssl
import threading
from urllib.parse import urlsplit

import pytest

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def proxy_environment(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    """Only ``values`` (``http_proxy=…``, ``no_proxy=…``) of the proxy variables, set
    upper-case as users usually write them; every other one, in either case, removed."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name.upper(), value)


def _relay(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""

    def pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    other = threading.Thread(target=pump, args=(b, a), daemon=True)
    other.start()
    pump(a, b)
    other.join(30)


def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    """The request head (up to the blank line) and whatever came after it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return b"", b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


class Proxy:
    """A forwarding proxy on 127.0.0.1 (see the module docstring); ``tls`` (a server
    context) makes it an ``https://`` proxy, spoken to over TLS."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.seen: list[str] = []
        self.tls = tls
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._handle(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> Proxy:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, client: socket.socket) -> None:
        head, rest = _read_head(client)
        if not head:
            return
        request_line, _, headers = head.partition(b"\r\n")
        method, target, version = request_line.decode("latin-1").split(" ", 2)
        self.seen.append(f"{method} {target}")
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            with socket.create_connection((host, int(port)), timeout=30) as upstream:
                upstream.settimeout(None)
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
                _relay(client, upstream)
            return
        parts = urlsplit(target)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        kept = [
            line
            for line in headers.split(b"\r\n")
            if line and not line.lower().startswith((b"connection:", b"proxy-"))
        ]
        forwarded = b"\r\n".join(
            [f"{method} {path or '/'} {version}".encode("latin-1"), *kept, b"Connection: close"]
        )
        with socket.create_connection((parts.hostname, parts.port or 80), timeout=30) as upstream:
            upstream.settimeout(None)
            upstream.sendall(forwarded + b"\r\n\r\n" + rest)
            _relay(client, upstream)


def _exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client went away")
        data += chunk
    return data


class SocksProxy(Proxy):
    """A SOCKS5 proxy on 127.0.0.1 (RFC 1928: no authentication, CONNECT only)."""

    @property
    def url(self) -> str:
        return f"socks5://127.0.0.1:{self.port}"

    def _handle(self, client: socket.socket) -> None:
        with contextlib.suppress(ConnectionError):
            _version, methods = _exactly(client, 2)
            _exactly(client, methods)
            client.sendall(b"\x05\x00")  # no authentication
            _version, command, _reserved, kind = _exactly(client, 4)
            if kind == 1:
                host = str(ipaddress.IPv4Address(_exactly(client, 4)))
            elif kind == 4:
                host = str(ipaddress.IPv6Address(_exactly(client, 16)))
            else:
                host = _exactly(client, _exactly(client, 1)[0]).decode("ascii")
            port = int.from_bytes(_exactly(client, 2), "big")
            self.seen.append(f"CONNECT {host}:{port}")
            if command != 1:
                client.sendall(b"\x05\x07\x00\x01" + bytes(6))  # command not supported
                return
            with socket.create_connection((host, port), timeout=30) as upstream:
                upstream.settimeout(None)
                client.sendall(b"\x05\x00\x00\x01" + bytes(6))
                _relay(client, upstream)
