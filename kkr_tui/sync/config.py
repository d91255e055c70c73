"""Where sync reads and how politely: base URL, council pages, limits.

KL's site changes and nobody here can see it live (``shared/KL_PAGES.md``), so every
fact about it is a default that the config file can replace::

    [sync]
    base_url = "https://www.kl.dk"      # or a mirror; --base-url wins over it
    delay = 1.0                         # seconds between two requests
    timeout = 30.0                      # seconds per request (each read)
    connect_timeout = 10.0              # seconds to make a connection
    retries = 3                         # extra attempts on timeouts, 5xx and 429
    backoff = 2.0                       # first wait before a retry; doubles each time
    max_size_mb = 200                   # a larger file is refused
    download_dir = "~/kkr/downloads"    # default: downloads/ beside the database
    obey_robots = true                  # false: do not read robots.txt (your own mirror)

    [sync.pages]                        # a council's page, if KL moves it
    hovedstaden = "https://www.kl.dk/politik/kkr/kkr-hovedstaden/moedemateriale"

The file is the app's config file (:func:`kkr_tui.paths.config_path`); this module reads
only its ``[sync]`` table and never imports the app. A broken table is reported as
problems, never raised: sync then runs on the defaults.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from kkr_tui.i18n import _
from kkr_tui.sync.councils import COUNCILS as _COUNCILS

DEFAULT_BASE_URL = "https://www.kl.dk"

#: The five councils: slug -> the name the documents use.
COUNCILS = _COUNCILS

PAGE_PATH = "/politik/kkr/kkr-{slug}/moedemateriale"


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """Everything a sync run needs to know before it sends anything."""

    base_url: str = DEFAULT_BASE_URL
    pages: dict[str, str] = field(default_factory=dict)
    delay: float = 1.0
    timeout: float = 30.0
    #: Seconds to make a connection: shorter than ``timeout``, since a host that takes
    #: longer to accept one is as good as unreachable (a stop ends the wait anyway).
    connect_timeout: float = 10.0
    retries: int = 3
    backoff: float = 2.0
    max_retry_after: float = 120.0
    max_bytes: int = 200 * 1024 * 1024
    download_dir: Path | None = None
    obey_robots: bool = True
    problems: tuple[str, ...] = ()

    def page_url(self, slug: str) -> str:
        """The council's page: from the config's ``[sync.pages]``, else under the base URL."""
        if slug in self.pages:
            return self.pages[slug]
        return self.base_url.rstrip("/") + PAGE_PATH.format(slug=slug)

    def with_base_url(self, base_url: str) -> SyncConfig:
        """This config reading another site (``--base-url``): the page overrides are
        dropped, since they name the old site."""
        return replace(self, base_url=base_url, pages={})


def council_slug(name: str) -> str | None:
    """The slug for a council named on the command line (``Sjælland``, ``kkr-midtjylland``,
    ``syd``), or None when it names none or several."""
    text = unicodedata.normalize("NFC", name.strip().lower())
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = text.removeprefix("kkr").strip(" -_")
    if text in COUNCILS:
        return text
    found = [slug for slug in COUNCILS if text and slug.startswith(text)]
    return found[0] if len(found) == 1 else None


def check_base_url(url: str) -> str | None:
    """Why ``url`` cannot be a base URL, or None when it can."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("not an http(s) address: {url!r}").format(url=url)
    return None


def load_sync_config(path: Path | None) -> SyncConfig:
    """The ``[sync]`` table of the config file; a missing file is the defaults."""
    if path is None or not path.is_file():
        return SyncConfig()
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return SyncConfig(
            problems=(_("could not read {path}: {error}").format(path=path, error=exc),)
        )
    table = data.get("sync", {})
    if not isinstance(table, dict):
        return SyncConfig(problems=(_("sync: expected a table"),))
    return _from_table(table)


def _from_table(table: dict[str, object]) -> SyncConfig:
    problems: list[str] = []
    config = SyncConfig()
    base = table.get("base_url")
    if isinstance(base, str):
        why = check_base_url(base)
        if why:
            problems.append(f"sync.base_url: {why}")
        else:
            config = replace(config, base_url=base)
    numbers: dict[str, float] = {}
    limits = (
        ("delay", 0.0),
        ("timeout", 0.1),
        ("connect_timeout", 0.1),
        ("retries", 0),
        ("backoff", 0.0),
        ("max_size_mb", 0.001),
    )
    for key, minimum in limits:
        value = table.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            problems.append(
                _("sync.{key}: expected a number of at least {minimum}").format(
                    key=key, minimum=minimum
                )
            )
        else:
            numbers[key] = float(value)
    config = replace(
        config,
        delay=numbers.get("delay", config.delay),
        timeout=numbers.get("timeout", config.timeout),
        connect_timeout=numbers.get("connect_timeout", config.connect_timeout),
        retries=int(numbers.get("retries", config.retries)),
        backoff=numbers.get("backoff", config.backoff),
        max_bytes=int(numbers.get("max_size_mb", config.max_bytes / 1024 / 1024) * 1024 * 1024),
    )
    obey = table.get("obey_robots")
    if isinstance(obey, bool):
        config = replace(config, obey_robots=obey)
    elif obey is not None:
        problems.append(_("sync.obey_robots: expected true or false"))
    folder = table.get("download_dir")
    if isinstance(folder, str) and folder.strip():
        config = replace(config, download_dir=Path(folder).expanduser())
    pages = table.get("pages", {})
    if isinstance(pages, dict):
        found: dict[str, str] = {}
        for slug, url in pages.items():
            if slug not in COUNCILS:
                problems.append(_("sync.pages.{slug}: unknown council").format(slug=slug))
            elif not isinstance(url, str) or check_base_url(url):
                problems.append(
                    _("sync.pages.{slug}: expected an http(s) address").format(slug=slug)
                )
            else:
                found[slug] = url
        config = replace(config, pages=found)
    else:
        problems.append(_("sync.pages: expected a table"))
    return replace(config, problems=tuple(problems))
