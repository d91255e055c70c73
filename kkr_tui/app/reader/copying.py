"""Copying the item or its citation to the clipboard (``c``, ``C``).

The clipboard may be the terminal's (OSC 52) or a system tool's, and a tool can hang,
so the copy runs in a thread and its report says honestly where the text went.
"""

from __future__ import annotations

from textual import work

from kkr_tui.app.reader.base import ReaderBase
from kkr_tui.app.render import citation, item_as_text
from kkr_tui.i18n import _


class Copying(ReaderBase):
    """The item or its citation, copied."""

    def action_copy(self) -> None:
        """Copy the item as text with its citation line."""
        item = self.current_item
        if item is None:
            self.notify(_("Open an item to copy it."), severity="warning")
            return
        self.copy_text(item_as_text(item), _("The item with its citation"), citation(item))

    def action_copy_citation(self) -> None:
        """Copy only the citation, with pages and the source's address when known."""
        item = self.current_item
        if item is None:
            self.notify(_("Open an item to copy its citation."), severity="warning")
            return
        from kkr_tui.app.render import full_citation

        text = full_citation(item)
        self.copy_text(text, _("The citation"), text)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def copy_text(self, text: str, what: str, shown: str) -> None:
        """Put ``text`` on the clipboard (terminal and system tool) and say what happened;
        ``shown`` (the citation) follows on a line of its own, literally."""
        from kkr_tui.app.clipboard import copy_everywhere

        report = copy_everywhere(self, text)
        self.call_from_thread(
            self.notify, f"{report.message(what)}\n{shown}", title=_("Clipboard"), markup=False
        )
