"""The reading pane: one item, or the overview of one meeting, or a friendly placeholder.

The pane loads what it shows: :meth:`ItemPane.show` takes a view (``("item", id)`` or
``("meeting", id)``), fetches it through the store gateway in its own worker, draws it,
adds what belongs under an item from elsewhere (the decision at a glance, my note, the
other document's parts: :mod:`~kkr_tui.app.widgets.item_extras`), marks the item read,
and then says so with :class:`ItemPane.ItemShown` or :class:`ItemPane.MeetingShown`;
the app routes those to the Related panel, the tree's marks and the footer. What is on
screen is the pane's to know (:attr:`ItemPane.item`, :attr:`ItemPane.meeting`).

Each part gets its own widget so ``i`` and ``b`` can scroll straight to the Indstilling
or Beslutning, and TCSS can style them by class. Every string from the store goes
through :mod:`kkr_tui.app.render`, which never parses data as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from textual import events, work
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker

from kkr_tui.app import actions
from kkr_tui.app.db import Store
from kkr_tui.app.failures import report_worker_failure
from kkr_tui.app.find import Finder, findable
from kkr_tui.app.links import LinkMarks, LinkSpot, LinkText, refusal, spots, target
from kkr_tui.app.render import (
    bullet_list,
    facts_line,
    literal,
    part_body,
    safe,
)
from kkr_tui.app.widgets.item_extras import extras, part_class
from kkr_tui.i18n import _
from kkr_tui.sanitize import clean_text
from kkr_tui.warning_words import describe
from kkr_tui.wording import danish_date, doc_type_name

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway
    from kkr_tui.meetingwork.changes import ItemChange
    from kkr_tui.meetingwork.merged import MergedItem
    from kkr_tui.records import ItemDetail, MeetingDetail

__all__ = ["ItemPane", "bilag_list", "part_class"]

View = tuple[str, int]


class ItemPane(VerticalScroll, can_focus=True):
    """Shows what the tree or search selected; scrolls with the usual keys and vim keys."""

    BINDINGS: ClassVar[list[BindingType]] = list(actions.bindings("pane"))

    class ItemShown(Message):
        """An item is on screen, with everything under it; its related items are the
        Related panel's to find."""

        def __init__(self, item: ItemDetail) -> None:
            super().__init__()
            self.item = item

    class MeetingShown(Message):
        """A meeting overview is on screen."""

        def __init__(self, meeting: MeetingDetail) -> None:
            super().__init__()
            self.meeting = meeting

    class NoteSaved(Message):
        """The note of ``item_id`` was stored (or deleted, when emptied)."""

        def __init__(self, item_id: int) -> None:
            super().__init__()
            self.item_id = item_id

    class BilagChosen(Message):
        """``enter`` on one of the item's fetched bilag: open its text."""

        def __init__(self, bilag_id: int) -> None:
            super().__init__()
            self.bilag_id = bilag_id

    def __init__(self, gateway: StoreGateway, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        actions.translate_bindings(self)
        self.gateway = gateway
        #: The view drawn now (None: a placeholder or message).
        self.shown: View | None = None
        #: The item or meeting the reader has in front (the last one shown).
        self.item: ItemDetail | None = None
        self.meeting: MeetingDetail | None = None
        #: The item's fetched bilag as drawn (what ``o`` offers besides the source).
        self.bilag: Sequence[Any] = ()
        #: The note text of the item on screen as drawn (None: no note).
        self.note_text: str | None = None
        #: Find in the item on screen (``/``, ``n``/``N``); ended when another is shown.
        self.finder = Finder(self)
        #: What changed in the item on screen since the user last saw it (None: not
        #: changed); kept while the pane stays on the item, since opening it dropped the
        #: store's copy of the earlier version.
        self.change: ItemChange | None = None

    @work(exclusive=True, group="pane", exit_on_error=False)
    async def show(self, view: View) -> None:
        """Fetch and draw an item or a meeting overview (a newer view cancels this one)."""
        if self.shown == view:
            return
        if self.finder.active:
            self.finder.end()
        kind, ident = view
        gateway = self.gateway
        if kind == "item":
            from kkr_tui.app.limits import bounded_item

            item = bounded_item(await gateway.call(Store.item, ident))
            bilag = await gateway.call(Store.item_bilag, ident)
            self.item, self.meeting, self.bilag = item, None, bilag
            await self.show_item(item, bilag)
            # What changed is asked before the item is marked read: reading drops the
            # kept earlier version (what the user last saw is then what is on screen).
            change = await gateway.call(_item_change, item.id)
            if change is None and self.change is not None and self.change.item_id == item.id:
                change = self.change  # drawn again (a note saved): the change still applies
            self.change = change
            await gateway.call(Store.mark_read, item.id)
            merged = await gateway.call(_merged_item, item.id)
            note = await gateway.call(Store.note_for, item.id)
            if self.shown != view:
                return
            self.note_text = note.text if note is not None else None
            under, end = extras({p.kind for p in item.parts}, merged, note)
            if under:
                await self.mount_all(under, after=self.query(".facts").first())
            if end:
                await self.mount_all(end)
            # A change whose words are all the same here (the agenda item opened when the
            # minutes are what changed, or a re-typeset PDF) has nothing to show.
            if change is not None and (change.diff is None or not change.diff.is_same):
                from kkr_tui.app.widgets.change_view import change_block

                after = self.query(".decision, .facts").last()
                await self.mount(change_block(change), after=after)
            self.post_message(self.ItemShown(item))
        else:
            meeting = await gateway.call(Store.meeting, ident)
            self.meeting, self.item, self.bilag = meeting, None, ()
            await self.show_meeting(meeting)
            self.post_message(self.MeetingShown(meeting))

    def redraw(self) -> None:
        """Fetch and draw again what is on screen (its note changed, say)."""
        view = self.shown
        if view is not None:
            self.shown = None
            self.show(view)

    async def note_changed_elsewhere(self) -> bool:
        """Whether the note of the item on screen is no longer the one drawn."""
        item = self.item
        if item is None or self.shown != ("item", item.id):
            return False
        note = await self.gateway.call(Store.note_for, item.id)
        return (note.text if note is not None else None) != self.note_text

    @work(exclusive=True, group="note", exit_on_error=False)
    async def edit_note(self) -> None:
        """Write the note of the item on screen (``n``).

        The editor is pushed with a callback rather than awaited here, so no worker
        stays parked while the user types (a parked worker reads as "still loading").
        """
        item = self.item
        if item is None:
            self.notify(_("Open an item to write a note on it."), severity="warning")
            return
        note = await self.gateway.call(Store.note_for, item.id)
        from kkr_tui.app.screens.note_editor import NoteEditor

        def done(text: str | None) -> None:
            if text is not None:
                self.save_note(item.id, text)

        editor = NoteEditor(f"{item.number} {item.title}", note.text if note else "")
        self.app.push_screen(editor, done)

    @work(exclusive=True, group="note", exit_on_error=False)
    async def save_note(self, item_id: int, text: str) -> None:
        """Store the edited note (an empty one is deleted), say so, post NoteSaved."""
        saved = await self.gateway.call(Store.save_note, item_id, text)
        self.notify(_("Note saved.") if saved else _("Note deleted."), markup=False)
        self.post_message(self.NoteSaved(item_id))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Loading the view failed: log it and say so (the pane keeps what it had)."""
        report_worker_failure(self.app, event)

    #: The link the link cursor is on (``tab``), if any.
    link: LinkSpot | None = None

    async def _replace(self, widgets: list[Widget]) -> None:
        self.link = None
        await self.remove_children()
        await self.mount_all(widgets)
        self.scroll_home(animate=False)

    async def show_message(self, title: str, body: str = "") -> None:
        """A placeholder or an error; ``title`` and ``body`` are shown literally."""
        self.shown = None
        widgets: list[Widget] = [Static(literal(title), classes="placeholder-title")]
        if body:
            widgets.append(Static(Content(body), classes="placeholder-body"))
        await self._replace(widgets)

    def on_option_list_option_selected(self, event: Any) -> None:
        """``enter`` on a fetched bilag opens its text over the reader."""
        if event.option_list.id != "bilag-list" or event.option.id is None:
            return
        event.stop()
        self.post_message(self.BilagChosen(int(event.option.id)))

    async def show_item(self, item: ItemDetail, bilag: Sequence[Any] = ()) -> None:
        """Title, facts line, pages whose text is missing, parts in order, attachments,
        links, then parse warnings. Missing pages come first: the text below is incomplete."""
        self.shown = ("item", item.id)
        widgets: list[Widget] = [
            Static(literal(f"{item.number} {item.title}"), classes="item-title"),
            Static(facts_line(item), classes="facts"),
        ]
        missing = getattr(item, "page_warnings", ())
        if missing:
            lines = "\n".join(f"⚠ {safe(w.text)}" for w in missing)
            widgets.append(Static(Content(lines), classes="warnings page-warnings"))
        for part in item.parts:
            heading = Static(literal(part.heading or part.kind), classes="part-heading")
            body = findable(
                LinkText(partial(part_body, part), classes="part-body"),
                f"{part.heading or part.kind}\n{clean_text(part.text)}",
            )
            widgets.append(Vertical(heading, body, classes=f"part {part_class(part.kind)}"))
        if not item.parts:
            widgets.append(Static(_("No text under this item."), classes="muted", markup=False))
        # A Bilag part already lists the attachments as the document prints them; a
        # second "Bilag" block under it would say the same twice.
        has_bilag_part = any(part_class(p.kind) == "part--bilag" for p in item.parts)
        if item.attachments and not has_bilag_part:
            widgets.append(
                Vertical(
                    Static("Bilag", classes="part-heading"),
                    Static(bullet_list(item.attachments), classes="part-body"),
                    classes="part part--attachments",
                )
            )
        if bilag:
            widgets.append(bilag_list(bilag))
        if item.urls:
            widgets.append(
                Vertical(
                    Static(_("Links"), classes="part-heading", markup=False),
                    LinkText(_url_list(item.urls), classes="part-body links"),
                    classes="part part--links",
                )
            )
        if item.warnings:
            lines = "\n".join(f"• {describe(w)}" for w in item.warnings)
            doubt = _("The document could not be read with certainty here:")
            widgets.append(Static(Content(f"{doubt}\n{lines}"), classes="warnings"))
        await self._replace(widgets)

    async def show_meeting(self, meeting: MeetingDetail) -> None:
        """Facts, participants, source files and every item with its first lines."""
        self.shown = ("meeting", meeting.id)
        widgets: list[Widget] = [
            Static(
                literal(
                    _("{council} · meeting {date}").format(
                        council=meeting.council, date=danish_date(meeting.meeting_date)
                    )
                ),
                classes="item-title",
            ),
            Static(_meeting_facts(meeting), classes="facts"),
        ]
        participants = _participants(meeting)
        if participants is not None:
            widgets.append(Static(participants, classes="participants"))
        if meeting.documents:
            docs = Content("\n").join(
                Content.assemble(
                    (f"{doc_type_name(d.doc_type)}: ", "bold"),
                    safe(Path(d.path).name),
                    (f"  ({d.page_count} s.)" if d.page_count else "", "$text-muted"),
                )
                for d in meeting.documents
            )
            widgets.append(Static(docs, classes="documents"))
            missing = [
                f"⚠ {doc_type_name(d.doc_type)}: {safe(w.text)}"
                for d in meeting.documents
                for w in getattr(d, "page_warnings", ())
            ]
            missing += [
                f"⚠ {doc_type_name(d.doc_type)}: {describe(w)}"
                for d in meeting.documents
                for w in getattr(d, "warnings", ())
            ]
            if missing:
                widgets.append(
                    Static(Content("\n".join(missing)), classes="warnings page-warnings")
                )
        widgets.extend(_overview(meeting))
        await self._replace(widgets)

    def part_widget(self, kind: str) -> Widget | None:
        """The first part widget of a kind, for ``i`` / ``b``."""
        results = self.query(f".{part_class(kind)}")
        return results.first() if results else None

    def jump_to(self, kind: str) -> bool:
        """Scroll so the part of this kind is at the top; False when the item has none."""
        widget = self.part_widget(kind)
        if widget is None:
            return False
        self.scroll_to_widget(widget, top=True, animate=False)
        return True

    # -- the link cursor ----------------------------------------------------------------

    def action_next_link(self, step: int = 1) -> None:
        """``tab`` / ``shift+tab``: the next or previous link of what is shown; past the
        last (or before the first) one, on to the next widget as ``tab`` did before."""
        found = spots(self)
        if self.link in found:
            at = found.index(self.link) + step
        elif found:
            at = self._first_in_view(found) if step > 0 else len(found) - 1
        else:
            at = -1
        if not 0 <= at < len(found):
            self.set_link(None)
            self.app.action_focus_next() if step > 0 else self.app.action_focus_previous()
            return
        self.set_link(found[at])

    def _first_in_view(self, found: list[LinkSpot]) -> int:
        """The first link whose part reaches into the view (the first link at the top)."""
        top = self.content_region.y
        for n, spot in enumerate(found):
            if spot.widget.region.bottom > top:
                return n
        return 0

    def set_link(self, spot: LinkSpot | None) -> None:
        """Put the link cursor on ``spot`` (``None``: off), marked and scrolled into view."""
        old, self.link = self.link, spot
        if old is not None and (spot is None or old.widget is not spot.widget):
            old.widget.mark(None)
        if spot is None:
            return
        spot.widget.mark(spot.index)
        line = spot.widget.line_of(spot.index, spot.widget.content_region.width or self.size.width)
        y = spot.widget.content_region.y + line
        view = self.content_region
        if not view.y <= y < view.bottom:
            self.scroll_to(y=self.scroll_y + (y - view.y) - 2, animate=False)
        self.refresh_bindings()

    async def action_open_link(self) -> None:
        """``enter``: the link under the cursor; without one, as ``o`` for links (the
        item's one link, or a choice of them)."""
        if self.link is None:
            self.open_source("links")
            return
        self.open(self.link.url)

    def open_source(self, what: str = "all") -> None:
        """``o``: open the source document at the item's page; when the item also has
        bilag or links, offer them all in a list (Enter opens, Esc backs out).
        ``what == "links"``: the item's links only (``enter`` without a link cursor)."""
        from kkr_tui.app.opening import bilag_choices, link_choices, source_choice

        links_only = what == "links"
        choices = []
        if not links_only:
            source, problem = source_choice(self.item, self.meeting)
            if problem is not None:
                self.notify(problem, severity="warning", markup=False)
            if source is not None:
                choices.append(source)
            if self.item is not None:
                choices += bilag_choices(self.bilag)
        choices += link_choices(self.item)
        if not choices:
            self.notify(
                _("This item has no links.") if links_only else _("Nothing to open."),
                severity="warning",
            )
            return
        if len(choices) == 1:
            self._open_choice(*choices[0])
            return
        from kkr_tui.app.limits import link_label
        from kkr_tui.app.screens.pick_list import PickListScreen

        rows = [(n, Content(link_label(label))) for n, (label, _url) in enumerate(choices)]

        def chosen(index: int | None) -> None:
            if index is not None:
                self._open_choice(*choices[index])

        screen = PickListScreen(
            Content(_("Open")), Content(_("Enter opens · Esc back")), rows, name="open"
        )
        self.app.push_screen(screen, chosen)

    def _open_choice(self, label: str, url: str) -> None:
        self.app.open_url(url)
        self.notify(_("Opening {what}").format(what=label), markup=False)

    def open(self, url: str) -> None:
        """Open a web address or a file on this computer; anything else is refused."""
        opened = target(url)
        if opened is None:
            self.notify(refusal(url), severity="warning", markup=False)
            return
        self.app.open_url(opened)
        from kkr_tui.app.limits import link_label

        self.notify(_("Opening {what}").format(what=link_label(opened)), markup=False)

    def on_click(self, event: events.Click) -> None:
        """Open a link the user clicked (and put the link cursor on it); links never
        open on their own."""
        link = event.style.link if event.style else None
        if not link:
            return
        event.stop()
        widget = event.widget
        if isinstance(widget, LinkText) and link in widget.urls:
            self.set_link(LinkSpot(widget, widget.urls.index(link)))
        self.open(link)


def _url_list(urls: Sequence[str]) -> Callable[[LinkMarks], Group]:
    """The Links list's builder (the pane re-draws it with the current link marked)."""

    def build(marks: LinkMarks) -> Group:
        return bullet_list(urls, links=True, marks=marks)

    return build


def _meeting_facts(meeting: MeetingDetail) -> Content:
    facts = [
        " / ".join(doc_type_name(t) for t in meeting.doc_types),
        danish_date(meeting.meeting_date),
    ]
    if getattr(meeting, "time", None):
        facts.append(_("at {time}").format(time=safe(meeting.time)))
    if meeting.place:
        facts.append(safe(meeting.place))
    return Content(" · ".join(f for f in facts if f))


def _participants(meeting: MeetingDetail) -> Content | None:
    people = list(getattr(meeting, "participants", ()) or ())
    if not people:
        return None
    present = [p for p in people if not getattr(p, "absent", False)]
    absent = [p for p in people if getattr(p, "absent", False)]

    def names(group: list[Any]) -> str:
        out = []
        for p in group:
            name = safe(getattr(p, "name", str(p)))
            detail = safe(getattr(p, "detail", ""))
            out.append(f"{name} ({detail})" if detail else name)
        return ", ".join(out)

    parts: list[Content | tuple[str, str] | str] = [(_("Present: "), "bold"), names(present)]
    if absent:
        parts += ["\n", (_("Sent apologies: "), "bold"), names(absent)]
    return Content.assemble(*parts)


def _overview(meeting: Any) -> list[Widget]:
    """One heading per section and one block per item: number, title, first lines."""
    by_section: dict[str, list[Any]] = {}
    for summary in meeting.items:
        by_section.setdefault(safe(summary.number).split(".")[0], []).append(summary)
    widgets: list[Widget] = []
    for section in meeting.sections:
        widgets.append(
            Static(literal(f"{section.number}. {section.title}"), classes="overview-section")
        )
        for summary in by_section.get(str(section.number), []):
            lines: list[Content | tuple[str, str] | str] = [
                (safe(summary.number), "bold"),
                " ",
                safe(summary.title),
            ]
            if summary.indstilling_first_line:
                lines += ["\n", ("Indstilling: ", "$text-accent")]
                lines.append(safe(summary.indstilling_first_line))
            if summary.beslutning_first_line:
                lines += ["\n", ("Beslutning: ", "bold $text-success")]
                lines.append(safe(summary.beslutning_first_line))
            widgets.append(Static(Content.assemble(*lines), classes="overview-item"))
    if not widgets:
        widgets.append(Static(_("No items."), classes="muted", markup=False))
    return widgets


def bilag_list(bilag: Sequence[Any]) -> Widget:
    """The item's fetched bilag as a list: ``enter`` opens one as text (page by page)."""
    from textual.widgets import OptionList
    from textual.widgets.option_list import Option

    from kkr_tui.i18n import _, ngettext

    options = []
    for row in bilag:
        pages = ngettext("{n} page", "{n} pages", row.page_count).format(n=row.page_count)
        unreadable = f" · {_('no text')}" if row.state == "unreadable" else ""
        options.append(Option(literal(f"{row.title} ({pages}{unreadable})"), id=str(row.id)))
    return Vertical(
        Static(
            _("Fetched bilag (enter opens, o in the text opens the PDF)"), classes="part-heading"
        ),
        OptionList(*options, id="bilag-list", classes="bilag-list"),
        classes="part part--bilag",
    )


def _item_change(store: Store, item_id: int) -> ItemChange | None:
    from kkr_tui.meetingwork.changes import item_change

    return item_change(store, item_id)


def _merged_item(store: Store, item_id: int) -> MergedItem | None:
    from kkr_tui.meetingwork.merged import merged_item

    return merged_item(store, item_id)
