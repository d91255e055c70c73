"""A bilag read in the reader: one page at a time, with search inside it.

A bilag can run to hundreds of pages, so the screen asks the store for the page on
screen only (``Store.bilag_pages``), never the whole text: memory stays that of one
page, and opening a 500-page bilag is as quick as a 2-page one. Text from the PDF is
data: it is shown literally. ``o`` opens the PDF itself at the page shown. Opened from
a search hit it starts at the page the words were found on, with them marked on
every page and ``n`` going to the next page that has them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from kkr_tui.app.actions import translate_bindings
from kkr_tui.app.render import same_length_clean
from kkr_tui.failure_words import stored_words
from kkr_tui.i18n import N_, _

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway


def marked_words(words: str, text: str) -> tuple[tuple[int, int], ...]:
    """Where ``words`` (each as a word start, Danish-aware: ``okonomi`` marks *økonomi*)
    are in ``text``: what the bilag search and the store's find match."""
    from kkr_tui.search.highlight import prefix_marker
    from kkr_tui.textfold import fold

    found = prefix_marker([w for w in fold(words).split() if w.isalnum()])
    return found.spans(text) if found is not None and text else ()


class BilagScreen(Screen[None]):
    """The text of one bilag, page by page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Back"), id="bilag.close"),
        Binding("right,l,pagedown", "page(1)", N_("Next page"), id="bilag.next", priority=True),
        Binding("left,h,pageup", "page(-1)", N_("Previous page"), id="bilag.prev", priority=True),
        Binding("g", "first", N_("First page"), show=False, id="bilag.first"),
        Binding("G", "last", N_("Last page"), show=False, id="bilag.last"),
        Binding("slash", "find", N_("Search the bilag"), id="bilag.find"),
        Binding("n", "find_next", N_("Next match"), show=False, id="bilag.find_next"),
        Binding("o", "open_pdf", N_("Open the PDF"), id="bilag.open"),
    ]

    def __init__(
        self, gateway: StoreGateway, bilag: Any, page: int = 1, *, words: str = ""
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.gateway = gateway
        self.bilag = bilag
        self.page = max(1, page)
        #: The words searched for (from a search hit, or typed after /): marked on
        #: every page and found by ``n``.
        self.query_text = words.strip()
        #: How many words are marked on the page shown.
        self.marks = 0

    def compose(self) -> ComposeResult:
        yield Static(Content(self.bilag.title), id="bilag-title", classes="item-title")
        yield Static("", id="bilag-facts", classes="facts")
        find = Input(
            placeholder=_("Search the bilag (enter: next page with the words)"), id="bilag-find"
        )
        find.display = False
        find.disabled = True  # out of the focus chain while hidden
        yield find
        with VerticalScroll(id="bilag-body"):
            yield Static("", id="bilag-page")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#bilag-body", VerticalScroll).focus()
        self.show_page(self.page)

    def _hide_find(self) -> None:
        find = self.query_one("#bilag-find", Input)
        find.display = False
        find.disabled = True
        self.query_one("#bilag-body", VerticalScroll).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Page keys go to the search field while it has focus (they are priority keys
        here so the scrolling page text does not take them)."""
        return not (action == "page" and self.query_one("#bilag-find", Input).has_focus)

    @work(exclusive=True, group="bilag-page", exit_on_error=False)
    async def show_page(self, page: int) -> None:
        """Fetch and show one page (from the store thread)."""
        total = self.bilag.page_count or self.bilag.pages_read
        page = min(max(1, page), max(1, total))
        from kkr_tui.app.db import Store

        rows = await self.gateway.call(Store.bilag_pages, self.bilag.id, page, 1)
        text = rows[0][1] if rows and rows[0][0] == page else ""
        self.page = page
        state = ""
        # The store keeps a code (or an older kkr-tui's words): worded now.
        reason = stored_words(self.bilag.reason)
        if self.bilag.state == "unreadable":
            state = " · " + _("unreadable: {reason}").format(reason=reason)
        elif self.bilag.state == "reading":
            state = " · " + _("still being read")
        elif reason:  # pages that could not be read: their text is missing
            state = " · " + _("warning: {text}").format(text=reason)
        facts = _("Page {page} of {total}").format(page=page, total=total) + state
        spans = marked_words(self.query_text, text)
        if spans:
            # The words as this page spells them ("Vandløbsrestaurering"), not folded.
            seen = list(dict.fromkeys(text[a:b] for a, b in spans))[:3]
            facts += " · " + _("{words} marked, n: next page with them").format(
                words=" ".join(f"„{w}“" for w in seen)
            )
        facts += " · " + _("← → turn pages, / searches, o opens the PDF")
        self.query_one("#bilag-facts", Static).update(Content(facts))
        # Control characters blanked in place, so the marks' offsets stay true.
        plain = same_length_clean(text)
        body = Content(plain, strip_control_codes=False)
        if not text.strip():
            body = Content(_("(no text on this page)"))
        for start, end in spans:
            body = body.stylize("bold reverse $text-accent", start, end)
        self.query_one("#bilag-page", Static).update(body)
        self.marks = len(spans)
        self.query_one("#bilag-body", VerticalScroll).scroll_home(animate=False)

    def action_page(self, step: int) -> None:
        """Next or previous page."""
        self.show_page(self.page + step)

    def action_first(self) -> None:
        """The first page."""
        self.show_page(1)

    def action_last(self) -> None:
        """The last page."""
        self.show_page(self.bilag.page_count or self.bilag.pages_read or 1)

    def action_close(self) -> None:
        """Back to the item."""
        if self.query_one("#bilag-find", Input).has_focus:
            self._hide_find()
            return
        self.dismiss(None)

    def action_find(self) -> None:
        """Show the search field."""
        find = self.query_one("#bilag-find", Input)
        find.disabled = False
        find.display = True
        find.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Go to the next page (after this one) with the words."""
        self.query_text = event.value.strip()
        self._hide_find()
        self.action_find_next()

    @work(exclusive=True, group="bilag-find", exit_on_error=False)
    async def action_find_next(self) -> None:
        """The next page holding the search words, wrapping to the first."""
        if not self.query_text:
            return
        from kkr_tui.app.db import Store

        found = await self.gateway.call(
            Store.find_in_bilag, self.bilag.id, self.query_text, self.page
        )
        if found is None:
            self.notify(_("Not found in the bilag."), severity="warning", markup=False)
            return
        self.show_page(found)

    def action_open_pdf(self) -> None:
        """Open the PDF itself at the page shown."""
        path = Path(self.bilag.path)
        if not path.is_file():
            self.notify(_("The PDF is no longer on the disk."), severity="warning", markup=False)
            return
        self.app.open_url(path.resolve().as_uri() + f"#page={self.page}")
        self.notify(_("Opening {name}").format(name=path.name), markup=False)
