"""The one HTTP client sync uses: polite, patient and never leaving the site's host.

Built on httpx (a maintained, typed client with streaming bodies, fine-grained
timeouts and a transport that tests can point at a local server) so nothing here
speaks HTTP by hand. What this module adds is the manners ``shared/KL_PAGES.md`` asks
for:

- one request at a time, at most one per ``delay`` seconds (0 in tests);
- a User-Agent naming kkr-tui and its version;
- timeouts, and a few retries with doubling back-off on timeouts, dropped
  connections and 5xx answers; ``Retry-After`` honoured on 429 (capped);
- conditional requests (``If-None-Match`` / ``If-Modified-Since``): 304 means
  "unchanged" and costs a few hundred bytes;
- redirects followed only within the host sync was pointed at.

A connection that cannot be made at all (refused, a name that does not resolve, no
route, a TLS handshake that fails) is not retried: the host is marked down for the
rest of the run and every later request to it fails at once with the same error, so
an offline run ends in a moment with one reason (:mod:`.netreason` names its kind,
worded in the user's language) instead of asking for every council's page on a host
that is not there.
Timeouts are retried with back-off: a slow site is not a missing one.

Failures are :class:`FetchError` values with the host and a reason: a
:class:`~kkr_tui.model.SyncFailure` code (what the manifest stores), worded in the
user's language in one line when shown (``error.reason``).

Stopping: ``cancel`` is looked at before every request and between chunks, but a read
from a server that has stopped sending would wait out its timeout (30 s). The command
line's Ctrl+C handler raises into that wait (:meth:`PoliteClient.stop_waiting`); a
caller on another thread (the reader) passes a :class:`StopEvent`, whose ``set()``
shuts the client's sockets down (:meth:`PoliteClient.break_in`), so the blocked read
returns at once and the wait ends in :class:`SyncCancelled`. A connection still being
made is woken the same way: connections are made by :mod:`.connect`'s backend, which
waits for the host in ``select`` beside a wake-up socket the stop writes to. The
transports are httpcore's public pools over that backend (:mod:`.transport`), one for
the site and one for each proxy the environment names, so a stop reaches a
connection to a proxy as well.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from kkr_tui import __version__
from kkr_tui.model import SyncFailure
from kkr_tui.sync.netreason import broken_failure, connect_failure

if TYPE_CHECKING:
    import httpx

    from kkr_tui.sync.config import SyncConfig
    from kkr_tui.sync.robots import Robots

USER_AGENT = f"kkr-tui/{__version__} (+offline reader of KKR meeting documents)"
MAX_REDIRECTS = 5


class SyncCancelled(Exception):
    """The user stopped the run (Ctrl+C or the app's cancel); nothing half-done is kept."""


class StopEvent(threading.Event):
    """A cancel event that, when set from any thread, also breaks into the network
    waits of the clients made with it (see the module docstring): the reader's cancel
    ends a stalled download within a moment instead of after the read timeout."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._breakers: list[Callable[[], None]] = []

    def when_set(self, breaker: Callable[[], None]) -> None:
        """Call ``breaker`` when the event is set (at once when it is set already)."""
        with self._lock:
            self._breakers.append(breaker)
        if self.is_set():
            breaker()

    def set(self) -> None:
        super().set()
        with self._lock:
            breakers = list(self._breakers)
        for breaker in breakers:
            breaker()


class FetchError(Exception):
    """A request that did not succeed, after any retries: host, why (``failure``, a
    code; ``reason`` words it) and HTTP status (None when no answer came: offline,
    refused, timed out)."""

    def __init__(
        self,
        url: str,
        failure: SyncFailure,
        status: int | None = None,
        *,
        no_connection: bool = False,
    ) -> None:
        self.url = url
        self.host = host_of(url)
        self.failure = failure
        self.status = status
        self.no_connection = no_connection
        super().__init__(url, failure)

    @property
    def reason(self) -> str:
        """Why, in one line in the user's language."""
        from kkr_tui.failure_words import describe_sync

        return describe_sync(self.failure)

    def __str__(self) -> str:
        return f"{self.host}: {self.reason}"

    @property
    def unreachable(self) -> bool:
        """No HTTP answer at all: the host could not be reached (or did not answer)."""
        return self.status is None and not isinstance(self, Disallowed)


class Disallowed(FetchError):
    """The site's robots.txt asks crawlers like kkr-tui not to fetch this address."""

    def __init__(self, url: str) -> None:
        super().__init__(url, SyncFailure("disallowed"))


def host_of(url: str) -> str:
    """The host a user recognises in a URL: its name, with the port when one is given
    (``www.kl.dk``, ``127.0.0.1:8080``)."""
    parts = urlsplit(url)
    name = parts.hostname or url
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{name}:{port}" if port else name


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said about a resource's version, to ask "has it changed?" later."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers for these validators."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def validators_of(response: httpx.Response) -> Validators:
    """The ETag and Last-Modified of an answer."""
    return Validators(response.headers.get("etag"), response.headers.get("last-modified"))


class PoliteClient:
    """One httpx client used one request at a time, with the manners above.

    ``cancel`` is checked before every request and while waiting between them; a
    :class:`StopEvent` also breaks into a blocked read when set (:meth:`break_in`).
    Proxies are those of the environment, as httpx reads them (:mod:`.transport`).
    """

    def __init__(self, config: SyncConfig, *, cancel: threading.Event | None = None) -> None:
        import httpx

        from kkr_tui.sync import transport
        from kkr_tui.sync.connect import StoppableBackend

        self.config = config
        self.cancel = cancel or threading.Event()
        self.requests = 0
        self.bytes_received = 0
        self._last_start: float | None = None
        #: Hosts no connection could be made to in this run, with the error that said so.
        self.down: dict[str, FetchError] = {}
        #: Each host's robots.txt rules, once read (:mod:`.robots`).
        self.robots: dict[str, Robots] = {}
        #: Seconds between two requests: the config's, or more when robots.txt asks.
        self.delay = config.delay
        self._waiting = False
        #: Makes every connection (to the site or a proxy): a stop ends its connect
        #: and shuts its socket (:meth:`break_in`).
        self._backend = StoppableBackend(self.cancel.is_set, SyncCancelled)
        tls = httpx.create_ssl_context()  # httpx's default: certifi, or SSL_CERT_FILE/DIR
        try:
            self._client = httpx.Client(
                headers={"User-Agent": USER_AGENT},
                timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
                follow_redirects=False,
                transport=transport.direct(self._backend, tls),
                mounts=transport.mounts(self._backend, tls),
            )
        except BaseException:
            self._backend.close()
            raise
        if isinstance(self.cancel, StopEvent):
            self.cancel.when_set(self.break_in)

    def close(self) -> None:
        """Close the connection pools."""
        self._client.close()
        self._backend.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Mark a blocking wait on the network (sending a request, reading a chunk):
        the only place :meth:`stop_waiting` may break into. Code inside does nothing a
        sudden exception could leave half done: the download cleans up its temporary
        file on any exception, and the response is closed by :meth:`get`."""
        if self.cancel.is_set():
            raise SyncCancelled
        self._waiting = True
        try:
            yield
        except Exception:
            if self.cancel.is_set():
                # The wait was broken into (break_in shut the socket): whatever the
                # transport made of that, the run was stopped.
                raise SyncCancelled from None
            raise
        finally:
            self._waiting = False

    def stop_waiting(self) -> None:
        """Called from the Ctrl+C handler (main thread, between two bytecodes) after
        ``cancel`` was set: raise :class:`SyncCancelled` when the run is blocked in
        :meth:`waiting` (a read from a stalled server would otherwise wait out its
        timeout, 30 s), else do nothing; the run then stops at its next check."""
        if self._waiting:
            raise SyncCancelled

    def break_in(self) -> None:
        """Thread-safe: end every connect in progress and shut down every connection
        this client opened, so a send, a read or a TLS handshake blocked on one returns
        at once (and :meth:`waiting` turns what the transport makes of it into
        :class:`SyncCancelled`). Called by a :class:`StopEvent`'s ``set()``; the run
        stops anyway, so idle connections lose nothing. A connection that connects
        just as the stop comes is shut as soon as it does
        (:class:`~.connect.StoppableBackend`)."""
        self._backend.stop()

    def _wait(self, seconds: float) -> None:
        if self.cancel.wait(max(0.0, seconds)):
            raise SyncCancelled

    def obey(self, robots: Robots) -> None:
        """Follow a host's robots.txt from now on: its Disallow rules, and its
        Crawl-delay as a lower bound on the pause (capped like Retry-After, so a typo
        in the file cannot stall a run for hours)."""
        self.robots[robots.host] = robots
        asked = robots.delay()
        if asked is not None:
            self.delay = max(self.delay, min(asked, self.config.max_retry_after))

    def _pace(self) -> None:
        """Keep ``delay`` seconds between the starts of two requests."""
        if self.cancel.is_set():
            raise SyncCancelled
        if self._last_start is not None and self.delay > 0:
            self._wait(self._last_start + self.delay - time.monotonic())
        self._last_start = time.monotonic()

    @contextmanager
    def get(
        self, url: str, validators: Validators | None = None, *, robots: bool = False
    ) -> Iterator[httpx.Response]:
        """GET ``url`` (conditionally when ``validators`` are given) and yield the answer,
        its body not yet read: 200 or 304. Anything else raises :class:`FetchError`; an
        address the host's robots.txt disallows raises :class:`Disallowed` unasked
        (``robots``: this is the robots.txt itself)."""
        response = self._send(url, validators or Validators(), robots)
        try:
            yield response
        finally:
            response.close()

    def _send(self, url: str, validators: Validators, robots: bool = False) -> httpx.Response:
        import httpx

        origin = urlsplit(url).hostname
        attempt = 0
        redirects = 0
        while True:
            known_down = self.down.get(host_of(url))
            if known_down is not None:
                raise FetchError(url, known_down.failure, no_connection=True)
            rules = self.robots.get(host_of(url))
            if not robots and rules is not None and not rules.allows(url):
                raise Disallowed(url)
            self._pace()
            try:
                request = self._client.build_request("GET", url, headers=validators.headers())
                with self.waiting():
                    response = self._client.send(request, stream=True)
                self.requests += 1
            except httpx.TimeoutException as exc:
                connecting = isinstance(exc, httpx.ConnectTimeout)
                seconds = self.config.connect_timeout if connecting else self.config.timeout
                timeout = SyncFailure("timeout", (("seconds", float(seconds)),))
                attempt = self._retry_or_raise(url, timeout, attempt)
                continue
            except httpx.ConnectError as exc:
                error = FetchError(url, connect_failure(exc), no_connection=True)
                self.down[error.host] = error
                raise error from None
            except httpx.TransportError as exc:
                attempt = self._retry_or_raise(url, broken_failure(exc), attempt)
                continue
            status = response.status_code
            if status in (200, 304):
                return response
            response.close()
            if status in (301, 302, 303, 307, 308) and "location" in response.headers:
                target = urljoin(url, response.headers["location"])
                if urlsplit(target).hostname != origin:
                    raise FetchError(
                        url, SyncFailure("redirect_elsewhere", (("url", target),)), status
                    )
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise FetchError(url, SyncFailure("too_many_redirects"), status)
                url = target
                continue
            if status == 429 or status >= 500:
                wait = _retry_after(response) if status == 429 else None
                failure = _status(status, response.reason_phrase)
                attempt = self._retry_or_raise(url, failure, attempt, wait=wait, status=status)
                continue
            raise FetchError(url, _status(status, response.reason_phrase), status)

    def _retry_or_raise(
        self,
        url: str,
        failure: SyncFailure,
        attempt: int,
        *,
        limit: int | None = None,
        wait: float | None = None,
        status: int | None = None,
    ) -> int:
        """Wait before the next attempt, or raise when the retries are spent."""
        if attempt >= (self.config.retries if limit is None else limit):
            raise FetchError(url, failure, status)
        if wait is None:
            wait = self.config.backoff * (2**attempt)
        self._wait(min(wait, self.config.max_retry_after))
        return attempt + 1


def _retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds (a number or an HTTP date), or None."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _status(status: int, phrase: str) -> SyncFailure:
    return SyncFailure("http_status", (("status", status), ("phrase", phrase)))
