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
from typing import TYPE_CHECKING, Any

from textual import work
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from kkr_tui.app.actions import Command, register
from kkr_tui.app.db import Store
from kkr_tui.app.failures import log
from kkr_tui.app.find import findable
from kkr_tui.app.render import part_body, safe
from kkr_tui.i18n import N_, _, ngettext
from kkr_tui.wording import danish_date

if TYPE_CHECKING:
    from kkr_tui.app.app import KkrApp
    from kkr_tui.app.widgets.related_panel import RelatedPanel
    from kkr_tui.meetingwork.briefing import Format
    from kkr_tui.meetingwork.merged import MergedItem
    from kkr_tui.meetingwork.others import OtherDecision
    from kkr_tui.meetingwork.related import RelatedItem
    from kkr_tui.model import Part
    from kkr_tui.records import ItemDetail, Note

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

#: Meetings per "what's new" step in the background: about 20 ms on this 2-core
#: machine, so an item opened meanwhile hardly waits (25 took 45 ms, up to 90 ms).
BACKGROUND_STEP_MEETINGS = 10
#: When the user asked (``w``) and waits anyway, fewer and bigger steps.
FOREGROUND_STEP_MEETINGS = 50


def _part(kind: str, heading: str, text: str) -> Part:
    from kkr_tui.model import Block, Part

    blocks = tuple(Block("paragraph", p) for p in text.split("\n\n") if p.strip())
    return Part(kind, heading, blocks)


def part_widget(kind: str, heading: str, text: str, extra_class: str = "") -> Vertical:
    """A part as the item pane draws it (so ``i``/``b`` find it by class)."""
    from kkr_tui.app.widgets.item_pane import part_class

    return Vertical(
        Static(Content(safe(heading)), classes="part-heading"),
        findable(Static(part_body(_part(kind, heading, text)), classes="part-body"), text),
        classes=f"part {part_class(kind)} {extra_class}".strip(),
    )


def note_markdown(text: str) -> Any:
    """The note as Markdown, every line break kept as typed (a note is often a list of
    short lines, which Markdown would otherwise run together). The note is the user's
    own text, so Markdown is wanted here; it is still never Textual markup."""
    from rich.markdown import Markdown

    lines = text.replace("\r\n", "\n").split("\n")
    # A line followed by another non-blank line ends in Markdown's hard break.
    kept = [
        line + "  " if line.strip() and i + 1 < len(lines) and lines[i + 1].strip() else line
        for i, line in enumerate(lines)
    ]
    return Markdown("\n".join(kept), hyperlinks=False)


def note_widget(text: str) -> Vertical:
    """My note on the item, as the pane draws it."""
    return Vertical(
        Static(Content(_("My notes")), classes="part-heading"),
        findable(Static(note_markdown(text), classes="part-body"), text),
        classes="part part--note",
    )


class MeetingWorkActions:
    """Actions and hooks of the meeting-work features; mixed into KkrApp."""

    briefing_dir: Path | None = None
    #: The note text of the item on screen as drawn (None: no note).
    note_on_screen: str | None = None

    @property
    def related_panel(self: KkrApp) -> RelatedPanel:
        """The Related panel under the pane (mounted when the first item is shown)."""
        from kkr_tui.app.widgets.related_panel import RelatedPanel

        return self.query_one(RelatedPanel)

    def _related_panel_if_mounted(self: KkrApp) -> RelatedPanel | None:
        from kkr_tui.app.widgets.related_panel import RelatedPanel

        return next(iter(self.query(RelatedPanel)), None)

    async def _mounted_related_panel(self: KkrApp) -> RelatedPanel:
        """The Related panel, mounted under the pane the first time an item needs it.

        Not part of the first screen: it is hidden until an item has related items,
        and composing it (an OptionList) at start-up cost about 25 ms of first frame.
        """
        from kkr_tui.app.widgets.related_panel import RelatedPanel

        panel = self._related_panel_if_mounted()
        if panel is not None:
            return panel
        panel = RelatedPanel(id="related")
        await self.query_one("#right").mount(panel)
        return panel

    # -- after an item is shown ---------------------------------------------------------

    async def item_shown(self: KkrApp, item: ItemDetail) -> None:
        """Mark read, add the other document's parts, the note, the decision and related."""
        gateway = self.gateway
        await gateway.call(Store.mark_read, item.id)
        merged = await gateway.call(_merged_item, item.id)
        note = await gateway.call(Store.note_for, item.id)
        related = await gateway.call(_related, item.id)
        if self.pane.shown != ("item", item.id):
            return
        self.note_on_screen = note.text if note is not None else None
        await self._decorate_pane(item, merged, note)
        panel = await self._mounted_related_panel()
        panel.show_related(related)
        tree = self.tree
        if hasattr(tree, "refresh_marks"):
            await tree.refresh_marks(item.id)

    async def _decorate_pane(
        self: KkrApp, item: ItemDetail, merged: MergedItem | None, note: Note | None
    ) -> None:
        """Add, under the facts line: the decision at a glance, my note, and the parts
        the other document of the meeting holds (Indstilling from the agenda,
        Beslutning from the minutes)."""
        pane = self.pane
        kinds = {p.kind for p in item.parts}
        after: Any = pane.query(".facts").first()
        if merged is not None and merged.beslutning:
            reading = merged.reading
            style = "decision-departs" if reading.departs else "decision-follows"
            if reading.unsure:
                style = "decision-unsure"
            line = Static(Content(safe(reading.line)), classes=f"decision {style}")
            await pane.mount(line, after=after)
            after = line
        if note is not None:
            widget = note_widget(note.text)
            await pane.mount(widget, after=after)
            after = widget
        if merged is None:
            return
        if "Indstilling" not in kinds and merged.indstilling:
            heading = (
                _("Indstilling (from the agenda)")
                if merged.indstilling_source == "agenda"
                else _("Indstilling (from the minutes)")
            )
            widget = part_widget("Indstilling", heading, merged.indstilling)
            await pane.mount(widget, after=after)
        if "Beslutning" not in kinds and merged.beslutning:
            await pane.mount(
                part_widget("Beslutning", _("Beslutning (from the minutes)"), merged.beslutning)
            )

    async def show_outside_note_changes(self: KkrApp) -> None:
        """Another program wrote notes or reading marks (``kkr-tui notes``, a second
        reader): redraw the tree's marks, and the item on screen if its note is no
        longer the one shown. Nothing else on screen changed, so no reload is offered."""
        tree = self.tree
        if hasattr(tree, "refresh_all_marks"):
            await tree.refresh_all_marks()
        item = self.current_item
        if item is None or self.pane.shown != ("item", item.id):
            return
        note = await self.gateway.call(Store.note_for, item.id)
        if (note.text if note is not None else None) != self.note_on_screen:
            self.pane.shown = None
            self.show(("item", item.id), record=False)

    def meeting_shown(self: KkrApp) -> None:
        """A meeting overview has no Related panel."""
        panel = self._related_panel_if_mounted()
        if panel is not None:
            panel.show_related([])

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
        if hasattr(self.tree, "refresh_marks"):
            await self.tree.refresh_marks(item_id)
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

    @work(exclusive=True, group="changes", exit_on_error=False)
    async def detect_changes_in_steps(self: KkrApp) -> None:
        """Find what is new or changed since the last look, after the tree is up.

        In steps of a few meetings, run as background work on the store thread: tree
        loads and item views go first and wait at most for the one step running. A
        first look at a 100k-item store covers every item (seconds), which must never
        hold up the reader. Marks of items already in the tree are redrawn at the end.
        """
        try:
            marked = await self._detect_changes(background=True)
        except Exception as exc:
            log.warning("what's new could not be worked out", exc_info=exc)
            self.notify(safe(str(exc)), title=_("Reading marks"), severity="warning", markup=False)
            return
        if marked and hasattr(self.tree, "refresh_all_marks"):
            await self.tree.refresh_all_marks()

    async def _detect_changes(self: KkrApp, *, background: bool = False) -> int:
        call = self.gateway.call_background if background else self.gateway.call
        size = BACKGROUND_STEP_MEETINGS if background else FOREGROUND_STEP_MEETINGS
        marked = 0
        while True:
            step, done = await call(Store.detect_changes_step, size)
            marked += step
            if done:  # a read-only store is done at once: it records nothing
                return marked

    @work(exclusive=True, group="work", exit_on_error=False)
    async def action_whats_new(self: KkrApp) -> None:
        """Items new or changed since you last looked, not opened since (``w``)."""
        await self._detect_changes()
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


def _merged_item(store: Store, item_id: int) -> MergedItem | None:
    from kkr_tui.meetingwork.merged import merged_item

    return merged_item(store, item_id)


def _merged_meeting(store: Store, meeting_id: int) -> list[MergedItem]:
    from kkr_tui.meetingwork.merged import merged_meeting

    return merged_meeting(store, meeting_id)


def _related(store: Store, item_id: int) -> list[RelatedItem]:
    from kkr_tui.meetingwork.related import related_items

    return related_items(store, item_id)


def _others(store: Store, item_id: int) -> list[OtherDecision]:
    from kkr_tui.meetingwork.others import other_decisions

    return other_decisions(store, item_id)


def _briefing(store: Store, meeting_id: int, fmt: Format) -> str:
    from kkr_tui.meetingwork.briefing import briefing

    return briefing(store, meeting_id, fmt)
