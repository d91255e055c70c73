"""robots.txt: what the site asks crawlers to leave alone, read once per run.

The rules are read by Protego (Scrapy's robots.txt parser: pure Python, typed, no
dependencies, kept with Scrapy and tested against Google's robots.txt test set). It does
what RFC 9309 asks and the standard library's :mod:`urllib.robotparser` does not: the
``*`` and ``$`` wildcards, the longest matching rule wins (``Allow`` over ``Disallow``
on a tie), paths compared percent-encoded either way, a fractional ``Crawl-delay``;
``urllib.robotparser`` took rules as literal prefixes, first match first, so
``Disallow: /*.pdf$`` stopped nothing.

What each answer means follows RFC 9309 (section 2.3.1):

- 200: the rules. A ``Crawl-delay`` (or ``Request-rate``) for kkr-tui's User-Agent
  raises the pause between requests, never lowers it.
- 3xx to another host, 4xx (404: no robots.txt): no rules, everything allowed.
- 5xx after the usual retries, a timeout: the site cannot say what it allows, so
  nothing is fetched this run (:class:`RobotsUnavailable`, one line).
- no connection at all: the usual offline line (the host is down for the whole run).

The file is asked for conditionally and its last answer kept in ``.robots.json``
beside the downloads, so an unchanged robots.txt costs one small 304. Only the site's
own host is read (``{scheme}://{host}/robots.txt``, as the RFC places it); a mirror
whose owner wants no robots.txt read sets ``obey_robots = false`` in ``[sync]``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kkr_tui.model import SyncFailure
from kkr_tui.sync.client import USER_AGENT, FetchError, Validators, host_of, validators_of

if TYPE_CHECKING:
    from protego import Protego

    from kkr_tui.sync.client import PoliteClient

#: RFC 9309 asks crawlers to read at least 500 KiB; more is not rules but a mistake.
MAX_BYTES = 512 * 1024
CACHE_NAME = ".robots.json"
#: The name a robots.txt group is matched against (RFC 9309 2.2.1: the product token of
#: the User-Agent, not the whole header, whose comment words could match other groups).
PRODUCT_TOKEN = USER_AGENT.split("/", 1)[0]


class RobotsUnavailable(FetchError):
    """robots.txt answered 5xx or not in time: treat the site as off limits this run."""


@dataclass(frozen=True, slots=True)
class Robots:
    """The rules of one host for kkr-tui's User-Agent (``parser`` None: all allowed)."""

    host: str
    parser: Protego | None = None

    def allows(self, url: str) -> bool:
        """May kkr-tui fetch ``url``?"""
        return self.parser is None or self.parser.can_fetch(url, PRODUCT_TOKEN)

    def delay(self) -> float | None:
        """The seconds between requests the site asks kkr-tui for, or None."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(PRODUCT_TOKEN)
        rate = self.parser.request_rate(PRODUCT_TOKEN)
        found = [float(delay)] if delay is not None else []
        if rate is not None and rate.requests > 0:
            found.append(rate.seconds / rate.requests)
        return max(found) if found else None


def robots_url(url: str) -> str:
    """Where the robots.txt of ``url``'s host is."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def parse(text: str, host: str) -> Robots:
    """The rules in a robots.txt's text (RFC 9309 matching, see the module's docstring)."""
    from protego import Protego

    return Robots(host, Protego.parse(text))


def read_robots(client: PoliteClient, url: str, cache: Path | None) -> Robots:
    """The robots.txt rules for ``url``'s host, fetched (conditionally when ``cache``
    holds an earlier answer) and, when ``cache`` is given, remembered there.

    Raises :class:`RobotsUnavailable` for a 5xx or a timeout, and the client's
    :class:`FetchError` (``no_connection``) when the host cannot be reached."""
    address = robots_url(url)
    host = host_of(url)
    known = _load(cache).get(address)
    validators = Validators(known.get("etag"), known.get("last_modified")) if known else None
    try:
        with client.get(address, validators, robots=True) as response:
            if response.status_code == 304 and known is not None:
                return parse(str(known.get("text", "")), host)
            body = b""
            with client.waiting():
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) >= MAX_BYTES:
                        break
            text = body[:MAX_BYTES].decode("utf-8", errors="replace")
            got = validators_of(response)
    except FetchError as error:
        if error.no_connection:
            raise
        if error.status is not None and error.status < 500 and error.status != 429:
            return Robots(host)  # 3xx elsewhere, 4xx: no robots.txt, everything allowed
        raise RobotsUnavailable(
            address, SyncFailure("robots_unavailable", inner=error.failure), error.status
        ) from None
    if cache is not None and (got.etag or got.last_modified):
        _save(cache, address, got, text)
    return parse(text, host)


def _load(cache: Path | None) -> dict[str, dict[str, str]]:
    if cache is None:
        return {}
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(cache: Path, address: str, validators: Validators, text: str) -> None:
    """Remember the answer (best effort: a cache that cannot be written costs one
    unconditional request next run, never the run)."""
    data = _load(cache)
    data[address] = {
        "etag": validators.etag or "",
        "last_modified": validators.last_modified or "",
        "text": text,
    }
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temp = cache.with_name(cache.name + ".tmp")
        temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, cache)
    except OSError:
        pass
