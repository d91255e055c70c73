"""One whole sync for a caller that is not the command line: the reader's
"Hent nye dokumenter" command.

It reads the config file, fetches every council's page and applies what they link to
(:mod:`.run`), on the store it is given, and returns the summary. An unreachable site
raises :class:`~kkr_tui.sync.run.SiteUnreachable` before anything is written; the
reader turns it into one notification. The reader never imports httpx: it calls this.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kkr_tui.store import Store
    from kkr_tui.sync.run import Progress, SyncSummary


def sync_store(
    store: Store,
    *,
    config_path: Path | None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> SyncSummary:
    """Sync every council into ``store`` (downloads beside its database file)."""
    from kkr_tui.sync.client import PoliteClient
    from kkr_tui.sync.config import COUNCILS, load_sync_config
    from kkr_tui.sync.robots import CACHE_NAME as ROBOTS_CACHE
    from kkr_tui.sync.run import apply, fetch_pages

    config = load_sync_config(config_path)
    root = config.download_dir or Path(store.path).resolve().parent / "downloads"
    cancel = cancel or threading.Event()
    with PoliteClient(config, cancel=cancel) as client:
        pages = fetch_pages(
            client,
            config,
            list(COUNCILS),
            store.page_states(),
            progress,
            robots_cache=root.resolve() / ROBOTS_CACHE,
        )
        return apply(
            store,
            client,
            config,
            pages,
            download_root=root.resolve(),
            progress=progress,
            cancel=cancel,
        )
