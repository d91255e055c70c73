"""The command palette's kkr-tui commands (ctrl+p).

App actions are listed by name, and the links of the item on screen can be opened from
here. Link text is data, so matches are highlighted by span on a literal ``Content``:
Textual's ``Matcher.highlight`` parses its candidate as markup and must not see it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from kkr_tui.app.limits import link_label
from kkr_tui.app.render import safe
from kkr_tui.app.watch import WATCH_COMMANDS
from kkr_tui.app.work import WORK_COMMANDS

if TYPE_CHECKING:
    from kkr_tui.app.app import KkrApp

#: What a link's palette entry starts with (it is then matched by :func:`in_order`).
LINK_PREFIX = "Open link "

#: (name, action, help) — help text is ours, never data.
APP_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Search items", "search", "Search every council (/ or ctrl+f)"),
    ("Next item", "next_item", "Next item across sections (])"),
    ("Previous item", "prev_item", "Previous item across sections ([)"),
    ("Next meeting", "next_meeting", "Next meeting of the same council (})"),
    ("Previous meeting", "prev_meeting", "Previous meeting of the same council ({)"),
    ("Jump to Indstilling", "jump('Indstilling')", "Scroll the pane to the recommendation (i)"),
    ("Jump to Beslutning", "jump('Beslutning')", "Scroll the pane to the decision (b)"),
    ("Copy item with citation", "copy", "Copy the item as text with a citation line (c)"),
    ("Open source document", "open_source", "Open the PDF or text file of this item (o)"),
    ("Back", "back", "Back to what was shown before"),
    ("Forward", "forward", "Forward again"),
    ("Toggle light/dark", "toggle_theme", "Switch between a light and a dark theme (t)"),
    ("Keys", "help", "Every key of the reader (f1 or ?)"),
)


def _highlight(candidate: str, positions: Sequence[int], style: str) -> Content:
    content = Content(candidate)
    for offset in positions:
        if 0 <= offset < len(candidate) and not candidate[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


class KkrCommands(Provider):
    """Reader commands plus 'Open link' for each link of the item on screen."""

    @property
    def kkr_app(self) -> KkrApp:
        """The app, typed."""
        return cast("KkrApp", self.app)  # the provider is only ever KkrApp's

    def _candidates(self) -> list[tuple[str, Callable[[], object], str | None]]:
        app = self.kkr_app
        out: list[tuple[str, Callable[[], object], str | None]] = [
            (name, partial(app.run_action, action), help_text)
            for name, action, help_text in (*APP_COMMANDS, *WORK_COMMANDS, *WATCH_COMMANDS)
        ]
        for url in app.current_urls():
            clean = safe(url)
            # Shown and matched on the shortened label only.
            out.append((LINK_PREFIX + link_label(clean), partial(app.open_url, clean), None))
        return out

    async def discover(self) -> Hits:
        """Shown before anything is typed."""
        for name, command, help_text in self._candidates():
            yield DiscoveryHit(Content(name), command, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        """Fuzzy match over command names; links by a linear in-order match.

        Textual's fuzzy matcher enumerates every way the query's letters can fall in
        a candidate: over a link of repeated letters ("hhhh" against 100 h's) one
        keypress took seconds, over a 1.4 KB link 15 s. Our command names are short
        and ours; a link is document text, so it gets :func:`in_order` instead.
        """
        matcher = self.matcher(query)
        for name, command, help_text in self._candidates():
            offsets: Sequence[int]
            if name.startswith(LINK_PREFIX):
                offsets = in_order(query, name)
                score = len(offsets) / len(name) if offsets else 0.0
            else:
                score = matcher.match(name)
                offsets = matcher.fuzzy_search.match(query, name)[1] if score > 0 else []
            if score > 0:
                display = _highlight(name, offsets, "reverse")
                yield Hit(score, display, command, text=name, help=help_text)


def in_order(query: str, text: str) -> list[int]:
    """Offsets of ``query``'s letters found in ``text`` in order, each as early as
    possible (spaces in the query are skipped); empty when some letter is missing.
    One pass over ``text``: time bounded by its length whatever the query."""
    wanted = [ch for ch in query.casefold() if not ch.isspace()]
    offsets: list[int] = []
    position = 0
    folded = text.casefold()
    if len(folded) != len(text):  # casefolding changed lengths: match on lower()
        folded = text.lower()
    for ch in wanted:
        position = folded.find(ch, position)
        if position < 0:
            return []
        offsets.append(position)
        position += 1
    return offsets
