"""Where to save a briefing: a path to edit, Enter saves, Escape backs out.

The path starts in the folder the last briefing went to (remembered in the config
file by the caller), with a file name of council and date; ending it in ``.html``
writes the printable HTML version instead of Markdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kkr_tui.app.render import safe
from kkr_tui.i18n import _


class ExportScreen(ModalScreen[Path | None]):
    """Ask for the file a briefing is written to; returns it, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, heading: str, suggested: Path) -> None:
        super().__init__()
        self.heading = heading
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="pick-box"):
            yield Static(
                Content(_("Export briefing · {meeting}").format(meeting=safe(self.heading))),
                classes="pick-title",
            )
            yield Input(str(self.suggested), id="export-path")
            yield Static(
                _("Enter saves · Esc cancels · a name ending in .html gives HTML, else Markdown"),
                classes="pick-summary",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value:
            self.dismiss(Path(value).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
