"""The Related panel under the item pane: the same case or topic in other meetings.

The panel finds its own items (:meth:`RelatedPanel.show_for`, a worker of its own
through the store gateway) when the app tells it which item is on screen. Lines are
built from data with ``Content`` (never markup). Enter on a line, or the digit keys 1-9
while the panel has focus, post :class:`RelatedPanel.Chosen`; the app does the opening.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker

from kkr_tui.app.failures import report_worker_failure
from kkr_tui.app.render import item_line
from kkr_tui.i18n import N_, _

if TYPE_CHECKING:
    from kkr_tui.app.db import Store, StoreGateway
    from kkr_tui.meetingwork.related import RelatedItem


def related_prompt(index: int, rel: RelatedItem) -> Content:
    """``1  Hovedstaden 03.02.2025 Referat  3.2 Status …  (samme emne)``.

    Why it is related in words (same case, same topic), never the score."""
    why = _("same case") if rel.reason == "case" else _("same topic")
    return Content.assemble(
        (f"{index} " if index <= 9 else "  ", "bold $text-accent"),
        item_line(rel),
        (f"  ({why})", "$text-muted"),
    )


class RelatedPanel(OptionList):
    """Related items of the item on screen; hidden when there are none."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"jump_to({n})", N_("Open related item"), show=False) for n in range(1, 10)
    ]

    class Chosen(Message):
        """The reader picked a related item."""

        def __init__(self, item_id: int) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, gateway: StoreGateway, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        from kkr_tui.app.actions import translate_bindings

        translate_bindings(self)
        self.gateway = gateway
        self.related: list[Any] = []
        self.border_title = _("Related")

    @work(exclusive=True, group="related", exit_on_error=False)
    async def show_for(self, item_id: int) -> None:
        """Find and list the related items of ``item_id`` (a newer item cancels this)."""
        self.show_related(await self.gateway.call(_related, item_id))

    def clear(self) -> None:
        """No item on screen: nothing related, and a search still running is dropped."""
        self.workers.cancel_group(self, "related")
        self.show_related([])

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Finding related items failed: log it and say so (the panel stays as it was)."""
        report_worker_failure(self.app, event)

    def show_related(self, related: list[RelatedItem]) -> None:
        """Fill the panel (or hide it when ``related`` is empty)."""
        self.related = list(related)
        self.clear_options()
        self.add_options(
            Option(related_prompt(i, rel), id=str(rel.item_id))
            for i, rel in enumerate(self.related, start=1)
        )
        self.set_class(bool(self.related), "-has-items")
        self.border_title = (
            _("Related ({n})").format(n=len(self.related)) if self.related else _("Related")
        )

    def action_jump_to(self, number: int) -> None:
        """Open the ``number``-th related item."""
        if 0 < number <= len(self.related):
            self.post_message(self.Chosen(self.related[number - 1].item_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Chosen(int(event.option_id)))


def _related(store: Store, item_id: int) -> list[RelatedItem]:
    from kkr_tui.meetingwork.related import related_items

    return related_items(store, item_id)
