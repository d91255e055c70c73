"""Search and the bilag it finds: the search overlay, and a bilag opened over the reader.

A search hit is an item (revealed in the reader) or a bilag page (the bilag opened at
that page, its item behind it when it has one); a bilag named in the pane opens the
same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work

from kkr_tui.app.db import Store
from kkr_tui.app.reader.navigation import Navigation
from kkr_tui.app.widgets.item_pane import ItemPane

if TYPE_CHECKING:
    from kkr_tui.app.screens.search import BilagView


class Searching(Navigation):
    """The search overlay's results, and bilag opened over the reader."""

    def action_search(self) -> None:
        """Open the search overlay; Enter opens a result, Escape comes back unchanged."""
        meeting_id = self._meeting_id()

        from kkr_tui.app.screens.search import BilagView, Chosen, SearchScreen

        def done(view: Chosen | None) -> None:
            self.last_query = screen.query_text
            if isinstance(view, BilagView):
                self.open_bilag_hit(view)
            elif view is not None:
                self.open_view(view)
                self.show_text()

        screen = SearchScreen(self.gateway, query=self.last_query, current_meeting_id=meeting_id)
        self.push_screen(screen, done)

    async def open_bilag(self, bilag_id: int, page: int = 1, words: str = "") -> None:
        """Open a bilag's text (page by page) over the reader, at ``page``, with
        ``words`` marked on its pages and found by ``n``."""
        from kkr_tui.app.screens.bilag import BilagScreen

        bilag = await self.gateway.call(Store.bilag, bilag_id)
        await self.push_screen(BilagScreen(self.gateway, bilag, page, words=words))

    @work(exclusive=True, group="bilag", exit_on_error=False)
    async def open_bilag_hit(self, view: BilagView) -> None:
        """A bilag hit chosen in search: its item in the reader behind (when the bilag
        is tied to one), the bilag over it at the page the words are on."""
        if view.item_id:
            await self.reveal(("item", view.item_id))
        await self.open_bilag(view.bilag_id, view.page, view.words)

    @on(ItemPane.BilagChosen)
    def _bilag_chosen(self, message: ItemPane.BilagChosen) -> None:
        self.run_worker(self.open_bilag(message.bilag_id), group="bilag", exit_on_error=False)
