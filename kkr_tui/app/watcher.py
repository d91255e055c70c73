"""Living beside other programs: notice their commits and tell the reader what kind they were.

``kkr-tui ingest`` in another terminal commits through its own connection; SQLite's
``PRAGMA data_version`` (read through ``Store.change_token`` on the store thread, one
cheap pragma every two seconds) moves only on such commits, never on the reader's own
writes. It moves for notes and index upkeep by other programs too, so when it does the
watcher compares the store's content version (``Store.content_version``, moved by every
stored, replaced or removed document): when it moved, it posts
:class:`StoreWatcher.DocumentsStored` (the reader offers a reload, ``R``), otherwise
:class:`StoreWatcher.MarksChanged` (notes, reading marks or upkeep: the reader redraws
its marks and the note on screen in place). A database no writer of this release has
opened has no content version; then any outside commit counts as documents.

The watcher is an object the app owns, not a widget and not a mixin: it keeps the
versions it has seen, runs its one look as a worker of its owner (so a failure is
logged and shown by the owner like any other), and speaks only by messages, the way
a file watcher hands its news to the widgets that care.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

from kkr_tui.app.db import Store

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from kkr_tui.app.db import StoreGateway

#: Seconds between two looks at the database's change counter.
POLL_SECONDS = 2.0


class StoreWatcher:
    """Looks at the database's change counter now and then; says what another program did."""

    class DocumentsStored(Message):
        """Another program stored, replaced or removed documents: a reload would show them.

        Posted once until :meth:`StoreWatcher.caught_up` says the reader has reloaded."""

    class MarksChanged(Message):
        """Another program wrote notes or reading marks (or tidied the index) only."""

    def __init__(self, owner: App[Any], gateway: StoreGateway) -> None:
        self.owner = owner
        self.gateway = gateway
        self._seen_version: int | None = None
        self._seen_content: tuple[str, int] | None = None
        self._reload_offered = False

    def start(self) -> None:
        """Remember the current change counter and look again every :data:`POLL_SECONDS`."""
        self.owner.set_interval(POLL_SECONDS, self.check, name="store-watch")
        self.check()

    def check(self) -> Worker[None]:
        """Look once now (a worker of the owner; a newer look cancels an older one)."""
        return self.owner.run_worker(
            self.check_for_changes(),
            name="check_for_changes",
            group="store-watch",
            exclusive=True,
            exit_on_error=False,
        )

    async def check_for_changes(self) -> None:
        """Post what another program changed since the last look, if anything."""
        if self.gateway.store is None:
            return
        # What was seen is recorded only after it has been acted on (posted): the look is
        # exclusive, so the next poll may cancel it at any await, and a version recorded
        # before the cancel would make that poll skip a change nobody has shown.
        _token, version = await self.gateway.call(Store.change_token)
        if self._seen_version is None:
            self._seen_content = await self.gateway.call(Store.content_version)
            self._seen_version = version
        elif version != self._seen_version and not self._reload_offered:
            content = await self.gateway.call(Store.content_version)
            if content is not None and content == self._seen_content:
                self.owner.post_message(self.MarksChanged())
                self._seen_version = version
                return
            self._seen_version = version
            self._reload_offered = True
            self.owner.post_message(self.DocumentsStored())

    async def caught_up(self) -> None:
        """The reader now shows the database as it is: take its versions as seen."""
        _token, self._seen_version = await self.gateway.call(Store.change_token)
        self._seen_content = await self.gateway.call(Store.content_version)
        self._reload_offered = False
