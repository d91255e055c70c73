"""Write the private note of an item: a TextArea, ctrl+s saves, escape discards.

The note is plain text / Markdown and is stored as typed (control characters removed);
the screen returns the text, or None when the reader backed out.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from kkr_tui.app.render import safe
from kkr_tui.i18n import _
from kkr_tui.records import MAX_NOTE_BYTES


class NoteEditor(ModalScreen[str | None]):
    """A note on one item; an emptied note is deleted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="note.save"),
        Binding("escape", "cancel", "Discard changes", id="note.cancel"),
    ]

    def __init__(self, heading: str, text: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Content(f"Note · {safe(self.heading)}"), id="note-title")
            yield TextArea(self.text, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static("ctrl+s save · esc discard · an empty note is deleted", id="note-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Return the text to be stored; a note over the store's limit stays open here
        with a message, so nothing typed is lost."""
        text = self.query_one(TextArea).text
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_NOTE_BYTES:
            self.notify(
                _(
                    "The note is too large ({size} MB); a note may hold at most {limit} MB. "
                    "It has not been saved."
                ).format(size=f"{size / 1_000_000:.1f}", limit=MAX_NOTE_BYTES // 1_000_000),
                severity="error",
                markup=False,
            )
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        """Back out without storing anything."""
        self.dismiss(None)
