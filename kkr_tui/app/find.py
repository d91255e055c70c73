"""Find inside the open item: ``/`` or ``ctrl+f`` in the text, then ``n`` / ``N``.

Each part of the pane carries the plain text it shows (``FINDABLE`` attribute, set where
the part is built), so finding never parses what is drawn. Matching folds case and
Danish letters as the search does (``okonomi`` finds *økonomi*). The part holding the
current match is scrolled to the top and marked; the bar says which match of how many.

The pane owns its find (:class:`Finder`, ``pane.finder``): it opens the bar under
itself, runs, steps and ends the find, and ends it when another item is shown. The
app only routes the keys to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input

from kkr_tui.app.actions import translate_bindings
from kkr_tui.i18n import N_, _
from kkr_tui.textfold import fold

if TYPE_CHECKING:
    from textual.app import App
    from textual.widgets import Input as InputType

#: Attribute holding a widget's plain text for finding.
FINDABLE = "findable_text"


def findable(widget: Widget, text: str) -> Widget:
    """Mark ``widget`` as holding ``text`` for find; returns it, for use in expressions."""
    setattr(widget, FINDABLE, text)
    return widget


@dataclass(frozen=True)
class Match:
    """One occurrence: the widget that shows it and which occurrence in it."""

    widget: Widget
    index: int


def matches_in(root: Widget, query: str) -> list[Match]:
    """Every occurrence of ``query`` in the findable widgets under ``root``, in order."""
    needle = fold(query).strip()
    if not needle:
        return []
    found: list[Match] = []
    for widget in root.walk_children(Widget):
        text = getattr(widget, FINDABLE, None)
        if not text:
            continue
        count = fold(text).count(needle)
        found.extend(Match(widget, n) for n in range(count))
    return found


class FindBar(Input):
    """The find field under the text; Enter finds, Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close the find"), id="find.close"),
    ]

    def __init__(self, finder: Finder) -> None:
        super().__init__(placeholder=_("Find in the item…"), id="find-bar")
        translate_bindings(self)
        self.finder = finder

    def on_input_submitted(self, event: InputType.Submitted) -> None:
        event.stop()
        self.finder.run(event.value)

    def action_close(self) -> None:
        """Back to the text, the find ended."""
        self.finder.end()
        self.finder.pane.focus()


class Finder:
    """The find of one pane: the bar, what it found, and which match is shown."""

    def __init__(self, pane: Widget) -> None:
        self.pane = pane
        self.state: FindState | None = None
        self.bar: FindBar | None = None

    @property
    def active(self) -> bool:
        """Whether a find is on (``n``/``N`` step it, ``escape`` ends it)."""
        return self.state is not None

    @property
    def has_matches(self) -> bool:
        return self.state is not None and bool(self.state.matches)

    async def open(self) -> None:
        """The find field under the text, focused (mounted the first time)."""
        if self.bar is None:
            self.bar = FindBar(self)
            parent = self.pane.parent
            assert isinstance(parent, Widget)
            await parent.mount(self.bar, after=self.pane)
        self.bar.display = True
        self.bar.focus()

    def run(self, query: str) -> None:
        """Find ``query`` in the pane; the first match shown, the text focused."""
        previous = self._current()
        self.state = state = FindState()
        state.run(self.pane, query)
        show_match(self.pane.app, state.matches[0] if state.matches else None, previous)
        self.pane.notify(state.status(), markup=False, timeout=4)
        self.pane.focus()

    def step(self, delta: int) -> None:
        """The next (``+1``) or previous (``-1``) match."""
        if self.state is None:
            return
        previous = self._current()
        show_match(self.pane.app, self.state.step(delta), previous)
        self.pane.notify(self.state.status(), markup=False, timeout=4)

    def end(self) -> None:
        """Close the find: no marks, ``n`` is the note key again."""
        show_match(self.pane.app, None, self._current())
        self.state = None
        if self.bar is not None:
            self.bar.display = False

    def _current(self) -> Match | None:
        state = self.state
        if state is None or not state.matches or state.current < 0:
            return None
        return state.matches[state.current]


class FindState:
    """The current find: its matches and which one is shown."""

    def __init__(self) -> None:
        self.query = ""
        self.matches: list[Match] = []
        self.current = -1

    def run(self, root: Widget, query: str) -> None:
        """Find ``query`` under ``root``; the first match becomes current."""
        self.query = query
        self.matches = matches_in(root, query)
        self.current = 0 if self.matches else -1

    def step(self, delta: int) -> Match | None:
        """The next (``+1``) or previous (``-1``) match, wrapping around."""
        if not self.matches:
            return None
        self.current = (self.current + delta) % len(self.matches)
        return self.matches[self.current]

    def status(self) -> str:
        """``2 af 5 · n næste · N forrige · Esc lukker`` for the bar's tooltip and toast."""
        if not self.matches:
            return _("No match for {query} in this item.").format(query=self.query)
        return _("Match {n} of {total} · n next · N previous").format(
            n=self.current + 1, total=len(self.matches)
        )


def show_match(app: App[Any], match: Match | None, previous: Match | None) -> None:
    """Scroll the match's part to the top of the text and mark it."""
    if previous is not None:
        previous.widget.remove_class("-found")
    if match is None:
        return
    match.widget.add_class("-found")
    match.widget.scroll_visible(top=True, animate=False)
