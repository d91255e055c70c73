"""Where to save a briefing: a path to edit, Enter saves, Escape backs out.

The path starts in the folder the last briefing went to (remembered in the config
file by the caller), with a file name of council and date; ending it in ``.html``
writes the printable HTML version instead of Markdown. The dialog loads its meeting
and writes the briefing itself, each in a worker of its own, and returns the folder
it wrote to (None when nothing was written).

A briefing already on disk may hold the user's own additions, so an existing file is
never overwritten silently: the dialog asks first (Enter overwrites), and Escape keeps
the old file and proposes a free name beside it (``…-2.md``) to save under instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import Worker

from kkr_tui.app.actions import translate_bindings
from kkr_tui.app.db import Store
from kkr_tui.app.failures import report_worker_failure
from kkr_tui.app.render import safe
from kkr_tui.i18n import N_, _
from kkr_tui.wording import danish_date

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway
    from kkr_tui.meetingwork.briefing import Format


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


class ExportScreen(ModalScreen[Path | None]):
    """Ask for the file a briefing is written to and write it; returns its folder, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="export.cancel"),
    ]

    def __init__(self, gateway: StoreGateway, meeting_id: int, folder: Path) -> None:
        super().__init__()
        translate_bindings(self)
        self.gateway = gateway
        self.meeting_id = meeting_id
        self.folder = folder
        #: The existing file the user is being asked about, if any.
        self.confirming: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="pick-box"):
            yield Static("", id="export-title", classes="pick-title")
            yield Input("", id="export-path")
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
        self.load_meeting()

    @work(exclusive=True, group="export", exit_on_error=False)
    async def load_meeting(self) -> None:
        """The meeting's name in the title, and a file name of council and date."""
        from kkr_tui.meetingwork.briefing import briefing_file_name

        meeting = await self.gateway.call(Store.meeting, self.meeting_id)
        heading = f"{meeting.council} {danish_date(meeting.meeting_date)}"
        self.query_one("#export-title", Static).update(
            Content(_("Export briefing · {meeting}").format(meeting=safe(heading)))
        )
        suggested = self.folder / briefing_file_name(meeting.council, meeting.meeting_date)
        self.query_one(Input).value = str(suggested)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            return
        target = Path(value).expanduser()
        if self.confirming is not None and target == self.confirming:
            self.write_briefing(ExportChoice(target, overwrite=True))
        elif target.is_file():
            self._ask(target)
        else:
            self.write_briefing(ExportChoice(target))

    @work(exclusive=True, group="export", exit_on_error=False)
    async def write_briefing(self, choice: ExportChoice) -> None:
        """Write the briefing where the user said (a .html name gives HTML), then close.

        An existing file is replaced only when the user said so (``overwrite``): a file
        that appeared after the dialog asked is left alone (opened with mode ``x``)."""
        target = choice.path
        fmt: Format = "html" if target.suffix.lower() in (".html", ".htm") else "md"
        text = await self.gateway.call(_briefing, self.meeting_id, fmt)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w" if choice.overwrite else "x", encoding="utf-8") as out:
                out.write(text)
        except OSError as exc:
            problem = (
                _("{path} already exists; nothing was overwritten").format(path=safe(str(target)))
                if isinstance(exc, FileExistsError)
                else _("Could not write the briefing: {reason}").format(reason=safe(str(exc)))
            )
            self.notify(problem, severity="error", markup=False)
            self.dismiss(None)
            return
        self.notify(
            _("Briefing written to {path}").format(path=safe(str(target))),
            title=_("Export"),
            markup=False,
        )
        self.dismiss(target.parent)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Loading the meeting or writing failed: log it, say so, close the dialog."""
        if report_worker_failure(self.app, event):
            self.dismiss(None)

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


def _briefing(store: Store, meeting_id: int, fmt: Format) -> str:
    from kkr_tui.meetingwork.briefing import briefing

    return briefing(store, meeting_id, fmt)
