"""Where to save a briefing: a path to edit, Enter saves, Escape backs out.

The path starts in the folder the last briefing went to (remembered in the config
file by the caller), with a file name of council and date; ending it in ``.html``
writes the printable HTML version instead of Markdown.

A briefing already on disk may hold the user's own additions, so an existing file is
never overwritten silently: the dialog asks first (Enter overwrites), and Escape keeps
the old file and proposes a free name beside it (``…-2.md``) to save under instead.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """The file to write, and whether the user agreed to replace an existing one."""

    path: Path
    overwrite: bool = False


def free_name(path: Path) -> Path:
    """The first ``stem-N.suffix`` beside ``path`` that does not exist yet (N ≥ 2)."""
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


class ExportScreen(ModalScreen[ExportChoice | None]):
    """Ask for the file a briefing is written to; returns the choice, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, heading: str, suggested: Path) -> None:
        super().__init__()
        self.heading = heading
        self.suggested = suggested
        #: The existing file the user is being asked about, if any.
        self.confirming: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="pick-box"):
            yield Static(
                Content(_("Export briefing · {meeting}").format(meeting=safe(self.heading))),
                classes="pick-title",
            )
            yield Input(str(self.suggested), id="export-path")
            question = Static("", id="export-question", classes="pick-title")
            question.display = False
            yield question
            yield Static(
                _("Enter saves · Esc cancels · a name ending in .html gives HTML, else Markdown"),
                id="export-help",
                classes="pick-summary",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            return
        target = Path(value).expanduser()
        if self.confirming is not None and target == self.confirming:
            self.dismiss(ExportChoice(target, overwrite=True))
        elif target.is_file():
            self._ask(target)
        else:
            self.dismiss(ExportChoice(target))

    def _ask(self, target: Path) -> None:
        """Ask before replacing ``target``; Enter again overwrites, Escape keeps it."""
        self.confirming = target
        question = self.query_one("#export-question", Static)
        question.update(
            Content(_("{name} already exists. Overwrite it?").format(name=safe(target.name)))
        )
        question.display = True
        self.query_one("#export-help", Static).update(
            _("Enter overwrites · Esc keeps the old file and suggests a new name")
        )

    def action_cancel(self) -> None:
        if self.confirming is None:
            self.dismiss(None)
            return
        field = self.query_one(Input)
        field.value = str(free_name(self.confirming))
        self.confirming = None
        self.query_one("#export-question", Static).display = False
        self.query_one("#export-help", Static).update(
            _("Enter saves · Esc cancels · a name ending in .html gives HTML, else Markdown")
        )
        field.focus()
