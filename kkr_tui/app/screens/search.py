"""The search overlay: type, see results across all councils, Enter to open, Escape to go back.

Searching runs in an exclusive worker after a short pause in typing, so a stale query
is cancelled instead of overwriting newer results. The items are shown as soon as they
are found; the bilag follow in a second step, after them, so the items never wait for
a large bilag archive. The screen returns what to open
(``("item", id)``, ``("meeting", id)`` for a hit that stands for a whole meeting, or a
:class:`BilagView` for a page of a bilag) or None with ``dismiss``; the app does the
opening, so Escape leaves everything exactly where it was. A filter that cannot match
is named in the status line with the values that can.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from kkr_tui.app.actions import translate_bindings
from kkr_tui.app.failures import log, report_worker_failure
from kkr_tui.app.render import hit_prompt, safe
from kkr_tui.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway
    from kkr_tui.search import SearchHit

#: Items the reader's search lists; the bilag come after them, a quarter as many.
ITEM_LIMIT = 50
BILAG_LIMIT = ITEM_LIMIT // 4

HELP_LINE = N_("Filters: council:midt  year:2025  type:referat · SAG-2025-02162 · 3.4 · F1 help")


@dataclass(frozen=True, slots=True)
class BilagView:
    """Opening a bilag hit: the bilag at the page the words are on, the words to mark
    and find there (``n``), and the item it belongs to (0: none) to show behind it."""

    bilag_id: int
    page: int
    words: str
    item_id: int


#: What the search overlay returns: a view of the reader (``("item", id)``,
#: ``("meeting", id)``), or a bilag to open at a page.
Chosen = tuple[str, int] | BilagView


def hit_view(hit: SearchHit) -> Chosen:
    """What opening ``hit`` shows: its meeting for a meeting hit, the bilag at its page
    for a bilag hit, else its item."""
    if hit.kind == "meeting" and hit.meeting_id is not None:
        return ("meeting", hit.meeting_id)
    if hit.kind == "bilag" and hit.bilag_id is not None:
        return BilagView(hit.bilag_id, hit.page or 1, " ".join(hit.bilag_words), hit.item_id)
    return ("item", hit.item_id)


def active_filters(query: str) -> str:
    """The filters in force, in words (``KKR midt, 2025, referater``), so a short list of
    hits is never a mystery; empty when there are none."""
    from kkr_tui.search.query import parse_query

    parsed = parse_query(query)
    words: list[str] = []
    if parsed.council:
        words.append(_("council {name}").format(name=safe(parsed.council)))
    if parsed.year:
        words.append(str(parsed.year))
    if parsed.doc_type:
        words.append(_("minutes") if parsed.doc_type == "minutes" else _("agendas"))
    if parsed.dates is not None:
        words.append(safe(parsed.dates.text))
    return ", ".join(words)


class SearchScreen(ModalScreen[Chosen | None]):
    """Fuzzy, Danish-aware search over every item; returns the chosen view."""

    DEBOUNCE: ClassVar[float] = 0.15

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Back"), id="search.close"),
        Binding("down", "move(1)", N_("Next hit"), show=False, id="search.next"),
        Binding("up", "move(-1)", N_("Previous hit"), show=False, id="search.previous"),
        Binding("pagedown", "move(10)", N_("Ten hits down"), show=False),
        Binding("pageup", "move(-10)", N_("Ten hits up"), show=False),
    ]

    def __init__(
        self, gateway: StoreGateway, *, query: str = "", current_meeting_id: int | None = None
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.gateway = gateway
        self.initial_query = query
        self.current_meeting_id = current_meeting_id
        self.hits: list[Any] = []
        self._timer: Timer | None = None
        self._results_for: str | None = None
        self._open_when_done = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(
                value=self.initial_query,
                placeholder=_("Search all councils…"),
                id="search-input",
                select_on_focus=True,
            )
            yield Static(_(HELP_LINE), id="search-status", markup=False)
            yield OptionList(id="search-results")
            # One line a hit in the list, the highlighted one whole here, as fzf does.
            yield Static("", id="search-preview")
        # The keys of this overlay, not those of the reader behind it.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial_query.strip():
            self.run_search(self.initial_query)

    @property
    def query_text(self) -> str:
        """What the user has typed."""
        return self.query_one(Input).value

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        self._timer = self.set_timer(self.DEBOUNCE, lambda: self.run_search(value))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """This screen's worker failed outside the search call: log it and say so."""
        report_worker_failure(self.app, event)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(self, query: str) -> None:
        """Search in the background; results for a query the user has moved past are dropped."""
        status = self.query_one("#search-status", Static)
        results = self.query_one(OptionList)
        if not query.strip():
            self.hits = []
            results.clear_options()
            self._preview(None)
            status.update(Content(_(HELP_LINE)))
            return
        status.update(Content(_("Searching…")))
        try:
            answer = await self.gateway.answer(
                query, limit=ITEM_LIMIT, current_meeting_id=self.current_meeting_id
            )
        except Exception as exc:  # a bad query must not close the overlay
            log.warning("search for %r failed", query, exc_info=exc)
            status.update(Content(_("Search failed: {reason}").format(reason=safe(str(exc)))))
            return
        if query != self.query_text:
            return
        if answer.problems:
            self.hits = []
            self._results_for = query
            self._open_when_done = False
            results.clear_options()
            self._preview(None)
            status.update(Content("\n".join(p.message() for p in answer.problems)))
            return
        self.hits = list(answer.hits)
        self._results_for = query
        if self._open_when_done and self.hits:
            self.dismiss(hit_view(self.hits[0]))
            return
        results.clear_options()
        self._show_more(0, query)
        # Then the bilag, in a second step: the items never wait for them (grouping a
        # large bilag archive's pages costs tens of milliseconds).
        try:
            extra = await self.gateway.bilag_hits(query, limit=BILAG_LIMIT)
        except Exception as exc:  # the items stay; the bilag are extra evidence
            log.warning("bilag search for %r failed", query, exc_info=exc)
            extra = []
        if query != self.query_text:
            return
        if extra:
            shown = len(self.hits)
            self.hits += extra
            if self._open_when_done:
                self.dismiss(hit_view(self.hits[0]))
                return
            self._show_more(shown, query)
        self._open_when_done = False

    def _show_more(self, first: int, query: str) -> None:
        """Add the hits from ``first`` on to the list and say how many there are."""
        results = self.query_one(OptionList)
        status = self.query_one("#search-status", Static)
        results.add_options(
            Option(hit_prompt(hit, snippet=False), id=str(i))
            for i, hit in enumerate(self.hits[first:], start=first)
        )
        if results.highlighted is None and self.hits:
            results.highlighted = 0
        self._preview(results.highlighted if self.hits else None)
        if self.hits:
            count = ngettext(
                "{n} hit · Enter opens · Esc goes back",
                "{n} hits · Enter opens · Esc goes back",
                len(self.hits),
            ).format(n=len(self.hits))
            in_bilag = sum(1 for hit in self.hits if hit.kind == "bilag")
            if in_bilag:
                count = ngettext(
                    "{hits} · {n} in bilag, after the items",
                    "{hits} · {n} in bilag, after the items",
                    in_bilag,
                ).format(hits=count, n=in_bilag)
            filters = active_filters(query)
            if filters:
                count = _("{hits} · only {filters}").format(hits=count, filters=filters)
            status.update(Content(count))
        else:
            status.update(Content.assemble(_("No items match "), (safe(query), "bold")))

    def _preview(self, index: int | None) -> None:
        preview = self.query_one("#search-preview", Static)
        if index is None or not 0 <= index < len(self.hits):
            preview.update("")
            preview.display = False
            return
        preview.display = True
        preview.update(hit_prompt(self.hits[index]))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id is not None:
            self._preview(int(event.option_id))

    def action_move(self, step: int) -> None:
        """Move the highlight in the results while the cursor stays in the input."""
        results = self.query_one(OptionList)
        if not results.option_count:
            return
        current = results.highlighted if results.highlighted is not None else -1
        results.highlighted = max(0, min(results.option_count - 1, current + step))

    def action_close(self) -> None:
        """Back to exactly where the reader was."""
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        results = self.query_one(OptionList)
        if self._results_for != event.value:
            if self._timer is not None:
                self._timer.stop()
            self._open_when_done = True
            self.run_search(event.value)
        elif results.highlighted is not None and self.hits:
            self.dismiss(hit_view(self.hits[results.highlighted]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.dismiss(hit_view(self.hits[int(event.option_id)]))
