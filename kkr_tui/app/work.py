# The mixin methods annotate ``self`` as the KkrApp they are mixed into, which mypy
# reports as "misc" (the erased self type is not a supertype of the mixin); the
# mixins give way to widgets and screens of their own (issue 18), which ends this.
# mypy: disable-error-code="misc"
"""Meeting work in the reader: notes, related items, decisions, briefings, what's new.

A mixin for :class:`~kkr_tui.app.app.KkrApp` so the reader's own module stays about
reading. Store calls go through the app's StoreGateway (one store thread); everything
from documents or notes is rendered literally through :mod:`kkr_tui.app.render`.

The screens, the Related panel and the model are imported where they are first used,
not here: this module is imported on the way to the first frame, and those imports
(the note editor's TextArea, the model's frozen dataclasses) cost about 25 ms that a
reader who only reads never needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from kkr_tui.app.actions import Command, register
from kkr_tui.app.db import Store
from kkr_tui.app.failures import log
from kkr_tui.app.render import safe
from kkr_tui.i18n import N_, _, ngettext
from kkr_tui.wording import danish_date

if TYPE_CHECKING:
    from kkr_tui.app.app import KkrApp
    from kkr_tui.app.widgets.related_panel import RelatedPanel
    from kkr_tui.meetingwork.briefing import Format
    from kkr_tui.meetingwork.merged import MergedItem
    from kkr_tui.meetingwork.others import OtherDecision

register(
    Command("edit_note", "n", "edit_note", N_("Note"),
            N_("Write your own note on the item (Markdown)"), typed=True,
            writes=True),
    Command("related", "r", "focus_related", N_("Related"),
            N_("The same case or topic in other meetings; 1–9 opens one"),
            typed=True),
    Command("decisions", "d", "decisions", N_("Decisions"),
            N_("Every decision of the meeting; ⚠ where it departs from the recommendation"),
            typed=True),
    Command("others_decisions", "D", "others_decisions", N_("How the others decided"),
            N_("Related items' Indstilling and Beslutning side by side, newest first"),
            typed=True),
    Command("whats_new", "w", "whats_new", N_("What's new"),
            N_("Items new or changed since you last looked"), typed=True),
    Command("export", "x", "export_briefing", N_("Briefing"),
            N_("Write a briefing of the meeting, Markdown or HTML"), typed=True),
    Command("all_notes", "", "all_notes", N_("All notes"), N_("Every note you have written")),
)  # fmt: skip


class MeetingWorkActions:
    """Actions and hooks of the meeting-work features; mixed into KkrApp."""

    briefing_dir: Path | None = None

    # -- actions ------------------------------------------------------------------------

    def _meeting_id(self: KkrApp) -> int | None:
        if self.current_item is not None:
            return self.current_item.meeting_id
        if self.current_meeting is not None:
            return self.current_meeting.id
        return None

    @work(exclusive=True, group="note", exit_on_error=False)
    async def action_edit_note(self: KkrApp) -> None:
        """Write the note of the item on screen (``n``).

        The editor is pushed with a callback rather than awaited here, so no worker
        stays parked while the user types (a parked worker reads as "still loading").
        """
        item = self.current_item
        if item is None:
            self.notify(_("Open an item to write a note on it."), severity="warning")
            return
        note = await self.gateway.call(Store.note_for, item.id)
        from kkr_tui.app.screens.note_editor import NoteEditor

        def done(text: str | None) -> None:
            if text is not None:
                self._save_note(item.id, text)

        self.push_screen(NoteEditor(f"{item.number} {item.title}", note.text if note else ""), done)

    @work(exclusive=True, group="note", exit_on_error=False)
    async def _save_note(self: KkrApp, item_id: int, text: str) -> None:
        """Store the edited note, refresh the tree mark and the pane."""
        saved = await self.gateway.call(Store.save_note, item_id, text)
        self.notify(_("Note saved.") if saved else _("Note deleted."), markup=False)
        self.tree.redraw_marks(item_id)
        self.pane.shown = None
        self.show(("item", item_id), record=False)

    def action_focus_related(self: KkrApp) -> None:
        """Move to the Related panel (``r``); Enter or 1-9 open an item there."""
        panel = self._related_panel_if_mounted()
        if panel is None or not panel.related:
            self.notify(_("No related items for what is on screen."))
            return
        self.screen_stack[0].add_class("-text-in-front")
        panel.focus()

    # A named handler, not ``@on``: Textual collects ``@on`` handlers only from classes
    # built by its metaclass, and this mixin is not one (the decorator was silently ignored).
    def on_related_panel_chosen(self: KkrApp, event: RelatedPanel.Chosen) -> None:
        self.open_view(("item", event.item_id))
        self.show_text()

    def _open_choice(self: KkrApp, item_id: int | None) -> None:
        if item_id is not None:
            self.open_view(("item", item_id))
            self.show_text()

    @work(exclusive=True, group="work", exit_on_error=False)
    async def action_decisions(self: KkrApp) -> None:
        """Every item of the meeting with its decision; departures marked (``d``)."""
        meeting_id = self._meeting_id()
        if meeting_id is None:
            self.notify(_("Open a meeting or an item first."), severity="warning")
            return
        meeting = await self.gateway.call(Store.meeting, meeting_id)
        items = await self.gateway.call(_merged_meeting, meeting_id)
        from kkr_tui.app.screens.decisions import decisions_screen

        self.push_screen(decisions_screen(meeting, items), self._open_choice)

    @work(exclusive=True, group="work", exit_on_error=False)
    async def action_others_decisions(self: KkrApp) -> None:
        """How the other councils and meetings decided the item on screen (``D``)."""
        item = self.current_item
        if item is None:
            self.notify(_("Open an item first."), severity="warning")
            return
        others = await self.gateway.call(_others, item.id)
        from kkr_tui.app.screens.others import others_screen

        self.push_screen(others_screen(f"{item.number} {item.title}", others), self._open_choice)

    @work(exclusive=True, group="work", exit_on_error=False)
    async def action_whats_new(self: KkrApp) -> None:
        """Items new or changed since you last looked, not opened since (``w``)."""
        from kkr_tui.app.widgets.marked_tree import detect_changes

        await detect_changes(self.gateway)
        changes = await self.gateway.call(Store.changed_items)
        rows = [
            (
                c.item_id,
                Content.assemble(
                    (
                        f"{_('new') if c.kind == 'new' else _('changed'):<7}",
                        "bold $text-accent",
                    ),
                    (safe(c.council).removeprefix("KKR "), "$text-muted"),
                    " ",
                    (danish_date(c.meeting_date), "$text-muted"),
                    "  ",
                    (safe(c.number), "bold"),
                    " ",
                    safe(c.title),
                ),
            )
            for c in changes
        ]
        summary = Content(
            ngettext(
                "{n} new or changed item you have not opened · Enter opens · Esc back",
                "{n} new or changed items you have not opened · Enter opens · Esc back",
                len(rows),
            ).format(n=len(rows))
            if rows
            else _("Nothing new since you last looked.")
        )
        from kkr_tui.app.screens.pick_list import PickListScreen

        screen = PickListScreen(Content(_("What's new")), summary, rows, name="whats-new")
        self.push_screen(screen, self._open_choice)

    @work(exclusive=True, group="work", exit_on_error=False)
    async def action_all_notes(self: KkrApp) -> None:
        """Every note, newest meeting first."""
        notes = await self.gateway.call(Store.notes_with_items)
        rows = []
        for note, item_id in notes:
            a = note.anchor
            rows.append(
                (
                    item_id,
                    Content.assemble(
                        (f"{safe(a.council).removeprefix('KKR ')} ", "$text-muted"),
                        (danish_date(a.meeting_date or None), "$text-muted"),
                        "  ",
                        (safe(a.number), "bold"),
                        " ",
                        safe(a.title),
                        ("  (" + _("no item") + ")" if item_id is None else "", "$text-muted"),
                        "\n  ",
                        (safe(note.text.splitlines()[0] if note.text else ""), "italic"),
                    ),
                )
            )
        summary = Content(
            ngettext(
                "{n} note · Enter opens · Esc back", "{n} notes · Enter opens · Esc back", len(rows)
            ).format(n=len(rows))
        )
        from kkr_tui.app.screens.pick_list import PickListScreen

        self.push_screen(
            PickListScreen(Content(_("Notes")), summary, rows, name="notes"), self._open_choice
        )

    @work(exclusive=True, group="work", exit_on_error=False)
    async def action_export_briefing(self: KkrApp) -> None:
        """Write a briefing of the meeting on screen (``x``): asks where, starting in the
        folder the last one went to; a name ending in .html writes HTML."""
        meeting_id = self._meeting_id()
        if meeting_id is None:
            self.notify(_("Open a meeting or an item first."), severity="warning")
            return
        meeting = await self.gateway.call(Store.meeting, meeting_id)
        from kkr_tui.app.screens.export import ExportChoice, ExportScreen
        from kkr_tui.meetingwork.briefing import briefing_file_name

        folder = self._export_folder()
        suggested = folder / briefing_file_name(meeting.council, meeting.meeting_date)
        heading = f"{meeting.council} {danish_date(meeting.meeting_date)}"

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self._write_briefing(meeting_id, choice.path, overwrite=choice.overwrite)

        # pushed with a callback, not awaited: no worker stays parked while the user types
        self.push_screen(ExportScreen(heading, suggested), chosen)

    @work(exclusive=True, group="work", exit_on_error=False)
    async def _write_briefing(
        self: KkrApp, meeting_id: int, target: Path, *, overwrite: bool = False
    ) -> None:
        """Write the briefing where the user said; a .html name gives HTML.

        An existing file is replaced only when the user said so (``overwrite``): a file
        that appeared after the dialog asked is left alone (opened with mode ``x``)."""
        fmt: Format = "html" if target.suffix.lower() in (".html", ".htm") else "md"
        text = await self.gateway.call(_briefing, meeting_id, fmt)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w" if overwrite else "x", encoding="utf-8") as out:
                out.write(text)
        except FileExistsError:
            self.notify(
                _("{path} already exists; nothing was overwritten").format(path=safe(str(target))),
                severity="error",
                markup=False,
            )
            return
        except OSError as exc:
            self.notify(
                _("Could not write the briefing: {reason}").format(reason=safe(str(exc))),
                severity="error",
                markup=False,
            )
            return
        self._remember_export_folder(target.parent)
        self.notify(
            _("Briefing written to {path}").format(path=safe(str(target))),
            title=_("Export"),
            markup=False,
        )

    def _export_folder(self: KkrApp) -> Path:
        """Where the export dialog starts: the last folder used, else the default."""
        remembered = self.config.export_dir
        if remembered and Path(remembered).expanduser().is_dir():
            return Path(remembered).expanduser()
        if self.briefing_dir is not None:
            return self.briefing_dir
        from kkr_tui.paths import data_dir

        return data_dir() / "briefings"

    def _remember_export_folder(self: KkrApp, folder: Path) -> None:
        """The next export starts here, also after a restart (the config file)."""
        from kkr_tui.app.config import save_export_dir

        self.config.export_dir = str(folder)
        try:
            save_export_dir(self.config_path, str(folder))
        except OSError as exc:
            log.warning("could not remember the export folder: %s", exc)


def _merged_meeting(store: Store, meeting_id: int) -> list[MergedItem]:
    from kkr_tui.meetingwork.merged import merged_meeting

    return merged_meeting(store, meeting_id)


def _others(store: Store, item_id: int) -> list[OtherDecision]:
    from kkr_tui.meetingwork.others import other_decisions

    return other_decisions(store, item_id)


def _briefing(store: Store, meeting_id: int, fmt: Format) -> str:
    from kkr_tui.meetingwork.briefing import briefing

    return briefing(store, meeting_id, fmt)
