"""The first run's progress: the sample documents stored, one bar, the file being read.

Only a first run on an empty store ingests, so the first screen does not compose this
panel (a ProgressBar and its parts cost about 35 ms of first frame); the app mounts it
above the pane when it is needed. The panel runs the ingest itself, on the store
thread through the gateway, and follows it by the :class:`IngestProgress` messages the
ingest posts to it from there.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from kkr_tui.app.messages import IngestProgress
from kkr_tui.app.render import safe
from kkr_tui.i18n import _

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway
    from kkr_tui.ingest import IngestEvent


class IngestPanel(Vertical):
    """A label and a progress bar over the reading pane while documents are stored."""

    def __init__(self, gateway: StoreGateway, cancel: threading.Event, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gateway = gateway
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        yield Static(_("Reading the sample documents…"), id="ingest-label")
        yield ProgressBar(id="ingest-bar", show_eta=False)

    async def ingest(self, paths: Sequence[Path]) -> list[Path]:
        """Store ``paths`` (shown while it runs); the files that could not be read."""
        self.display = True
        self.query_one(ProgressBar).update(total=len(paths), progress=0)
        files = list(paths)
        cancel = self.cancel

        def report(event: IngestEvent) -> None:
            self.post_message(IngestProgress(event))

        def ingest(store: Any) -> Any:
            from kkr_tui.ingest import ingest_paths

            return ingest_paths(store, files, progress=report, cancel=cancel)

        try:
            summary = await self.gateway.run(ingest, self.gateway.store)
        finally:
            self.display = False
        return [Path(str(r.path)) for r in getattr(summary, "results", ()) if r.status == "failed"]

    def on_ingest_progress(self, message: IngestProgress) -> None:
        event = message.event
        bar = self.query_one(ProgressBar)
        total = getattr(event, "total", None)
        done = getattr(event, "done", None)
        if done is None:
            done = getattr(event, "index", None)
        if total:
            bar.update(total=total)
        if done is not None:
            bar.update(progress=done)
        name = getattr(event, "path", None) or getattr(event, "name", None)
        if name:
            label = _("Reading {name}…").format(name=Path(str(name)).name)
            self.query_one("#ingest-label", Static).update(safe(label))
