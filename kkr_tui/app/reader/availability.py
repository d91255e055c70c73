"""Which of the reader's commands apply now, so the footer shows only what works.

Single-letter keys belong to an input while one has focus; an overlay's own keys
replace the reader's; a key for what is not on screen (``i`` without an Indstilling,
``n`` without an item) is off; nothing writes in read-only mode.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Input

from kkr_tui.app import actions
from kkr_tui.app.reader.base import ReaderBase

#: The reader's own actions (not help): off while an overlay is in front.
READER_ACTIONS = frozenset(
    c.action_name for c in actions.commands("app") if c.id not in ("help", "quit_q")
)
#: Actions that need an item on screen, or a meeting (or an item of it).
ITEM_ACTIONS = frozenset({"copy", "copy_citation", "edit_note"})
MEETING_ACTIONS = frozenset({"decisions", "export_briefing", "next_item", "prev_item"})
#: Actions on printable keys: they belong to an input or the note editor while one has focus.
LETTER_ACTIONS = actions.typed_actions()
WRITE_ACTIONS = actions.write_actions()


def _is_text_area(widget: Widget | None) -> bool:
    """Whether ``widget`` is a TextArea, without importing TextArea (about 12 ms at
    start-up): by class name along its MRO, which needs no module path of Textual's."""
    return widget is not None and any(c.__name__ == "TextArea" for c in type(widget).__mro__)


class Availability(ReaderBase):
    """Textual's ``check_action`` for the reader's commands."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Single-letter keys belong to an input when one has focus; keys for what is not
        on screen (``i`` without an Indstilling, ``n`` without an item) are off, so the
        footer shows only what applies."""
        if self.read_only and action in WRITE_ACTIONS:
            return False
        typing = isinstance(self.focused, Input) or _is_text_area(self.focused)
        if typing and action in LETTER_ACTIONS:
            return False
        if self.screen_stack and self.screen is not self.screen_stack[0]:
            # An overlay is in front: its own keys and help apply, not the reader's.
            return action not in READER_ACTIONS
        if action == "find_step":
            return self.pane.finder.has_matches
        if action in ITEM_ACTIONS:
            return self.current_item is not None
        if action in MEETING_ACTIONS:
            return self.current_item is not None or self.current_meeting is not None
        if action == "jump":
            return (
                self.current_item is not None
                and bool(parameters)
                and self.pane.part_widget(str(parameters[0])) is not None
            )
        if action == "focus_related":
            panel = self._related_panel_if_mounted()
            return panel is not None and bool(panel.related)
        return True
