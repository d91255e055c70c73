"""The command palette's kkr-tui commands (ctrl+p).

The reader's commands come from the one registry (:mod:`kkr_tui.app.actions`), with
the keys in force after the user's keymap, and the links of the item on screen can be
opened from here. Link text is data, so matches are highlighted by span on a literal ``Content``:
Textual's ``Matcher.highlight`` parses its candidate as markup and must not see it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.align import Align
from rich.text import Text
from textual.binding import BindingsMap
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.widgets.option_list import Option

from kkr_tui.app import actions
from kkr_tui.app.limits import link_label
from kkr_tui.app.render import safe
from kkr_tui.i18n import N_, _

if TYPE_CHECKING:
    from kkr_tui.app.reader.base import ReaderBase

#: What a link's palette entry starts with (it is then matched by :func:`in_order`);
#: an English message id, translated when the entry is made.
LINK_PREFIX = N_("Open link ")


def _highlight(candidate: str, positions: Sequence[int], style: str) -> Content:
    content = Content(candidate)
    for offset in positions:
        if 0 <= offset < len(candidate) and not candidate[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


class KkrCommands(Provider):
    """Reader commands plus 'Open link' for each link of the item on screen."""

    @property
    def kkr_app(self) -> ReaderBase:
        """The app, typed."""
        return cast("ReaderBase", self.app)  # the provider is only ever the reader's (KkrApp)

    def _candidates(self) -> list[tuple[str, Callable[[], object], str | None]]:
        app = self.kkr_app
        out: list[tuple[str, Callable[[], object], str | None]] = []
        for command in actions.commands():
            if not command.palette:
                continue
            keys = app.keys_for(command.id)
            help_text = _(command.help) + (f"  ({keys})" if keys else "")
            out.append((_(command.label), partial(app.run_action, command.action), help_text))
        for url in app.current_urls():
            clean = safe(url)
            # Shown and matched on the shortened label only.
            out.append((_(LINK_PREFIX) + link_label(clean), partial(app.open_url, clean), None))
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
        prefix = _(LINK_PREFIX)
        for name, command, help_text in self._candidates():
            offsets: Sequence[int]
            if name.startswith(prefix):
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


class Palette(CommandPalette):
    """Textual's command palette with its own words in the user's language.

    Textual writes "Search for commands…" and "No matches found" in English; the first
    is a parameter, the second is built inside ``_start_no_matches_countdown``, so that
    method is Textual's (8.2.8, pinned) with the words translated
    (``tests/test_textual_words.py`` fails when Textual changes it).
    """

    #: Textual's descriptions of the palette's keys, in our words (message ids).
    KEY_WORDS: ClassVar[dict[str, str]] = {
        "Go to bottom": N_("To the last command"),
        "Go to top": N_("To the first command"),
        "Next command": N_("Next command"),
        "Exit the command palette": N_("Close the palette"),
        "Next page": N_("Page down"),
        "Previous page": N_("Page up"),
        "Previous command": N_("Previous command"),
    }

    def __init__(self, placeholder: str | None = None, **kwargs: Any) -> None:
        super().__init__(placeholder=placeholder or _("Search for commands…"), **kwargs)
        self._bindings = BindingsMap.from_keys(
            {
                key: [
                    dataclasses.replace(b, description=_(self.KEY_WORDS.get(b.description, "")))
                    if b.description in self.KEY_WORDS
                    else b
                    for b in found
                ]
                for key, found in self._bindings.key_to_bindings.items()
            }
        )

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
