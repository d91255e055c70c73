"""httpx transports whose connections a stop reaches, made of public httpx and
httpcore parts only, for a direct connection and for every proxy the environment names.

httpx's own ``HTTPTransport`` takes no network backend, so the interruptible connect
(:class:`~.connect.StoppableBackend`) was once set on its private pool attribute. Here
httpcore's public pools take it as ``network_backend=``: ``ConnectionPool`` for the
site, ``HTTPProxy`` (and ``SOCKSProxy`` when socksio is installed) for a proxy, each
wrapped in :class:`CoreTransport`, which does what ``HTTPTransport.handle_request``
does (the httpx request as an httpcore one, the answer's body streamed, httpcore's
exceptions raised as the httpx ones they stand for, the most specific first).

Proxies: an ``httpx.Client`` given a transport of its own reads no proxy from the
environment, so :func:`mounts` reads them as httpx does (``HTTP_PROXY``,
``HTTPS_PROXY``, ``ALL_PROXY``, either case, with ``NO_PROXY`` exceptions; the
standard library's ``urllib.request.getproxies``) and makes one transport per proxy,
over the same backend, so a stop reaches a connection to the proxy as well. TLS is
httpx's default: ``httpx.create_ssl_context()`` (certifi's roots, or
``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when set), HTTP/1.1, httpx's default limits.
"""

from __future__ import annotations

import importlib.util
import ipaddress
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypedDict
from urllib.request import getproxies

import httpcore
import httpx

if TYPE_CHECKING:
    import ssl

    from kkr_tui.sync.connect import StoppableBackend

#: httpcore's exceptions and the httpx ones they are raised as (httpx's own table).
_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
)


def as_httpx_error(exc: Exception) -> Exception:
    """The httpx exception an httpcore one stands for (the most specific that fits,
    its message the same, raised from it), or ``exc`` itself when none does (a
    :class:`~.client.SyncCancelled` from the backend goes through as it is)."""
    chosen: type[httpx.HTTPError] | None = None
    for source, target in _EXCEPTIONS:
        if isinstance(exc, source) and (chosen is None or issubclass(target, chosen)):
            chosen = target
    if chosen is None:
        return exc
    mapped = chosen(str(exc))
    mapped.__cause__ = exc
    return mapped


class _Body(httpx.SyncByteStream):
    """An answer's body as httpcore streams it, its errors raised as httpx's."""

    def __init__(self, parts: httpcore.Response) -> None:
        self._response = parts

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._response.iter_stream()
        except Exception as exc:
            mapped = as_httpx_error(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    def close(self) -> None:
        self._response.close()


class CoreTransport(httpx.BaseTransport):
    """An httpx transport over one httpcore pool (direct or through a proxy)."""

    def __init__(self, pool: httpcore.ConnectionPool) -> None:
        self._pool = pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            answer = self._pool.handle_request(core_request)
        except Exception as exc:
            mapped = as_httpx_error(exc)
            if mapped is exc:
                raise
            raise mapped from exc
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_Body(answer),
            extensions=answer.extensions,
        )

    def close(self) -> None:
        self._pool.close()


#: httpx's default limits (a client made without a transport has these).
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class _PoolSettings(TypedDict):
    """What every pool of sync's is made with, direct or through a proxy."""

    network_backend: httpcore.NetworkBackend
    max_connections: int | None
    max_keepalive_connections: int | None
    keepalive_expiry: float | None
    http1: bool
    http2: bool


def _pool_settings(backend: StoppableBackend) -> _PoolSettings:
    """httpx's limits, HTTP/1.1 only, and connections made by ``backend`` (the one a stop
    reaches): the same for the site's pool and each proxy's."""
    return _PoolSettings(
        network_backend=backend,
        max_connections=LIMITS.max_connections,
        max_keepalive_connections=LIMITS.max_keepalive_connections,
        keepalive_expiry=LIMITS.keepalive_expiry,
        http1=True,
        http2=False,
    )


def direct(backend: StoppableBackend, ssl_context: ssl.SSLContext) -> CoreTransport:
    """A transport to the site itself."""
    pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        **_pool_settings(backend),
    )
    return CoreTransport(pool)


def through_proxy(
    url: str, backend: StoppableBackend, ssl_context: ssl.SSLContext
) -> CoreTransport:
    """A transport through the proxy at ``url`` (``http://``, ``https://``,
    ``socks5://``, ``socks5h://``; a user and password in it are sent to the proxy).
    Raises ``ValueError`` for another scheme and ``ImportError`` for SOCKS without
    socksio, as httpx does."""
    proxy = httpx.Proxy(url=url)
    proxy_url = httpcore.URL(
        scheme=proxy.url.raw_scheme,
        host=proxy.url.raw_host,
        port=proxy.url.port,
        target=proxy.url.raw_path,
    )
    pool: httpcore.ConnectionPool
    if proxy.url.scheme in ("http", "https"):
        pool = httpcore.HTTPProxy(
            proxy_url=proxy_url,
            proxy_auth=proxy.raw_auth,
            proxy_headers=proxy.headers.raw,
            ssl_context=ssl_context,
            proxy_ssl_context=proxy.ssl_context,
            **_pool_settings(backend),
        )
    else:
        if importlib.util.find_spec("socksio") is None:  # httpcore's SOCKS proxy needs it
            raise ImportError(f"a SOCKS proxy ({proxy.url.scheme}://) needs the socksio package")
        pool = httpcore.SOCKSProxy(
            proxy_url=proxy_url,
            proxy_auth=proxy.raw_auth,
            ssl_context=ssl_context,
            **_pool_settings(backend),
        )
    return CoreTransport(pool)


def environment_proxies() -> dict[str, str | None]:
    """The proxies the environment names, as httpx reads them for a client without a
    transport of its own: an httpx mount pattern (``http://``, ``all://*example.com``)
    to the proxy's URL, or to None for a ``NO_PROXY`` host (no proxy for it). An empty
    answer means no proxy (``NO_PROXY=*`` too)."""
    found = getproxies()
    answer: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        if found.get(scheme):
            url = found[scheme]
            answer[f"{scheme}://"] = url if "://" in url else f"http://{url}"
    for name in (host.strip() for host in found.get("no", "").split(",")):
        if name == "*":
            return {}
        if not name:
            continue
        if "://" in name:
            answer[name] = None
        elif _is_ip(name, ipaddress.IPv4Address) or name.lower() == "localhost":
            answer[f"all://{name}"] = None
        elif _is_ip(name, ipaddress.IPv6Address):
            answer[f"all://[{name}]"] = None
        else:
            answer[f"all://*{name}"] = None
    return answer


def _is_ip(name: str, kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> bool:
    try:
        kind(name.split("/")[0])
    except ValueError:
        return False
    return True


class _Unusable(httpx.BaseTransport):
    """Where an unusable proxy would go: every request fails as a connection that
    cannot be made, caused by :class:`~.netreason.ProxyUnusable` (one line naming the
    proxy setting, as an offline site is one line), never past the proxy to the site."""

    def __init__(self, problem: Exception) -> None:
        self._problem = problem

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        from kkr_tui.sync.netreason import ProxyUnusable

        cause = ProxyUnusable(str(self._problem))
        raise httpx.ConnectError(str(cause), request=request) from cause


def mounts(
    backend: StoppableBackend, ssl_context: ssl.SSLContext
) -> dict[str, httpx.BaseTransport | None]:
    """``httpx.Client(mounts=…)`` for the environment's proxies: a transport through
    each, None where ``NO_PROXY`` says to go direct (httpx then uses the client's own
    transport). Pattern precedence is httpx's own. A proxy that cannot be used fails
    the requests it would carry (httpx would refuse to make the client at all)."""
    answer: dict[str, httpx.BaseTransport | None] = {}
    for pattern, url in environment_proxies().items():
        if url is None:
            answer[pattern] = None
            continue
        try:
            answer[pattern] = through_proxy(url, backend, ssl_context)
        except (ValueError, ImportError) as exc:
            answer[pattern] = _Unusable(exc)
    return answer
