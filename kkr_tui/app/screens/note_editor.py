"""Write the private note of an item: a TextArea, ctrl+s saves, escape backs out.

The note is plain text / Markdown and is stored as typed (control characters removed);
the screen returns the text, or None when the reader backed out. Typed text is never
thrown away by one stray Escape: with changes, the first Escape asks and a second one
discards (typing on, or ctrl+s, keeps them).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from kkr_tui.app.actions import translate_bindings
from kkr_tui.app.render import safe
from kkr_tui.i18n import N_, _
from kkr_tui.records import MAX_NOTE_BYTES

HELP = N_("ctrl+s saves · esc closes · an empty note is deleted · Markdown")
ASK = N_("Discard your changes? esc again discards them, ctrl+s saves, typing goes on.")


class NoteEditor(ModalScreen[str | None]):
    """A note on one item; an emptied note is deleted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save the note"), id="note.save"),
        Binding("escape", "cancel", N_("Close (asks first if you changed the note)"),
                id="note.cancel"),
    ]  # fmt: skip

    def __init__(self, heading: str, text: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.heading = heading
        self.text = text
        #: Escape was pressed once with changes; the next one discards.
        self.asking = False

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(
                Content(_("Note · {item}").format(item=safe(self.heading))), id="note-title"
            )
            yield TextArea(self.text, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(_(HELP), id="note-help", markup=False)
        # The keys of this overlay, not those of the reader behind it.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def changed(self) -> bool:
        """Whether the text differs from the stored note."""
        return self.query_one(TextArea).text != self.text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.asking:
            self._ask(False)

    def _ask(self, asking: bool) -> None:
        self.asking = asking
        help_line = self.query_one("#note-help", Static)
        help_line.update(Content(_(ASK) if asking else _(HELP)))
        help_line.set_class(asking, "-asking")

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
        """Back out; with changes, only on the second Escape."""
        if self.changed and not self.asking:
            self._ask(True)
            return
        self.dismiss(None)
